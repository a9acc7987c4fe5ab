"""Fingerprint of a payload, to tell a duplicate from an idempotency conflict.

The same source and key sent again is a duplicate when the fingerprints are
equal and a conflict otherwise. The fingerprint is the SHA-256 of the
canonical JSON of the payload: keys sorted, no blanks, non-ASCII characters
kept as UTF-8. Key order and spacing of the sender do not matter; values do
(``1`` and ``1.0`` are different JSON texts and so different payloads).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(payload: Any) -> bytes:
    """Return the canonical UTF-8 JSON text of ``payload``.

    >>> canonical_json({"b": 1, "a": ["é", None]})
    b'{"a":["\\xc3\\xa9",null],"b":1}'
    """
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def payload_fingerprint(payload: Any) -> str:
    """Return the SHA-256 hex digest of the canonical JSON of ``payload``.

    >>> payload_fingerprint({})
    '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
    """
    return hashlib.sha256(canonical_json(payload)).hexdigest()
