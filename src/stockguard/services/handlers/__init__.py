"""Command handlers, one module per area; ``COMMAND_HANDLERS`` maps commands to them."""
