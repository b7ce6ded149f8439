"""Planning use cases over the database: runs that read panels, forecast and store results."""
