"""The envelope of inbound messages and the batch around them.

``POST /construction/api/v1/messages`` takes ``{"messages": [...]}``; each
message is an envelope (``source``, ``type``, ``idempotency_key``,
``occurred_at``, ``correlation_id``, ``company``) around a ``payload`` object.
This module checks the shape only: whether the source, type and company exist
is for the caller, which knows the database.

Nothing here raises on bad input: every problem becomes an
:class:`~.errors.ApiError` naming the field, or a :class:`~.errors.RequestError`
with the HTTP status for the whole request.

Keys of a message that the contract does not define are ignored, so that a
client written against a later version of the contract keeps working.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from dateutil.parser import isoparse

from .errors import (
    INVALID_TYPE,
    INVALID_VALUE,
    PAYLOAD_INVALID,
    REQUIRED,
    TOO_LONG,
    ApiError,
    RequestError,
)

MAX_BATCH = 1000
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_KEY_LEN = 255
MAX_TEXT_LEN = 255
"""Longest ``source``, ``type``, ``correlation_id`` and company name accepted."""

_HAS_TIME = re.compile(r"[Tt ]\d")


@dataclass(frozen=True)
class Envelope:
    """One inbound message whose envelope is well formed.

    ``source``, ``type`` and ``company`` (when a name) are stripped of
    surrounding blanks; ``idempotency_key`` and ``correlation_id`` are kept
    exactly as sent. ``occurred_at`` is a naive UTC datetime.
    """

    source: str
    type: str
    idempotency_key: str
    payload: dict[str, Any] = field(compare=False)
    occurred_at: datetime | None = None
    correlation_id: str | None = None
    company: str | int | None = None


def parse_occurred_at(value: str) -> datetime:
    """Parse an ISO-8601 date and time into a naive UTC datetime.

    Offsets are converted to UTC; a value without offset is taken as UTC.
    A date without a time is refused (``ValueError``): ordering of field
    messages needs the time.

    >>> parse_occurred_at("2026-11-20T14:03:00Z")
    datetime.datetime(2026, 11, 20, 14, 3)
    >>> parse_occurred_at("2026-11-20T15:03:00.5+01:00")
    datetime.datetime(2026, 11, 20, 14, 3, 0, 500000)
    >>> parse_occurred_at("2026-11-20T14:03")
    datetime.datetime(2026, 11, 20, 14, 3)
    """
    if not _HAS_TIME.search(value):
        raise ValueError("a date and time is required, not a date alone")
    try:
        parsed = isoparse(value)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError as exc:
        raise ValueError("date out of range") from exc
    return parsed


def _text(
    raw: dict[str, Any],
    name: str,
    errors: list[ApiError],
    *,
    required: bool,
    max_len: int = MAX_TEXT_LEN,
    strip: bool = True,
) -> str | None:
    """Read one string member of the envelope, appending errors when it is wrong."""
    value = raw.get(name)
    if value is None:
        if required:
            errors.append(ApiError(REQUIRED, name, f"{name} is required."))
        return None
    if not isinstance(value, str):
        errors.append(ApiError(INVALID_TYPE, name, f"{name} must be a string."))
        return None
    if strip:
        value = value.strip()
    if not value.strip():
        if required:
            errors.append(ApiError(REQUIRED, name, f"{name} is required and may not be empty."))
        return None
    if len(value) > max_len:
        errors.append(ApiError(TOO_LONG, name, f"{name} is longer than {max_len} characters."))
        return None
    if "\x00" in value:
        errors.append(ApiError(INVALID_VALUE, name, f"{name} may not contain NUL characters."))
        return None
    return value


def _company(raw: dict[str, Any], errors: list[ApiError]) -> str | int | None:
    value = raw.get("company")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors.append(
            ApiError(INVALID_TYPE, "company", "company must be a company name or a company id.")
        )
        return None
    if isinstance(value, int):
        if value <= 0:
            errors.append(
                ApiError(INVALID_VALUE, "company", "company must be a positive company id.")
            )
            return None
        return value
    return _text(raw, "company", errors, required=False)


def _occurred_at(raw: dict[str, Any], errors: list[ApiError]) -> datetime | None:
    value = raw.get("occurred_at")
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(
            ApiError(INVALID_TYPE, "occurred_at", "occurred_at must be an ISO-8601 string.")
        )
        return None
    try:
        return parse_occurred_at(value)
    except ValueError:
        errors.append(
            ApiError(
                INVALID_VALUE,
                "occurred_at",
                f"occurred_at {value[:64]!r} is not an ISO-8601 date and time "
                "such as 2026-11-20T14:03:00Z.",
            )
        )
        return None


def find_nul(value: Any, prefix: str = "payload") -> str | None:
    """Dotted path of the first string (value or key) holding a NUL character, or ``None``.

    PostgreSQL cannot store NUL in text or ``jsonb``; such a message is
    refused up front rather than failing the whole batch on insert.

    >>> find_nul({"lines": [{"note": "ok"}, {"note": "a\\x00b"}]})
    'payload.lines.1.note'
    """
    stack: list[tuple[str, Any]] = [(prefix, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                child_path = f"{path}.{key}"
                if isinstance(key, str) and "\x00" in key:
                    return child_path
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend(
                (f"{path}.{index}", child) for index, child in reversed(list(enumerate(item)))
            )
    return None


def validate_envelope(raw: Any) -> tuple[Envelope | None, list[ApiError]]:
    """Check one message of a batch.

    Return ``(envelope, [])`` when the envelope is well formed, else
    ``(None, errors)`` with every problem found (not only the first).

    >>> envelope, errors = validate_envelope({"source": "fieldapp"})
    >>> envelope, [error.field for error in errors]
    (None, ['type', 'idempotency_key', 'payload'])
    """
    if not isinstance(raw, dict):
        return None, [ApiError(INVALID_TYPE, None, "Each message must be a JSON object.")]
    errors: list[ApiError] = []
    source = _text(raw, "source", errors, required=True)
    type_ = _text(raw, "type", errors, required=True)
    key = _text(raw, "idempotency_key", errors, required=True, max_len=MAX_KEY_LEN, strip=False)
    occurred_at = _occurred_at(raw, errors)
    correlation_id = _text(raw, "correlation_id", errors, required=False, strip=False)
    company = _company(raw, errors)
    payload = raw.get("payload")
    if payload is None:
        errors.append(ApiError(REQUIRED, "payload", "payload is required."))
    elif not isinstance(payload, dict):
        errors.append(ApiError(INVALID_TYPE, "payload", "payload must be a JSON object."))
    else:
        nul_path = find_nul(payload, "payload")
        if nul_path:
            errors.append(
                ApiError(
                    INVALID_VALUE,
                    nul_path,
                    f"{nul_path} contains a NUL character (\\u0000), which cannot be stored.",
                )
            )
    if errors:
        return None, errors
    envelope = Envelope(
        source=source,
        type=type_,
        idempotency_key=key,
        payload=payload,
        occurred_at=occurred_at,
        correlation_id=correlation_id,
        company=company,
    )
    return envelope, []


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_body(raw: bytes) -> Any | RequestError:
    """Decode a raw request body, or say why not (``413`` too large, ``400`` not JSON).

    ``NaN`` and ``Infinity``, which Python's ``json`` would accept, are refused.

    >>> parse_body(b'{"messages": []}')
    {'messages': []}
    >>> parse_body(b"{nope").status
    400
    """
    if len(raw) > MAX_BODY_BYTES:
        return RequestError(
            413,
            ApiError(TOO_LONG, None, f"The body is larger than {MAX_BODY_BYTES} bytes."),
        )
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return RequestError(400, ApiError(PAYLOAD_INVALID, None, "The body is not valid JSON."))


def validate_batch(body: Any) -> list[Any] | RequestError:
    """Return the list of messages of a decoded body, or the error for the whole request.

    ``400`` when the body is not an object with a non-empty ``messages`` list,
    ``413`` when it holds more than :data:`MAX_BATCH` messages. The messages
    themselves are not looked at (see :func:`validate_envelope`).
    """
    if not isinstance(body, dict):
        return RequestError(
            400,
            ApiError(INVALID_TYPE, None, 'The body must be a JSON object {"messages": [...]}.'),
        )
    if "messages" not in body:
        return RequestError(400, ApiError(REQUIRED, "messages", "messages is required."))
    messages = body["messages"]
    if not isinstance(messages, list):
        return RequestError(
            400, ApiError(INVALID_TYPE, "messages", "messages must be a list of messages.")
        )
    if not messages:
        return RequestError(
            400, ApiError(INVALID_VALUE, "messages", "messages must hold at least one message.")
        )
    if len(messages) > MAX_BATCH:
        return RequestError(
            413,
            ApiError(
                TOO_LONG,
                "messages",
                f"messages holds {len(messages)} messages; at most {MAX_BATCH} are accepted "
                "in one batch.",
            ),
        )
    return messages
