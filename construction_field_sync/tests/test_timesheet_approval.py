from ast import literal_eval
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .test_timesheet import TimesheetCase


class ApprovalCase(TimesheetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hook = cls.env["construction.sync.endpoint"].create(
            {
                "name": "Field app",
                "url": "http://127.0.0.1:9/field-hook",
                "event_types": "timesheet.approved,timesheet.rejected",
                "active": True,
            }
        )
        cls.user_supervisor_2 = new_test_user(
            cls.env,
            login="t_supervisor_2",
            groups="construction_base.group_site_supervisor",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.job_2.job_member_ids = [Command.link(cls.user_supervisor_2.id)]
        cls.job_2.job_status = "in_progress"

    def hook_events(self, event_type):
        return self.env["construction.sync.outbound"].search(
            [("event_type", "=", event_type), ("endpoint_id", "=", self.hook.id)], order="id"
        )

    def as_supervisor(self, lines, user=None):
        return lines.with_user(user or self.supervisor)

    def equipment_line(self, hours, rate, job=None, date=None):
        """Equipment hours as the equipment feature books them: an analytic line
        of the job without project or employee, submitted from the field."""
        job = job or self.job
        return self.Line.create(
            {
                "name": "Excavator EX-1",
                "account_id": job.account_id.id,
                "date": date or self.today,
                "unit_amount": hours,
                "amount": -hours * rate,
                "phase_id": self.phase_1.id,
                "cost_code_id": self.cc_labor.id,
                "company_id": job.company_id.id,
                "field_state": "submitted",
            }
        )


@tagged("post_install", "-at_install")
class TestFieldTimeApproval(ApprovalCase):
    def test_approval_moves_pending_to_actual(self):
        self.apply(self.ts("T-50", hours=8))
        line = self.lines("T-50")
        row = self.row()
        self.assertEqual((row.pending_field_cost, row.actual), (400.0, 0.0))
        self.as_supervisor(line).action_field_approve()
        self.assertEqual(line.field_state, "approved")
        self.assertEqual(line.field_approved_by, self.supervisor)
        self.assertTrue(line.field_approved_at)
        row = self.row()
        self.assertEqual((row.pending_field_cost, row.actual), (0.0, 400.0))

    def test_rejected_time_never_counts(self):
        self.apply(self.ts("T-51", hours=8))
        line = self.lines("T-51")
        wizard = (
            self.env["construction.timesheet.reject.wizard"]
            .with_user(self.supervisor)
            .create({"line_ids": [Command.set(line.ids)], "reason": "Ana was on leave"})
        )
        self.assertEqual((wizard.line_count, wizard.hours), (1, 8.0))
        wizard.action_reject()
        self.assertEqual(line.field_state, "rejected")
        self.assertEqual(line.field_rejection_reason, "Ana was on leave")
        self.assertEqual(line.field_rejected_by, self.supervisor)
        self.assertFalse(self.row())
        with self.assertRaises(UserError):
            self.as_supervisor(line).action_field_approve()

    def test_reject_needs_a_reason(self):
        self.apply(self.ts("T-52"))
        with self.assertRaisesRegex(UserError, "reason"):
            self.as_supervisor(self.lines("T-52")).action_field_reject("  ")
        self.assertEqual(self.lines("T-52").field_state, "submitted")

    def test_approve_day_approves_the_crew_and_the_equipment(self):
        self.apply(
            self.ts("C-50", employees=["B100", "B101"]),
            self.ts("T-53", employee="B102", hours=4, phase="P2"),
            self.ts("T-54", employee="B102", hours=4, date=self.yesterday),
        )
        equipment = self.equipment_line(5, 80)
        other_day = self.equipment_line(2, 80, date=self.yesterday)
        # P1 today: Ana 8 x 50, Ben 8 x 40, Dee yesterday 4 x 60, equipment 5 x 80 and 2 x 80.
        self.assertAlmostEqual(self.row().pending_field_cost, 400 + 320 + 240 + 400 + 160)
        # One line selected approves its whole job and day.
        self.as_supervisor(self.lines("C-50")[:1]).action_field_approve_day()
        today = self.lines("C-50") | self.lines("T-53")
        self.assertEqual(set(today.mapped("field_state")), {"approved"})
        self.assertEqual(equipment.field_state, "approved")
        self.assertEqual(self.lines("T-54").field_state, "submitted")
        self.assertEqual(other_day.field_state, "submitted")
        row = self.row()
        self.assertAlmostEqual(row.actual, 400 + 320 + 400)
        self.assertAlmostEqual(row.pending_field_cost, 240 + 160)
        self.assertAlmostEqual(self.row("P2").actual, 240)
        # Equipment hours do not send timesheet events.
        self.assertEqual(len(self.hook_events("timesheet.approved")), 3)

    def test_held_time_needs_confirmation(self):
        self.company_a.construction_field_limit_action = "hold"
        self.apply(
            self.ts("T-55", hours=10, minutes_ago=2), self.ts("T-56", hours=8, minutes_ago=1)
        )
        lines = self.lines("T-55") | self.lines("T-56")
        with self.assertRaisesRegex(UserError, "held"):
            self.as_supervisor(lines).action_field_approve()
        self.assertEqual(set(lines.mapped("field_state")), {"submitted"})
        self.as_supervisor(lines).action_field_approve_held()
        self.assertEqual(set(lines.mapped("field_state")), {"approved"})
        self.assertTrue(self.lines("T-56").field_hold_reason)  # kept as the record

    def test_plain_timesheet_counts_as_actual_at_once(self):
        plain = self.timesheet(10, self.today, self.phase_1, self.cc_labor)
        self.assertFalse(plain.field_state)
        self.assertAlmostEqual(plain.amount, -500.0)
        row = self.row()
        self.assertEqual((row.actual, row.pending_field_cost), (500.0, 0.0))
        # Standard editing is untouched.
        plain.unit_amount = 4
        self.assertAlmostEqual(self.row().actual, 200.0)
        with self.assertRaises(UserError):
            self.as_supervisor(plain).action_field_approve()


@tagged("post_install", "-at_install")
class TestFieldTimeAccess(ApprovalCase):
    def test_supervisor_sees_and_approves_only_their_jobs(self):
        self.apply(self.ts("T-60"), self.ts("T-61", employee="B101", project="J-9002", phase=None))
        mine, other = self.lines("T-60"), self.lines("T-61")
        visible = self.Line.with_user(self.supervisor).search(
            [("field_external_id", "in", ["T-60", "T-61"])]
        )
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            self.as_supervisor(other).action_field_approve()
        with self.assertRaises(AccessError):
            self.as_supervisor(other).action_field_approve_day()
        self.assertEqual(other.field_state, "submitted")
        # The supervisor of J-9002 does, and not J-9001's.
        self.as_supervisor(other, self.user_supervisor_2).action_field_approve()
        self.assertEqual(other.field_state, "approved")
        self.assertFalse(self.Line.with_user(self.user_supervisor_2).search([("id", "=", mine.id)]))

    def test_supervisor_with_timesheet_rights_still_limited_to_their_jobs(self):
        self.supervisor.groups_id = [
            Command.link(self.env.ref("hr_timesheet.group_hr_timesheet_approver").id)
        ]
        self.apply(self.ts("T-62"), self.ts("T-63", employee="B101", project="J-9002", phase=None))
        plain = self.timesheet(2, self.today, self.job_2.phase_ids, self.cc_labor, job=self.job_2)
        visible = self.Line.with_user(self.supervisor).search(
            [("job_id", "in", (self.job | self.job_2).ids)]
        )
        self.assertIn(self.lines("T-62"), visible)
        self.assertNotIn(self.lines("T-63"), visible)
        # A plain timesheet keeps the standard rules (all timesheets for an approver).
        self.assertIn(plain, visible)

    def test_supervisor_opens_the_crew_time_screens(self):
        self.apply(self.ts("T-59", device="tablet-3"))
        action = self.env.ref("construction_field_sync.account_analytic_line_field_time_action")
        Line = self.Line.with_user(self.supervisor)
        list_view = self.env.ref(
            "construction_field_sync.account_analytic_line_view_list_field_time"
        )
        form_view = self.env.ref(
            "construction_field_sync.account_analytic_line_view_form_field_time"
        )
        self.assertEqual(action.view_ids.mapped("view_id"), list_view | form_view)
        views = Line.get_views(
            [(list_view.id, "list"), (form_view.id, "form"), (action.search_view_id.id, "search")],
            {"action_id": action.id},
        )
        self.assertIn("action_field_approve_day", views["views"]["list"]["arch"])
        result = Line.web_search_read(
            literal_eval(action.domain),
            {
                "employee_id": {"fields": {"display_name": {}}},
                "unit_amount": {},
                "field_state": {},
                "job_id": {"fields": {"display_name": {}}},
                "phase_id": {"fields": {"display_name": {}}},
                "field_hold_reason": {},
                "amount": {},
                "field_device": {},
            },
        )
        self.assertEqual(result["length"], 1)
        self.assertEqual(result["records"][0]["unit_amount"], 8.0)
        form = Form(self.lines("T-59").with_user(self.supervisor), view=form_view)
        self.assertEqual(form.field_state, "submitted")
        self.assertEqual(form.field_device, "tablet-3")

    def test_project_manager_and_controller_approve_any_job(self):
        self.apply(self.ts("T-64", project="J-9002", phase=None), self.ts("T-65", employee="B101"))
        self.lines("T-64").with_user(self.user_controller).action_field_approve()
        self.lines("T-65").with_user(self.user_pm).action_field_approve()
        self.assertEqual(self.lines("T-64").field_state, "approved")
        self.assertEqual(self.lines("T-65").field_state, "approved")

    def test_no_one_approves_their_own_time(self):
        self.welder.user_id = self.supervisor
        self.apply(self.ts("T-66", employee="B102"))
        with self.assertRaisesRegex(UserError, "your own time"):
            self.as_supervisor(self.lines("T-66")).action_field_approve()
        with self.assertRaisesRegex(UserError, "your own time"):
            self.as_supervisor(self.lines("T-66")).action_field_reject("No")

    def test_other_users_may_not_approve(self):
        self.apply(self.ts("T-67"))
        with self.assertRaises(AccessError):
            self.lines("T-67").with_user(self.user_construction).action_field_approve()
        self.assertEqual(self.lines("T-67").field_state, "submitted")

    def test_decided_lines_are_read_only_but_to_managers(self):
        self.apply(self.ts("T-68"))
        line = self.lines("T-68")
        self.as_supervisor(line).action_field_approve()
        with self.assertRaisesRegex(UserError, "no longer be changed"):
            self.as_supervisor(line).write({"unit_amount": 12})
        with self.assertRaises(UserError):
            self.as_supervisor(line).unlink()
        self.assertEqual(line.unit_amount, 8)
        line.with_user(self.user_pm).write({"unit_amount": 7})
        self.assertAlmostEqual(line.amount, -350.0)

    def test_approval_state_is_not_written_directly(self):
        self.apply(self.ts("T-69"))
        line = self.lines("T-69")
        with self.assertRaisesRegex(UserError, "Approve and Reject"):
            self.as_supervisor(line).write({"field_state": "approved"})
        with self.assertRaisesRegex(UserError, "Approve and Reject"):
            line.with_user(self.user_pm).write({"field_state": "approved"})
        self.assertEqual(line.field_state, "submitted")


@tagged("post_install", "-at_install")
class TestFieldTimeAmendments(ApprovalCase):
    def test_change_to_approved_time_is_an_amendment(self):
        self.apply(self.ts("T-70", hours=8, minutes_ago=30))
        line = self.lines("T-70")
        self.as_supervisor(line).action_field_approve()
        (message,) = self.apply(self.ts("T-70", hours=10, phase="P2", minutes_ago=5))
        self.assert_done(message, "Amendment")
        # Not silently overwritten.
        self.assertEqual(
            (line.unit_amount, line.phase_id, line.field_state), (8, self.phase_1, "approved")
        )
        amendment = self.Amendment.search(
            [("res_model", "=", line._name), ("res_id", "=", line.id)]
        )
        self.assertEqual((amendment.kind, amendment.state), ("change", "pending"))
        self.assertEqual(amendment.approver_id, self.supervisor)
        self.assertEqual(amendment.values, {"unit_amount": 10.0, "phase_id": self.phase_2.id})
        self.assertIn("8.00 → 10.00", amendment.summary)
        self.assertAlmostEqual(self.row("P1").actual, 400.0)
        # An older change arriving afterwards is stale against the amendment.
        (late,) = self.apply(self.ts("T-70", hours=9, minutes_ago=15))
        self.assert_done(late, "Stale")
        self.assertEqual(amendment.state, "pending")
        # Someone else may not decide.
        with self.assertRaises(UserError):
            amendment.with_user(self.user_supervisor_2).action_accept()
        amendment.with_user(self.supervisor).action_accept()
        self.assertEqual(
            (line.unit_amount, line.phase_id, line.field_state), (10, self.phase_2, "approved")
        )
        self.assertFalse(self.row("P1"))
        self.assertAlmostEqual(self.row("P2").actual, 500.0)
        events = self.hook_events("timesheet.approved")
        self.assertEqual(len(events), 2)
        self.assertEqual(events[1].payload["hours"], 10.0)
        self.assertTrue(events[1].payload["amended"])

    def test_withdrawal_of_approved_time_waits_for_the_approver(self):
        self.apply(self.ts("C-70", employees=["B100", "B101"], minutes_ago=30))
        lines = self.lines("C-70")
        ana = lines.filtered(lambda line: line.employee_id == self.employee)
        self.as_supervisor(ana).action_field_approve()
        (message,) = self.apply(
            self.field("field.timesheet", {"external_id": "C-70", "cancelled": True}, minutes_ago=5)
        )
        self.assert_done(message, "Cancelled")
        self.assertIn("amendment", message.note)
        ben = lines - ana
        self.assertEqual(ben.field_state, "cancelled")
        self.assertEqual(ana.field_state, "approved")
        amendment = self.Amendment.search([("res_id", "=", ana.id), ("res_model", "=", ana._name)])
        self.assertEqual((amendment.kind, amendment.state), ("withdraw", "pending"))
        self.assertAlmostEqual(self.row().actual, 400.0)
        amendment.with_user(self.supervisor).action_accept()
        self.assertEqual(ana.field_state, "cancelled")
        self.assertFalse(self.row())

    def test_rejected_amendment_keeps_the_approved_time(self):
        self.apply(self.ts("T-71", hours=8, minutes_ago=30))
        line = self.lines("T-71")
        self.as_supervisor(line).action_field_approve()
        self.apply(self.ts("T-71", hours=2, minutes_ago=5))
        amendment = self.Amendment.search(
            [("res_id", "=", line.id), ("res_model", "=", line._name)]
        )
        amendment.with_user(self.supervisor).action_reject()
        self.assertEqual((line.unit_amount, amendment.state), (8, "rejected"))
        self.assertAlmostEqual(self.row().actual, 400.0)

    def test_crew_change_with_one_approved_person(self):
        self.apply(self.ts("C-71", employees=["B100", "B101"], minutes_ago=30))
        ana = self.by_employee("C-71")[self.employee]
        self.as_supervisor(ana).action_field_approve()
        (message,) = self.apply(self.ts("C-71", hours=6, employees=["B100", "B101"], minutes_ago=5))
        self.assert_done(message, "Amendment")
        lines = self.by_employee("C-71")
        self.assertEqual(lines[self.employee].unit_amount, 8)
        self.assertEqual(lines[self.carpenter].unit_amount, 6)
        self.assertEqual(
            self.Amendment.search_count([("res_id", "=", ana.id), ("state", "=", "pending")]), 1
        )


@tagged("post_install", "-at_install")
class TestFieldTimeEvents(ApprovalCase):
    def test_approved_and_rejected_events_carry_the_external_id(self):
        self.apply(
            self.ts("C-80", employees=["B100", "ID-101"]),
            self.ts("T-80", employee="cy@example.com", hours=3),
        )
        crew = self.lines("C-80")
        self.as_supervisor(crew).action_field_approve()
        approved = self.hook_events("timesheet.approved")
        self.assertEqual(len(approved), 2)
        by_employee = {event.payload["employee"]: event.payload for event in approved}
        self.assertEqual(set(by_employee), {"B100", "B101"})  # badge first
        data = by_employee["B100"]
        self.assertEqual(data["external_id"], "C-80")
        self.assertEqual(data["job"], "J-9001")
        self.assertEqual(data["phase"], "P1")
        self.assertEqual(data["cost_code"], "03-310")
        self.assertEqual(data["date"], str(self.today))
        self.assertEqual(data["hours"], 8.0)
        self.assertEqual(approved.mapped("company_id"), self.company_a)
        self.as_supervisor(self.lines("T-80")).action_field_reject("Cy was on site B")
        (rejected,) = self.hook_events("timesheet.rejected")
        self.assertEqual(rejected.payload["external_id"], "T-80")
        self.assertEqual(rejected.payload["employee"], "cy@example.com")
        self.assertEqual(rejected.payload["reason"], "Cy was on site B")
        self.assertEqual(rejected.payload["hours"], 3.0)


@tagged("post_install", "-at_install")
class TestCrewEntryWizard(ApprovalCase):
    def crew_form(self, user=None, job=None):
        form = Form(self.env["construction.crew.entry.wizard"].with_user(user or self.supervisor))
        form.job_id = job or self.job
        form.date = self.today
        form.phase_id = self.phase_1
        form.cost_code_id = self.cc_labor
        form.hours = 8
        form.description = "Pour slab S2"
        return form

    def test_crew_entry_one_line_per_person(self):
        form = self.crew_form()
        for employee in (self.employee, self.carpenter, self.laborer):
            form.employee_ids.add(employee)
        with form.line_ids.new() as exception:
            exception.employee_id = self.carpenter
            exception.hours = 6
            exception.phase_id = self.phase_2
        self.assertEqual((form.crew_count, form.total_hours), (3, 22))
        wizard = form.save()
        action = wizard.action_confirm()
        lines = self.Line.browse(action["domain"][0][2])
        self.assertEqual(len(lines), 3)
        by_employee = {line.employee_id: line for line in lines}
        ana, ben, cy = (by_employee[e] for e in (self.employee, self.carpenter, self.laborer))
        self.assertEqual((ana.unit_amount, ana.amount, ana.phase_id), (8, -400, self.phase_1))
        self.assertEqual((ben.unit_amount, ben.amount, ben.phase_id), (6, -240, self.phase_2))
        self.assertEqual((cy.unit_amount, cy.amount), (8, -240))
        self.assertEqual(set(lines.mapped("field_state")), {"submitted"})
        self.assertEqual(set(lines.mapped("name")), {"Pour slab S2"})
        self.assertFalse(any(lines.mapped("field_external_id")))
        self.assertAlmostEqual(self.row("P1").pending_field_cost, 640.0)
        # Approved by another supervisor of the job: events with a null external_id.
        other = new_test_user(
            self.env,
            login="t_supervisor_3",
            groups="construction_base.group_site_supervisor",
            company_id=self.company_a.id,
        )
        self.job.job_member_ids = [Command.link(other.id)]
        lines.with_user(other).action_field_approve()
        events = self.hook_events("timesheet.approved")
        self.assertEqual(len(events), 3)
        self.assertEqual({event.payload["external_id"] for event in events}, {None})
        self.assertAlmostEqual(self.row("P1").actual, 640.0)

    def test_crew_entry_daily_limit(self):
        self.apply(self.ts("T-90", hours=10))
        form = self.crew_form()
        form.employee_ids.add(self.employee)
        form.employee_ids.add(self.carpenter)
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "Ana Formworker would have 18.00 h"):
            wizard.action_confirm()
        self.assertFalse(self.Line.search([("name", "=", "Pour slab S2")]))
        self.company_a.construction_field_limit_action = "hold"
        action = wizard.action_confirm()
        lines = self.Line.browse(action["domain"][0][2])
        held = lines.filtered("field_hold_reason")
        self.assertEqual(held.employee_id, self.employee)
        self.assertIn("daily limit", held.field_hold_reason)

    def test_crew_entry_refuses_future_dates_and_foreign_jobs(self):
        form = self.crew_form()
        form.date = self.today + timedelta(days=3)
        form.employee_ids.add(self.employee)
        with self.assertRaisesRegex(UserError, "after today"):
            form.save().action_confirm()
        wizard = (
            self.env["construction.crew.entry.wizard"]
            .with_user(self.supervisor)
            .create(
                {
                    "job_id": self.job_2.id,
                    "cost_code_id": self.cc_labor.id,
                    "hours": 8,
                    "employee_ids": [Command.set(self.employee.ids)],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "not in its team"):
            wizard.action_confirm()

    def test_crew_entry_needs_people_and_sane_hours(self):
        wizard = self.crew_form().save()
        with self.assertRaisesRegex(UserError, "employees"):
            wizard.action_confirm()
        wizard.employee_ids = self.employee
        wizard.hours = 0
        with self.assertRaisesRegex(UserError, "more than 0"):
            wizard.action_confirm()


@tagged("post_install", "-at_install")
class TestFieldTimeSettings(ApprovalCase):
    def test_settings_set_the_limit_and_the_action(self):
        self.assertEqual(self.company_a.construction_field_daily_hours, 16)
        self.assertEqual(self.company_a.construction_field_limit_action, "refuse")
        settings = (
            self.env["res.config.settings"]
            .with_company(self.company_a)
            .create(
                {"construction_field_daily_hours": 10, "construction_field_limit_action": "hold"}
            )
        )
        settings.execute()
        self.assertEqual(self.company_a.construction_field_daily_hours, 10)
        self.assertEqual(self.company_a.construction_field_limit_action, "hold")
        (message,) = self.apply(self.ts("T-95", hours=11))
        self.assert_done(message, "Held for the supervisor")
        self.assertIn("daily limit of 10.00 h", self.lines("T-95").field_hold_reason)

    def test_settings_screen_shows_the_field_time_block(self):
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        self.assertIn('name="construction_field_daily_hours"', arch)
        self.assertIn('name="construction_field_limit_action"', arch)

    def test_daily_limit_must_fit_a_day(self):
        with self.assertRaises(ValidationError):
            self.company_a.construction_field_daily_hours = 30
