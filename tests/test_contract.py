"""The integration contract (shared/api-contract.md, version 1) against the
whole suite installed: every message type, event type and endpoint it names
exists, and the OpenAPI document describes them with the contract's required
payload fields. External systems are tested against exactly these names.
"""

from odoo.tests import HttpCase, tagged

API = "/construction/api/v1"

# "Inbound message types": type -> the required payload fields, in order.
CONTRACT_TYPES = {
    "master.vendor": ["external_id", "name"],
    "master.project": ["code", "name"],
    "master.cost_code": ["code", "name", "cost_type"],
    "procurement.requisition": ["external_id", "project", "lines"],
    "procurement.vendor_ack": ["purchase_order"],
    "ap.vendor_bill": [
        "external_id",
        "vendor",
        "invoice_number",
        "invoice_date",
        "lines",
        "amount_total",
    ],
    "field.receipt": ["purchase_order", "lines"],
    "field.timesheet": ["external_id", "project", "cost_code", "date", "hours"],
    "field.daily_log": ["external_id", "project", "date"],
    "field.installed_quantity": ["external_id", "project", "cost_code", "date", "quantity"],
    "field.equipment_usage": ["external_id", "project", "cost_code", "equipment", "date", "hours"],
    "master.budget": ["project", "lines"],
    "master.vendor_compliance": ["vendor", "requirement", "effective_date", "expiry_date"],
}
CONTRACT_EVENTS = {
    "purchase_order.confirmed",
    "purchase_order.changed",
    "purchase_order.cancelled",
    "receipt.validated",
    "vendor_bill.matched",
    "vendor_bill.exception",
    "vendor_bill.posted",
    "vendor_bill.paid",
    "change_order.approved",
    "requisition.approved",
    "requisition.rejected",
    "timesheet.approved",
    "timesheet.rejected",
    "daily_log.approved",
    "vendor.compliance_changed",
}
CONTRACT_PATHS = {
    f"{API}/messages": {"get", "post"},
    f"{API}/messages/{{id}}": {"get"},
    f"{API}/health": {"get"},
    f"{API}/reconcile": {"post"},
    f"{API}/openapi.json": {"get"},
    f"{API}/jobs/{{code}}/cost": {"get"},
    f"{API}/wip": {"get"},
}


@tagged("post_install", "-at_install")
class TestContract(HttpCase):
    def test_every_contract_message_type_is_installed(self):
        registry = self.env["construction.sync.inbound"]._message_type_registry()
        missing = sorted(set(CONTRACT_TYPES) - set(registry.types()))
        self.assertEqual(missing, [], "message types of the contract not installed")

    def test_every_contract_event_type_can_be_subscribed(self):
        from odoo.addons.construction_connector.models.construction_sync_endpoint import (
            EVENT_TYPES,
        )

        self.assertEqual(CONTRACT_EVENTS - set(EVENT_TYPES), set())
        endpoint = self.env["construction.sync.endpoint"].create(
            {
                "name": "Contract",
                "url": "https://example.com/hook",
                "event_types": ",".join(sorted(CONTRACT_EVENTS)),
            }
        )
        self.assertTrue(all(endpoint._wants(event, self.env.company) for event in CONTRACT_EVENTS))

    def test_openapi_documents_the_contract(self):
        response = self.url_open(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        doc = response.json()
        for path, methods in CONTRACT_PATHS.items():
            self.assertIn(path, doc["paths"])
            self.assertEqual(methods - set(doc["paths"][path]), set(), path)
        schemas = doc["components"]["schemas"]
        for type_, required in CONTRACT_TYPES.items():
            schema = schemas[f"Payload.{type_}"]
            self.assertEqual(
                [name for name in schema.get("required", []) if name in required],
                required,
                f"{type_}: the contract's required fields, in its order",
            )
