from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import FieldCase


class EquipmentCase(FieldCase):
    """An excavator at 85/h and a rented crane at 120/h, booked on the
    equipment cost code 01-540 of company A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cc_equipment = cls.CostCode.create(
            {
                "code": "01-540",
                "name": "Construction Equipment",
                "cost_type": "equipment",
                "company_id": cls.company_a.id,
            }
        )
        cls.Equipment = cls.env["construction.equipment"]
        cls.Usage = cls.env["construction.equipment.usage"]
        cls.excavator = cls.Equipment.create(
            {
                "code": "EX-20",
                "name": "Excavator 20 t",
                "company_id": cls.company_a.id,
                "hourly_rate": 85.0,
                "cost_code_id": cls.cc_equipment.id,
            }
        )
        cls.crane = cls.Equipment.create(
            {
                "code": "CR-50",
                "name": "Mobile crane 50 t",
                "company_id": cls.company_a.id,
                "ownership": "rented",
                "hourly_rate": 120.0,
                "cost_code_id": cls.cc_equipment.id,
            }
        )

    def usage_payload(self, external_id="eq-1", **values):
        payload = {
            "external_id": external_id,
            "project": "J-9001",
            "phase": "P1",
            "cost_code": "01-540",
            "equipment": "EX-20",
            "date": fields.Date.to_string(self.yesterday),
            "hours": 6,
        }
        payload.update(values)
        return {key: value for key, value in payload.items() if value is not None}

    def send(self, minutes_ago=0, external_id="eq-1", device=None, **values):
        payload = self.usage_payload(external_id, **values)
        if device:
            payload["device"] = device
        return self.apply(self.field("field.equipment_usage", payload, minutes_ago=minutes_ago))

    def usage(self, external_id="eq-1"):
        return self.Usage.search([("field_external_id", "=", external_id)])

    def approve(self, usage, approver=None):
        """Approve the day's line as the crew-time approval does."""
        usage.analytic_line_id.sudo().write(
            {
                "field_state": "approved",
                "field_approved_by": (approver or self.supervisor).id,
                "field_approved_at": fields.Datetime.now(),
            }
        )

    def row(self, phase_code="P1", code="01-540", as_of=None):
        self.env.invalidate_all()  # the report is a view: read it afresh
        return self.report_rows(as_of or self.today).get((phase_code, code))


