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
import math
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
MAX_PAYLOAD_DEPTH = 64
"""Deepest nesting of objects and lists accepted in a payload."""

# Characters PostgreSQL cannot store in text or jsonb: NUL, and the halves of
# UTF-16 surrogate pairs that JSON escapes (``"\ud800"``) can produce alone.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

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
    problem = text_problem(value)
    if problem:
        errors.append(ApiError(INVALID_VALUE, name, f"{name} {problem}."))
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


def text_problem(value: str) -> str | None:
    r"""Why PostgreSQL could not store ``value``, or ``None`` when it can.

    >>> print(text_problem("ok"))
    None
    >>> print(text_problem("a\x00b"))
    contains a NUL character (\u0000), which cannot be stored
    >>> print(text_problem("a\ud800b"))
    contains an unpaired UTF-16 surrogate (\ud800), which is not valid Unicode
    """
    match = _UNSTORABLE.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return "contains a NUL character (\\u0000), which cannot be stored"
    return (
        f"contains an unpaired UTF-16 surrogate (\\u{ord(match.group()):04x}), "
        "which is not valid Unicode"
    )


def storable_text(value: str) -> str:
    r"""``value`` with each character PostgreSQL cannot store replaced by U+FFFD.

    >>> storable_text("a\x00b\udc00") == "a\ufffdb\ufffd"
    True
    """
    return _UNSTORABLE.sub("\ufffd", value)


def find_unstorable(
    value: Any, prefix: str = "payload", max_depth: int = MAX_PAYLOAD_DEPTH
) -> ApiError | None:
    r"""The error of the first part of a decoded JSON value that cannot be stored, or ``None``.

    PostgreSQL stores neither NUL nor unpaired surrogates in text or
    ``jsonb``, nor non-finite numbers (``1e400`` decodes to infinity) in
    ``jsonb``; a value nested deeper than ``max_depth`` is refused too (it
    could not be encoded again within Python's recursion limit). The field
    of the error is the dotted path of the culprit. Iterative: any depth.

    >>> find_unstorable({"lines": [{"note": "ok"}, {"note": "a\x00b"}]}).field
    'payload.lines.1.note'
    >>> find_unstorable({"amount": float("inf")}).message
    'payload.amount is not a finite number.'
    >>> find_unstorable({"a": [[[]]]}, max_depth=3).message
    'payload.a.0.0 nests deeper than 3 levels.'
    >>> find_unstorable({"a": [1, "x", None, True, {"b": 2.5}]}) is None
    True
    """
    found = _scan(value, prefix, max_depth)
    return found[0] if found else None


def _scan(value: Any, prefix: str, max_depth: int) -> tuple[ApiError, bool] | None:
    """``(error, too deep)`` for the first unstorable part of ``value``, or ``None``."""
    stack: list[tuple[str, Any, int]] = [(prefix, value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return ApiError(INVALID_VALUE, path, f"{path} {problem}."), False
        elif isinstance(item, float):
            if not math.isfinite(item):
                return ApiError(INVALID_VALUE, path, f"{path} is not a finite number."), False
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                message = f"{path} nests deeper than {max_depth} levels."
                return ApiError(INVALID_VALUE, path, message), True
            children = list(item.items()) if isinstance(item, dict) else list(enumerate(item))
            for key, child in reversed(children):
                child_path = f"{path}.{key}"
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    message = f"{child_path} (a key) {problem}."
                    return ApiError(INVALID_VALUE, child_path, message), False
                stack.append((child_path, child, depth + 1))
    return None


def storable(value: Any, max_depth: int = MAX_PAYLOAD_DEPTH) -> Any:
    r"""A copy of a decoded JSON value that PostgreSQL can store, to keep a rejected message.

    Texts (values and keys) lose the characters :func:`text_problem` names,
    non-finite numbers become their name (``"inf"``), and the whole value
    becomes ``None`` when it nests deeper than ``max_depth``.

    >>> storable({"a\x00": [float("-inf"), "\ud800"]}) == {"a\ufffd": ["-inf", "\ufffd"]}
    True
    >>> storable([[["deep"]]], max_depth=2) is None
    True
    """
    found = _scan(value, "", max_depth)
    if found is None:
        return value
    if found[1]:
        return None
    return _storable_copy(value)


def storable_error(error: ApiError) -> ApiError:
    r"""``error`` with a field and message PostgreSQL can store (they may quote the input).

    >>> storable_error(ApiError("invalid_value", "payload.a\x00", "bad")).field == "payload.a\ufffd"
    True
    """
    field_ = storable_text(error.field) if error.field else error.field
    return ApiError(error.code, field_, storable_text(error.message))


def as_text(value: Any, max_len: int = MAX_TEXT_LEN) -> str:
    r"""A storable text for a member of a rejected message, whatever JSON value it holds.

    Strings and numbers are kept (cut to ``max_len``); objects, lists and
    ``null`` give an empty string: never ``str()`` of a structure, which
    could nest deeper than the recursion limit.

    >>> as_text(" fieldapp\x00") == " fieldapp\ufffd"
    True
    >>> as_text(17), as_text({"a": [1]}), as_text(None)
    ('17', '', '')
    """
    if isinstance(value, str):
        return storable_text(value[:max_len])
    if isinstance(value, bool | int | float):
        return str(value)[:max_len]
    return ""


def _storable_copy(value: Any) -> Any:
    # Recursive, but only ever called on values at most MAX_PAYLOAD_DEPTH deep.
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {
            storable_text(key) if isinstance(key, str) else key: _storable_copy(child)
            for key, child in value.items()
        }
    if isinstance(value, list):
        return [_storable_copy(child) for child in value]
    return value


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
        unstorable = find_unstorable(payload, "payload")
        if unstorable:
            errors.append(unstorable)
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
