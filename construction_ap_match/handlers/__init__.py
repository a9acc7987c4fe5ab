"""Batch handler of ap.vendor_bill messages (see construction_connector)."""
