import dataclasses
import doctest
import json
from datetime import datetime

from ..domain import envelope
from ..domain.envelope import (
    MAX_BATCH,
    MAX_BODY_BYTES,
    MAX_KEY_LEN,
    MAX_PAYLOAD_DEPTH,
    Envelope,
    as_text,
    find_unstorable,
    parse_body,
    storable,
    validate_batch,
    validate_envelope,
)
from ..domain.errors import RequestError

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


def _message(**changes):
    message = {
        "source": "fieldapp",
        "type": "field.timesheet",
        "idempotency_key": "7c0e6d0e-1b6a-4c55-9f55-0d7d2f0b8e11",
        "occurred_at": "2026-11-20T14:03:00Z",
        "correlation_id": "optional free text, kept and echoed",
        "company": "Acme Builders",
        "payload": {"external_id": "T-1", "hours": 8},
    }
    message.update(changes)
    return {key: value for key, value in message.items() if value is not ...}


class TestDomainEnvelope(TestCase):
    def assert_field_errors(self, raw, expected):
        """``expected``: list of (code, field) of the errors of ``raw``."""
        result, errors = validate_envelope(raw)
        self.assertIsNone(result)
        self.assertEqual([(error.code, error.field) for error in errors], expected)
        return errors

    def test_doctests(self):
        self.assertEqual(doctest.testmod(envelope).failed, 0)

    def test_constants(self):
        self.assertEqual((MAX_BATCH, MAX_BODY_BYTES, MAX_KEY_LEN), (1000, 10485760, 255))

    def test_contract_example(self):
        result, errors = validate_envelope(_message())
        self.assertEqual(errors, [])
        self.assertEqual(
            result,
            Envelope(
                source="fieldapp",
                type="field.timesheet",
                idempotency_key="7c0e6d0e-1b6a-4c55-9f55-0d7d2f0b8e11",
                payload={"external_id": "T-1", "hours": 8},
                occurred_at=datetime(2026, 11, 20, 14, 3),
                correlation_id="optional free text, kept and echoed",
                company="Acme Builders",
            ),
        )
        self.assertEqual(result.payload, {"external_id": "T-1", "hours": 8})

    def test_envelope_is_frozen(self):
        result, _errors = validate_envelope(_message())
        with self.assertRaises(dataclasses.FrozenInstanceError):
            result.source = "other"

    def test_optional_members(self):
        raw = _message(occurred_at=..., correlation_id=None, company=...)
        result, errors = validate_envelope(raw)
        self.assertEqual(errors, [])
        self.assertEqual((result.occurred_at, result.correlation_id, result.company), (None,) * 3)

    def test_occurred_at_is_naive_utc(self):
        cases = {
            "2026-11-20T14:03:00Z": datetime(2026, 11, 20, 14, 3),
            "2026-11-20T15:03:00+01:00": datetime(2026, 11, 20, 14, 3),
            "2026-11-20T09:03:00.250-05:00": datetime(2026, 11, 20, 14, 3, 0, 250000),
            "2026-11-20T14:03:00": datetime(2026, 11, 20, 14, 3),
            "2026-11-21T00:30:00+02:00": datetime(2026, 11, 20, 22, 30),
        }
        for text, expected in cases.items():
            result, errors = validate_envelope(_message(occurred_at=text))
            self.assertEqual(errors, [], text)
            self.assertEqual(result.occurred_at, expected, text)
            self.assertIsNone(result.occurred_at.tzinfo)

    def test_bad_occurred_at(self):
        for value in ("yesterday", "2026-11-20", "2026-13-01T00:00:00Z", ""):
            errors = self.assert_field_errors(
                _message(occurred_at=value), [("invalid_value", "occurred_at")]
            )
            self.assertIn("ISO-8601", errors[0].message)
        self.assert_field_errors(
            _message(occurred_at=1763647380), [("invalid_type", "occurred_at")]
        )

    def test_not_an_object(self):
        for raw in (None, [], "fieldapp", 17, [_message()]):
            errors = self.assert_field_errors(raw, [("invalid_type", None)])
            self.assertEqual(errors[0].message, "Each message must be a JSON object.")

    def test_missing_members(self):
        errors = self.assert_field_errors(
            {},
            [
                ("required", "source"),
                ("required", "type"),
                ("required", "idempotency_key"),
                ("required", "payload"),
            ],
        )
        self.assertEqual(errors[2].message, "idempotency_key is required.")

    def test_wrong_types(self):
        raw = _message(
            source=12,
            type=["field.timesheet"],
            idempotency_key=7,
            correlation_id={"a": 1},
            company=True,
            payload=[],
        )
        self.assert_field_errors(
            raw,
            [
                ("invalid_type", "source"),
                ("invalid_type", "type"),
                ("invalid_type", "idempotency_key"),
                ("invalid_type", "correlation_id"),
                ("invalid_type", "company"),
                ("invalid_type", "payload"),
            ],
        )

    def test_idempotency_key_length(self):
        result, errors = validate_envelope(_message(idempotency_key="k" * 255))
        self.assertEqual((errors, len(result.idempotency_key)), ([], 255))
        errors = self.assert_field_errors(
            _message(idempotency_key="k" * 256), [("too_long", "idempotency_key")]
        )
        self.assertEqual(errors[0].message, "idempotency_key is longer than 255 characters.")
        self.assert_field_errors(_message(idempotency_key=""), [("required", "idempotency_key")])
        self.assert_field_errors(_message(idempotency_key="  "), [("required", "idempotency_key")])

    def test_key_and_correlation_kept_as_sent(self):
        result, _errors = validate_envelope(
            _message(source=" fieldapp ", idempotency_key=" k1 ", correlation_id=" c ")
        )
        self.assertEqual((result.source, result.idempotency_key), ("fieldapp", " k1 "))
        self.assertEqual(result.correlation_id, " c ")

    def test_other_lengths(self):
        self.assert_field_errors(
            _message(correlation_id="c" * 256), [("too_long", "correlation_id")]
        )
        self.assert_field_errors(_message(source="s" * 256), [("too_long", "source")])
        self.assert_field_errors(_message(source=""), [("required", "source")])

    def test_company(self):
        self.assertEqual(validate_envelope(_message(company=3))[0].company, 3)
        self.assertEqual(validate_envelope(_message(company="  Acme  "))[0].company, "Acme")
        self.assertIsNone(validate_envelope(_message(company=""))[0].company)
        self.assert_field_errors(_message(company=0), [("invalid_value", "company")])
        self.assert_field_errors(_message(company=1.5), [("invalid_type", "company")])

    def test_unknown_members_are_ignored(self):
        result, errors = validate_envelope(_message(priority="high", extra={"x": 1}))
        self.assertEqual(errors, [])
        self.assertEqual(result.type, "field.timesheet")

    def test_markup_is_data(self):
        raw = _message(correlation_id="<script>alert(1)</script>'; DROP TABLE x;--")
        result, errors = validate_envelope(raw)
        self.assertEqual(errors, [])
        self.assertEqual(result.correlation_id, "<script>alert(1)</script>'; DROP TABLE x;--")

    def test_nul_characters_are_refused(self):
        payload = {"lines": [{"note": "ok"}, {"note": "a\x00b"}]}
        errors = self.assert_field_errors(
            _message(payload=payload), [("invalid_value", "payload.lines.1.note")]
        )
        self.assertIn("NUL", errors[0].message)
        self.assert_field_errors(
            _message(payload={"a\x00": 1}), [("invalid_value", "payload.a\x00")]
        )
        self.assert_field_errors(
            _message(idempotency_key="k\x00"), [("invalid_value", "idempotency_key")]
        )

    def test_unstorable_payloads_are_refused(self):
        """What PostgreSQL cannot store, found by the API fuzzing: unpaired
        surrogates (a lone ``\\ud800`` escape), 1e400 (infinity), absurd nesting."""
        surrogate = json.loads('"a\\ud800"')
        cases = [
            ({"name": surrogate}, "payload.name", "unpaired UTF-16 surrogate"),
            ({surrogate: 1}, f"payload.{surrogate}", "unpaired UTF-16 surrogate"),
            (json.loads('{"rating": 1e400}'), "payload.rating", "not a finite number"),
            ({"v": [float("-inf")]}, "payload.v.0", "not a finite number"),
        ]
        for payload, field, text in cases:
            errors = self.assert_field_errors(_message(payload=payload), [("invalid_value", field)])
            self.assertIn(text, errors[0].message)
        self.assert_field_errors(
            _message(correlation_id=surrogate), [("invalid_value", "correlation_id")]
        )
        nested = inner = {}
        for _level in range(MAX_PAYLOAD_DEPTH):
            inner["x"] = {}
            inner = inner["x"]
        errors = self.assert_field_errors(
            _message(payload=nested), [("invalid_value", "payload" + ".x" * MAX_PAYLOAD_DEPTH)]
        )
        self.assertIn(f"nests deeper than {MAX_PAYLOAD_DEPTH} levels", errors[0].message)
        # One level less is fine, and the check is iterative: any depth is looked at.
        self.assertIsNone(find_unstorable(nested["x"]))
        very_deep = []
        for _level in range(5000):
            very_deep = [very_deep]
        self.assertIsNotNone(find_unstorable(very_deep))

    def test_storable_copy_of_a_rejected_message(self):
        surrogate = json.loads('"\\udc00"')
        payload = {"a\x00": [float("inf"), surrogate, 1, None, {"b": "ok"}]}
        self.assertEqual(storable(payload), {"a\ufffd": ["inf", "\ufffd", 1, None, {"b": "ok"}]})
        self.assertIs(storable({"fine": [1, "x"]})["fine"][1], "x")
        self.assertIsNone(storable(json.loads("[" * 100 + "]" * 100)))
        self.assertEqual(
            [as_text(v) for v in ("k\x00", 3, 2.5, True, None, [1], {"a": 1})],
            ["k\ufffd", "3", "2.5", "True", "", "", ""],
        )
        self.assertEqual(len(as_text("x" * 300)), 255)

    def test_batch_limits(self):
        message = _message()
        self.assertEqual(len(validate_batch({"messages": [message]})), 1)
        self.assertEqual(len(validate_batch({"messages": [message] * 1000})), 1000)
        refused = validate_batch({"messages": [message] * 1001})
        self.assertIsInstance(refused, RequestError)
        self.assertEqual((refused.status, refused.error.code), (413, "too_long"))
        self.assertEqual(refused.error.field, "messages")
        self.assertIn("1001", refused.error.message)

    def test_batch_refused_with_400(self):
        cases = [
            ([], ("invalid_type", None)),
            ("messages", ("invalid_type", None)),
            (None, ("invalid_type", None)),
            ({}, ("required", "messages")),
            ({"message": []}, ("required", "messages")),
            ({"messages": {"0": {}}}, ("invalid_type", "messages")),
            ({"messages": None}, ("invalid_type", "messages")),
            ({"messages": []}, ("invalid_value", "messages")),
        ]
        for body, (code, field) in cases:
            refused = validate_batch(body)
            self.assertIsInstance(refused, RequestError, body)
            self.assertEqual(
                (refused.status, refused.error.code, refused.error.field), (400, code, field)
            )

    def test_batch_does_not_look_inside_messages(self):
        self.assertEqual(validate_batch({"messages": [1, "x"]}), [1, "x"])

    def test_parse_body(self):
        self.assertEqual(
            parse_body(b'{"messages": [{"a": "\xc3\xa9"}]}'), {"messages": [{"a": "é"}]}
        )
        for raw in (b"", b"{", b"\xff\xfe{", b'{"a": NaN}', b'{"a": Infinity}', b"[" * 100000):
            refused = parse_body(raw)
            self.assertIsInstance(refused, RequestError, raw[:20])
            self.assertEqual((refused.status, refused.error.code), (400, "payload_invalid"))

    def test_parse_body_size(self):
        body = json.dumps({"messages": [], "pad": ""}).encode()
        exactly = body[:-2] + b" " * (MAX_BODY_BYTES - len(body)) + body[-2:]
        self.assertEqual(len(exactly), MAX_BODY_BYTES)
        self.assertEqual(parse_body(exactly)["messages"], [])
        refused = parse_body(exactly + b" ")
        self.assertEqual((refused.status, refused.error.code), (413, "too_long"))
