from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ConstructionCase


@tagged("post_install", "-at_install")
class TestCostCode(ConstructionCase):
    def test_duplicate_code_same_company_refused_with_name(self):
        with self.assertRaises(ValidationError) as caught:
            self.CostCode.create(
                {"code": "03-300", "name": "Again", "company_id": self.company_a.id}
            )
        self.assertEqual(
            str(caught.exception),
            "Cost code 03-300 already exists in Test GC (Cast-in-Place Concrete).",
        )

    def test_duplicate_code_in_one_batch_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.CostCode.create(
                [
                    {"code": "07-100", "name": "Dampproofing", "company_id": self.company_a.id},
                    {"code": "07-100", "name": "Waterproofing", "company_id": self.company_a.id},
                ]
            )
        self.assertEqual(str(caught.exception), "Cost code 07-100 appears twice for Test GC.")
        self.assertFalse(self.CostCode.search([("code", "=", "07-100")]))

    def test_database_holds_uniqueness(self):
        """The SQL constraint refuses what slips past the Python check."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO construction_cost_code (code, name, cost_type, company_id, active)"
                    " VALUES ('03-300', '{\"en_US\": \"x\"}', 'material', %s, true)",
                    [self.company_a.id],
                )

    def test_same_code_other_company_allowed(self):
        code = self.CostCode.create(
            {"code": "03-300", "name": "Concrete B", "company_id": self.company_b.id}
        )
        self.assertEqual(code.company_id, self.company_b)

    def test_code_normalised_and_validated(self):
        code = self.CostCode.create(
            {"code": "  04-200 ", "name": "Unit Masonry", "company_id": self.company_a.id}
        )
        self.assertEqual(code.code, "04-200")
        with self.assertRaises(ValidationError) as caught:
            self.CostCode.create({"code": "04 300", "name": "Bad", "company_id": self.company_a.id})
        self.assertEqual(
            str(caught.exception),
            "Cost code 04 300 may only hold letters, digits and . _ - / (no spaces).",
        )

    def test_cycle_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.division_03.parent_id = self.cc_labor
        self.assertEqual(
            str(caught.exception),
            "Cost code 03 Concrete cannot be placed under 03-310 Concrete Labor: that would "
            "make the hierarchy a cycle.",
        )
        self.assertFalse(self.division_03.parent_id)

    def test_hierarchy_and_names(self):
        self.assertEqual(self.cc_concrete.display_name, "03-300 Cast-in-Place Concrete")
        self.assertEqual(self.cc_labor.parent_id, self.cc_concrete)
        children = self.CostCode.search([("id", "child_of", self.division_03.id)])
        self.assertEqual(children, self.division_03 | self.cc_concrete | self.cc_labor)
        found = self.CostCode.name_search("03-31")
        self.assertEqual([row[0] for row in found], [self.cc_labor.id])

    def test_parent_of_other_company_refused(self):
        with self.assertRaises(Exception):  # noqa: B017 - check_company raises UserError
            self.CostCode.create(
                {
                    "code": "23-100",
                    "name": "Cross",
                    "company_id": self.company_b.id,
                    "parent_id": self.cc_concrete.id,
                }
            )

    def test_csi_divisions_for_new_company(self):
        company = self.env["res.company"].create({"name": "New Sub"})
        divisions = self.CostCode.search([("company_id", "=", company.id)])
        self.assertEqual(len(divisions), 35)
        concrete = divisions.filtered(lambda c: c.code == "03")
        self.assertEqual(concrete.name, "Concrete")
        self.assertEqual(concrete.cost_type, "material")
        # Running it again creates nothing new.
        self.assertFalse(self.CostCode._install_csi_divisions(company))
