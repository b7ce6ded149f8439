"""Forecasting adapters backed by optional third-party libraries (LightGBM)."""
