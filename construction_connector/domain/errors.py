"""Errors of the integration API, as external systems see them.

Every rejected message carries a list of ``{"code", "field", "message"}``
objects (see the integration contract). ``code`` is one of the constants
below, ``field`` is a dotted path into the message (``payload.lines.0.quantity``)
or ``None`` when the error is about the message or request as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pydantic

REQUIRED = "required"
INVALID_TYPE = "invalid_type"
INVALID_VALUE = "invalid_value"
TOO_LONG = "too_long"
UNKNOWN_SOURCE = "unknown_source"
UNKNOWN_TYPE = "unknown_type"
IDEMPOTENCY_CONFLICT = "idempotency_conflict"
UNKNOWN_REFERENCE = "unknown_reference"
FORBIDDEN_COMPANY = "forbidden_company"
PAYLOAD_INVALID = "payload_invalid"

ERROR_CODES = frozenset(
    {
        REQUIRED,
        INVALID_TYPE,
        INVALID_VALUE,
        TOO_LONG,
        UNKNOWN_SOURCE,
        UNKNOWN_TYPE,
        IDEMPOTENCY_CONFLICT,
        UNKNOWN_REFERENCE,
        FORBIDDEN_COMPANY,
        PAYLOAD_INVALID,
    }
)


@dataclass(frozen=True)
class ApiError:
    """One error of one message, exactly as serialised in API responses."""

    code: str
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the contract.

        >>> ApiError("required", "source", "source is required").as_dict()
        {'code': 'required', 'field': 'source', 'message': 'source is required'}
        """
        return {"code": self.code, "field": self.field, "message": self.message}


class RequestError(NamedTuple):
    """A whole request refused: the HTTP status and the error to answer with."""

    status: int
    error: ApiError


class PermanentError(Exception):
    """Applying a message failed and will fail again: the message goes ``dead`` at once."""

    def __init__(self, errors: Iterable[ApiError] | ApiError) -> None:
        if isinstance(errors, ApiError):
            errors = [errors]
        self.errors: list[ApiError] = list(errors)
        super().__init__("; ".join(error.message for error in self.errors))


class Applied(tuple):
    """A handler's result for one message: ``(model, ids)``, with a ``note``
    when the message was done without changing data as sent (stale for the
    record, withdrawn, held as an amendment).

    >>> result = Applied("account.analytic.line", [7], note="Stale")
    >>> model, ids = result
    >>> model, ids, result.note
    ('account.analytic.line', [7], 'Stale')
    """

    note: str | None

    def __new__(cls, model: str | None, ids: Iterable[int], note: str | None = None) -> Applied:
        result = super().__new__(cls, (model, list(ids)))
        result.note = note
        return result


class TransientError(Exception):
    """Applying a message failed for a reason that may go away (lock, timeout): retry later."""


# pydantic error types mapped to API error codes; anything else is ``invalid_value``.
_TYPE_ERRORS = frozenset(
    {
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "decimal_type",
        "decimal_parsing",
        "bool_type",
        "bool_parsing",
        "list_type",
        "tuple_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "dataclass_type",
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "datetime_type",
        "datetime_parsing",
        "datetime_from_date_parsing",
        "none_required",
    }
)
_TOO_LONG_ERRORS = frozenset({"string_too_long", "too_long"})
# pydantic's wording names Python types or classes; say it in JSON terms instead.
_PLAIN_MESSAGES = {
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "decimal_type": "must be a number",
    "decimal_parsing": "must be a number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
}


def unknown_reference(field: str, message: str) -> PermanentError:
    """The permanent error of a payload reference that names no record.

    >>> unknown_reference("payload.vendor", "Unknown vendor 'V-9'.").errors[0].code
    'unknown_reference'
    """
    return PermanentError(ApiError(UNKNOWN_REFERENCE, field, message))


def error_path(prefix: str | None, loc: Iterable[str | int]) -> str | None:
    """Join a pydantic location under ``prefix`` into the dotted path of the contract.

    >>> error_path("payload", ("lines", 0, "quantity"))
    'payload.lines.0.quantity'
    >>> error_path("payload", ())
    'payload'
    >>> error_path("", ("code",))
    'code'
    """
    parts = [str(part) for part in loc]
    if prefix:
        parts.insert(0, prefix)
    return ".".join(parts) or None


def _code_for(error_type: str, ctx: dict[str, Any]) -> str:
    if error_type == "missing":
        return REQUIRED
    if error_type == "string_too_short" and ctx.get("min_length") == 1:
        return REQUIRED
    if error_type in _TYPE_ERRORS:
        return INVALID_TYPE
    if error_type in _TOO_LONG_ERRORS:
        return TOO_LONG
    if error_type in ERROR_CODES:
        # Our own validators raise PydanticCustomError with an API code as type.
        return error_type
    return INVALID_VALUE


def pydantic_errors(exc: pydantic.ValidationError, prefix: str = "payload") -> list[ApiError]:
    """Turn every error of a pydantic ``ValidationError`` into one :class:`ApiError`.

    The field is the dotted path under ``prefix`` (``payload.phases.1.code``) and
    the message names that field, so that a person reading only the message
    knows what to fix.
    """
    result = []
    for detail in exc.errors(include_url=False):
        ctx = detail.get("ctx") or {}
        code = _code_for(detail["type"], ctx)
        if code == INVALID_TYPE and detail.get("input", ...) is None:
            code = REQUIRED  # ``null`` where a value is needed reads as "missing"
        field = error_path(prefix, detail["loc"])
        name = field or "the message"
        if code == REQUIRED:
            if detail["type"] != "string_too_short":
                message = f"{name} is required."
            else:
                message = f"{name} is required and may not be empty."
        elif detail["type"] in _PLAIN_MESSAGES:
            message = f"{name} {_PLAIN_MESSAGES[detail['type']]}."
        else:
            message = f"{name}: {detail['msg'].rstrip('.')}."
        result.append(ApiError(code, field, message))
    return result
