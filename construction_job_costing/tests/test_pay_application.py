from contextlib import contextmanager

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import JobCostCase


class PayApplicationCase(JobCostCase):
    """The worked example of progress billing, written out.

    Job J-9001, contract 1,000,000, schedule of values:

    ====  ==================  ==========  =================================
    item  description         original    links
    ====  ==================  ==========  =================================
    1     General conditions  100,000
    2     Foundations         300,000     phase P1
    3     Structure           600,000     phase P2 (+ CO-001 price 50,000)
    ====  ==================  ==========  =================================

    Owner change order CO-001 (P2 / 03-300, cost 40,000, price 50,000) is
    approved first: line 3 goes to 650,000, the contract to 1,050,000.
    Retainage: 10 % on work until the work is 50 % of the contract sum to date
    (525,000), 5 % on the work beyond; 5 % on stored materials.

    ===========  =====================  ====================================
    application  entered (E, F)         summary
    ===========  =====================  ====================================
    1, Jan 31    1: 40,000 / 0          4 = 370,000, 5 = 29,000 + 4,000,
                 2: 50 % / 20,000       6 = 337,000, 8 = 337,000,
                 3: 100,000 / 60,000    9 = 713,000
    2, Feb 28    1: 30,000 / 0          work 690,000: 5a = 52,500 + 8,250;
                 2: 120,000 / 10,000    4 = 740,000, 5 = 63,250,
                 3: 250,000 / 40,000    6 = 676,750, 7 = 337,000,
                                        8 = 339,750, 9 = 373,250
    ===========  =====================  ====================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sov = cls.env["construction.sov.line"]
        cls.PayApp = cls.env["construction.pay.application"]
        cls.retention_account = cls.env["account.account"].create(
            {
                "code": "121900",
                "name": "Retention Receivable",
                "account_type": "asset_current",
                "reconcile": True,
                "company_ids": [Command.set(cls.company_a.ids)],
            }
        )
        cls.company_a.construction_retention_receivable_account_id = cls.retention_account
        cls.user_billing = new_test_user(
            cls.env,
            login="t_billing",
            groups="account.group_account_invoice,construction_base.group_project_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.sov_gc, cls.sov_foundations, cls.sov_structure = cls.Sov.create(
            [
                {"job_id": cls.job.id, "sequence": 1, "name": "General conditions",
                 "original_value": 100000},
                {"job_id": cls.job.id, "sequence": 2, "name": "Foundations",
                 "phase_id": cls.phase_1.id, "original_value": 300000},
                {"job_id": cls.job.id, "sequence": 3, "name": "Structure",
                 "phase_id": cls.phase_2.id, "original_value": 600000},
            ]
        )  # fmt: skip
        cls.co_1 = cls.change_order(
            [(cls.phase_2, cls.cc_concrete, 40000, 50000)], title="Transfer slab"
        )
        cls.co_1.action_submit()
        cls.co_1.action_approve()
        cls.terms = {
            "retainage_work_percent": 10,
            "retainage_stored_percent": 5,
            "retainage_reduction_at_percent": 50,
            "retainage_reduced_percent": 5,
        }

    @contextmanager
    def refused(self, exception, regex):
        """Raise ``exception`` matching ``regex``, with nothing saved."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    @classmethod
    def new_application(cls, period_end, env=None, **vals):
        return (env or cls.env)["construction.pay.application"].create(
            {"job_id": cls.job.id, "period_end": period_end, **cls.terms, **vals}
        )

    @staticmethod
    def enter(application, entries):
        """``entries``: {item number: {field: value}}."""
        for line in application.line_ids:
            if line.item_number in entries:
                line.write(entries[line.item_number])

    @classmethod
    def certified_application_1(cls, env=None):
        application = cls.new_application("2025-01-31", env=env)
        cls.enter(
            application,
            {
                "1": {"work_this_period": 40000},
                "2": {"work_this_period_percent": 50, "stored_materials": 20000},
                "3": {"work_this_period": 100000, "stored_materials": 60000},
            },
        )
        application.action_submit()
        application.action_certify()
        return application

    @staticmethod
    def columns(application):
        """{item: (C, D, E, F, G, G/C %, H, I)}."""
        return {
            line.item_number: (
                line.scheduled_value,
                line.previous_work,
                line.work_this_period,
                line.stored_materials,
                line.total_completed,
                line.percent_complete,
                line.balance_to_finish,
                line.retainage,
            )
            for line in application.line_ids
        }

    @staticmethod
    def summary(application):
        return (
            application.original_contract_sum,
            application.net_change_orders,
            application.contract_sum_to_date,
            application.total_completed_stored,
            application.retainage_work,
            application.retainage_stored,
            application.retainage_total,
            application.total_earned_less_retainage,
            application.previous_certificates,
            application.current_payment_due,
            application.balance_to_finish_with_retainage,
        )

    @staticmethod
    def invoice_lines(invoice):
        """[(name start, amount, account, retention kind, cost code)] of the invoice."""
        return [
            (
                line.name.split(" (")[0],
                line.price_subtotal,
                line.account_id,
                line.construction_retention_kind,
                line.cost_code_id,
            )
            for line in invoice.invoice_line_ids.sorted("id")
        ]


