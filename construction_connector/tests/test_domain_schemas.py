import doctest
from decimal import Decimal

from pydantic import BaseModel

from ..domain import schemas
from ..domain.schemas import (
    COST_TYPES,
    CostCodePayload,
    MessageTypeRegistry,
    ProjectPayload,
    VendorPayload,
    default_registry,
)

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


class TestDomainSchemas(TestCase):
    def setUp(self):
        super().setUp()
        self.registry = default_registry()

    def errors(self, type_name, payload):
        instance, errors = self.registry.validate_payload(type_name, payload)
        self.assertIsNone(instance)
        return [(error.code, error.field) for error in errors]

    def test_doctests(self):
        self.assertEqual(doctest.testmod(schemas).failed, 0)

    def test_registry(self):
        self.assertEqual(
            self.registry.types(), ["master.cost_code", "master.project", "master.vendor"]
        )
        vendor = self.registry.get("master.vendor")
        self.assertEqual((vendor.model, vendor.handler), (VendorPayload, "master_vendor"))
        self.assertIsNone(self.registry.get("field.timesheet"))
        with self.assertRaises(ValueError):
            self.registry.register("master.vendor", VendorPayload, "x", lambda p: None)
        self.registry.register("master.vendor", VendorPayload, "x", lambda p: None, replace=True)
        self.assertEqual(self.registry.get("master.vendor").handler, "x")
        self.assertEqual(default_registry().get("master.vendor").handler, "master_vendor")

    def test_registry_of_other_types(self):
        class Ack(BaseModel):
            purchase_order: str

        registry = MessageTypeRegistry()
        registry.register(
            "procurement.vendor_ack", Ack, "vendor_ack", lambda p: ("po", p.purchase_order)
        )
        instance, errors = registry.validate_payload(
            "procurement.vendor_ack", {"purchase_order": "P00042"}
        )
        self.assertEqual(errors, [])
        self.assertEqual(
            registry.business_key("procurement.vendor_ack", instance), ("po", "P00042")
        )

    def test_unknown_type_and_bad_payload(self):
        instance, errors = self.registry.validate_payload("field.nothing", {})
        self.assertIsNone(instance)
        self.assertEqual(
            [error.as_dict() for error in errors],
            [
                {
                    "code": "unknown_type",
                    "field": "type",
                    "message": "Unknown message type 'field.nothing'.",
                }
            ],
        )
        self.assertEqual(self.errors("master.vendor", []), [("invalid_type", "payload")])

    def test_vendor(self):
        instance, errors = self.registry.validate_payload(
            "master.vendor",
            {
                "external_id": " V-1001 ",
                "name": "  Béton Nord SA ",
                "vat": "FR40303265045",
                "email": "ap@beton-nord.example",
                "phone": "",
                "street": "<b>1 rue</b>'; DROP TABLE res_partner;--",
                "country_code": "fr",
                "future_field": {"ignored": True},
            },
        )
        self.assertEqual(errors, [])
        self.assertEqual(instance.external_id, "V-1001")
        self.assertEqual(instance.name, "Béton Nord SA")
        self.assertEqual(instance.country_code, "FR")
        self.assertIsNone(instance.phone)
        self.assertIsNone(instance.city)
        self.assertEqual(instance.street, "<b>1 rue</b>'; DROP TABLE res_partner;--")
        self.assertFalse(hasattr(instance, "future_field"))
        self.assertEqual(
            instance.model_dump(exclude_unset=True),
            {
                "external_id": "V-1001",
                "name": "Béton Nord SA",
                "vat": "FR40303265045",
                "email": "ap@beton-nord.example",
                "phone": None,
                "street": "<b>1 rue</b>'; DROP TABLE res_partner;--",
                "country_code": "FR",
            },
        )
        self.assertEqual(
            self.registry.business_key("master.vendor", instance), ("master.vendor", "V-1001")
        )

    def test_vendor_errors(self):
        self.assertEqual(
            self.errors("master.vendor", {}),
            [("required", "payload.external_id"), ("required", "payload.name")],
        )
        self.assertEqual(
            self.errors(
                "master.vendor",
                {
                    "external_id": 42,
                    "name": "n" * 256,
                    "email": "not an email",
                    "country_code": "FRA",
                    "city": "c" * 256,
                    "vat": "v" * 65,
                },
            ),
            [
                ("invalid_type", "payload.external_id"),
                ("too_long", "payload.name"),
                ("too_long", "payload.vat"),
                ("invalid_value", "payload.email"),
                ("too_long", "payload.city"),
                ("invalid_value", "payload.country_code"),
            ],
        )
        _instance, errors = self.registry.validate_payload(
            "master.vendor", {"external_id": "V", "name": "N", "country_code": "F1"}
        )
        self.assertEqual(
            errors[0].message,
            "payload.country_code: F1 is not a two-letter ISO 3166 country code such as US.",
        )
        self.assertEqual(
            self.errors("master.vendor", {"external_id": "V", "name": "a\x00b"}),
            [("invalid_value", "payload.name")],
        )

    def test_length_limits(self):
        ok, errors = self.registry.validate_payload(
            "master.cost_code", {"code": "c" * 64, "name": "n" * 255, "cost_type": "labor"}
        )
        self.assertEqual(errors, [])
        self.assertEqual((len(ok.code), len(ok.name)), (64, 255))
        self.assertEqual(
            self.errors(
                "master.cost_code", {"code": "c" * 65, "name": "n" * 256, "cost_type": "labor"}
            ),
            [("too_long", "payload.code"), ("too_long", "payload.name")],
        )

    def test_project(self):
        instance, errors = self.registry.validate_payload(
            "master.project",
            {
                "code": "J-1001",
                "name": "Riverside Clinic",
                "customer": "City of Springfield",
                "contract_value": 1250000.10,
                "retention_percent": "10",
                "phases": [{"code": "P1", "name": "Foundations"}, {"code": "P2", "name": "Frame"}],
            },
        )
        self.assertEqual(errors, [])
        self.assertIsInstance(instance, ProjectPayload)
        self.assertEqual(instance.contract_value, Decimal("1250000.1"))
        self.assertEqual(instance.retention_percent, Decimal("10"))
        self.assertEqual([phase.code for phase in instance.phases], ["P1", "P2"])
        self.assertEqual(
            self.registry.business_key("master.project", instance), ("master.project", "J-1001")
        )
        minimal, errors = self.registry.validate_payload(
            "master.project", {"code": "J", "name": "N"}
        )
        self.assertEqual((errors, minimal.phases, minimal.contract_value), ([], None, None))

    def test_project_duplicate_phase(self):
        payload = {
            "code": "J-1001",
            "name": "Riverside Clinic",
            "phases": [{"code": "P1", "name": "A"}, {"code": " P1 ", "name": "B"}],
        }
        instance, errors = self.registry.validate_payload("master.project", payload)
        self.assertIsNone(instance)
        self.assertEqual(
            [error.as_dict() for error in errors],
            [
                {
                    "code": "invalid_value",
                    "field": "payload.phases.1.code",
                    "message": "payload.phases.1.code: Phase code P1 appears more than once "
                    "in phases.",
                }
            ],
        )

    def test_project_errors(self):
        self.assertEqual(
            self.errors(
                "master.project",
                {
                    "code": "",
                    "name": "N",
                    "contract_value": -1,
                    "retention_percent": 100.5,
                    "phases": [{"code": "P1", "name": "A"}, {"name": "B"}, "P3"],
                },
            ),
            [
                ("required", "payload.code"),
                ("invalid_value", "payload.contract_value"),
                ("invalid_value", "payload.retention_percent"),
                ("required", "payload.phases.1.code"),
                ("invalid_type", "payload.phases.2"),
            ],
        )
        for bad in (True, "NaN", "Infinity", "lots", [1]):
            codes = self.errors("master.project", {"code": "J", "name": "N", "contract_value": bad})
            self.assertEqual(len(codes), 1, bad)
            self.assertEqual(codes[0][1], "payload.contract_value")
        for fine in (0, "0", 100, 37.5):
            _instance, errors = self.registry.validate_payload(
                "master.project", {"code": "J", "name": "N", "retention_percent": fine}
            )
            self.assertEqual(errors, [], fine)
        self.assertEqual(
            self.errors("master.project", {"code": "J", "name": "N", "phases": {"P1": "A"}}),
            [("invalid_type", "payload.phases")],
        )

    def test_cost_code(self):
        self.assertEqual(COST_TYPES, ("labor", "material", "subcontract", "equipment", "other"))
        for cost_type in COST_TYPES:
            instance, errors = self.registry.validate_payload(
                "master.cost_code", {"code": "03-300", "name": "Concrete", "cost_type": cost_type}
            )
            self.assertEqual((errors, instance.cost_type), ([], cost_type))
        instance, errors = self.registry.validate_payload(
            "master.cost_code",
            {"code": "03-310", "name": "Rebar", "cost_type": " Material ", "parent_code": "03-300"},
        )
        self.assertEqual(errors, [])
        self.assertIsInstance(instance, CostCodePayload)
        self.assertEqual((instance.cost_type, instance.parent_code), ("material", "03-300"))
        self.assertEqual(
            self.registry.business_key("master.cost_code", instance),
            ("master.cost_code", "03-310"),
        )

    def test_cost_code_errors(self):
        self.assertEqual(
            self.errors("master.cost_code", {"code": "03-300", "name": "Concrete"}),
            [("required", "payload.cost_type")],
        )
        self.assertEqual(
            self.errors(
                "master.cost_code", {"code": "03-300", "name": "Concrete", "cost_type": "labour"}
            ),
            [("invalid_value", "payload.cost_type")],
        )
        instance, errors = self.registry.validate_payload(
            "master.cost_code",
            {"code": "03-300", "name": "Concrete", "cost_type": "labor", "parent_code": "03-300"},
        )
        self.assertIsNone(instance)
        self.assertEqual(
            [error.as_dict() for error in errors],
            [
                {
                    "code": "invalid_value",
                    "field": "payload.parent_code",
                    "message": "payload.parent_code: Cost code 03-300 cannot be its own parent.",
                }
            ],
        )

    def test_json_schemas(self):
        found = self.registry.json_schemas()
        self.assertEqual(list(found), ["master.cost_code", "master.project", "master.vendor"])
        self.assertEqual(found["master.vendor"]["required"], ["external_id", "name"])
        self.assertEqual(found["master.cost_code"]["required"], ["code", "name", "cost_type"])
