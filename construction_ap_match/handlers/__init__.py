"""Batch handlers of ap.vendor_bill and master.vendor_compliance (see construction_connector)."""
