"""Plain-Python domain model: entities, value objects, commands, events and errors."""
