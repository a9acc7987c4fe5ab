"""Order of application of inbound messages, and the stale-message rule.

A field message that arrives late (its ``occurred_at`` older than the last one
applied for the same business key) must not overwrite newer data: it is
``done`` with a note saying it was stale (see the contract).

Datetimes may be naive (taken as UTC, as the envelope produces them) or aware
(converted to UTC); both kinds compare with each other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timezone
from typing import TypeVar

T = TypeVar("T")


def _utc(value: datetime) -> datetime:
    """Return ``value`` as a naive UTC datetime."""
    if value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def is_stale(
    incoming_occurred_at: datetime | None, last_applied_occurred_at: datetime | None
) -> bool:
    """Whether an incoming message is older than the last one applied for its key.

    Equal times are not stale (the later arrival wins), and a message without
    ``occurred_at``, or a key never applied with one, is never stale.

    >>> is_stale(datetime(2026, 11, 20, 14), datetime(2026, 11, 20, 15))
    True
    >>> is_stale(datetime(2026, 11, 20, 15), datetime(2026, 11, 20, 15))
    False
    >>> is_stale(None, datetime(2026, 11, 20, 15)), is_stale(datetime(2026, 11, 20), None)
    (False, False)
    """
    if incoming_occurred_at is None or last_applied_occurred_at is None:
        return False
    return _utc(incoming_occurred_at) < _utc(last_applied_occurred_at)


def order_batch(
    items: Iterable[T],
    key: Callable[[T], Hashable | None],
    occurred: Callable[[T], datetime | None],
    ident: Callable[[T], int] | None = None,
) -> list[T]:
    """Sort messages for application: per business key by ``occurred_at``, then id.

    ``key`` gives the business key of a message (``("master.vendor", "V-1")``)
    or ``None`` when it has none; ``occurred`` its ``occurred_at``; ``ident`` its
    id (default: its position in ``items``).

    Messages of one business key are applied oldest first, ties and messages
    without ``occurred_at`` (which come first) by id. Across business keys the
    order of arrival (id) is kept: each key keeps the places its messages held
    in id order, and only the messages inside those places are reordered.
    Sorting the whole batch by business key instead would apply, say, a
    ``master.budget`` before the ``master.project`` it refers to when both
    arrive in one batch.

    >>> rows = [(1, "A", 3), (2, "B", 1), (3, "A", 1), (4, None, 0), (5, "A", 2)]
    >>> [r[0] for r in order_batch(rows, key=lambda r: r[1],
    ...                            occurred=lambda r: datetime(2026, 1, r[2]),
    ...                            ident=lambda r: r[0])]
    [3, 2, 5, 4, 1]
    """
    rows = list(items)
    ids = [ident(item) for item in rows] if ident else list(range(len(rows)))
    arrival = sorted(range(len(rows)), key=lambda index: ids[index])
    groups: dict[Hashable, list[int]] = {}
    for index in arrival:
        business_key = key(rows[index])
        if business_key is None:
            continue
        groups.setdefault(business_key, []).append(index)

    def within_key(index: int) -> tuple[bool, datetime, int]:
        moment = occurred(rows[index])
        return (moment is not None, _utc(moment) if moment else datetime.min, ids[index])

    placed: dict[int, int] = {}
    for members in groups.values():
        for slot, index in zip(members, sorted(members, key=within_key), strict=True):
            placed[slot] = index
    return [rows[placed.get(slot, slot)] for slot in arrival]
