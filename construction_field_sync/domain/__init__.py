"""Pure rules of field sync (no Odoo imports): payloads, the offline rules."""