@tagged("post_install", "-at_install")
class TestEquipmentUsageInbound(EquipmentCase):
    def test_hours_are_booked_at_the_rate_pending_then_actual_once_approved(self):
        (message,) = self.send(minutes_ago=5, employee="ID-101", description="Trench for footings")
        self.assertEqual(message.state, "done", message.errors)
        usage = self.usage()
        self.assertEqual(message.result_model, "construction.equipment.usage")
        self.assertEqual(message.result_ids, usage.ids)
        self.assertEqual(
            (usage.job_id, usage.phase_id, usage.cost_code_id, usage.equipment_id),
            (self.job, self.phase_1, self.cc_equipment, self.excavator),
        )
        self.assertEqual(usage.employee_id, self.carpenter)
        self.assertEqual((usage.hours, usage.hourly_rate, usage.amount), (6.0, 85.0, 510.0))
        self.assertEqual(usage.state, "submitted")
        line = usage.analytic_line_id
        self.assertEqual(line.equipment_usage_id, usage)
        self.assertEqual(line.amount, -510.0)
        self.assertEqual(line.unit_amount, 6.0)
        self.assertEqual(line.account_id, self.job.account_id)
        self.assertEqual(
            (line.job_id, line.phase_id, line.cost_code_id),
            (self.job, self.phase_1, self.cc_equipment),
        )
        self.assertFalse(line.project_id, "equipment hours are not timesheets")
        self.assertFalse(line.employee_id)
        self.assertEqual(line.field_state, "submitted")
        self.assertEqual(line.field_source_id, self.source)
        self.assertEqual(line.date, self.yesterday)

        row = self.row()
        self.assertEqual((row.actual, row.pending_field_cost), (0.0, 510.0))

        self.approve(usage)
        self.env.invalidate_all()
        self.assertEqual(usage.state, "approved")
        row = self.row()
        self.assertEqual((row.actual, row.pending_field_cost), (510.0, 0.0))
        # Before the usage's date it did not count yet.
        self.assertFalse(self.row(as_of=self.yesterday - timedelta(days=1)))

    def test_approving_the_crews_day_approves_the_equipment_hours_of_that_day(self):
        crew, usage_message, other_day = self.apply(
            self.field(
                "field.timesheet",
                {
                    "external_id": "ts-1",
                    "employee": "ID-101",
                    "project": "J-9001",
                    "phase": "P1",
                    "cost_code": "03-310",
                    "date": fields.Date.to_string(self.yesterday),
                    "hours": 8,
                },
                minutes_ago=5,
            ),
            self.field("field.equipment_usage", self.usage_payload(), minutes_ago=5),
            self.field(
                "field.equipment_usage",
                self.usage_payload(
                    "eq-2", date=fields.Date.to_string(self.yesterday - timedelta(days=3))
                ),
                minutes_ago=5,
            ),
        )
        self.assertEqual(
            [crew.state, usage_message.state, other_day.state], ["done"] * 3, crew.errors
        )
        time_line = self.env["account.analytic.line"].browse(crew.result_ids)
        time_line.with_user(self.supervisor).action_field_approve_day()
        self.env.invalidate_all()
        usage = self.usage()
        self.assertEqual(usage.state, "approved")
        self.assertEqual(usage.approved_by, self.supervisor)
        self.assertEqual(self.usage("eq-2").state, "submitted", "another day waits")
        row = self.row()
        self.assertEqual((row.actual, row.pending_field_cost), (510.0, 510.0))

    def test_rate_used_stays_when_the_equipment_rate_changes(self):
        self.send()
        self.excavator.hourly_rate = 95.0
        usage = self.usage()
        self.assertEqual((usage.hourly_rate, usage.amount), (85.0, 510.0))
        self.send(hours=8)
        self.assertEqual((usage.hourly_rate, usage.amount), (85.0, 680.0))
        self.assertEqual(usage.analytic_line_id.amount, -680.0)

    def test_a_newer_change_updates_and_keeps_the_overwritten_version(self):
        self.send(minutes_ago=30, device="phone-A")
        (message,) = self.send(minutes_ago=10, device="phone-A", hours=7.5, equipment="CR-50")
        self.assertEqual(message.state, "done")
        self.assertFalse(message.note)
        usage = self.usage()
        self.assertEqual(len(usage), 1)
        self.assertEqual((usage.equipment_id, usage.hours, usage.amount), (self.crane, 7.5, 900.0))
        self.assertEqual(usage.analytic_line_id.amount, -900.0)
        self.assertEqual(usage.analytic_line_id.unit_amount, 7.5)
        self.assertEqual(len(usage.analytic_line_ids), 1)
        self.assertEqual(usage.field_occurred_at, self.as_datetime(self.at(10)))
        revision = self.env["construction.field.revision"].search(
            [("res_model", "=", usage._name), ("res_id", "=", usage.id)]
        )
        self.assertEqual(len(revision), 1)
        self.assertEqual(revision.values["hours"], 6.0)
        self.assertEqual(revision.values["equipment_id"], "[EX-20] Excavator 20 t")
        self.assertEqual(revision.occurred_at, self.as_datetime(self.at(30)))
        self.assertEqual((revision.device, revision.replaced_by_device), ("phone-A", "phone-A"))
        self.assertEqual(self.row().pending_field_cost, 900.0)

    def test_the_same_change_sent_again_keeps_no_version(self):
        self.send(minutes_ago=10)
        (message,) = self.send(minutes_ago=10)
        self.assertEqual(message.state, "done")
        usage = self.usage()
        self.assertEqual(usage.amount, 510.0)
        self.assertFalse(usage.field_revision_count)

    def test_an_older_change_is_stale_and_changes_nothing(self):
        self.send(minutes_ago=5, hours=7)
        (late,) = self.send(minutes_ago=30, hours=2)
        self.assertEqual(late.state, "done")
        self.assertTrue(late.note.startswith("Stale"), late.note)
        usage = self.usage()
        self.assertEqual((usage.hours, usage.amount), (7.0, 595.0))
        self.assertFalse(usage.field_revision_count)

    def test_two_phones_in_one_batch_the_later_wins_and_both_are_kept(self):
        later = self.field(
            "field.equipment_usage",
            {**self.usage_payload(hours=9), "device": "foreman-phone"},
            minutes_ago=5,
        )
        earlier = self.field(
            "field.equipment_usage",
            {**self.usage_payload(hours=4), "device": "operator-tablet"},
            minutes_ago=20,
        )
        messages = self.apply(later, earlier)
        self.assertEqual(messages.mapped("state"), ["done", "done"])
        usage = self.usage()
        self.assertEqual(
            (usage.hours, usage.amount, usage.field_device), (9.0, 765.0, "foreman-phone")
        )
        revision = self.env["construction.field.revision"].search(
            [("res_model", "=", usage._name), ("res_id", "=", usage.id)]
        )
        self.assertEqual((revision.device, revision.values["hours"]), ("operator-tablet", 4.0))
        self.assertEqual(revision.replaced_by_device, "foreman-phone")
        statuses = self.env["construction.field.sync.status"].search([("job_id", "=", self.job.id)])
        self.assertEqual(sorted(statuses.mapped("device")), ["foreman-phone", "operator-tablet"])

    def test_cancellation_withdraws_and_stops_counting(self):
        self.send(minutes_ago=20)
        (message,) = self.apply(
            self.field(
                "field.equipment_usage", {"external_id": "eq-1", "cancelled": True}, minutes_ago=5
            )
        )
        self.assertEqual(message.state, "done")
        self.assertIn("Withdrawn", message.note)
        usage = self.usage()
        self.assertEqual(usage.state, "cancelled")
        self.assertEqual(usage.analytic_line_id.field_state, "cancelled")
        self.assertFalse(self.row())
        # Cancelled again, or cancelling what never arrived: nothing to do.
        (again,) = self.apply(
            self.field(
                "field.equipment_usage", {"external_id": "eq-1", "cancelled": True}, minutes_ago=1
            )
        )
        self.assertIn("already withdrawn", again.note)
        (never,) = self.apply(
            self.field("field.equipment_usage", {"external_id": "eq-404", "cancelled": True})
        )
        self.assertEqual(never.state, "done")
        self.assertIn("never applied", never.note)
        self.assertFalse(self.usage("eq-404"))

    def test_a_newer_change_after_a_withdrawal_or_rejection_submits_it_again(self):
        self.send(minutes_ago=30)
        usage = self.usage()
        usage.analytic_line_id.sudo().field_state = "rejected"
        self.send(minutes_ago=20, hours=5)
        self.assertEqual((usage.state, usage.amount), ("submitted", 425.0))
        self.apply(
            self.field(
                "field.equipment_usage", {"external_id": "eq-1", "cancelled": True}, minutes_ago=10
            )
        )
        self.assertEqual(usage.state, "cancelled")
        self.send(minutes_ago=5, hours=4)
        self.assertEqual((usage.state, usage.amount), ("submitted", 340.0))
        self.assertEqual(self.row().pending_field_cost, 340.0)

    def test_a_change_to_approved_hours_becomes_an_amendment(self):
        self.send(minutes_ago=30)
        usage = self.usage()
        self.approve(usage)
        (message,) = self.send(minutes_ago=5, hours=8, device="phone-B")
        self.assertEqual(message.state, "done")
        self.assertIn("Amendment", message.note)
        self.env.invalidate_all()
        self.assertEqual((usage.hours, usage.amount, usage.state), (6.0, 510.0, "approved"))
        amendment = self.env["construction.field.amendment"].search(
            [("res_model", "=", usage._name), ("res_id", "=", usage.id)]
        )
        self.assertEqual(amendment.state, "pending")
        self.assertEqual(amendment.values, {"hours": 8.0})
        self.assertEqual(amendment.approver_id, self.supervisor)
        self.assertIn("Hours: 6.0 -> 8.0", amendment.summary)
        self.assertEqual(self.row().actual, 510.0)

        amendment.with_user(self.supervisor).action_accept()
        self.env.invalidate_all()
        self.assertEqual((usage.hours, usage.amount, usage.state), (8.0, 680.0, "approved"))
        self.assertEqual(usage.analytic_line_id.amount, -680.0)
        self.assertEqual(usage.field_device, "phone-B")
        self.assertEqual(self.row().actual, 680.0)

    def test_a_rejected_amendment_leaves_the_approved_hours(self):
        self.send(minutes_ago=30)
        usage = self.usage()
        self.approve(usage)
        self.send(minutes_ago=5, hours=8)
        amendment = self.env["construction.field.amendment"].search(
            [("res_model", "=", usage._name), ("res_id", "=", usage.id)]
        )
        amendment.with_user(self.supervisor).action_reject()
        self.assertEqual((usage.hours, amendment.state), (6.0, "rejected"))
        self.assertEqual(self.row().actual, 510.0)

    def test_cancelling_approved_hours_waits_for_the_approver(self):
        self.send(minutes_ago=30)
        usage = self.usage()
        self.approve(usage)
        (message,) = self.apply(
            self.field(
                "field.equipment_usage", {"external_id": "eq-1", "cancelled": True}, minutes_ago=5
            )
        )
        self.assertIn("withdrawal waits", message.note)
        self.assertEqual(usage.state, "approved")
        amendment = self.env["construction.field.amendment"].search(
            [("res_model", "=", usage._name), ("res_id", "=", usage.id)]
        )
        self.assertEqual(amendment.kind, "withdraw")
        amendment.with_user(self.supervisor).action_accept()
        self.env.invalidate_all()
        self.assertEqual(usage.state, "cancelled")
        self.assertFalse(self.row())

    def test_a_batch_costs_the_same_queries_whatever_its_size(self):
        def batch(prefix, count):
            return [
                self.field(
                    "field.equipment_usage",
                    self.usage_payload(
                        f"{prefix}-{index}",
                        equipment="EX-20" if index % 2 else "CR-50",
                        phase="P1" if index % 3 else "P2",
                        hours=1 + index % 8,
                    ),
                    minutes_ago=index % 50,
                )
                for index in range(count)
            ]

        def queries(messages):
            self.submit(*messages)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.process()
            return self.env.cr.sql_log_count - before

        small = queries(batch("s", 10))
        large = queries(batch("l", 60))
        # Fifty messages more cost (almost) no query more: one search per kind
        # of reference and one create per model, whatever the batch size.
        self.assertLess(large - small, 10, (small, large))
        usages = self.Usage.search([("field_external_id", "=like", "l-%")])
        self.assertEqual(len(usages), 60)
        self.assertEqual(len(usages.analytic_line_id), 60)
        expected = sum((1 + index % 8) * (85 if index % 2 else 120) for index in range(60))
        self.assertEqual(sum(usages.mapped("amount")), expected)
        self.assertEqual(-sum(usages.analytic_line_id.mapped("amount")), expected)


