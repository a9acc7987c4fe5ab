import doctest

from ..domain import reconcile
from ..domain.errors import ApiError, RequestError
from ..domain.reconcile import (
    MAX_RECONCILE_KEYS,
    ReconcileRequest,
    summarize,
    validate_reconcile_body,
)

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

ZERO = {
    "unknown": 0,
    "pending": 0,
    "processing": 0,
    "done": 0,
    "failed": 0,
    "dead": 0,
    "rejected": 0,
}


class TestDomainReconcile(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(reconcile).failed, 0)

    def test_summary(self):
        error = ApiError("unknown_reference", "payload.project", "Project J-9 does not exist.")
        found = {
            "k1": (11, "done", []),
            "k2": (12, "dead", [error]),
            "k3": (13, "pending", []),
            "k5": (15, "rejected", [{"code": "required", "field": "type", "message": "m"}]),
            "k6": (16, "done", []),
            "unasked": (99, "failed", []),
        }
        answer = summarize(["k5", "k1", "k4", "k2", "k0", "k3", "k6", "k4"], found, "fieldapp")
        self.assertEqual(list(answer), ["source", "counts", "unknown", "not_done"])
        self.assertEqual(answer["source"], "fieldapp")
        self.assertEqual(
            answer["counts"], dict(ZERO, unknown=2, pending=1, done=2, dead=1, rejected=1)
        )
        self.assertEqual(list(answer["counts"]), list(ZERO))
        self.assertEqual(answer["unknown"], ["k4", "k0"])
        self.assertEqual(
            answer["not_done"],
            [
                {
                    "idempotency_key": "k5",
                    "id": 15,
                    "state": "rejected",
                    "errors": [{"code": "required", "field": "type", "message": "m"}],
                },
                {
                    "idempotency_key": "k2",
                    "id": 12,
                    "state": "dead",
                    "errors": [
                        {
                            "code": "unknown_reference",
                            "field": "payload.project",
                            "message": "Project J-9 does not exist.",
                        }
                    ],
                },
                {"idempotency_key": "k3", "id": 13, "state": "pending", "errors": []},
            ],
        )

    def test_all_done_and_all_unknown(self):
        answer = summarize(["a", "b"], {"a": (1, "done", []), "b": (2, "done", None)})
        self.assertEqual(answer, {"counts": dict(ZERO, done=2), "unknown": [], "not_done": []})
        answer = summarize(["a", "b"], {})
        self.assertEqual(answer["counts"], dict(ZERO, unknown=2))
        self.assertEqual(answer["unknown"], ["a", "b"])

    def test_unknown_state_is_a_bug(self):
        with self.assertRaises(ValueError):
            summarize(["a"], {"a": (1, "archived", [])})

    def test_valid_body(self):
        result = validate_reconcile_body(
            {"source": " fieldapp ", "idempotency_keys": ["b", "a", "b"], "extra": 1}
        )
        self.assertEqual(result, ReconcileRequest("fieldapp", ["b", "a"]))
        source, keys = result
        self.assertEqual((source, keys), ("fieldapp", ["b", "a"]))

    def _refused(self, body, status, code, field):
        result = validate_reconcile_body(body)
        self.assertIsInstance(result, RequestError, body)
        self.assertEqual(
            (result.status, result.error.code, result.error.field), (status, code, field)
        )
        return result.error

    def test_source(self):
        self._refused({"idempotency_keys": ["a"]}, 422, "required", "source")
        self._refused({"source": "", "idempotency_keys": ["a"]}, 422, "required", "source")
        self._refused({"source": None, "idempotency_keys": ["a"]}, 422, "required", "source")
        self._refused({"source": 3, "idempotency_keys": ["a"]}, 422, "invalid_type", "source")

    def test_keys(self):
        self._refused({"source": "s"}, 422, "required", "idempotency_keys")
        self._refused(
            {"source": "s", "idempotency_keys": "a"}, 422, "invalid_type", "idempotency_keys"
        )
        self._refused(
            {"source": "s", "idempotency_keys": []}, 422, "invalid_value", "idempotency_keys"
        )
        error = self._refused(
            {"source": "s", "idempotency_keys": ["a", "b", "c", 4, None]},
            422,
            "invalid_type",
            "idempotency_keys.3",
        )
        self.assertEqual(error.message, "idempotency_keys.3 must be a string.")

    def test_keys_no_stored_key_can_hold(self):
        error = self._refused(
            {"source": "s", "idempotency_keys": ["a", "b\x00"]},
            422,
            "invalid_value",
            "idempotency_keys.1",
        )
        self.assertIn("NUL", error.message)
        surrogate = "\ud800"
        self._refused(
            {"source": "s", "idempotency_keys": [surrogate]},
            422,
            "invalid_value",
            "idempotency_keys.0",
        )
        self._refused(
            {"source": "s\x00", "idempotency_keys": ["a"]}, 422, "invalid_value", "source"
        )

    def test_key_count_limit(self):
        self.assertEqual(MAX_RECONCILE_KEYS, 10000)
        keys = [f"k{n}" for n in range(10000)]
        result = validate_reconcile_body({"source": "s", "idempotency_keys": keys})
        self.assertEqual(len(result.keys), 10000)
        error = self._refused(
            {"source": "s", "idempotency_keys": [*keys, "one more"]},
            413,
            "too_long",
            "idempotency_keys",
        )
        self.assertIn("10001", error.message)

    def test_body_not_an_object(self):
        for body in (None, [], "x", 3):
            self._refused(body, 400, "invalid_type", None)