@tagged("post_install", "-at_install")
class TestPayApplication(PayApplicationCase):
    def test_change_order_updates_the_schedule(self):
        """CO-001 went to line 3 (same phase, no cost code on the line)."""
        self.assertEqual(self.co_1.line_ids.sov_line_id, self.sov_structure)
        self.assertEqual(
            (self.sov_structure.change_order_value, self.sov_structure.scheduled_value),
            (50000, 650000),
        )
        self.assertEqual(self.job.contract_value, 1050000)
        self.assertEqual(
            sum(self.Sov.search([("job_id", "=", self.job.id)]).mapped("scheduled_value")),
            1050000,
        )
        self.assertEqual(
            [
                (s.item_number, s.name)
                for s in self.sov_gc | self.sov_foundations | self.sov_structure
            ],
            [("1", "General conditions"), ("2", "Foundations"), ("3", "Structure")],
        )

    def test_change_order_line_chosen_or_added(self):
        # Chosen by the user: line 1, though the line's phase would find line 2.
        chosen = self.change_order([(self.phase_1, self.cc_labor, 1000, 2000)], title="Winter")
        chosen.line_ids.sov_line_id = self.sov_gc
        # No line of the job has no phase and cost code 03-310: a new line.
        added = self.change_order(
            [(False, self.cc_labor, 3000, 4000), (False, self.cc_steel, 0, 6000)],
            title="Owner's extra",
        )
        added.line_ids[0].name = "Added canopy"
        pending = self.change_order([(self.phase_1, self.cc_labor, 0, 9000)])
        (chosen | added).action_submit()
        (chosen | added).action_approve()
        pending.action_submit()
        self.assertEqual(self.sov_gc.scheduled_value, 102000)
        self.assertEqual(self.sov_foundations.scheduled_value, 300000)  # pending: not yet
        new_lines = added.line_ids.sov_line_id
        self.assertEqual(
            [(s.item_number, s.name, s.original_value, s.scheduled_value, s.sequence > 100)
             for s in new_lines.sorted("sequence")],
            [(f"CO-{added.number:03d}", "Added canopy", 0, 4000, True),
             (f"CO-{added.number:03d}.2", "Owner's extra", 0, 6000, True)],
        )  # fmt: skip
        self.assertEqual(self.job.contract_value, 1062000)

    def test_two_applications_figures_and_invoices(self):
        application_1 = self.certified_application_1(env=self.env(user=self.user_billing))
        self.assertEqual(application_1.name, "J-9001-PA-001")
        self.assertEqual(application_1.state, "certified")
        self.assertEqual(
            self.columns(application_1),
            {
                "1": (100000, 0, 40000, 0, 40000, 40.0, 60000, 4000),
                "2": (300000, 0, 150000, 20000, 170000, 56.67, 130000, 16000),
                "3": (650000, 0, 100000, 60000, 160000, 24.62, 490000, 13000),
            },
        )
        self.assertEqual(
            self.summary(application_1),
            (1000000, 50000, 1050000, 370000, 29000, 4000, 33000, 337000, 0, 337000, 713000),
        )
        self.assertEqual(application_1.percent_complete, 27.62)
        invoice_1 = application_1.invoice_id
        income = invoice_1.journal_id.default_account_id
        self.assertEqual(
            (invoice_1.move_type, invoice_1.partner_id, invoice_1.state, invoice_1.invoice_date),
            ("out_invoice", self.customer, "draft", fields.Date.to_date("2025-01-31")),
        )
        self.assertEqual(invoice_1.construction_pay_application_id, application_1)
        no_code = self.env["construction.cost.code"]
        self.assertEqual(
            self.invoice_lines(invoice_1),
            [
                ("1 General conditions", 40000, income, False, no_code),
                ("2 Foundations", 170000, income, False, no_code),
                ("3 Structure", 160000, income, False, no_code),
                ("Retainage, pay application J-9001-PA-001", -33000,
                 self.retention_account, "receivable_held", no_code),
            ],
        )  # fmt: skip
        work_lines = invoice_1.invoice_line_ids.filtered(
            lambda line: not line.construction_retention_kind
        )
        self.assertEqual(set(work_lines.mapped("job_id")), {self.job})
        self.assertEqual(
            work_lines.mapped("analytic_distribution"),
            [{str(self.job.account_id.id): 100}] * 3,
        )
        self.assertFalse(invoice_1.invoice_line_ids.tax_ids)
        self.assertEqual(invoice_1.amount_total, application_1.current_payment_due)
        self.assertEqual(invoice_1.amount_total, 337000)

        invoice_1.action_post()
        self.assertEqual(application_1.state, "invoiced")
        self.assertEqual(invoice_1.amount_residual, 337000)
        # Revenue is no cost: the job cost report's actual is untouched.
        self.assertEqual(self.job.job_cost_actual, 0)

        # Application 2 starts from the certified totals of application 1.
        application_2 = self.new_application("2025-02-28")
        self.assertEqual(application_2.previous_id, application_1)
        self.assertEqual(
            {line.item_number: (line.previous_work, line.stored_materials)
             for line in application_2.line_ids},
            {"1": (40000, 0), "2": (150000, 20000), "3": (100000, 60000)},
        )  # fmt: skip
        self.enter(
            application_2,
            {
                "1": {"work_this_period": 30000},
                "2": {"work_this_period": 120000, "stored_materials": 10000},
                "3": {"work_this_period": 250000, "stored_materials": 40000},
            },
        )
        self.assertEqual(
            self.columns(application_2),
            {
                "1": (100000, 40000, 30000, 0, 70000, 70.0, 30000, 6381.25),
                "2": (300000, 150000, 120000, 10000, 280000, 93.33, 20000, 25025),
                "3": (650000, 100000, 250000, 40000, 390000, 60.0, 260000, 31843.75),
            },
        )
        self.assertEqual(
            self.summary(application_2),
            (1000000, 50000, 1050000, 740000, 60750, 2500, 63250, 676750, 337000, 339750,
             373250),
        )  # fmt: skip
        application_2.action_submit()
        application_2.with_user(self.user_billing).action_certify()
        invoice_2 = application_2.invoice_id
        self.assertEqual(
            self.invoice_lines(invoice_2),
            [
                ("1 General conditions", 30000, income, False, no_code),
                ("2 Foundations", 110000, income, False, no_code),
                ("3 Structure", 230000, income, False, no_code),
                ("Retainage, pay application J-9001-PA-002", -30250,
                 self.retention_account, "receivable_held", no_code),
            ],
        )  # fmt: skip
        self.assertEqual(invoice_2.amount_total, 339750)
        invoice_2.action_post()
        self.assertEqual(invoice_2.amount_residual, application_2.current_payment_due)
        # Billed to date (posted invoice lines of the job, no retention) = line 4.
        billed = self.env["account.move.line"].search(
            [
                ("job_id", "=", self.job.id),
                ("move_id.move_type", "=", "out_invoice"),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("construction_retention_kind", "=", False),
            ]
        )
        self.assertEqual(sum(billed.mapped("price_subtotal")), 740000)
        self.assertEqual(sum(-line.balance for line in billed), 740000)
        self.assertEqual(self.sov_structure.completed_to_date, 390000)

        # Certified figures hold when the schedule changes afterwards.
        co_2 = self.change_order([(self.phase_2, self.cc_concrete, 0, 10000)])
        co_2.action_submit()
        co_2.action_approve()
        self.assertEqual(self.sov_structure.scheduled_value, 660000)
        self.assertEqual(application_2.contract_sum_to_date, 1050000)
        self.assertEqual(application_2.line_ids[2].scheduled_value, 650000)
        application_3 = self.new_application("2025-03-31")
        self.assertEqual(application_3.contract_sum_to_date, 1060000)
        self.assertEqual(application_3.previous_certificates, 676750)

        # An invoice reset to draft puts its application back to certified.
        invoice_2.button_draft()
        self.assertEqual(application_2.state, "certified")

    def test_terms_follow_the_previous_application(self):
        application_1 = self.certified_application_1()
        application_2 = self.PayApp.create({"job_id": self.job.id, "period_end": "2025-02-28"})
        self.assertEqual(
            (
                application_2.retainage_work_percent,
                application_2.retainage_stored_percent,
                application_2.retainage_reduction_at_percent,
                application_2.retainage_reduced_percent,
            ),
            (10, 5, 50, 5),
        )
        self.assertNotEqual(application_1, application_2)
        # A new schedule line joins the open application.
        extra = self.Sov.create({"job_id": self.job.id, "name": "Allowance", "original_value": 0})
        self.assertEqual(extra.item_number, "4")
        self.assertIn(extra, application_2.line_ids.sov_line_id)

    def test_reset_and_delete(self):
        application = self.new_application("2025-01-31")
        self.enter(application, {"1": {"work_this_period": 1000}})
        application.action_submit()
        with self.refused(
            UserError, "is Submitted: line 1 General conditions cannot be changed. Reset"
        ):
            application.line_ids[0].work_this_period = 2000
        application.action_draft()
        self.assertEqual(application.state, "draft")
        application.line_ids[0].work_this_period = 2000
        self.assertEqual(application.current_payment_due, 1800)
        application.unlink()
        self.assertFalse(self.PayApp.search([("job_id", "=", self.job.id)]))


