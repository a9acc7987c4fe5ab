"""Batch handlers of the procurement message types (see construction_connector)."""
