"""Promotion readiness: will stock and inbound supply last through each planned promotion?"""
