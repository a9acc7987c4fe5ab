"""Opaque paging cursor of ``GET /construction/api/v1/messages``.

The list is ordered by id, newest last; the cursor holds the last id returned
and the next page starts after it. Clients must treat it as an opaque string:
it is URL-safe base64 (no padding) of a small versioned JSON object, so that
its content can change later without breaking them.
"""

from __future__ import annotations

import base64
import json

_VERSION = 1
_MAX_CURSOR_LEN = 200


def encode_cursor(last_id: int) -> str:
    """Return the cursor of the page that follows id ``last_id``.

    >>> encode_cursor(17)
    'eyJpZCI6MTcsInYiOjF9'
    >>> decode_cursor(encode_cursor(17))
    17
    """
    if isinstance(last_id, bool) or not isinstance(last_id, int) or last_id < 0:
        raise ValueError("last_id must be an integer >= 0")
    text = json.dumps({"id": last_id, "v": _VERSION}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Return the last id held by ``cursor``; ``ValueError`` for anything that is not one.

    >>> decode_cursor("garbage!")
    Traceback (most recent call last):
    ...
    ValueError: invalid cursor
    """
    try:
        last_id = _decode(cursor)
    except (ValueError, TypeError, UnicodeError, RecursionError):
        last_id = None
    if last_id is None:
        raise ValueError("invalid cursor")
    return last_id


def _decode(cursor: object) -> int | None:
    if not isinstance(cursor, str) or not cursor or len(cursor) > _MAX_CURSOR_LEN:
        return None
    if not cursor.isascii():
        return None
    padded = cursor + "=" * (-len(cursor) % 4)
    raw = base64.b64decode(padded, altchars=b"-_", validate=True)
    data = json.loads(raw.decode("ascii"))
    if not isinstance(data, dict) or type(data.get("v")) is not int or data["v"] != _VERSION:
        return None
    last_id = data.get("id")
    if isinstance(last_id, bool) or not isinstance(last_id, int) or last_id < 0:
        return None
    return last_id
