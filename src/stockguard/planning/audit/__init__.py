"""Audit numerics: stock-out periods in history, ABC/XYZ classes, slow, dead and excess stock."""
