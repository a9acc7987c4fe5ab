"""Payloads of the field message types (contract: "Inbound message types").

Every field payload names its record by the ``external_id`` the app gave it;
``"cancelled": true`` withdraws that record, and then only ``external_id`` is
needed (the rest of the payload, when sent, is not checked). Beyond the
contract, every field payload may carry ``device`` (which phone or tablet
sent it: the job shows "synced N minutes ago" per source and device), and
``field.daily_log_photo`` attaches a photo to a log sent earlier.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from odoo.addons.construction_connector.domain.schemas import (
    Code,
    ExternalId,
    Name,
    OptionalCode,
    OptionalText,
    Payload,
    _field_error,
    _text,
)

Hours = Annotated[Decimal, Field(ge=0, le=24, allow_inf_nan=False)]
Quantity = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Temperature = Annotated[Decimal, Field(ge=-90, le=70, allow_inf_nan=False)]
LongText = Annotated[_text(10000) | None, BeforeValidator(lambda v: v or None)]
# base64 of one photo: at most ~7.5 MB decoded (the API takes 10 MiB bodies).
Base64 = _text(10 * 1024 * 1024, min_length=4)
INCIDENT_TYPES = ("injury", "near_miss", "property_damage", "environmental")
MAX_CREW = 200


class FieldPayload(Payload):
    """What every field payload has: the app's id of the record, and cancellation."""

    external_id: ExternalId
    cancelled: bool = False
    device: OptionalText = None

    @model_validator(mode="wrap")
    @classmethod
    def _cancellation_needs_only_the_id(cls, data: Any, handler: Any) -> Any:
        if not (isinstance(data, dict) and data.get("cancelled") is True):
            return handler(data)
        try:
            return handler(data)
        except ValidationError:
            head = CancelPayload.model_validate(data)
            return cls.model_construct(**head.model_dump())


class CancelPayload(Payload):
    external_id: ExternalId
    cancelled: Literal[True]
    device: OptionalText = None


# ----------------------------------------------------------------------
# field.timesheet
# ----------------------------------------------------------------------


class CrewMemberPayload(Payload):
    """One person of a crew entry; what is given overrides the crew's values."""

    employee: Name
    hours: Hours | None = None
    phase: OptionalCode = None
    cost_code: OptionalCode = None
    description: OptionalText = None


def _crew_member(value: Any) -> Any:
    return {"employee": value} if isinstance(value, str) else value


CrewMember = Annotated[CrewMemberPayload, BeforeValidator(_crew_member)]


class TimesheetPayload(FieldPayload):
    """``field.timesheet``: hours of one employee, or of a crew (``employees``)."""

    project: Code
    cost_code: Code
    date: date
    hours: Hours
    employee: OptionalText = None
    employees: Annotated[list[CrewMember], Field(min_length=1, max_length=MAX_CREW)] | None = None
    phase: OptionalCode = None
    description: OptionalText = None

    @model_validator(mode="after")
    def _one_employee_or_a_crew(self) -> TimesheetPayload:
        if self.cancelled:
            return self
        if (self.employee is None) == (self.employees is None):
            raise _field_error(
                "TimesheetPayload",
                ("employee",),
                "Give either employee or employees (a crew), not both and not neither",
                None,
            )
        seen: set[str] = set()
        for index, member in enumerate(self.employees or ()):
            if member.employee in seen:
                raise _field_error(
                    "TimesheetPayload",
                    ("employees", index, "employee"),
                    "Employee {employee} appears more than once in the crew",
                    member.employee,
                    employee=member.employee,
                )
            seen.add(member.employee)
        return self

    def members(self) -> list[CrewMemberPayload]:
        """The people of this entry, each with the hours, phase, cost code and
        description that apply to them."""
        people = self.employees or [CrewMemberPayload(employee=self.employee)]
        return [
            CrewMemberPayload(
                employee=member.employee,
                hours=self.hours if member.hours is None else member.hours,
                phase=member.phase or self.phase,
                cost_code=member.cost_code or self.cost_code,
                description=member.description or self.description,
            )
            for member in people
        ]


