"""Forecasting use cases over plain files: the long CSV reader and the forecast run."""