@tagged("post_install", "-at_install")
class TestEquipmentUsageBadInput(EquipmentCase):
    def assert_dead(self, field, text, minutes_ago=0, **values):
        lines_before = self.env["account.analytic.line"].search_count([])
        (message,) = self.send(minutes_ago=minutes_ago, external_id="bad-1", **values)
        self.assertEqual(message.state, "dead", message.note)
        self.assertEqual(message.errors[0]["field"], field, message.errors)
        self.assertIn(text, message.errors[0]["message"])
        self.assertFalse(self.usage("bad-1"))
        self.assertEqual(self.env["account.analytic.line"].search_count([]), lines_before)
        return message

    def test_unknown_equipment(self):
        self.assert_dead("payload.equipment", "Unknown equipment 'EX-99'", equipment="EX-99")

    def test_archived_equipment(self):
        self.crane.active = False
        self.assert_dead("payload.equipment", "Equipment CR-50 is archived", equipment="CR-50")

    def test_equipment_of_another_company(self):
        self.Equipment.create(
            {"code": "LD-1", "name": "Loader", "company_id": self.company_b.id, "hourly_rate": 50}
        )
        self.assert_dead("payload.equipment", "Unknown equipment 'LD-1'", equipment="LD-1")

    def test_unknown_job(self):
        self.assert_dead("payload.project", "Unknown project 'J-0000'", project="J-0000")

    def test_unknown_phase_and_a_phase_of_another_job(self):
        self.assert_dead("payload.phase", "has no phase 'P9'", phase="P9")
        # P2 is a phase of J-9001, not of J-9002.
        self.assert_dead(
            "payload.phase", "Job J-9002 has no phase 'P2'", project="J-9002", phase="P2"
        )

    def test_unknown_cost_code(self):
        self.assert_dead("payload.cost_code", "Unknown cost code '99-999'", cost_code="99-999")

    def test_cost_code_not_of_type_equipment(self):
        self.assert_dead("payload.cost_code", "not equipment", cost_code="03-310")

    def test_closed_job(self):
        self.job.job_status = "closed"
        self.assert_dead("payload.project", "closed")

    def test_date_in_the_future(self):
        self.assert_dead(
            "payload.date",
            "is in the future",
            date=fields.Date.to_string(self.today + timedelta(days=3)),
        )

    def test_unknown_operator(self):
        self.assert_dead("payload.employee", "Unknown employee 'B-999'", employee="B-999")

    def test_hours_outside_0_to_24_are_refused_at_submit(self):
        for hours in (25, -1):
            (result,) = self.submit(
                self.field("field.equipment_usage", self.usage_payload("bad-h", hours=hours))
            )
            self.assertEqual(result["state"], "rejected", result)
            self.assertEqual(result["errors"][0]["field"], "payload.hours")
        self.assertFalse(self.usage("bad-h"))

    def test_one_bad_message_does_not_stop_the_good_ones(self):
        good = self.field("field.equipment_usage", self.usage_payload("ok-1"))
        bad = self.field("field.equipment_usage", self.usage_payload("bad-2", equipment="EX-99"))
        messages = self.apply(good, bad)
        self.assertEqual(messages.mapped("state"), ["done", "dead"])
        self.assertEqual(self.usage("ok-1").amount, 510.0)


