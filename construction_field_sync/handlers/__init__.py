"""Apply field.* message batches (one module per message type)."""
