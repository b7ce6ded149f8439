"""The REST API (FastAPI) and the server-rendered dashboard share one app factory."""
