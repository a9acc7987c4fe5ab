from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import FieldCase


class TimesheetCase(FieldCase):
    """Helpers to send field.timesheet messages and read what they left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["account.analytic.line"]
        cls.Revision = cls.env["construction.field.revision"]
        cls.Amendment = cls.env["construction.field.amendment"]
        cls.welder = cls.env["hr.employee"].create(
            {
                "name": "Dee Welder",
                "company_id": cls.company_a.id,
                "hourly_cost": 60.0,
                "barcode": "B102",
            }
        )

    def ts(self, external_id, employee="B100", hours=8, minutes_ago=0, **values):
        """A field.timesheet message: one employee (or ``employees=[...]``)."""
        payload = {
            "external_id": external_id,
            "project": "J-9001",
            "phase": "P1",
            "cost_code": "03-310",
            "date": fields.Date.to_string(values.pop("date", self.today)),
            "hours": hours,
            **values,
        }
        if "employees" not in payload:
            payload["employee"] = employee
        return self.field("field.timesheet", payload, minutes_ago=minutes_ago)

    def lines(self, external_id, active=True):
        lines = self.Line.search(
            [("field_external_id", "=", external_id), ("employee_id", "!=", False)],
            order="employee_id",
        )
        if active:
            lines = lines.filtered(lambda line: line.field_state != "cancelled")
        return lines

    def by_employee(self, external_id):
        return {line.employee_id: line for line in self.lines(external_id)}

    def assert_done(self, message, note_start=None):
        self.assertEqual(message.state, "done", message.errors)
        if note_start is None:
            self.assertFalse(message.note)
        else:
            self.assertTrue((message.note or "").startswith(note_start), f"note: {message.note!r}")

    def assert_dead(self, message, field, text=None):
        self.assertEqual(message.state, "dead", message.note)
        self.assertIn(field, [error["field"] for error in message.errors], message.errors)
        if text:
            messages = " ".join(error["message"] for error in message.errors)
            self.assertIn(text, messages)

    def row(self, phase="P1", code="03-310", job=None):
        self.env.invalidate_all()
        rows = self.report_rows(self.today, job)
        return rows.get((phase, code))


@tagged("post_install", "-at_install")
class TestFieldTimesheet(TimesheetCase):
    def test_single_entry_end_to_end(self):
        (message,) = self.apply(self.ts("T-1", hours=8, description="Formwork footing F3"))
        self.assert_done(message)
        line = self.lines("T-1")
        self.assertEqual(message.result_model, "account.analytic.line")
        self.assertEqual(message.result_ids, line.ids)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.employee_id, self.employee)
        self.assertEqual(line.project_id, self.job)
        self.assertEqual(line.job_id, self.job)
        self.assertEqual(line.phase_id, self.phase_1)
        self.assertEqual(line.cost_code_id, self.cc_labor)
        self.assertEqual(line.date, self.today)
        self.assertEqual(line.unit_amount, 8)
        self.assertAlmostEqual(line.amount, -400.0)  # 8 h x 50
        self.assertEqual(line.name, "Formwork footing F3")
        self.assertEqual(line.field_state, "submitted")
        self.assertEqual(line.field_source_id, self.source)
        self.assertEqual(line.field_occurred_at, self.now)
        row = self.row()
        self.assertAlmostEqual(row.pending_field_cost, 400.0)
        self.assertAlmostEqual(row.actual, 0.0)
        status = self.env["construction.field.sync.status"].search([("job_id", "=", self.job.id)])
        self.assertEqual(status.message_count, 1)

    def test_employee_by_identification_or_work_email_and_default_name(self):
        messages = self.apply(
            self.ts("T-2", employee="ID-101", hours=5), self.ts("T-3", employee="CY@example.com")
        )
        for message in messages:
            self.assert_done(message)
        self.assertEqual(self.lines("T-2").employee_id, self.carpenter)
        self.assertAlmostEqual(self.lines("T-2").amount, -200.0)  # 5 h x 40
        self.assertEqual(self.lines("T-3").employee_id, self.laborer)
        self.assertIn("03-310", self.lines("T-3").name)

    def test_crew_entry_one_line_per_person_with_exceptions(self):
        (message,) = self.apply(
            self.ts(
                "C-1",
                hours=8,
                employees=[
                    "B100",
                    {"employee": "ID-101", "hours": 6, "phase": "P2"},
                    {"employee": "cy@example.com", "description": "Stripping forms"},
                ],
            )
        )
        self.assert_done(message)
        lines = self.by_employee("C-1")
        self.assertEqual(sorted(message.result_ids), sorted(line.id for line in lines.values()))
        self.assertEqual(set(lines), {self.employee, self.carpenter, self.laborer})
        ana, ben, cy = lines[self.employee], lines[self.carpenter], lines[self.laborer]
        self.assertEqual((ana.unit_amount, ana.amount, ana.phase_id), (8, -400, self.phase_1))
        self.assertEqual((ben.unit_amount, ben.amount, ben.phase_id), (6, -240, self.phase_2))
        self.assertEqual((cy.unit_amount, cy.amount, cy.name), (8, -240, "Stripping forms"))
        self.assertEqual(set(self.lines("C-1").mapped("field_state")), {"submitted"})
        self.assertAlmostEqual(self.row("P1").pending_field_cost, 640.0)
        self.assertAlmostEqual(self.row("P2").pending_field_cost, 240.0)

    def test_crew_later_version_updates_adds_and_withdraws(self):
        self.apply(self.ts("C-2", employees=["B100", "B101", "cy@example.com"], minutes_ago=30))
        before = self.by_employee("C-2")
        (message,) = self.apply(
            self.ts(
                "C-2",
                employees=[{"employee": "B100", "hours": 9}, "B101", "B102"],
                minutes_ago=10,
            )
        )
        self.assert_done(message)
        after = self.by_employee("C-2")
        self.assertEqual(set(after), {self.employee, self.carpenter, self.welder})
        # The same lines for the people still in the crew, updated.
        self.assertEqual(after[self.employee], before[self.employee])
        self.assertEqual(after[self.employee].unit_amount, 9)
        self.assertAlmostEqual(after[self.employee].amount, -450.0)
        self.assertEqual(after[self.carpenter], before[self.carpenter])
        self.assertAlmostEqual(after[self.welder].amount, -480.0)  # 8 h x 60
        self.assertEqual(before[self.laborer].field_state, "cancelled")
        self.assertEqual(
            set(self.lines("C-2").mapped("field_occurred_at")), {self.now - timedelta(minutes=10)}
        )
        # Only the overwritten line keeps its former version.
        revisions = self.Revision.search([("external_id", "=", "C-2")])
        self.assertEqual(revisions.mapped("res_id"), [before[self.employee].id])
        self.assertEqual(revisions.values["unit_amount"], 8.0)
        # 9 x 50 + 8 x 40 + 8 x 60; the withdrawn laborer no longer counts.
        self.assertAlmostEqual(self.row().pending_field_cost, 1250.0)

    def test_stale_message_changes_nothing(self):
        self.apply(self.ts("T-4", hours=7, minutes_ago=5))
        (late,) = self.apply(self.ts("T-4", hours=3, minutes_ago=20))
        self.assert_done(late, "Stale")
        self.assertEqual(self.lines("T-4").unit_amount, 7)

    def test_late_change_does_not_revive_a_withdrawn_entry(self):
        self.apply(self.ts("T-5", hours=7, minutes_ago=30))
        (cancel,) = self.apply(
            self.field("field.timesheet", {"external_id": "T-5", "cancelled": True}, minutes_ago=5)
        )
        self.assert_done(cancel, "Cancelled")
        line = self.lines("T-5", active=False)
        self.assertEqual(line.field_state, "cancelled")
        self.assertFalse(self.row())  # a withdrawn line has no figure anywhere
        # A change made before the cancellation, arriving after it.
        (late,) = self.apply(self.ts("T-5", hours=6, minutes_ago=10))
        self.assert_done(late, "Stale")
        self.assertEqual((line.field_state, line.unit_amount), ("cancelled", 7))

    def test_cancellation_of_an_unknown_entry(self):
        (message,) = self.apply(
            self.field("field.timesheet", {"external_id": "T-404", "cancelled": True})
        )
        self.assert_done(message, "Cancelled")
        self.assertIn("never applied", message.note)

    def test_two_phones_later_occurred_at_wins(self):
        first = self.ts("T-6", hours=8, minutes_ago=10, device="phone-A")
        second = self.ts("T-6", hours=6, minutes_ago=4, device="phone-B")
        late = self.ts("T-6", hours=5, minutes_ago=8, device="phone-A")
        self.apply(first)
        (message,) = self.apply(second)
        self.assert_done(message)
        line = self.lines("T-6")
        self.assertEqual((line.unit_amount, line.field_device), (6, "phone-B"))
        revision = self.Revision.search([("res_model", "=", line._name), ("res_id", "=", line.id)])
        self.assertEqual(len(revision), 1)
        self.assertEqual(revision.device, "phone-A")
        self.assertEqual(revision.replaced_by_device, "phone-B")
        self.assertEqual(revision.values["unit_amount"], 8.0)
        (stale,) = self.apply(late)
        self.assert_done(stale, "Stale")
        self.assertEqual(line.unit_amount, 6)

    def test_later_version_arriving_first_wins_in_one_batch(self):
        newer = self.ts("T-7", hours=6, minutes_ago=2, device="phone-B")
        older = self.ts("T-7", hours=9, minutes_ago=9, device="phone-A")
        messages = self.apply(newer, older)
        self.assertEqual(messages.mapped("state"), ["done", "done"])
        line = self.lines("T-7")
        self.assertEqual((line.unit_amount, line.field_device), (6, "phone-B"))
        revision = self.Revision.search([("res_id", "=", line.id), ("res_model", "=", line._name)])
        self.assertEqual(revision.values["unit_amount"], 9.0)

    def test_resend_with_same_key_is_stored_once(self):
        message = self.ts("T-8", hours=4)
        self.apply(message)
        self.apply(dict(message))
        self.assertEqual(len(self.lines("T-8")), 1)
        self.assertAlmostEqual(self.row().pending_field_cost, 200.0)

    def test_rejected_line_resubmitted_by_a_newer_version(self):
        self.apply(self.ts("T-9", hours=12, minutes_ago=30))
        line = self.lines("T-9")
        line.action_field_reject("Ana left at noon")
        (message,) = self.apply(self.ts("T-9", hours=4, minutes_ago=5))
        self.assert_done(message)
        self.assertEqual((line.field_state, line.unit_amount), ("submitted", 4))
        self.assertFalse(line.field_rejection_reason)


@tagged("post_install", "-at_install")
class TestFieldTimesheetLimits(TimesheetCase):
    def test_sixteen_hours_across_two_jobs(self):
        # A plain timesheet (not from the field) counts too.
        self.timesheet(10, self.today, self.job_2.phase_ids, self.cc_labor, job=self.job_2)
        (message,) = self.apply(self.ts("T-10", hours=8))
        self.assert_dead(message, "payload.hours", "18.00 h")
        self.assertFalse(self.lines("T-10"))
        (ok,) = self.apply(self.ts("T-11", hours=6))
        self.assert_done(ok)

    def test_rejected_and_withdrawn_time_does_not_count(self):
        self.apply(self.ts("T-12", hours=10, minutes_ago=20))
        self.lines("T-12").action_field_reject("Wrong day")
        (message,) = self.apply(self.ts("T-13", hours=12))
        self.assert_done(message)

    def test_sixteen_hours_within_one_batch(self):
        messages = self.apply(
            self.ts("T-14", hours=9, minutes_ago=3),
            self.ts("T-15", hours=7, minutes_ago=2),
            self.ts("T-16", hours=1, minutes_ago=1),
        )
        self.assertEqual(messages.mapped("state"), ["done", "done", "dead"])
        self.assert_dead(messages[2], "payload.hours", "17.00 h")
        self.assertAlmostEqual(self.row().pending_field_cost, 800.0)

    def test_update_replaces_its_own_hours(self):
        self.apply(self.ts("T-17", hours=10, minutes_ago=20))
        (message,) = self.apply(self.ts("T-17", hours=14, minutes_ago=10))
        self.assert_done(message)
        self.assertEqual(self.lines("T-17").unit_amount, 14)

    def test_crew_with_one_person_over_the_limit_applies_nobody(self):
        self.timesheet(12, self.today, self.phase_1, self.cc_labor)  # Ana: 12 h already
        (message,) = self.apply(self.ts("C-3", hours=6, employees=["B101", "B100", "B102"]))
        self.assert_dead(message, "payload.employees.1.hours", "Ana Formworker")
        self.assertFalse(self.lines("C-3"))

    def test_future_date_is_refused(self):
        (message,) = self.apply(self.ts("T-18", date=self.today + timedelta(days=3)))
        self.assert_dead(message, "payload.date", "after today")
        self.assertFalse(self.lines("T-18"))

    def test_hold_mode_stores_with_the_reason(self):
        self.company_a.construction_field_limit_action = "hold"
        messages = self.apply(
            self.ts("T-19", hours=10, minutes_ago=2),
            self.ts("T-20", hours=8, minutes_ago=1),
            self.ts("T-21", hours=4, date=self.today + timedelta(days=3)),
        )
        self.assert_done(messages[0])
        self.assert_done(messages[1], "Held for the supervisor")
        self.assert_done(messages[2], "Held for the supervisor")
        held = self.lines("T-20")
        self.assertEqual(held.field_state, "submitted")
        self.assertIn("18.00 h", held.field_hold_reason)
        self.assertIn("daily limit of 16.00 h", held.field_hold_reason)
        self.assertIn("after today", self.lines("T-21").field_hold_reason)
        self.assertFalse(self.lines("T-19").field_hold_reason)
        # Held time shows as pending, like any submitted time.
        self.assertAlmostEqual(self.row().pending_field_cost, 900.0)

    def test_company_daily_limit(self):
        self.company_a.construction_field_daily_hours = 10
        (message,) = self.apply(self.ts("T-22", hours=10.5))
        self.assert_dead(message, "payload.hours", "over the daily limit of 10.00 h")


@tagged("post_install", "-at_install")
class TestFieldTimesheetBadInput(TimesheetCase):
    def test_unknown_employee(self):
        (message,) = self.apply(self.ts("T-30", employee="B999"))
        self.assert_dead(message, "payload.employee", "B999")

    def test_unknown_crew_member_applies_nobody(self):
        (message,) = self.apply(self.ts("C-30", employees=["B100", "nobody@example.com"]))
        self.assert_dead(message, "payload.employees.1.employee", "nobody@example.com")
        self.assertFalse(self.lines("C-30"))

    def test_archived_employee(self):
        self.welder.active = False
        (message,) = self.apply(self.ts("T-31", employee="B102"))
        self.assert_dead(message, "payload.employee", "archived")

    def test_unknown_job_phase_and_cost_code(self):
        messages = self.apply(
            self.ts("T-32", project="J-0000"),
            self.ts("T-33", phase="P9"),
            self.ts("T-34", cost_code="99-999"),
            self.ts("C-31", employees=["B100", {"employee": "B101", "cost_code": "99-998"}]),
        )
        self.assert_dead(messages[0], "payload.project", "J-0000")
        self.assert_dead(messages[1], "payload.phase", "P9")
        self.assert_dead(messages[2], "payload.cost_code", "99-999")
        self.assert_dead(messages[3], "payload.employees.1.cost_code", "99-998")
        self.assertFalse(
            self.Line.search([("field_external_id", "in", ["T-32", "T-33", "T-34", "C-31"])])
        )

    def test_phase_of_another_job(self):
        self.Phase.create({"project_id": self.job_2.id, "code": "S9", "name": "Sitework 9"})
        (message,) = self.apply(self.ts("T-35", phase="S9"))
        self.assert_dead(message, "payload.phase", "has no phase 'S9'")

    def test_closed_job_and_archived_cost_code_always_refused(self):
        self.company_a.construction_field_limit_action = "hold"
        self.job_2.job_status = "closed"
        archived = self.CostCode.create(
            {
                "code": "03-399",
                "name": "Old labor",
                "cost_type": "labor",
                "company_id": self.company_a.id,
            }
        )
        archived.active = False
        messages = self.apply(
            self.ts("T-36", project="J-9002", phase=None), self.ts("T-37", cost_code="03-399")
        )
        self.assert_dead(messages[0], "payload.project", "closed")
        self.assert_dead(messages[1], "payload.cost_code", "archived")

    def test_hours_out_of_range_rejected_at_submit(self):
        for hours in (-1, 24.5):
            (message,) = self.apply(self.ts(f"T-38-{hours}", hours=hours))
            self.assertEqual(message.state, "rejected")
            self.assertEqual(message.errors[0]["field"], "payload.hours")
        (crew,) = self.apply(self.ts("C-32", employees=[{"employee": "B100", "hours": 25}]))
        self.assertEqual(crew.state, "rejected")
        self.assertEqual(crew.errors[0]["field"], "payload.employees.0.hours")
        self.assertFalse(self.Line.search([("field_external_id", "like", "T-38")]))

    def test_employee_and_crew_together_rejected(self):
        message = self.ts("T-39", employees=["B101"])
        message["payload"]["employee"] = "B100"
        (message,) = self.apply(message)
        self.assertEqual(message.state, "rejected")
        self.assertEqual(message.errors[0]["field"], "payload.employee")

    def test_bad_message_does_not_stop_the_good_ones(self):
        messages = self.apply(
            self.ts("T-40", hours=4),
            self.ts("T-41", employee="B999"),
            self.ts("T-42", employee="B101"),
        )
        self.assertEqual(messages.mapped("state"), ["done", "dead", "done"])
        self.assertEqual(len(self.lines("T-40") | self.lines("T-42")), 2)


@tagged("post_install", "-at_install")
class TestFieldTimesheetBatching(TimesheetCase):
    def handler_queries(self, count, prefix):
        people = ("B100", "B101", "cy@example.com", "B102")
        messages = [
            self.ts(f"{prefix}-{index}", employee=people[index % 4], hours=0.5)
            for index in range(count)
        ]
        inbound = self.Inbound.browse([result["id"] for result in self.submit(*messages)])
        registry = self.Inbound._message_type_registry()
        batch = [
            (message, registry.validate_payload(message.message_type, message.payload)[0])
            for message in inbound
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        results = self.Inbound._handle_field_timesheet(batch)
        self.env.flush_all()
        return self.cr.sql_log_count - before, results

    def test_a_batch_costs_the_same_queries_whatever_its_size(self):
        small, _results = self.handler_queries(4, "QS")
        large, results = self.handler_queries(40, "QL")
        self.assertEqual(len(results), 40)
        self.assertEqual(len(self.Line.search([("field_external_id", "like", "QL-")])), 40)
        # One search per kind of reference, one create: not one query per message.
        self.assertLessEqual(large - small, 4, (small, large))
