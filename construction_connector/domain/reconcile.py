"""``POST /construction/api/v1/reconcile``: which of my messages did you get, and how are they.

The caller looks the keys up in one search and hands the rows found to
:func:`summarize`, which builds the body of the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .envelope import text_problem
from .errors import INVALID_TYPE, INVALID_VALUE, REQUIRED, TOO_LONG, ApiError, RequestError

MAX_RECONCILE_KEYS = 10_000

UNKNOWN = "unknown"
STATES = ("pending", "processing", "done", "failed", "dead", "rejected")
"""States of an inbound message, in the order of the contract."""


class ReconcileRequest(NamedTuple):
    """A well-formed reconcile request; ``keys`` without duplicates, in request order."""

    source: str
    keys: list[str]


def _error_dict(error: ApiError | Mapping[str, Any]) -> dict[str, Any]:
    return error.as_dict() if isinstance(error, ApiError) else dict(error)


def summarize(
    requested_keys: Sequence[str],
    found: Mapping[str, tuple[int, str, Sequence[ApiError | Mapping[str, Any]]]],
    source: str | None = None,
) -> dict[str, Any]:
    """Build the reconcile answer from the messages found for the requested keys.

    ``found`` maps an idempotency key to ``(id, state, errors)``. Each key
    counts once, however often it was requested. ``counts`` always holds the
    seven states; ``unknown`` and ``not_done`` follow the request order.
    ``source`` is put first in the answer when given.

    >>> summarize(["a", "b", "a"], {"a": (7, "failed", [])})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'counts': {'unknown': 1, 'pending': 0, 'processing': 0, 'done': 0, 'failed': 1,
                'dead': 0, 'rejected': 0},
     'unknown': ['b'],
     'not_done': [{'idempotency_key': 'a', 'id': 7, 'state': 'failed', 'errors': []}]}
    """
    counts = dict.fromkeys((UNKNOWN, *STATES), 0)
    unknown: list[str] = []
    not_done: list[dict[str, Any]] = []
    for key in dict.fromkeys(requested_keys):
        if key not in found:
            counts[UNKNOWN] += 1
            unknown.append(key)
            continue
        record_id, state, errors = found[key]
        if state not in STATES:
            raise ValueError(f"unknown message state {state!r}")
        counts[state] += 1
        if state != "done":
            not_done.append(
                {
                    "idempotency_key": key,
                    "id": record_id,
                    "state": state,
                    "errors": [_error_dict(error) for error in errors or ()],
                }
            )
    answer: dict[str, Any] = {} if source is None else {"source": source}
    answer.update(counts=counts, unknown=unknown, not_done=not_done)
    return answer


def validate_reconcile_body(body: Any) -> ReconcileRequest | RequestError:
    """Check a decoded reconcile body.

    ``400`` when the body is not an object; ``422`` naming ``source`` or
    ``idempotency_keys`` (``idempotency_keys.3`` for the first key that is not a
    string, or holds a character no stored key can hold: NUL, an unpaired
    surrogate) when they are missing or wrong; ``413`` above
    :data:`MAX_RECONCILE_KEYS` keys. Whether the source exists is for the
    caller, which knows the database (``422`` naming ``source`` too).

    >>> validate_reconcile_body({"source": "fieldapp", "idempotency_keys": ["k1", "k1", "k2"]})
    ReconcileRequest(source='fieldapp', keys=['k1', 'k2'])
    >>> validate_reconcile_body({"source": "fieldapp", "idempotency_keys": ["k1", 2]}).error.field
    'idempotency_keys.1'
    """
    if not isinstance(body, dict):
        return RequestError(
            400,
            ApiError(
                INVALID_TYPE,
                None,
                'The body must be a JSON object {"source": ..., "idempotency_keys": [...]}.',
            ),
        )
    source = body.get("source")
    if source is None or (isinstance(source, str) and not source.strip()):
        return RequestError(422, ApiError(REQUIRED, "source", "source is required."))
    if not isinstance(source, str):
        return RequestError(422, ApiError(INVALID_TYPE, "source", "source must be a string."))
    keys = body.get("idempotency_keys")
    if keys is None:
        return RequestError(
            422, ApiError(REQUIRED, "idempotency_keys", "idempotency_keys is required.")
        )
    if not isinstance(keys, list):
        return RequestError(
            422,
            ApiError(INVALID_TYPE, "idempotency_keys", "idempotency_keys must be a list."),
        )
    if len(keys) > MAX_RECONCILE_KEYS:
        return RequestError(
            413,
            ApiError(
                TOO_LONG,
                "idempotency_keys",
                f"idempotency_keys holds {len(keys)} keys; at most {MAX_RECONCILE_KEYS} "
                "are accepted in one request.",
            ),
        )
    if not keys:
        return RequestError(
            422,
            ApiError(
                INVALID_VALUE, "idempotency_keys", "idempotency_keys must hold at least one key."
            ),
        )
    problem = text_problem(source)
    if problem:
        return RequestError(422, ApiError(INVALID_VALUE, "source", f"source {problem}."))
    for index, key in enumerate(keys):
        field = f"idempotency_keys.{index}"
        if not isinstance(key, str):
            return RequestError(422, ApiError(INVALID_TYPE, field, f"{field} must be a string."))
        problem = text_problem(key)
        if problem:
            # No such key can have been received: say so rather than fail on it.
            return RequestError(422, ApiError(INVALID_VALUE, field, f"{field} {problem}."))
    return ReconcileRequest(source.strip(), list(dict.fromkeys(keys)))
