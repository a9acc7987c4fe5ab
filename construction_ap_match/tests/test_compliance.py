import base64
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MatchCase

PAY_DAY = date(2026, 12, 15)


class ComplianceCase(MatchCase):
    """A subcontract of Northline Steel on the job, and four requirements of company A:
    general liability (1,000,000, blocks), workers' comp (blocks), auto (warns) and the
    lien waiver of the previous payment (blocks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a.construction_match_level = "two_way"
        cls.subcontract = cls.job_po(
            cls,
            [(cls.steel_work, 10, 1000)],
            partner_id=cls.subcontractor.id,
            order_kind="subcontract",
            user_id=cls.buyer.id,
        )
        cls.subcontract.button_confirm()
        cls.sub_line = cls.subcontract.order_line
        Requirement = cls.env["construction.compliance.requirement"]
        cls.gl, cls.wc, cls.auto, cls.waiver = Requirement.create(
            [
                {
                    "name": "General liability certificate",
                    "code": "GL",
                    "company_id": cls.company_a.id,
                    "min_coverage": 1_000_000,
                },
                {"name": "Workers' comp certificate", "code": "WC", "company_id": cls.company_a.id},
                {
                    "name": "Auto liability certificate",
                    "code": "AUTO",
                    "company_id": cls.company_a.id,
                    "action": "warn",
                },
                {
                    "name": "Lien waiver of the previous payment",
                    "code": "ULW",
                    "company_id": cls.company_a.id,
                    "kind": "payment",
                    "waiver_covers": "previous",
                },
            ]
        )
        cls.Doc = cls.env["construction.compliance.document"]
        cls.controller_2 = new_test_user(
            cls.env,
            login="t_controller_2",
            groups="construction_base.group_controller",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )

    def doc(self, requirement, state="accepted", **vals):
        return self.Doc.create(
            {
                "company_id": self.company_a.id,
                "partner_id": self.subcontractor.id,
                "requirement_id": requirement.id,
                "effective_date": "2026-01-01",
                "expiry_date": "2026-12-31",
                "coverage_amount": 2_000_000,
                "state": state,
                **vals,
            }
        )

    def certificates(self, *requirements):
        return self.Doc.union(*(self.doc(req) for req in requirements or (self.gl, self.wc)))

    def sub_bill(self, quantity=1, ref="NSE-1", user=None):
        line_vals = self.sub_line._prepare_account_move_line()
        line_vals.update(quantity=quantity, price_unit=1000)
        line_vals.pop("display_type", None)
        Move = self.env["account.move"]
        if user:
            Move = Move.with_user(user)
        bill = Move.with_company(self.company_a).create(
            {
                "move_type": "in_invoice",
                "partner_id": self.subcontractor.id,
                "ref": ref,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [Command.create(line_vals)],
            }
        )
        bill.sudo().action_post()
        return bill.sudo()

    def plain_bill(self, vendor, ref="OFF-1"):
        bill = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": vendor.id,
                    "ref": ref,
                    "invoice_date": "2026-11-20",
                    "invoice_line_ids": [
                        Command.create({"name": "Office coffee", "quantity": 1, "price_unit": 12})
                    ],
                }
            )
        )
        bill.action_post()
        return bill

    def wizard(self, bill, on=PAY_DAY, **vals):
        action = bill.action_register_payment()
        return (
            self.env["account.payment.register"]
            .with_context(**action["context"])
            .create({"payment_date": on, **vals})
        )

    def pay(self, bill, on=PAY_DAY, **vals):
        self.wizard(bill, on, **vals).action_create_payments()
        return bill.matched_payment_ids.sorted("id")[-1:] or self.env["account.payment"].search(
            [("invoice_ids", "in", bill.ids)], order="id desc", limit=1
        )

    def refusal(self, bill, on=PAY_DAY):
        with self.assertRaises(UserError) as caught:
            self.pay(bill, on)
        return str(caught.exception)


@tagged("post_install", "-at_install")
class TestComplianceGating(ComplianceCase):
    def test_payment_refused_for_each_gap_until_accepted(self):
        bill = self.sub_bill()
        self.assertEqual(bill.construction_compliance_state, "non_compliant")
        message = self.refusal(bill)
        self.assertIn("Payment refused: vendor compliance documents", message)
        self.assertIn("General liability certificate missing (job J-9001)", message)
        self.assertIn("Workers' comp certificate missing (job J-9001)", message)
        self.assertNotIn("Auto liability", message)  # warns only
        wc = self.doc(self.wc)
        gl = self.doc(self.gl, state="pending")
        self.assertIn("General liability certificate waiting for review", self.refusal(bill))
        self.assertNotIn("Workers' comp", self.refusal(bill))
        gl.action_reject()
        self.assertIn("General liability certificate rejected", self.refusal(bill))
        gl.write({"state": "accepted", "coverage_amount": 500_000})
        self.assertIn(
            "General liability certificate coverage $\xa0500,000.00 below the required "
            "$\xa01,000,000.00",
            self.refusal(bill),
        )
        gl.write({"coverage_amount": 1_000_000, "expiry_date": "2026-12-01"})
        self.assertIn("General liability certificate expired on 12/01/2026", self.refusal(bill))
        gl.write({"effective_date": "2026-12-20", "expiry_date": "2027-12-20"})
        self.assertIn("not effective before 12/20/2026", self.refusal(bill))
        # The renewed certificate, accepted by accounts payable: the payment goes through.
        renewed = self.doc(self.gl, state="pending", effective_date="2026-12-01")
        renewed.with_user(self.user_ap).action_accept()
        self.assertEqual((renewed.state, renewed.reviewed_by), ("accepted", self.user_ap))
        payment = self.pay(bill)
        self.assertEqual((payment.amount, bill.amount_total), (1150.0, 1150.0))
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(payment.construction_job_ids, self.job)
        self.assertTrue(wc)

    def test_expiry_exactly_on_the_payment_date_still_covers(self):
        self.certificates(self.wc)
        self.doc(self.gl, expiry_date=PAY_DAY)
        on_the_day = self.sub_bill(ref="NSE-1")
        self.pay(on_the_day, PAY_DAY)
        self.assertIn(on_the_day.payment_state, ("paid", "in_payment"))
        day_after = self.sub_bill(ref="NSE-2")
        message = self.refusal(day_after, PAY_DAY + timedelta(days=1))
        self.assertIn("General liability certificate expired on 12/15/2026", message)

    def test_warn_only_requirement_pays_and_says_so(self):
        self.certificates()
        bill = self.sub_bill()
        wizard = self.wizard(bill)
        self.assertEqual(
            wizard.construction_compliance_warning,
            f"{bill.name}: Auto liability certificate missing (job J-9001) [warning]",
        )
        wizard.action_create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertIn(
            "with vendor compliance gaps: Auto liability certificate missing",
            bill.message_ids[:3].mapped("body")[0]
            if "gaps" in bill.message_ids[:1].body
            else " ".join(bill.message_ids.mapped("body")),
        )

    def test_plain_vendor_is_not_concerned(self):
        bill = self.plain_bill(self.vendor_b)
        self.assertEqual(bill.construction_compliance_state, "none")
        self.assertEqual(self.vendor_b.construction_compliance_state, "none")
        self.pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_controller_release_with_reason_and_segregation(self):
        self.certificates(self.wc)
        bill = self.sub_bill(quantity=2, user=self.user_controller)
        with self.assertRaises(UserError) as caught:
            bill.with_user(self.user_ap)._construction_release_compliance("urgent")
        self.assertIn("Only a controller", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            bill.with_user(self.user_controller)._construction_release_compliance("urgent")
        self.assertIn("segregation of duties", str(caught.exception))
        with self.assertRaises(UserError):
            bill.with_user(self.controller_2)._construction_release_compliance("  ")
        wizard = (
            self.env["construction.compliance.release.wizard"]
            .with_user(self.controller_2)
            .create({"move_id": bill.id, "reason": "Certificate renewal faxed, original due"})
        )
        wizard.action_release()
        release = bill.construction_compliance_release_ids
        self.assertEqual(
            (release.user_id, release.reason, release.state),
            (self.controller_2, "Certificate renewal faxed, original due", "open"),
        )
        self.assertIn("General liability certificate missing", release.gaps)
        self.assertTrue(bill.construction_compliance_released)
        payment = self.pay(bill, amount=1000)
        self.assertEqual((release.state, release.payment_id), ("used", payment))
        self.assertEqual(bill.payment_state, "partial")
        # A single payment: the rest is refused again.
        self.assertIn("General liability certificate missing", self.refusal(bill))

    def test_lien_waiver_per_payment_across_three_payments(self):
        self.certificates(self.gl, self.wc, self.auto)
        first, second, third = (self.sub_bill(ref=f"NSE-{n}") for n in (1, 2, 3))
        p1 = self.pay(first, date(2026, 12, 1))
        message = self.refusal(second, date(2026, 12, 8))
        self.assertIn(
            f"Lien waiver of the previous payment for payment {p1.name} missing (job J-9001)",
            message,
        )
        self.assertEqual(
            self.subcontractor.with_company(self.company_a).construction_compliance_state,
            "non_compliant",
        )
        waiver_1 = self.doc(
            self.waiver,
            state="pending",
            job_id=self.job.id,
            payment_id=p1.id,
            expiry_date=False,
            through_date="2026-12-01",
            waiver_amount=1000,
        )
        self.assertIn("waiting for review", self.refusal(second, date(2026, 12, 8)))
        waiver_1.action_accept()
        p2 = self.pay(second, date(2026, 12, 8))
        # The third payment needs the waiver of the second, not of the first.
        message = self.refusal(third, date(2026, 12, 15))
        self.assertIn(f"for payment {p2.name} missing", message)
        self.assertNotIn(p1.name, message)
        # A waiver through the date of the second payment covers it.
        self.doc(self.waiver, job_id=self.job.id, expiry_date=False, through_date="2026-12-08")
        self.pay(third, date(2026, 12, 15))
        self.assertIn(third.payment_state, ("paid", "in_payment"))
        # A waiver for another vendor's payment is refused, naming the field.
        other = self.pay(self.plain_bill(self.vendor_b))
        with self.assertRaises(ValidationError) as caught:
            self.doc(self.waiver, job_id=self.job.id, payment_id=other.id, expiry_date=False)
        self.assertIn(
            "the lien waiver's Payment must be a payment to its vendor", str(caught.exception)
        )


@tagged("post_install", "-at_install")
class TestComplianceDocuments(ComplianceCase):
    def test_bad_input_names_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            self.doc(self.gl, effective_date="2026-06-01", expiry_date="2026-05-31")
        self.assertIn("Expiry Date 05/31/2026", str(caught.exception))
        self.assertIn("before its Effective Date 06/01/2026", str(caught.exception))
        self.company_a.construction_compliance_max_file_mb = 0.001
        with self.assertRaises(ValidationError) as caught:
            self.doc(self.gl, file=base64.b64encode(b"x" * 2000), file_name="coi.pdf")
        self.assertIn("File coi.pdf is 0.0 MB, over the limit of 0.001 MB", str(caught.exception))
        small = self.doc(self.gl, file=base64.b64encode(b"x" * 1000), file_name="coi.pdf")
        self.assertTrue(small.file)

    def test_vendor_subcontract_and_bill_show_the_gaps(self):
        self.doc(
            self.gl, expiry_date=fields.Date.today() + timedelta(days=10), effective_date=False
        )
        sub = self.subcontractor.with_company(self.company_a)
        self.assertEqual(sub.construction_compliance_state, "non_compliant")
        self.assertEqual(
            sub.construction_compliance_gaps.splitlines()[:2],
            [
                "Workers' comp certificate missing",
                "Auto liability certificate missing [warning]",
            ],
        )
        self.assertEqual(self.subcontract.construction_compliance_state, "non_compliant")
        self.assertIn(
            "Workers' comp certificate missing (job J-9001)",
            self.subcontract.construction_compliance_gaps,
        )
        self.doc(self.wc, expiry_date=False, effective_date=False)
        self.doc(self.auto, expiry_date=False, effective_date=False)
        sub.invalidate_recordset()
        self.assertEqual(sub.construction_compliance_state, "expiring")
        self.assertIn("General liability certificate expires on", sub.construction_compliance_gaps)
        self.assertEqual(self.vendor_a.construction_compliance_state, "none")

    def test_compliance_changed_events(self):
        events = self.events("vendor.compliance_changed")
        self.assertFalse(events)
        gl = self.doc(self.gl, expiry_date=False, effective_date=False)
        [event] = self.events("vendor.compliance_changed")
        self.assertEqual(
            (event.res_id, event.payload["status"], event.payload["compliant"]),
            (self.subcontractor.id, "non_compliant", False),
        )
        self.assertEqual([g["requirement"] for g in event.payload["gaps"]], ["WC", "AUTO"])
        self.doc(self.wc, expiry_date=False, effective_date=False)
        self.doc(self.auto, expiry_date=False, effective_date=False)
        last = self.events("vendor.compliance_changed")[-1]
        self.assertEqual((last.payload["status"], last.payload["compliant"]), ("compliant", True))
        self.assertEqual(len(self.events("vendor.compliance_changed")), 2)
        gl.action_reject()
        self.assertEqual(
            self.events("vendor.compliance_changed")[-1].payload["gaps"][0]["problem"], "rejected"
        )

    def test_reminder_cron(self):
        today = fields.Date.today()
        self.company_a.construction_compliance_expiring_days = 30
        soon = self.doc(self.gl, effective_date=False, expiry_date=today + timedelta(days=10))
        later = self.doc(self.wc, effective_date=False, expiry_date=today + timedelta(days=60))
        lapsed = self.doc(self.auto, effective_date=False, expiry_date=today - timedelta(days=1))
        self.Doc._cron_compliance_daily()
        self.assertEqual(lapsed.state, "expired")
        self.assertEqual((soon.state, soon.reminder_date), ("accepted", today))
        [activity] = soon.activity_ids
        self.assertEqual(activity.user_id, self.buyer)  # buyer of the subcontract
        self.assertEqual(activity.date_deadline, today + timedelta(days=10))
        self.assertIn(
            "General liability certificate of Northline Steel expires on", activity.summary
        )
        self.assertFalse(later.activity_ids)
        self.Doc._cron_compliance_daily()
        self.assertEqual(len(soon.activity_ids), 1)  # once per certificate
        # The vendor's own buyer comes first.
        self.subcontractor.buyer_id = self.user_controller
        soon.expiry_date = today + timedelta(days=9)
        self.Doc._cron_compliance_daily()
        self.assertEqual(soon.activity_ids.user_id, self.buyer | self.user_controller)

    def test_multi_company_isolation(self):
        self.doc(self.gl, expiry_date=False, effective_date=False)
        Requirement = self.env["construction.compliance.requirement"]
        Requirement.create(
            {"name": "GL (B)", "code": "GL", "company_id": self.company_b.id, "applies_to": "all"}
        )
        self.assertEqual(
            self.subcontractor.with_company(self.company_b).construction_compliance_state,
            "non_compliant",
        )
        self.assertEqual(
            self.subcontractor.with_company(self.company_b).construction_compliance_gaps,
            "GL (B) missing",
        )
        self.assertEqual(self.Doc.with_user(self.user_b).search_count([]), 0)
        self.assertEqual(Requirement.with_user(self.user_b).search([]).mapped("name"), ["GL (B)"])
        with self.assertRaises(UserError):
            self.Doc.create(
                {
                    "company_id": self.company_b.id,
                    "partner_id": self.subcontractor.id,
                    "requirement_id": self.gl.id,
                }
            )


@tagged("post_install", "-at_install")
class TestVendorComplianceMessage(ComplianceCase):
    def payload(self, **values):
        return {
            "vendor": "V-NS",
            "requirement": "GL",
            "effective_date": "2026-01-01",
            "expiry_date": "2026-12-31",
            **values,
        }

    def test_inbound_certificate_pending_review(self):
        self.env["construction.external.ref"]._bind("fieldapp", {"V-NS": self.subcontractor})
        pdf = base64.b64encode(b"%PDF-1.4 certificate").decode()
        results = self.submit(
            self.message(
                "master.vendor_compliance",
                self.payload(
                    external_id="COI-1",
                    project="J-9001",
                    coverage_amount=2000000,
                    file=pdf,
                    filename="coi.pdf",
                ),
                company=self.company_a.name,
            ),
            self.message("master.vendor_compliance", self.payload(requirement="NOPE")),
            self.message(
                "master.vendor_compliance",
                self.payload(effective_date="2026-06-01", expiry_date="2026-05-01"),
            ),
        )
        self.process()
        good, unknown, backwards = self.Inbound.browse([r["id"] for r in results])
        self.assertEqual(good.state, "done", good.errors)
        doc = self.Doc.browse(good.result_ids)
        self.assertEqual(
            (doc.state, doc.partner_id, doc.requirement_id, doc.job_id, doc.coverage_amount),
            ("pending", self.subcontractor, self.gl, self.job, 2_000_000),
        )
        self.assertEqual(
            (doc.file_name, base64.b64decode(doc.file)), ("coi.pdf", b"%PDF-1.4 certificate")
        )
        self.assertEqual(
            (unknown.state, unknown.errors[0]["field"]), ("dead", "payload.requirement")
        )
        self.assertEqual(backwards.state, "rejected")
        self.assertEqual(backwards.errors[0]["field"], "payload.expiry_date")
        # Accepted, then renewed from the field app: the same document, back in review.
        doc.action_accept()
        self.submit(
            self.message(
                "master.vendor_compliance",
                self.payload(external_id="COI-1", project="J-9001", expiry_date="2027-12-31"),
            )
        )
        self.process()
        self.assertEqual((doc.state, doc.expiry_date), ("pending", date(2027, 12, 31)))
        self.assertEqual(self.Doc.search_count([("external_id", "=", "COI-1")]), 1)
        # A file over the company's limit.
        self.company_a.construction_compliance_max_file_mb = 0.001
        [big] = self.submit(
            self.message(
                "master.vendor_compliance",
                self.payload(file=base64.b64encode(b"x" * 4000).decode(), filename="big.pdf"),
            )
        )
        self.process()
        big = self.Inbound.browse(big["id"])
        self.assertEqual((big.state, big.errors[0]["field"]), ("dead", "payload.file"))