@tagged("post_install", "-at_install")
class TestEquipmentInOdoo(EquipmentCase):
    def test_equipment_code_is_unique_per_company(self):
        with self.assertRaisesRegex(ValidationError, "EX-20 is already used in Test GC"):
            self.Equipment.create(
                {"code": "EX-20", "name": "Another", "company_id": self.company_a.id}
            )
        other = self.Equipment.create(
            {"code": "EX-20", "name": "Excavator", "company_id": self.company_b.id}
        )
        self.assertEqual(other.display_name, "[EX-20] Excavator")
        # The database holds it too (concurrent creations).
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE construction_equipment SET code = 'EX-20' WHERE id = %s",
                    [self.crane.id],
                )

    def test_default_cost_code_must_be_of_type_equipment(self):
        with self.assertRaisesRegex(ValidationError, "must be of type Equipment"):
            self.crane.cost_code_id = self.cc_labor

    def test_supervisor_records_hours_on_the_phone(self):
        with Form(self.Usage.with_user(self.supervisor)) as form:
            form.equipment_id = self.excavator
            form.job_id = self.job
            form.phase_id = self.phase_2
            self.assertEqual(form.cost_code_id, self.cc_equipment)
            form.hours = 3
        usage = form.record
        self.assertEqual((usage.hourly_rate, usage.amount, usage.state), (85.0, 255.0, "submitted"))
        self.assertEqual(usage.analytic_line_id.sudo().amount, -255.0)
        # Editing submitted hours rebooks the line.
        usage.with_user(self.supervisor).write({"hours": 4, "description": "Lift steel"})
        line = usage.analytic_line_id.sudo()
        self.assertEqual((line.amount, line.unit_amount), (-340.0, 4.0))
        self.assertIn("Lift steel", line.name)
        self.assertEqual(self.row("P2").pending_field_cost, 340.0)

    def test_cost_code_of_another_type_is_refused_in_odoo(self):
        with self.assertRaisesRegex(ValidationError, "not an equipment cost code"):
            self.Usage.create(
                {
                    "equipment_id": self.excavator.id,
                    "job_id": self.job.id,
                    "cost_code_id": self.cc_labor.id,
                    "hours": 2,
                }
            )

    def test_approved_hours_are_read_only_and_withdrawn_by_their_approver(self):
        self.send()
        usage = self.usage()
        self.approve(usage)
        with self.assertRaisesRegex(UserError, "only change through an amendment"):
            usage.with_user(self.supervisor).write({"hours": 2})
        with self.assertRaisesRegex(UserError, "only they or a controller"):
            usage.with_user(self.user_pm).action_withdraw()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            usage.unlink()
        usage.with_user(self.supervisor).action_withdraw()
        self.assertEqual(usage.state, "cancelled")
        self.assertEqual(usage.analytic_line_id.field_state, "cancelled")

    def test_supervisors_see_and_record_only_for_their_jobs(self):
        self.send(external_id="on-mine")
        self.send(external_id="on-other", project="J-9002", phase=None)
        Usage = self.Usage.with_user(self.supervisor)
        self.assertEqual(Usage.search([]).mapped("field_external_id"), ["on-mine"])
        with self.assertRaises(AccessError):
            Usage.create(
                {
                    "equipment_id": self.excavator.id,
                    "job_id": self.job_2.id,
                    "cost_code_id": self.cc_equipment.id,
                    "hours": 2,
                }
            )
        # A project manager sees both.
        self.assertEqual(len(self.Usage.with_user(self.user_pm).search([])), 2)
