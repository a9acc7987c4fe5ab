import doctest
from decimal import Decimal

from ..domain import rules
from ..domain.rules import MatchRule, select_rule

if __name__.startswith("odoo.addons."):
    from odoo.tests import BaseCase as TestCase
else:
    from unittest import TestCase

COMPANY, OTHER_COMPANY = 1, 2
VENDOR, CATEG, JOB = 70, 30, 900
DEFAULT = MatchRule(id=0, sequence=0, company_id=COMPANY)


def make(rule_id, vendor=None, categ=None, job=None, sequence=10, company=COMPANY):
    return MatchRule(
        id=rule_id,
        sequence=sequence,
        company_id=company,
        vendor_id=vendor,
        categ_id=categ,
        job_id=job,
    )


# One rule per combination of dimensions: the id says which are set.
GENERAL = make(1)
BY_VENDOR = make(2, vendor=VENDOR)
BY_CATEG = make(3, categ=CATEG)
BY_JOB = make(4, job=JOB)
VENDOR_CATEG = make(5, vendor=VENDOR, categ=CATEG)
VENDOR_JOB = make(6, vendor=VENDOR, job=JOB)
CATEG_JOB = make(7, categ=CATEG, job=JOB)
ALL_THREE = make(8, vendor=VENDOR, categ=CATEG, job=JOB)
EVERY_RULE = [ALL_THREE, CATEG_JOB, VENDOR_JOB, VENDOR_CATEG, BY_JOB, BY_CATEG, BY_VENDOR, GENERAL]


def pick(candidates, vendor=VENDOR, categ=CATEG, job=JOB, company=COMPANY):
    return select_rule(candidates, company, vendor, categ, job, DEFAULT).id


class TestSelectRule(TestCase):
    def test_most_specific_wins(self):
        self.assertEqual(pick(EVERY_RULE), 8)
        remaining = [r for r in EVERY_RULE if r is not ALL_THREE]
        # Two dimensions: vendor + category beats vendor + job beats category + job.
        self.assertEqual(pick(remaining), 5)
        self.assertEqual(pick([VENDOR_JOB, CATEG_JOB, BY_VENDOR]), 6)
        self.assertEqual(pick([CATEG_JOB, BY_VENDOR, BY_CATEG, GENERAL]), 7)
        # One dimension: vendor beats category beats job.
        self.assertEqual(pick([BY_JOB, BY_CATEG, BY_VENDOR, GENERAL]), 2)
        self.assertEqual(pick([BY_JOB, BY_CATEG, GENERAL]), 3)
        self.assertEqual(pick([BY_JOB, GENERAL]), 4)
        self.assertEqual(pick([GENERAL]), 1)

    def test_unset_means_any_set_must_equal(self):
        # Another vendor: only the rules without a vendor apply.
        self.assertEqual(pick(EVERY_RULE, vendor=71), 7)
        # No job on the line: rules naming a job do not apply.
        self.assertEqual(pick(EVERY_RULE, job=None), 5)
        self.assertEqual(pick(EVERY_RULE, vendor=71, categ=None, job=None), 1)
        self.assertEqual(pick([BY_VENDOR, BY_JOB], vendor=71, job=901), 0)

    def test_ties(self):
        low_sequence = make(20, vendor=VENDOR, sequence=5)
        same_sequence_higher_id = make(21, vendor=VENDOR, sequence=5)
        self.assertEqual(pick([BY_VENDOR, same_sequence_higher_id, low_sequence]), 20)
        self.assertEqual(pick([same_sequence_higher_id, BY_VENDOR]), 21)
        # Specificity comes before sequence.
        self.assertEqual(pick([make(30, sequence=1), make(31, job=JOB, sequence=99)]), 31)

    def test_other_company_never_applies(self):
        foreign = make(40, vendor=VENDOR, categ=CATEG, job=JOB, company=OTHER_COMPANY)
        self.assertEqual(pick([foreign, GENERAL]), 1)
        self.assertIs(select_rule([foreign], COMPANY, VENDOR, CATEG, JOB, DEFAULT), DEFAULT)
        self.assertIs(select_rule([], COMPANY, VENDOR, CATEG, JOB, DEFAULT), DEFAULT)


class TestMatchRule(TestCase):
    def test_orm_values_become_decimals(self):
        rule = MatchRule(
            id=1,
            sequence=10,
            company_id=COMPANY,
            level="two_way",
            price_tolerance_percent=2.5,
            price_tolerance_amount=0.1,
            qty_tolerance_percent=0.0,
            qty_tolerance_units=1,
            total_tolerance_amount="0.05",
            action="warn",
        )
        self.assertEqual(rule.price_tolerance_percent, Decimal("2.5"))
        self.assertEqual(rule.price_tolerance_amount, Decimal("0.1"))
        self.assertEqual(rule.qty_tolerance_units, Decimal(1))
        self.assertEqual(rule.total_tolerance_amount, Decimal("0.05"))
        self.assertEqual(rule.specificity, 0)
        self.assertEqual(ALL_THREE.specificity, 3)

    def test_invalid(self):
        with self.assertRaises(ValueError):
            MatchRule(id=1, sequence=1, company_id=1, level="four_way")
        with self.assertRaises(ValueError):
            MatchRule(id=1, sequence=1, company_id=1, action="ignore")
        with self.assertRaises(ValueError):
            MatchRule(id=1, sequence=1, company_id=1, qty_tolerance_units=-1)

    def test_doctests(self):
        result = doctest.testmod(rules)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)