# ----------------------------------------------------------------------
# field.daily_log, field.daily_log_photo
# ----------------------------------------------------------------------


class WeatherPayload(Payload):
    conditions: OptionalText = None
    temperature_low: Temperature | None = None
    temperature_high: Temperature | None = None
    precipitation: OptionalText = None
    wind: OptionalText = None
    delay_hours: Hours | None = None

    @model_validator(mode="after")
    def _low_below_high(self) -> WeatherPayload:
        low, high = self.temperature_low, self.temperature_high
        if low is not None and high is not None and low > high:
            raise _field_error(
                "WeatherPayload",
                ("temperature_low",),
                "temperature_low {low} is above temperature_high {high}",
                str(low),
                low=str(low),
                high=str(high),
            )
        return self


def _weather(value: Any) -> Any:
    return {"conditions": value} if isinstance(value, str) else value


class ManpowerPayload(Payload):
    trade: Name
    headcount: Annotated[int, Field(ge=0, le=10000)]
    hours: Quantity = Decimal(0)
    subcontractor: OptionalText = None


class IncidentPayload(Payload):
    description: Annotated[str, _text(10000, min_length=1)]
    type: Literal[INCIDENT_TYPES] | None = None  # type: ignore[valid-type]
    people_involved: OptionalText = None
    action_taken: LongText = None


def _incident(value: Any) -> Any:
    return {"description": value} if isinstance(value, str) else value


class PhotoPayload(Payload):
    filename: Name
    content: Base64
    caption: OptionalText = None


class DailyLogPayload(FieldPayload):
    """``field.daily_log``: the daily report of one job, date and author."""

    project: Code
    date: date
    author: OptionalText = None
    weather: Annotated[WeatherPayload | None, BeforeValidator(_weather)] = None
    manpower: Annotated[list[ManpowerPayload], Field(max_length=500)] | None = None
    work_performed: LongText = None
    deliveries: LongText = None
    visitors: LongText = None
    delays: LongText = None
    notes: LongText = None
    incidents: (
        Annotated[
            list[Annotated[IncidentPayload, BeforeValidator(_incident)]], Field(max_length=100)
        ]
        | None
    ) = None
    photos: Annotated[list[PhotoPayload], Field(max_length=20)] | None = None


class DailyLogPhotoPayload(FieldPayload):
    """``field.daily_log_photo``: a photo of a daily log sent earlier (by its
    ``external_id``), for apps that send photos once they have signal."""

    daily_log: ExternalId
    filename: Name
    content: Base64
    caption: OptionalText = None


# ----------------------------------------------------------------------
# field.installed_quantity, field.equipment_usage
# ----------------------------------------------------------------------


class InstalledQuantityPayload(FieldPayload):
    """``field.installed_quantity``: units installed on one day against a budget line."""

    project: Code
    cost_code: Code
    date: date
    quantity: Quantity
    phase: OptionalCode = None
    uom: OptionalText = None
    notes: LongText = None


class EquipmentUsagePayload(FieldPayload):
    """``field.equipment_usage``: hours of one piece of equipment on a job."""

    project: Code
    cost_code: Code
    equipment: Code
    date: date
    hours: Hours
    phase: OptionalCode = None
    employee: OptionalText = None
    description: OptionalText = None


FIELD_TYPES = {
    "field.timesheet": (TimesheetPayload, "field_timesheet"),
    "field.daily_log": (DailyLogPayload, "field_daily_log"),
    "field.daily_log_photo": (DailyLogPhotoPayload, "field_daily_log_photo"),
    "field.installed_quantity": (InstalledQuantityPayload, "field_installed_quantity"),
    "field.equipment_usage": (EquipmentUsagePayload, "field_equipment_usage"),
}


def register_field_types(registry):
    """Register the field message types; the business key is the app's record id."""
    for name, (model, handler) in FIELD_TYPES.items():
        registry.register(
            name, model, handler, lambda payload, name=name: (name, payload.external_id)
        )
    return registry


__all__ = ["Name", "register_field_types"]
