"""One router per resource; each endpoint declares the scope it needs."""
