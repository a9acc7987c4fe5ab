import doctest
import hashlib

from ..domain import fingerprint
from ..domain.fingerprint import canonical_json, payload_fingerprint

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


class TestDomainFingerprint(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(fingerprint).failed, 0)

    def test_canonical_text(self):
        payload = {"name": "Béton Nord", "code": "V-1", "tags": [1, 2.5, None, True]}
        self.assertEqual(
            canonical_json(payload),
            '{"code":"V-1","name":"Béton Nord","tags":[1,2.5,null,true]}'.encode(),
        )

    def test_sha256_of_canonical_text(self):
        payload = {"b": {"y": 2, "x": 1}, "a": "é"}
        expected = hashlib.sha256('{"a":"é","b":{"x":1,"y":2}}'.encode()).hexdigest()
        self.assertEqual(payload_fingerprint(payload), expected)
        self.assertEqual(len(expected), 64)

    def test_key_order_and_spacing_do_not_matter(self):
        first = {"external_id": "V-1", "name": "Acme", "lines": [{"q": 1, "p": 2}]}
        second = {"lines": [{"p": 2, "q": 1}], "name": "Acme", "external_id": "V-1"}
        self.assertEqual(payload_fingerprint(first), payload_fingerprint(second))

    def test_values_matter(self):
        base = payload_fingerprint({"quantity": 1})
        self.assertNotEqual(base, payload_fingerprint({"quantity": 2}))
        self.assertNotEqual(base, payload_fingerprint({"quantity": 1.0}))
        self.assertNotEqual(base, payload_fingerprint({"quantity": "1"}))
        self.assertNotEqual(payload_fingerprint({"l": [1, 2]}), payload_fingerprint({"l": [2, 1]}))

    def test_nan_is_refused(self):
        with self.assertRaises(ValueError):
            payload_fingerprint({"x": float("nan")})
