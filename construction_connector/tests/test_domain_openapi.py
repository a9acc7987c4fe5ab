import copy

from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from pydantic import BaseModel

from ..domain import schemas
from ..domain.openapi import API, build_openapi

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


class LinePayload(BaseModel):
    sku: str


class OrderPayload(BaseModel):
    """A payload with a nested model whose name clashes with another module's."""

    lines: list[LinePayload]


class OtherLinePayload(BaseModel):
    hours: float


class TimesheetPayload(BaseModel):
    lines: list[OtherLinePayload]


class TestDomainOpenapi(TestCase):
    def _document(self, extra_types=()):
        registry = schemas.default_registry()
        for name, model in extra_types:
            registry.register(name, model, name.replace(".", "_"), lambda payload: None)
        return build_openapi(registry.json_schemas())

    def test_valid_openapi_3_1(self):
        doc = self._document()
        validate_openapi(copy.deepcopy(doc), cls=OpenAPIV31SpecValidator)
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertEqual(
            set(doc["paths"]),
            {
                f"{API}/messages",
                f"{API}/messages/{{id}}",
                f"{API}/health",
                f"{API}/reconcile",
                f"{API}/openapi.json",
            },
        )

    def test_payloads_come_from_the_pydantic_models(self):
        schemas_ = self._document()["components"]["schemas"]
        self.assertEqual(
            schemas_["Payload.master.vendor"],
            schemas.VendorPayload.model_json_schema(),
            "the document is the model's own JSON Schema",
        )
        project = schemas_["Payload.master.project"]
        self.assertEqual(
            project["properties"]["phases"]["anyOf"][0]["items"],
            {"$ref": "#/components/schemas/Payload.master.project.PhasePayload"},
        )
        self.assertIn("Payload.master.project.PhasePayload", schemas_)
        envelope = schemas_["Message.master.cost_code"]
        self.assertEqual(
            envelope["properties"]["type"], {"type": "string", "const": "master.cost_code"}
        )
        self.assertEqual(envelope["required"], ["source", "type", "idempotency_key", "payload"])

    def test_types_of_other_modules_do_not_clash(self):
        doc = self._document([("po.order", OrderPayload), ("field.hours", TimesheetPayload)])
        validate_openapi(copy.deepcopy(doc), cls=OpenAPIV31SpecValidator)
        schemas_ = doc["components"]["schemas"]
        self.assertEqual(schemas_["Payload.po.order.LinePayload"]["required"], ["sku"])
        self.assertEqual(schemas_["Payload.field.hours.OtherLinePayload"]["required"], ["hours"])
        self.assertEqual(
            [branch["$ref"].rsplit("/", 1)[1] for branch in schemas_["Message"]["oneOf"]],
            [
                "Message.field.hours",
                "Message.master.cost_code",
                "Message.master.project",
                "Message.master.vendor",
                "Message.po.order",
            ],
        )

    def test_every_operation_states_security_and_errors(self):
        doc = self._document()
        for path, item in doc["paths"].items():
            for method, operation in item.items():
                self.assertIn("security", operation, f"{method} {path}")
                for status, response in operation["responses"].items():
                    self.assertIn("application/json", response["content"], f"{path} {status}")
