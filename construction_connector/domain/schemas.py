"""Payload schemas of the master-data message types, and the message type registry.

Models follow the table "Inbound message types" of the contract. Conventions:

- Keys the contract does not define are ignored (``extra="ignore"``), not
  refused: a sender written against a later version of the contract, which
  may add optional keys, keeps working against this one.
- Strings are stripped; a required string that is empty after stripping is
  refused (code ``required``); an optional string that is empty becomes
  ``None``. Codes hold at most 64 characters, names and other texts 255.
  Markup or SQL inside strings is plain data; NUL characters, which the
  database cannot store, are refused.
- Amounts are :class:`~decimal.Decimal` (JSON numbers or numeric strings; not
  booleans, not NaN or infinity).
- A key that is absent and a key sent as ``null`` are told apart by
  ``model_fields_set``: handlers updating a record should write only the
  fields that were sent (``model_dump(exclude_unset=True)``).

The registry is pure: it maps a type name to its model, a handler key and a
function giving the business key of a validated payload. The Odoo side maps
handler keys to code that applies the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from .errors import INVALID_TYPE, INVALID_VALUE, UNKNOWN_TYPE, ApiError, pydantic_errors

CODE_LEN = 64
NAME_LEN = 255

COST_TYPES = ("labor", "material", "subcontract", "equipment", "other")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError(INVALID_VALUE, "Text may not contain NUL characters")
    return value


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _check_email(value: str | None) -> str | None:
    if value is not None and not _EMAIL.match(value):
        raise PydanticCustomError(
            INVALID_VALUE, "{value} is not an email address", {"value": value}
        )
    return value


def _check_country(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise PydanticCustomError(
            INVALID_VALUE,
            "{value} is not a two-letter ISO 3166 country code such as US",
            {"value": value},
        )
    return value.upper()


def _text(max_length: int, min_length: int | None = None, pattern: str | None = None) -> Any:
    """A stripped string type of at most ``max_length`` characters, without NUL."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=pattern
        ),
        AfterValidator(_no_nul),
    ]


# Business codes (jobs, phases, cost codes) as construction_base accepts them.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"
Code = _text(CODE_LEN, min_length=1, pattern=CODE_PATTERN)
Name = _text(NAME_LEN, min_length=1)
ExternalId = _text(NAME_LEN, min_length=1)
OptionalCode = Annotated[_text(CODE_LEN) | None, BeforeValidator(_blank_to_none)]
OptionalText = Annotated[_text(NAME_LEN) | None, BeforeValidator(_blank_to_none)]
OptionalEmail = Annotated[
    _text(254) | None, BeforeValidator(_blank_to_none), AfterValidator(_check_email)
]
OptionalCountry = Annotated[
    _text(CODE_LEN) | None, BeforeValidator(_blank_to_none), AfterValidator(_check_country)
]
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]


