import doctest
from typing import Annotated

from pydantic import BaseModel, StringConstraints, ValidationError

from ..domain import errors
from ..domain.errors import ApiError, PermanentError, RequestError, TransientError, pydantic_errors

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


class _Line(BaseModel):
    quantity: float


class _Doc(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5)]
    lines: list[_Line]


def _errors(data, prefix="payload"):
    try:
        _Doc.model_validate(data)
    except ValidationError as exc:
        return pydantic_errors(exc, prefix)
    raise AssertionError("no validation error")


class TestDomainErrors(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(errors).failed, 0)

    def test_codes_of_the_contract(self):
        self.assertEqual(
            sorted(errors.ERROR_CODES),
            [
                "forbidden_company",
                "idempotency_conflict",
                "invalid_type",
                "invalid_value",
                "payload_invalid",
                "required",
                "too_long",
                "unknown_reference",
                "unknown_source",
                "unknown_type",
            ],
        )

    def test_as_dict(self):
        error = ApiError("unknown_reference", "payload.project", "Project J-9 does not exist.")
        self.assertEqual(
            error.as_dict(),
            {
                "code": "unknown_reference",
                "field": "payload.project",
                "message": "Project J-9 does not exist.",
            },
        )
        self.assertEqual(
            ApiError("payload_invalid", None, "x").as_dict(),
            {"code": "payload_invalid", "field": None, "message": "x"},
        )

    def test_nested_field_path_and_message(self):
        found = _errors({"name": "ok", "lines": [{"quantity": "many"}]})
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0].code, "invalid_type")
        self.assertEqual(found[0].field, "payload.lines.0.quantity")
        self.assertEqual(found[0].message, "payload.lines.0.quantity must be a number.")

    def test_every_error_is_reported(self):
        found = _errors({"name": "too long name", "lines": [{"quantity": 1}, {}]})
        self.assertEqual(
            [(e.code, e.field) for e in found],
            [("too_long", "payload.name"), ("required", "payload.lines.1.quantity")],
        )
        self.assertEqual(found[1].message, "payload.lines.1.quantity is required.")

    def test_empty_and_null_strings_are_required(self):
        found = _errors({"name": "   ", "lines": []})
        self.assertEqual([(e.code, e.field) for e in found], [("required", "payload.name")])
        self.assertEqual(found[0].message, "payload.name is required and may not be empty.")
        found = _errors({"name": None, "lines": []})
        self.assertEqual([(e.code, e.field) for e in found], [("required", "payload.name")])
        self.assertEqual(found[0].message, "payload.name is required.")

    def test_prefix(self):
        found = _errors({"lines": []}, prefix="")
        self.assertEqual(found[0].field, "name")
        found = _errors([], prefix="payload")
        self.assertEqual((found[0].code, found[0].field), ("invalid_type", "payload"))

    def test_permanent_and_transient(self):
        error = ApiError("unknown_reference", "payload.vendor", "Vendor V-9 does not exist.")
        exc = PermanentError([error])
        self.assertEqual(exc.errors, [error])
        self.assertEqual(str(exc), "Vendor V-9 does not exist.")
        self.assertEqual(PermanentError(error).errors, [error])
        self.assertTrue(issubclass(TransientError, Exception))
        self.assertFalse(issubclass(TransientError, PermanentError))

    def test_request_error_is_status_and_error(self):
        error = ApiError("required", "messages", "messages is required.")
        status, got = RequestError(400, error)
        self.assertEqual((status, got), (400, error))
