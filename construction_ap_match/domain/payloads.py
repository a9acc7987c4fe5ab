"""Payloads of ``ap.vendor_bill`` and ``master.vendor_compliance`` (contract:
"Inbound message types")."""

from __future__ import annotations

import binascii
from base64 import b64decode
from datetime import date
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


class VendorCompliancePayload(Payload):
    """``master.vendor_compliance``: a certificate or waiver waiting for review."""

    vendor: Name
    requirement: Code
    effective_date: date
    expiry_date: date
    external_id: OptionalText = None
    project: OptionalCode = None
    coverage_amount: Amount | None = None
    file: str | None = None
    filename: OptionalText = None
    document_url: Annotated[str | None, Field(max_length=2048)] = None

    @model_validator(mode="after")
    def _check(self):
        if self.expiry_date < self.effective_date:
            raise _field_error(
                "VendorCompliancePayload",
                ("expiry_date",),
                "expiry_date {expiry} is before effective_date {effective}",
                self.expiry_date.isoformat(),
                expiry=self.expiry_date.isoformat(),
                effective=self.effective_date.isoformat(),
            )
        if self.file:
            try:
                b64decode(self.file, validate=True)
            except (binascii.Error, ValueError):
                raise _field_error(
                    "VendorCompliancePayload", ("file",), "file is not base64", "..."
                ) from None
            if not self.filename:
                raise _field_error(
                    "VendorCompliancePayload",
                    ("filename",),
                    "filename is required with file",
                    None,
                )
        return self


def _compliance_key(payload):
    if payload.external_id:
        return ("master.vendor_compliance", payload.external_id)
    return ("master.vendor_compliance", payload.vendor, payload.requirement, payload.project or "")


def register_ap_types(registry):
    registry.register(
        "ap.vendor_bill",
        VendorBillPayload,
        "ap_vendor_bill",
        lambda p: ("ap.vendor_bill", p.external_id),
    )
    registry.register(
        "master.vendor_compliance",
        VendorCompliancePayload,
        "master_vendor_compliance",
        _compliance_key,
    )
    return registry
