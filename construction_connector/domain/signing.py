"""Signatures of outbound webhook deliveries (see "Outbound events" in the contract).

Each delivery carries two independent signatures of the same raw body:

``X-Construction-Signature``
    ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>.<raw body>"``, keyed with the
    UTF-8 bytes of the endpoint's current secret. The contract defines this
    header as one signature with "the endpoint's secret", so it is only ever
    signed with the current secret, also while a secret is being rotated;
    a consumer rotating its copy should accept the old and the new secret
    for a while (:func:`verify_construction` does that given each secret).

``webhook-signature`` (Standard Webhooks)
    ``v1,`` + base64 HMAC-SHA256 of ``"<id>.<timestamp>.<raw body>"``, keyed with
    the UTF-8 bytes of the secret, one space-separated signature per valid
    secret while a secret is being rotated (current secret first). The
    published Standard Webhooks libraries take the key as ``whsec_`` +
    base64 of those bytes: give consumers :func:`whsec_for` of the secret.

Comparisons use :func:`hmac.compare_digest` (constant time).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _secrets
from collections.abc import Sequence

DEFAULT_TOLERANCE = 300
"""Seconds a signed timestamp may be away from the receiver's clock, both ways."""

HEADER_EVENT = "X-Construction-Event"
HEADER_DELIVERY = "X-Construction-Delivery"
HEADER_TIMESTAMP = "X-Construction-Timestamp"
HEADER_SIGNATURE = "X-Construction-Signature"
HEADER_WEBHOOK_ID = "webhook-id"
HEADER_WEBHOOK_TIMESTAMP = "webhook-timestamp"
HEADER_WEBHOOK_SIGNATURE = "webhook-signature"


def generate_secret() -> str:
    """Return a new random endpoint secret (43 URL-safe characters, 256 bits)."""
    return _secrets.token_urlsafe(32)


def whsec_for(secret: str) -> str:
    """Return the secret in the form the Standard Webhooks libraries expect.

    >>> whsec_for("s3cret")
    'whsec_czNjcmV0'
    """
    return "whsec_" + base64.b64encode(secret.encode("utf-8")).decode("ascii")


def _hmac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def sign_construction(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``X-Construction-Signature`` value: ``sha256=<hex>``."""
    digest = _hmac(secret, str(int(timestamp)).encode("ascii") + b"." + body)
    return "sha256=" + digest.hex()


def _standard_signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{event_id}.{int(timestamp)}.".encode() + body
    return "v1," + base64.b64encode(_hmac(secret, signed)).decode("ascii")


def standard_webhook_signatures(
    secrets: Sequence[str], event_id: str, timestamp: int, body: bytes
) -> str:
    """Return the ``webhook-signature`` value: ``v1,<base64>`` per secret, space-separated."""
    if not secrets:
        raise ValueError("at least one secret is needed to sign")
    return " ".join(_standard_signature(s, event_id, timestamp, body) for s in secrets)


def delivery_headers(
    event_type: str, event_id: str, timestamp: int, body: bytes, secrets: Sequence[str]
) -> dict[str, str]:
    """Return every header of one delivery attempt.

    ``secrets`` lists the valid secrets, the current one first (the others
    only while a rotation is in progress). ``timestamp`` is the Unix time of
    this attempt; ``event_id`` stays the same on every retry. The dict also
    holds ``Content-Type: application/json`` since the body is sent raw.
    """
    if not secrets:
        raise ValueError("at least one secret is needed to sign")
    ts = str(int(timestamp))
    return {
        "Content-Type": "application/json",
        HEADER_EVENT: event_type,
        HEADER_DELIVERY: event_id,
        HEADER_TIMESTAMP: ts,
        HEADER_SIGNATURE: sign_construction(secrets[0], int(ts), body),
        HEADER_WEBHOOK_ID: event_id,
        HEADER_WEBHOOK_TIMESTAMP: ts,
        HEADER_WEBHOOK_SIGNATURE: standard_webhook_signatures(secrets, event_id, int(ts), body),
    }


def _fresh_timestamp(timestamp_header: str | None, now: float, tolerance: int) -> int | None:
    """Return the timestamp when it is a plain integer within ``tolerance`` of ``now``."""
    if not isinstance(timestamp_header, str):
        return None
    value = timestamp_header.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    timestamp = int(value)
    if abs(now - timestamp) > tolerance:
        return None
    return timestamp


def verify_construction(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> bool:
    """Check ``X-Construction-Signature`` the way a consumer should.

    True when the timestamp is within ``tolerance`` seconds of ``now`` (Unix
    seconds) and one of the space-separated signatures of the header matches.
    """
    timestamp = _fresh_timestamp(timestamp_header, now, tolerance)
    if timestamp is None or not isinstance(signature_header, str):
        return False
    expected = sign_construction(secret, timestamp, body).encode("ascii")
    found = False
    for candidate in signature_header.split():
        if hmac.compare_digest(expected, candidate.encode("utf-8")):
            found = True
    return found


def verify_standard(
    secret: str,
    event_id: str | None,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> bool:
    """Check ``webhook-signature`` as the Standard Webhooks libraries do.

    ``secret`` is the raw secret (not the ``whsec_`` form). Signatures of
    other versions than ``v1`` are ignored.
    """
    timestamp = _fresh_timestamp(timestamp_header, now, tolerance)
    if timestamp is None or not event_id or not isinstance(signature_header, str):
        return False
    expected = _standard_signature(secret, event_id, timestamp, body)
    expected_digest = base64.b64decode(expected.removeprefix("v1,"))
    found = False
    for candidate in signature_header.split():
        version, _, value = candidate.partition(",")
        if version != "v1":
            continue
        try:
            digest = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(expected_digest, digest):
            found = True
    return found