@tagged("post_install", "-at_install")
class TestPayApplicationBadInput(PayApplicationCase):
    def test_over_100_percent_of_a_line(self):
        application = self.new_application("2025-01-31")
        line_1 = application.line_ids.filtered(lambda line: line.item_number == "1")
        with self.refused(
            ValidationError,
            r"J-9001-PA-001, line 1 General conditions: work completed and stored to date "
            r"\$\s?100,000\.01 is over 100% of its scheduled value \$\s?100,000\.00",
        ):
            line_1.write({"work_this_period": 90000, "stored_materials": 10000.01})
        line_1.invalidate_recordset()
        self.assertEqual((line_1.work_this_period, line_1.stored_materials), (0, 0))
        with self.refused(ValidationError, "line 2 Foundations"):
            application.line_ids[1].work_this_period_percent = 101
        # Exactly 100 % is fine.
        line_1.work_this_period_percent = 100
        self.assertEqual((line_1.work_this_period, line_1.balance_to_finish), (100000, 0))

    def test_out_of_sequence_and_period_already_certified(self):
        application_1 = self.certified_application_1()
        draft = self.new_application("2025-02-28")
        with self.refused(
            UserError, "J-9001-PA-002 of job .* is still Draft: certify or delete it"
        ):
            self.new_application("2025-03-31")
        draft.unlink()
        with self.refused(
            ValidationError,
            r"period to 01/31/2025 .* is already certified on pay application " r"J-9001-PA-001",
        ):
            self.new_application("2025-01-31")
        with self.refused(ValidationError, "is out of sequence: its period ends"):
            self.new_application("2024-12-31")
        application_2 = self.new_application("2025-02-28")
        with self.refused(ValidationError, "out of sequence"):
            application_2.period_end = "2025-01-15"
        self.assertEqual(application_1.state, "certified")

    def test_certified_application_cannot_be_edited(self):
        application = self.certified_application_1()
        with self.refused(UserError, "J-9001-PA-001 is certified and cannot be changed"):
            application.period_end = "2025-01-30"
        with self.refused(UserError, "J-9001-PA-001 is certified and cannot be changed"):
            application.retainage_work_percent = 5
        with self.refused(UserError, "is Certified: line 1 General conditions cannot"):
            application.line_ids[0].work_this_period = 1
        with self.refused(UserError, "only a draft can be deleted"):
            application.unlink()
        with self.refused(UserError, "billed on certified pay application"):
            self.sov_gc.original_value = 1
        with self.refused(UserError, "only a submitted application"):
            application.action_draft()
        self.assertEqual(application.line_ids[0].work_this_period, 40000)

    def test_retainage_rates_outside_0_100(self):
        for fname, value in (
            ("retainage_work_percent", 101),
            ("retainage_stored_percent", -1),
            ("retainage_reduced_percent", 150),
            ("retainage_reduction_at_percent", 100.5),
        ):
            with self.subTest(fname), self.refused(ValidationError, "between 0 and 100"):
                self.new_application("2025-01-31", **{fname: value})
        self.assertFalse(self.PayApp.search([("job_id", "=", self.job.id)]))
        application = self.new_application("2025-01-31")
        with self.refused(ValidationError, r"Retainage on Work % is 120\.0"):
            application.retainage_work_percent = 120

    def test_retention_account_missing(self):
        self.company_a.construction_retention_receivable_account_id = False
        application = self.new_application("2025-01-31")
        self.enter(application, {"1": {"work_this_period": 40000}})
        application.action_submit()
        with self.refused(UserError, r"Set the Retention Receivable Account .*Settings"):
            application.action_certify()
        self.assertEqual(application.state, "submitted")
        self.assertFalse(
            self.env["account.move"].search(
                [("construction_pay_application_id", "=", application.id)]
            )
        )

    def test_schedule_not_matching_the_contract_and_nothing_to_bill(self):
        application = self.new_application("2025-01-31")
        with self.refused(UserError, "nothing to pay this period"):
            application.action_submit()
        self.job.contract_value = 1100000
        self.enter(application, {"1": {"work_this_period": 40000}})
        with self.refused(
            UserError, r"totals \$\s?1,050,000\.00 but the contract value of the job is"
        ):
            application.action_submit()
        self.assertEqual(application.state, "draft")

    def test_access(self):
        application = self.certified_application_1()
        # Project managers read; they do not bill.
        self.assertEqual(application.with_user(self.user_pm).current_payment_due, 337000)
        with self.assertRaises(AccessError):
            self.new_application("2025-02-28", env=self.env(user=self.user_pm))
        # Another company's users do not see the job's billing.
        self.assertFalse(self.PayApp.with_user(self.user_b).search([("job_id", "=", self.job.id)]))
        self.assertFalse(self.Sov.with_user(self.user_b).search([("job_id", "=", self.job.id)]))
