from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import FieldCase


class InstalledCase(FieldCase):
    """Slab on grade of J-9001: budget line P1 / 03-300 of 100,000 for
    2,000 m2; P2 / 03-300 of 50,000 without a budget quantity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Installed = cls.env["construction.installed.quantity"]
        cls.m2 = cls.env.ref("uom.uom_square_meter")
        cls.budget = cls.make_budget(
            cls.job,
            [(cls.phase_1, cls.cc_concrete, 100000), (cls.phase_2, cls.cc_concrete, 50000)],
            approve=False,
        )
        cls.slab = cls.line_of(cls.budget, cls.phase_1, cls.cc_concrete)
        cls.slab.write({"quantity": 2000, "uom_id": cls.m2.id})
        cls.budget.action_approve()
        cls.walls = cls.line_of(cls.budget, cls.phase_2, cls.cc_concrete)
        cls.first_day = cls.today - timedelta(days=5)

    def payload(self, external_id="iq-1", **values):
        payload = {
            "external_id": external_id,
            "project": "J-9001",
            "phase": "P1",
            "cost_code": "03-300",
            "date": fields.Date.to_string(self.first_day),
            "quantity": 500,
        }
        payload.update(values)
        return {key: value for key, value in payload.items() if value is not None}

    def send(self, minutes_ago=0, external_id="iq-1", **values):
        return self.apply(
            self.field(
                "field.installed_quantity",
                self.payload(external_id, **values),
                minutes_ago=minutes_ago,
            )
        )

    def cancel(self, external_id="iq-1", minutes_ago=0):
        return self.apply(
            self.field(
                "field.installed_quantity",
                {"external_id": external_id, "cancelled": True},
                minutes_ago=minutes_ago,
            )
        )

    def record(self, external_id="iq-1"):
        return self.Installed.search([("field_external_id", "=", external_id)])

    def actual_cost(self, amount, phase=None, code=None):
        """A posted cost that did not come from the field (a bill's line)."""
        return self.env["account.analytic.line"].create(
            {
                "name": "Ready-mix concrete",
                "account_id": self.job.account_id.id,
                "amount": -amount,
                "company_id": self.company_a.id,
                "date": self.first_day,
                "phase_id": (phase or self.phase_1).id,
                "cost_code_id": (code or self.cc_concrete).id,
            }
        )

    def slab_row(self, as_of=None):
        self.env.invalidate_all()  # the report is a view: read it afresh
        return self.report_rows(as_of or self.today)[("P1", "03-300")]


@tagged("post_install", "-at_install")
class TestInstalledQuantities(InstalledCase):
    def test_installed_quantities_give_percent_complete_and_earned_budget(self):
        (first,) = self.send(minutes_ago=30, uom="m2", notes="Pour 1, grid A-C")
        (second,) = self.send(
            minutes_ago=10,
            external_id="iq-2",
            quantity=300,
            date=fields.Date.to_string(self.yesterday),
        )
        self.assertEqual((first.state, second.state), ("done", "done"), first.errors)
        record = self.record()
        self.assertEqual(first.result_ids, record.ids)
        self.assertEqual(
            (record.job_id, record.phase_id, record.cost_code_id, record.budget_line_id),
            (self.job, self.phase_1, self.cc_concrete, self.slab),
        )
        self.assertEqual(
            (record.quantity, record.uom_id, record.state), (500.0, self.m2, "recorded")
        )
        self.assertEqual(record.notes, "Pour 1, grid A-C")
        # A quantity sent without unit is in the budget line's unit.
        self.assertEqual(self.record("iq-2").uom_id, self.m2)

        self.assertEqual(self.slab.installed_quantity, 800.0)
        self.assertAlmostEqual(self.slab.percent_complete_units, 40.0)
        self.assertAlmostEqual(self.slab.earned_amount, 40000.0)
        self.assertEqual(record.installed_to_date, 800.0)

        row = self.slab_row()
        self.assertEqual(row.installed_quantity, 800.0)
        self.assertAlmostEqual(row.percent_complete_units, 40.0)
        self.assertAlmostEqual(row.earned_budget, 40000.0)
        self.assertFalse(row.productivity, "no actual cost yet: no productivity")

        self.actual_cost(50000)
        row = self.slab_row()
        self.assertEqual(row.actual, 50000.0)
        self.assertAlmostEqual(row.productivity, 0.8)

        # As of a date before the second record.
        row = self.slab_row(self.yesterday - timedelta(days=1))
        self.assertEqual(row.installed_quantity, 500.0)
        self.assertAlmostEqual(row.percent_complete_units, 25.0)
        self.assertAlmostEqual(row.earned_budget, 25000.0)
        self.assertAlmostEqual(row.productivity, 0.5)

    def test_earned_budget_follows_the_revised_budget(self):
        self.send(quantity=800)
        change = self.change_order([(self.phase_1, self.cc_concrete, 20000, 25000)])
        change.action_submit()
        change.action_approve()
        self.env.invalidate_all()
        self.assertEqual(self.slab.revised_amount, 120000.0)
        self.assertAlmostEqual(self.slab.earned_amount, 48000.0)
        self.assertAlmostEqual(self.slab_row().earned_budget, 48000.0)

    def test_a_line_without_budget_quantity_has_no_progress_figures(self):
        self.send(phase="P2", quantity=40)
        self.actual_cost(10000, phase=self.phase_2)
        row = self.report_rows(self.today)[("P2", "03-300")]
        self.assertEqual(row.installed_quantity, 40.0)
        self.assertFalse(row.percent_complete_units)
        self.assertFalse(row.earned_budget)
        self.assertFalse(row.productivity)
        self.assertEqual(self.walls.installed_quantity, 40.0)
        self.assertFalse(self.walls.earned_amount)
        # The report's SQL holds NULL there, so that sums leave the line out.
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT earned_budget, productivity FROM (%s) r WHERE r.phase_id = %s"
            % (self.Report._table_query.code, "%s"),
            [*self.Report._table_query.params, self.phase_2.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [(None, None)])

    def test_a_newer_change_replaces_and_keeps_the_version_it_replaced(self):
        self.send(minutes_ago=30, device="phone-A")
        (message,) = self.send(minutes_ago=5, quantity=650, device="phone-B")
        self.assertEqual(message.state, "done")
        record = self.record()
        self.assertEqual((record.quantity, record.field_device), (650.0, "phone-B"))
        self.assertEqual(self.slab.installed_quantity, 650.0)
        revision = self.env["construction.field.revision"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )
        self.assertEqual((revision.device, revision.values["quantity"]), ("phone-A", 500.0))

    def test_an_older_change_is_stale(self):
        self.send(minutes_ago=5, quantity=650)
        (late,) = self.send(minutes_ago=30, quantity=100)
        self.assertEqual(late.state, "done")
        self.assertTrue(late.note.startswith("Stale"), late.note)
        self.assertEqual(self.slab.installed_quantity, 650.0)

    def test_cancellation_withdraws_and_a_newer_change_records_again(self):
        self.send(minutes_ago=30)
        self.send(minutes_ago=30, external_id="iq-2", quantity=300)
        (message,) = self.cancel(minutes_ago=20)
        self.assertIn("Withdrawn", message.note)
        self.assertEqual(self.record().state, "cancelled")
        self.assertEqual(self.slab.installed_quantity, 300.0)
        self.assertEqual(self.slab_row().installed_quantity, 300.0)
        self.send(minutes_ago=10, quantity=450)
        self.assertEqual(self.record().state, "recorded")
        self.env.invalidate_all()
        self.assertEqual(self.slab.installed_quantity, 750.0)
        (never,) = self.cancel("iq-404")
        self.assertIn("never applied", never.note)


@tagged("post_install", "-at_install")
class TestInstalledQuantityBadInput(InstalledCase):
    def assert_dead(self, field, text, **values):
        (message,) = self.send(external_id="bad-1", **values)
        self.assertEqual(message.state, "dead", message.note)
        self.assertEqual(message.errors[0]["field"], field, message.errors)
        self.assertIn(text, message.errors[0]["message"])
        self.assertFalse(self.record("bad-1"))
        self.assertEqual(self.slab.installed_quantity, 0.0)

    def test_no_budget_line(self):
        self.assert_dead(
            "payload.cost_code",
            "Job J-9001 has no budget line for phase P2 and cost code 03-310",
            phase="P2",
            cost_code="03-310",
        )

    def test_unit_other_than_the_budget_line_s(self):
        self.assert_dead("payload.uom", "is measured in m², not in m3", uom="m3")

    def test_unknown_unit_on_a_line_without_unit(self):
        (message,) = self.send(external_id="bad-1", phase="P2", uom="bananas")
        self.assertEqual(message.state, "dead")
        self.assertEqual(message.errors[0]["field"], "payload.uom")

    def test_unknown_job_phase_and_cost_code(self):
        self.assert_dead("payload.project", "Unknown project 'J-0000'", project="J-0000")
        self.assert_dead("payload.phase", "has no phase 'P9'", phase="P9")
        self.assert_dead(
            "payload.phase", "Job J-9002 has no phase 'P2'", project="J-9002", phase="P2"
        )
        self.assert_dead("payload.cost_code", "Unknown cost code '99-999'", cost_code="99-999")

    def test_closed_job(self):
        self.job.job_status = "closed"
        self.assert_dead("payload.project", "closed")

    def test_date_in_the_future(self):
        self.assert_dead(
            "payload.date",
            "is in the future",
            date=fields.Date.to_string(self.today + timedelta(days=3)),
        )

    def test_negative_quantity_is_refused_at_submit(self):
        (result,) = self.submit(
            self.field("field.installed_quantity", self.payload("bad-q", quantity=-5))
        )
        self.assertEqual(result["state"], "rejected", result)
        self.assertEqual(result["errors"][0]["field"], "payload.quantity")
        self.assertFalse(self.record("bad-q"))


@tagged("post_install", "-at_install")
class TestInstalledQuantityInOdoo(InstalledCase):
    def test_supervisor_records_a_quantity_on_their_job(self):
        Installed = self.Installed.with_user(self.supervisor)
        with Form(Installed) as form:
            form.job_id = self.job
            form.phase_id = self.phase_1
            form.cost_code_id = self.cc_concrete
            self.assertEqual(form.uom_id, self.m2)
            form.quantity = 120
        record = form.record
        self.assertEqual((record.budget_line_id, record.state), (self.slab, "recorded"))
        self.assertEqual(record.budget_quantity, 2000.0)
        self.assertAlmostEqual(record.percent_complete_units, 6.0)
        record.action_withdraw()
        self.assertEqual(record.state, "cancelled")
        with self.assertRaises(UserError):
            record.quantity = 10
        self.assertEqual(self.slab.installed_quantity, 0.0)

    def test_no_budget_line_or_another_unit_is_refused_in_odoo(self):
        with self.assertRaisesRegex(ValidationError, "has no budget line for P2 / 03-310"):
            self.Installed.create(
                {
                    "job_id": self.job.id,
                    "phase_id": self.phase_2.id,
                    "cost_code_id": self.cc_labor.id,
                    "quantity": 5,
                }
            )
        with self.assertRaisesRegex(ValidationError, "is measured in m²"):
            self.Installed.create(
                {
                    "job_id": self.job.id,
                    "phase_id": self.phase_1.id,
                    "cost_code_id": self.cc_concrete.id,
                    "quantity": 5,
                    "uom_id": self.env.ref("uom.product_uom_cubic_meter").id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.Installed.create(
                {
                    "job_id": self.job.id,
                    "phase_id": self.phase_1.id,
                    "cost_code_id": self.cc_concrete.id,
                    "quantity": -1,
                }
            )

    def test_supervisors_see_and_record_only_for_their_jobs(self):
        self.make_budget(self.job_2, [(self.job_2.phase_ids, self.cc_concrete, 1000)])
        self.send(external_id="on-mine")
        self.send(external_id="on-other", project="J-9002")
        Installed = self.Installed.with_user(self.supervisor)
        self.assertEqual(Installed.search([]).mapped("field_external_id"), ["on-mine"])
        with self.assertRaises(AccessError):
            Installed.create(
                {
                    "job_id": self.job_2.id,
                    "phase_id": self.job_2.phase_ids.id,
                    "cost_code_id": self.cc_concrete.id,
                    "quantity": 3,
                }
            )
        self.assertEqual(len(self.Installed.with_user(self.user_pm).search([])), 2)
