"""What a field message does to the record it names: the offline rules.

Field apps work without signal and send later, sometimes twice, out of order,
or from two phones. The record stores the ``occurred_at`` of the last change
applied; an incoming message is compared with it:

- nothing stored: the message creates the record (a cancellation of a
  record Odoo never saw changes nothing);
- older than what is stored: stale, nothing changes (contract rule);
- ``"cancelled": true``: withdraws the record; an approved record is withdrawn
  only by its approver, so from the field it becomes an amendment to accept;
- the record is approved: the change becomes an amendment for the approver;
- otherwise the newer change updates the record (the overwritten version is
  kept by the caller, so nothing a person typed is lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum

# Phone clocks drift; beyond this an occurred_at in the future is refused.
FUTURE_TOLERANCE = timedelta(minutes=10)


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    STALE = "stale"
    WITHDRAW = "withdraw"
    AMEND = "amend"
    AMEND_WITHDRAW = "amend_withdraw"
    IGNORE_CANCELLED = "ignore_cancelled"


@dataclass(frozen=True)
class Stored:
    """What matters of the stored record: when it last changed, its state."""

    occurred_at: datetime | None
    approved: bool = False
    withdrawn: bool = False


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def decide(stored: Stored | None, occurred_at: datetime | None, cancelled: bool) -> Action:
    """The action of one field message on the record it names.

    >>> t = datetime(2026, 11, 20, 14)
    >>> decide(None, t, False).value, decide(None, t, True).value
    ('create', 'ignore_cancelled')
    >>> decide(Stored(t), t - timedelta(minutes=1), False).value
    'stale'
    >>> decide(Stored(t), t, False).value, decide(Stored(t), t, True).value
    ('update', 'withdraw')
    >>> decide(Stored(t, approved=True), t + timedelta(hours=1), False).value
    'amend'
    >>> decide(Stored(t, approved=True), t + timedelta(hours=1), True).value
    'amend_withdraw'
    >>> decide(Stored(t, withdrawn=True), t + timedelta(hours=1), True).value
    'ignore_cancelled'
    """
    if stored is None:
        return Action.IGNORE_CANCELLED if cancelled else Action.CREATE
    incoming, last = _utc(occurred_at), _utc(stored.occurred_at)
    if incoming is not None and last is not None and incoming < last:
        return Action.STALE
    if cancelled:
        if stored.withdrawn:
            return Action.IGNORE_CANCELLED
        return Action.AMEND_WITHDRAW if stored.approved else Action.WITHDRAW
    if stored.approved:
        return Action.AMEND
    return Action.UPDATE


def future_error(occurred_at: datetime | None, now: datetime) -> str | None:
    """The message refusing an ``occurred_at`` too far in the future, or None.

    >>> now = datetime(2026, 11, 20, 14)
    >>> future_error(now + timedelta(minutes=10), now) is None
    True
    >>> print(future_error(now + timedelta(minutes=11), now))  # doctest: +NORMALIZE_WHITESPACE
    occurred_at 2026-11-20T14:11:00Z is more than 10 minutes after the server
    time 2026-11-20T14:00:00Z; check the device clock
    """
    incoming, now = _utc(occurred_at), _utc(now)
    if incoming is None or incoming <= now + FUTURE_TOLERANCE:
        return None
    minutes = int(FUTURE_TOLERANCE.total_seconds() // 60)
    return (
        f"occurred_at {incoming.isoformat(timespec='seconds')}Z is more than {minutes} minutes "
        f"after the server time {now.isoformat(timespec='seconds')}Z; check the device clock"
    )