class Payload(BaseModel):
    """Base of payload models: unknown keys ignored, strings stripped, immutable."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


def _field_error(
    title: str, loc: tuple[str | int, ...], message: str, value: Any, **ctx: Any
) -> ValidationError:
    """A ValidationError located at ``loc``, raised from a model validator.

    pydantic keeps the location of a ``ValidationError`` raised in a model
    validator (prefixed by where the model sits), which a plain ``ValueError``
    would lose: the API error then names ``payload.phases.1.code``.
    """
    error = PydanticCustomError(INVALID_VALUE, message, ctx or None)
    return ValidationError.from_exception_data(
        title, [InitErrorDetails(type=error, loc=loc, input=value)]
    )


class VendorPayload(Payload):
    """``master.vendor``: creates or updates the vendor known by ``external_id``."""

    external_id: ExternalId
    name: Name
    vat: OptionalCode = None
    email: OptionalEmail = None
    phone: OptionalCode = None
    street: OptionalText = None
    city: OptionalText = None
    country_code: OptionalCountry = None


class PhasePayload(Payload):
    """One phase of a ``master.project``."""

    code: Code
    name: Name


class ProjectPayload(Payload):
    """``master.project``: creates or updates the job ``code`` and its phases."""

    code: Code
    name: Name
    customer: OptionalText = None
    contract_value: Amount | None = None
    retention_percent: Percent | None = None
    phases: list[PhasePayload] | None = None

    @model_validator(mode="after")
    def _check_phase_codes(self) -> ProjectPayload:
        seen: set[str] = set()
        for index, phase in enumerate(self.phases or ()):
            if phase.code in seen:
                raise _field_error(
                    "ProjectPayload",
                    ("phases", index, "code"),
                    "Phase code {code} appears more than once in phases",
                    phase.code,
                    code=phase.code,
                )
            seen.add(phase.code)
        return self


class CostCodePayload(Payload):
    """``master.cost_code``: creates or updates the cost code ``code``."""

    code: Code
    name: Name
    cost_type: Annotated[
        Literal["labor", "material", "subcontract", "equipment", "other"],
        BeforeValidator(_lower),
    ]
    parent_code: OptionalCode = None

    @model_validator(mode="after")
    def _check_parent(self) -> CostCodePayload:
        if self.parent_code is not None and self.parent_code == self.code:
            raise _field_error(
                "CostCodePayload",
                ("parent_code",),
                "Cost code {code} cannot be its own parent",
                self.parent_code,
                code=self.code,
            )
        return self


BusinessKey = tuple[str, ...]


@dataclass(frozen=True)
class MessageType:
    """One registered inbound message type."""

    name: str
    model: type[BaseModel]
    handler: str
    business_key: Callable[[Any], BusinessKey | None]


class MessageTypeRegistry:
    """Inbound message types by name. Pure: handlers are named, not imported."""

    def __init__(self) -> None:
        self._types: dict[str, MessageType] = {}

    def register(
        self,
        name: str,
        model: type[BaseModel],
        handler: str,
        business_key: Callable[[Any], BusinessKey | None],
        *,
        replace: bool = False,
    ) -> MessageType:
        """Add a message type; registering a name twice needs ``replace=True``."""
        if name in self._types and not replace:
            raise ValueError(f"message type {name!r} is already registered")
        message_type = MessageType(name, model, handler, business_key)
        self._types[name] = message_type
        return message_type

    def get(self, name: str) -> MessageType | None:
        """The message type called ``name``, or ``None``."""
        return self._types.get(name)

    def types(self) -> list[str]:
        """Names of all registered types, sorted."""
        return sorted(self._types)

    def validate_payload(self, name: str, payload: Any) -> tuple[BaseModel | None, list[ApiError]]:
        """Validate ``payload`` against the model of type ``name``.

        Return ``(model instance, [])`` or ``(None, errors)``; error fields are
        dotted paths under ``payload``.
        """
        message_type = self._types.get(name)
        if message_type is None:
            return None, [ApiError(UNKNOWN_TYPE, "type", f"Unknown message type {name!r}.")]
        if not isinstance(payload, dict):
            return None, [ApiError(INVALID_TYPE, "payload", "payload must be a JSON object.")]
        try:
            return message_type.model.model_validate(payload), []
        except ValidationError as exc:
            return None, pydantic_errors(exc, "payload")

    def business_key(self, name: str, instance: BaseModel) -> BusinessKey | None:
        """The business key of a validated payload of type ``name``."""
        return self._types[name].business_key(instance)

    def json_schemas(self) -> dict[str, dict[str, Any]]:
        """JSON Schema of every payload, by type name (for ``openapi.json``)."""
        return {name: self._types[name].model.model_json_schema() for name in self.types()}


def register_master_types(registry: MessageTypeRegistry) -> MessageTypeRegistry:
    """Register ``master.vendor``, ``master.project`` and ``master.cost_code``."""
    registry.register(
        "master.vendor",
        VendorPayload,
        "master_vendor",
        lambda payload: ("master.vendor", payload.external_id),
    )
    registry.register(
        "master.project",
        ProjectPayload,
        "master_project",
        lambda payload: ("master.project", payload.code),
    )
    registry.register(
        "master.cost_code",
        CostCodePayload,
        "master_cost_code",
        lambda payload: ("master.cost_code", payload.code),
    )
    return registry


def default_registry() -> MessageTypeRegistry:
    """A new registry holding the master-data types of this module."""
    return register_master_types(MessageTypeRegistry())
