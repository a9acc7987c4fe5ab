import doctest
from datetime import datetime

from ..domain import retry
from ..domain.retry import RetryPolicy, decide

if __name__.startswith("odoo.addons."):
    # Odoo's runner collects only BaseCase classes (they carry the test tags);
    # BaseCase needs no database. Anywhere else these are plain unittest tests.
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase


class TestDomainRetry(TestCase):
    def test_doctests(self):
        self.assertEqual(doctest.testmod(retry).failed, 0)

    def test_defaults(self):
        policy = RetryPolicy()
        self.assertEqual(
            (policy.base_seconds, policy.factor, policy.max_seconds, policy.jitter),
            (30, 2, 21600, 0.2),
        )

    def test_delays_without_jitter(self):
        policy = RetryPolicy()
        self.assertEqual(
            [policy.delay(attempt, 0.5) for attempt in range(1, 6)],
            [30.0, 60.0, 120.0, 240.0, 480.0],
        )

    def test_jitter_bounds(self):
        policy = RetryPolicy()
        self.assertAlmostEqual(policy.delay(1, 0.0), 24.0)
        self.assertAlmostEqual(policy.delay(1, 0.25), 27.0)
        self.assertAlmostEqual(policy.delay(3, 0.75), 132.0)
        self.assertAlmostEqual(policy.delay(5, 0.0), 384.0)
        self.assertLess(policy.delay(5, 0.999999), 576.0)
        self.assertGreater(policy.delay(5, 0.999999), 575.99)

    def test_cap(self):
        policy = RetryPolicy()
        self.assertEqual(policy.delay(10, 0.5), 15360.0)
        self.assertEqual(policy.delay(11, 0.5), 21600.0)
        self.assertAlmostEqual(policy.delay(11, 0.0), 17280.0)
        self.assertEqual(policy.delay(11, 0.9), 21600.0)
        self.assertAlmostEqual(policy.delay(10, 0.9), 17817.6)  # 15360 * 1.16, under the cap
        self.assertEqual(policy.delay(10**9, 0.5), 21600.0)

    def test_custom_policy(self):
        policy = RetryPolicy(base_seconds=10, factor=3, max_seconds=100, jitter=0)
        self.assertEqual([policy.delay(n, 0.9) for n in range(1, 5)], [10.0, 30.0, 90.0, 100.0])
        self.assertEqual(RetryPolicy(factor=1).delay(50, 0.5), 30.0)

    def test_bad_arguments(self):
        policy = RetryPolicy()
        for attempt, rand in ((0, 0.5), (-1, 0.5), (1, 1.0), (1, -0.1)):
            with self.assertRaises(ValueError):
                policy.delay(attempt, rand)
        for kwargs in ({"base_seconds": 0}, {"factor": 0.5}, {"jitter": 1}, {"max_seconds": 1}):
            with self.assertRaises(ValueError):
                RetryPolicy(**kwargs)

    def test_next_attempt_at(self):
        now = datetime(2026, 11, 20, 23, 59, 30)
        policy = RetryPolicy()
        self.assertEqual(policy.next_attempt_at(now, 1, 0.5), datetime(2026, 11, 21, 0, 0))
        self.assertEqual(policy.next_attempt_at(now, 4, 0.0), datetime(2026, 11, 21, 0, 2, 42))
        self.assertEqual(policy.next_attempt_at(now, 20, 0.5), datetime(2026, 11, 21, 5, 59, 30))

    def test_decide(self):
        self.assertEqual(decide(1, 5, transient=False), "dead")
        self.assertEqual(decide(0, 5, transient=False), "dead")
        self.assertEqual(
            [decide(n, 5, transient=True) for n in range(1, 7)], ["retry"] * 4 + ["dead"] * 2
        )
        self.assertEqual(decide(1, 1, transient=True), "dead")
        self.assertEqual((retry.RETRY, retry.DEAD), ("retry", "dead"))
