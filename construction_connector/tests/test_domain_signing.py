import base64
import doctest
import hashlib
import hmac

from ..domain import signing
from ..domain.signing import (
    delivery_headers,
    generate_secret,
    sign_construction,
    standard_webhook_signatures,
    verify_construction,
    verify_standard,
    whsec_for,
)

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

SECRET = "s3cret-current"
OLD_SECRET = "s3cret-old"
EVENT_ID = "0b1e4f1c-8f3a-4c9e-9d3a-2f1e5b7c9a10"
TIMESTAMP = 1763647380
BODY = (
    b'{"id":"0b1e4f1c-8f3a-4c9e-9d3a-2f1e5b7c9a10","type":"purchase_order.confirmed",'
    b'"occurred_at":"2026-11-20T14:03:00Z","company":"Acme","data":{"name":"P00042"}}'
)


def _library_signature(whsec, msg_id, timestamp, body):
    """What the Standard Webhooks libraries compute from a ``whsec_`` secret."""
    key = base64.b64decode(whsec.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.{body.decode()}".encode()
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def _library_verify(whsec, headers, body):
    """The check of the Standard Webhooks libraries, timestamp aside."""
    expected = _library_signature(whsec, headers["webhook-id"], headers["webhook-timestamp"], body)
    for versioned in headers["webhook-signature"].split(" "):
        version, signature = versioned.split(",")
        if version == "v1" and hmac.compare_digest(expected, signature):
            return True
    return False


class TestDomainSigning(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(signing).failed, 0)

    def test_construction_signature_vector(self):
        expected = hmac.new(SECRET.encode(), b"1763647380." + BODY, hashlib.sha256).hexdigest()
        self.assertEqual(sign_construction(SECRET, TIMESTAMP, BODY), "sha256=" + expected)
        self.assertEqual(len(expected), 64)

    def test_standard_signature_vector(self):
        digest = hmac.new(
            SECRET.encode(),
            b"0b1e4f1c-8f3a-4c9e-9d3a-2f1e5b7c9a10.1763647380." + BODY,
            hashlib.sha256,
        ).digest()
        expected = "v1," + base64.b64encode(digest).decode()
        self.assertEqual(standard_webhook_signatures([SECRET], EVENT_ID, TIMESTAMP, BODY), expected)

    def test_whsec(self):
        self.assertEqual(whsec_for("s3cret"), "whsec_czNjcmV0")
        self.assertEqual(base64.b64decode(whsec_for("clé")[6:]), "clé".encode())
        library = _library_signature(whsec_for(SECRET), EVENT_ID, str(TIMESTAMP), BODY)
        ours = standard_webhook_signatures([SECRET], EVENT_ID, TIMESTAMP, BODY)
        self.assertEqual(ours, "v1," + library)

    def test_delivery_headers(self):
        headers = delivery_headers("purchase_order.confirmed", EVENT_ID, TIMESTAMP, BODY, [SECRET])
        self.assertEqual(
            headers,
            {
                "Content-Type": "application/json",
                "X-Construction-Event": "purchase_order.confirmed",
                "X-Construction-Delivery": EVENT_ID,
                "X-Construction-Timestamp": "1763647380",
                "X-Construction-Signature": sign_construction(SECRET, TIMESTAMP, BODY),
                "webhook-id": EVENT_ID,
                "webhook-timestamp": "1763647380",
                "webhook-signature": standard_webhook_signatures(
                    [SECRET], EVENT_ID, TIMESTAMP, BODY
                ),
            },
        )
        self.assertTrue(all(isinstance(value, str) for value in headers.values()))
        self.assertTrue(_library_verify(whsec_for(SECRET), headers, BODY))

    def test_rotation(self):
        headers = delivery_headers(
            "receipt.validated", EVENT_ID, TIMESTAMP, BODY, [SECRET, OLD_SECRET]
        )
        signatures = headers["webhook-signature"].split(" ")
        self.assertEqual(
            signatures,
            [
                standard_webhook_signatures([SECRET], EVENT_ID, TIMESTAMP, BODY),
                standard_webhook_signatures([OLD_SECRET], EVENT_ID, TIMESTAMP, BODY),
            ],
        )
        # The contract's X-Construction-Signature is one signature, with the current secret.
        self.assertEqual(
            headers["X-Construction-Signature"], sign_construction(SECRET, TIMESTAMP, BODY)
        )
        self.assertTrue(_library_verify(whsec_for(SECRET), headers, BODY))
        self.assertTrue(_library_verify(whsec_for(OLD_SECRET), headers, BODY))
        self.assertFalse(_library_verify(whsec_for("someone-else"), headers, BODY))

    def test_no_secret(self):
        with self.assertRaises(ValueError):
            delivery_headers("receipt.validated", EVENT_ID, TIMESTAMP, BODY, [])
        with self.assertRaises(ValueError):
            standard_webhook_signatures([], EVENT_ID, TIMESTAMP, BODY)

    def test_verify_construction(self):
        header = sign_construction(SECRET, TIMESTAMP, BODY)
        ts = str(TIMESTAMP)
        self.assertTrue(verify_construction(SECRET, ts, header, BODY, now=TIMESTAMP))
        self.assertTrue(verify_construction(SECRET, ts, header, BODY, now=TIMESTAMP + 300))
        self.assertTrue(verify_construction(SECRET, ts, header, BODY, now=TIMESTAMP - 300))
        self.assertFalse(verify_construction(SECRET, ts, header, BODY, now=TIMESTAMP + 301))
        self.assertFalse(verify_construction(SECRET, ts, header, BODY, now=TIMESTAMP - 301))
        self.assertTrue(
            verify_construction(SECRET, ts, header, BODY, now=TIMESTAMP + 3000, tolerance=3600)
        )
        self.assertFalse(verify_construction(OLD_SECRET, ts, header, BODY, now=TIMESTAMP))
        self.assertFalse(verify_construction(SECRET, ts, header, BODY + b" ", now=TIMESTAMP))
        self.assertFalse(verify_construction(SECRET, str(TIMESTAMP + 1), header, BODY, TIMESTAMP))
        # A consumer rotating its copy of the secret tries each secret it holds.
        self.assertTrue(verify_construction(SECRET, ts, "sha256=00 " + header, BODY, TIMESTAMP))

    def test_verify_construction_garbage(self):
        header = sign_construction(SECRET, TIMESTAMP, BODY)
        for timestamp, signature in (
            (None, header),
            ("", header),
            ("abc", header),
            ("1763647380.0", header),
            ("-1763647380", header),
            ("\uff11\uff17\uff16\uff13\uff16\uff14\uff17\uff13\uff18\uff10", header),  # full-width
            (str(TIMESTAMP), None),
            (str(TIMESTAMP), ""),
            (str(TIMESTAMP), header.removeprefix("sha256=")),
            (str(TIMESTAMP), header.upper()),
            (str(TIMESTAMP), "sha256=é"),
        ):
            self.assertFalse(
                verify_construction(SECRET, timestamp, signature, BODY, now=TIMESTAMP),
                (timestamp, signature),
            )

    def test_verify_standard(self):
        headers = delivery_headers("vendor_bill.paid", EVENT_ID, TIMESTAMP, BODY, [SECRET])
        signature, ts = headers["webhook-signature"], headers["webhook-timestamp"]
        self.assertTrue(verify_standard(SECRET, EVENT_ID, ts, signature, BODY, now=TIMESTAMP))
        self.assertFalse(verify_standard(SECRET, EVENT_ID, ts, signature, BODY, TIMESTAMP + 301))
        self.assertFalse(verify_standard(SECRET, "other-id", ts, signature, BODY, TIMESTAMP))
        self.assertFalse(verify_standard(OLD_SECRET, EVENT_ID, ts, signature, BODY, TIMESTAMP))
        self.assertFalse(verify_standard(SECRET, EVENT_ID, ts, signature, BODY + b"x", TIMESTAMP))
        self.assertFalse(verify_standard(SECRET, None, ts, signature, BODY, TIMESTAMP))
        rotated = delivery_headers(
            "vendor_bill.paid", EVENT_ID, TIMESTAMP, BODY, [SECRET, OLD_SECRET]
        )["webhook-signature"]
        self.assertTrue(verify_standard(OLD_SECRET, EVENT_ID, ts, rotated, BODY, TIMESTAMP))
        v2 = signature.replace("v1,", "v2,")
        self.assertFalse(verify_standard(SECRET, EVENT_ID, ts, v2, BODY, TIMESTAMP))
        for garbage in (None, "", "v1", "v1,", "v1,!!!", "v1,abc", "nonsense", ","):
            self.assertFalse(verify_standard(SECRET, EVENT_ID, ts, garbage, BODY, TIMESTAMP))
        self.assertTrue(
            verify_standard(SECRET, EVENT_ID, ts, "v1,!!! " + signature, BODY, TIMESTAMP)
        )

    def test_generate_secret(self):
        first, second = generate_secret(), generate_secret()
        self.assertEqual(len(first), 43)
        self.assertNotEqual(first, second)
        self.assertTrue(all(c.isalnum() or c in "-_" for c in first))
