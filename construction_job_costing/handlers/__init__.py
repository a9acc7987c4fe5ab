"""Batch handlers of the job costing message types (see construction_connector)."""
