"""Payload of ``ap.vendor_bill`` (contract: "Inbound message types")."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from odoo.addons.construction_connector.domain.schemas import (
    Amount,
    ExternalId,
    Name,
    OptionalCode,
    OptionalText,
    Payload,
)
from odoo.addons.construction_procurement.domain.schemas import Quantity


class BillLinePayload(Payload):
    quantity: Quantity
    price_unit: Amount
    purchase_line: Annotated[int, Field(ge=0)] | None = None
    product: OptionalCode = None
    description: OptionalText = None
    cost_code: OptionalCode = None
    phase: OptionalCode = None


class VendorBillPayload(Payload):
    """``ap.vendor_bill``: a draft vendor bill, matched on arrival."""

    external_id: ExternalId
    vendor: Name
    invoice_number: Name
    invoice_date: date
    lines: Annotated[list[BillLinePayload], Field(min_length=1, max_length=1000)]
    amount_total: Amount
    purchase_order: OptionalText = None
    due_date: date | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None


def register_ap_types(registry):
    registry.register(
        "ap.vendor_bill",
        VendorBillPayload,
        "ap_vendor_bill",
        lambda p: ("ap.vendor_bill", p.external_id),
    )
    return registry
