"""Retry policy of inbound messages and outbound deliveries.

A failed attempt is retried after an exponential delay: ``base_seconds`` after
the first failure, multiplied by ``factor`` after each further one, never more
than ``max_seconds``. The delay is spread by ``+/- jitter`` (a fraction) so
that messages that failed together do not all come back at the same second.
The random number is a parameter, which keeps the policy deterministic and
testable; the caller passes ``random.random()``.

>>> policy = RetryPolicy()
>>> [policy.delay(attempt, 0.5) for attempt in range(1, 6)]
[30.0, 60.0, 120.0, 240.0, 480.0]
>>> policy.delay(1, 0.0), policy.delay(1, 0.75)
(24.0, 33.0)
>>> policy.delay(20, 0.5)
21600.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

RETRY = "retry"
DEAD = "dead"

Decision = Literal["retry", "dead"]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with a cap and a symmetric jitter."""

    base_seconds: float = 30
    factor: float = 2
    max_seconds: float = 6 * 3600
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.max_seconds < self.base_seconds:
            raise ValueError("need 0 < base_seconds <= max_seconds")
        if self.factor < 1:
            raise ValueError("factor must be at least 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be a fraction in [0, 1)")

    def delay(self, attempt: int, rand: float) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1 for the first).

        ``rand`` in ``[0, 1)`` moves the delay from ``-jitter`` (at 0) through no
        change (at 0.5) to almost ``+jitter`` (towards 1). The result never
        exceeds ``max_seconds``: the cap is a promise to the people waiting.
        """
        if attempt < 1:
            raise ValueError("attempt counts from 1")
        if not 0 <= rand < 1:
            raise ValueError("rand must be in [0, 1)")
        exponent = attempt - 1
        if self.factor > 1:
            # Past this exponent the cap applies anyway; avoids huge powers.
            exponent = min(
                exponent, math.ceil(math.log(self.max_seconds / self.base_seconds, self.factor))
            )
        delay = min(self.base_seconds * self.factor**exponent, self.max_seconds)
        delay *= 1 + self.jitter * (2 * rand - 1)
        return min(delay, float(self.max_seconds))

    def next_attempt_at(self, now: datetime, attempt: int, rand: float) -> datetime:
        """When to try again after failed attempt number ``attempt``.

        >>> RetryPolicy().next_attempt_at(datetime(2026, 11, 20, 14, 0), 2, 0.5)
        datetime.datetime(2026, 11, 20, 14, 1)
        """
        return now + timedelta(seconds=self.delay(attempt, rand))


def decide(attempts: int, max_attempts: int, transient: bool) -> Decision:
    """Retry or give up after a failure, ``attempts`` counting the one that just failed.

    A permanent error is ``dead`` at once; a transient one is retried until
    ``attempts`` reaches ``max_attempts``.

    >>> decide(1, 5, transient=False)
    'dead'
    >>> decide(4, 5, transient=True), decide(5, 5, transient=True)
    ('retry', 'dead')
    """
    if not transient or attempts >= max_attempts:
        return DEAD
    return RETRY
