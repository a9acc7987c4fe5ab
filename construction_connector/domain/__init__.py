"""Pure Python core of ``construction_connector``: never imports ``odoo``.

Envelope and batch checks, payload schemas and the message type registry,
payload fingerprints, retry policy, ordering and staleness, webhook signing,
paging cursors and reconciliation. The Odoo models read fields, call these
functions and write the result; tests of this package need no database.
"""

from . import cursor, envelope, errors, fingerprint, ordering, reconcile, retry, schemas, signing

__all__ = [
    "cursor",
    "envelope",
    "errors",
    "fingerprint",
    "ordering",
    "reconcile",
    "retry",
    "schemas",
    "signing",
]
