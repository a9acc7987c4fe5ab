import base64
import doctest
import json

from ..domain import cursor
from ..domain.cursor import decode_cursor, encode_cursor

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


def _b64(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class TestDomainCursor(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(cursor).failed, 0)

    def test_round_trip(self):
        for last_id in (0, 1, 17, 999, 2**31, 2**53):
            token = encode_cursor(last_id)
            self.assertEqual(decode_cursor(token), last_id)
            self.assertNotIn("=", token)
            self.assertTrue(all(c.isalnum() or c in "-_" for c in token), token)

    def test_format(self):
        token = encode_cursor(17)
        self.assertEqual(token, "eyJpZCI6MTcsInYiOjF9")
        padded = token + "=" * (-len(token) % 4)
        self.assertEqual(json.loads(base64.urlsafe_b64decode(padded)), {"id": 17, "v": 1})

    def test_encode_refuses_bad_ids(self):
        for bad in (-1, True, 1.5, "17", None):
            with self.assertRaises(ValueError):
                encode_cursor(bad)

    def test_garbage(self):
        garbage = [
            "",
            "!!!!",
            "abc",
            "a",
            "====",
            "é",
            "eyJpZCI6MTcsInYiOjF9!",
            "eyJpZCI6MTcsInYiOjF9" * 20,
            _b64(b"\xff\xfe"),
            _b64(b"not json"),
            _b64(b"[17]"),
            _b64(b"17"),
            _b64(b'{"id": 17}'),
            _b64(b'{"id": 17, "v": 2}'),
            _b64(b'{"id": 17, "v": true}'),
            _b64(b'{"id": "17", "v": 1}'),
            _b64(b'{"id": -5, "v": 1}'),
            _b64(b'{"id": 1.5, "v": 1}'),
            _b64(b'{"id": true, "v": 1}'),
            _b64(b'{"id": NaN, "v": 1}'),
            _b64(b"[" * 60),
            None,
            17,
            b"eyJpZCI6MTcsInYiOjF9",
            ["eyJpZCI6MTcsInYiOjF9"],
        ]
        for value in garbage:
            with self.assertRaises(ValueError, msg=repr(value)) as caught:
                decode_cursor(value)
            self.assertIs(type(caught.exception), ValueError, repr(value))
            self.assertEqual(str(caught.exception), "invalid cursor")
