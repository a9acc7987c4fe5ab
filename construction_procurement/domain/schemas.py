"""Payloads of the procurement message types (contract: "Inbound message types")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from odoo.addons.construction_connector.domain.schemas import (
    Amount,
    Code,
    ExternalId,
    Name,
    OptionalCode,
    OptionalText,
    Payload,
    _field_error,
)

Quantity = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]


class RequisitionLinePayload(Payload):
    cost_code: Code
    description: Name
    quantity: Quantity
    product: OptionalCode = None
    uom: OptionalText = None
    estimated_unit_cost: Amount | None = None
    vendor: OptionalText = None


class RequisitionPayload(Payload):
    """``procurement.requisition``: a material requisition waiting for approval."""

    external_id: ExternalId
    project: Code
    lines: Annotated[list[RequisitionLinePayload], Field(min_length=1, max_length=500)]
    phase: OptionalCode = None
    needed_by: date | None = None


class VendorAckPayload(Payload):
    """``procurement.vendor_ack``: the vendor's acknowledgement of a purchase order."""

    purchase_order: Name
    vendor_reference: OptionalText = None
    promised_date: date | None = None


class ReceiptLinePayload(Payload):
    quantity: Quantity
    product: OptionalCode = None
    purchase_line: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _product_or_line(self) -> ReceiptLinePayload:
        if self.product is None and self.purchase_line is None:
            raise _field_error(
                "ReceiptLinePayload",
                ("product",),
                "Give the product or the purchase_line of the received line",
                None,
            )
        return self


class ReceiptPayload(Payload):
    """``field.receipt``: goods or work received on site against a purchase order."""

    purchase_order: Name
    lines: Annotated[list[ReceiptLinePayload], Field(min_length=1, max_length=500)]
    received_at: datetime | None = None
    received_by: OptionalText = None
    external_id: OptionalText = None


def register_procurement_types(registry):
    registry.register(
        "procurement.requisition",
        RequisitionPayload,
        "procurement_requisition",
        lambda p: ("procurement.requisition", p.external_id),
    )
    registry.register(
        "procurement.vendor_ack",
        VendorAckPayload,
        "procurement_vendor_ack",
        lambda p: ("procurement.vendor_ack", p.purchase_order),
    )
    registry.register(
        "field.receipt",
        ReceiptPayload,
        "field_receipt",
        # Receipts add up: each is its own business key.
        lambda p: None,
    )
    return registry
