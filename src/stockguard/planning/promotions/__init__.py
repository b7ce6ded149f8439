"""Promotion readiness numerics: uplift from past promotions, demand and stock needed."""
