from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import FieldCase


@tagged("post_install", "-at_install")
class TestOffline(FieldCase):
    """The rules every field message follows, whatever its type."""

    def timesheet(self, external_id, hours=8, **payload):
        return {
            "external_id": external_id,
            "employee": "B100",
            "project": "J-9001",
            "phase": "P1",
            "cost_code": "03-310",
            "date": self.yesterday.isoformat(),
            "hours": hours,
            **payload,
        }

    def test_occurred_at_ahead_of_the_server_is_refused_with_the_server_time(self):
        ahead = (self.now + timedelta(minutes=11)).strftime("%Y-%m-%dT%H:%M:%SZ")
        within = (self.now + timedelta(minutes=9)).strftime("%Y-%m-%dT%H:%M:%SZ")
        refused, accepted = self.submit(
            self.message("field.timesheet", self.timesheet("T-AHEAD"), occurred_at=ahead),
            self.message("field.timesheet", self.timesheet("T-DRIFT"), occurred_at=within),
        )
        self.assertEqual(accepted["errors"], [])
        [error] = refused["errors"]
        self.assertEqual((error["code"], error["field"]), ("invalid_value", "occurred_at"))
        self.assertIn(f"occurred_at {ahead}", error["message"])
        self.assertIn("after the server time 20", error["message"])
        self.assertEqual(self.Inbound.browse(refused["id"]).state, "rejected")
        self.process()
        lines = self.env["account.analytic.line"].search(
            [("field_external_id", "in", ("T-AHEAD", "T-DRIFT"))]
        )
        self.assertEqual(lines.mapped("field_external_id"), ["T-DRIFT"])

    def test_synced_minutes_ago_per_source_and_device(self):
        self.apply(
            self.field("field.timesheet", self.timesheet("T-1", device="tablet-7"), 30),
            self.field("field.timesheet", self.timesheet("T-2", hours=2, device="tablet-7"), 20),
            self.field(
                "field.equipment_usage",
                {
                    "external_id": "E-1",
                    "equipment": "EX-1",
                    "project": "J-9001",
                    "cost_code": "03-310",
                    "date": self.yesterday.isoformat(),
                    "hours": 1,
                },
                10,
            ),
        )
        statuses = self.job.field_sync_status_ids
        tablet = statuses.filtered(lambda s: s.device == "tablet-7")
        self.assertEqual((tablet.source_id, tablet.message_count), (self.source, 2))
        self.assertEqual(tablet.last_occurred_at, self.now - timedelta(minutes=20))
        # The equipment message named unknown equipment: dead, and no sync counted.
        self.assertEqual(statuses, tablet)
        log = self.env["construction.field.sync.log"].search([("device", "=", "tablet-7")])
        log.synced_at = fields.Datetime.now() - timedelta(minutes=42)
        self.env.invalidate_all()
        self.assertEqual(tablet.synced_ago, "synced 42 minutes ago")
        # Older rows fold into one per job, source and device, figures kept.
        log.synced_at = fields.Datetime.now() - timedelta(hours=5)
        self.env.flush_all()
        self.env["construction.field.sync.log"]._cron_fold()
        self.assertEqual(
            self.env["construction.field.sync.log"].search_count(
                [("job_id", "=", self.job.id), ("device", "=", "tablet-7")]
            ),
            1,
        )
        self.env.invalidate_all()
        tablet = self.job.field_sync_status_ids.filtered(lambda s: s.device == "tablet-7")
        self.assertEqual((tablet.synced_ago, tablet.message_count), ("synced 5 hours ago", 2))

    def test_a_week_offline_does_not_hold_back_another_source(self):
        other = self.env["construction.sync.source"].create(
            {"code": "phone-2", "name": "Second phone", "user_id": self.integration_user.id}
        )
        backlog = [
            self.field(
                "field.timesheet",
                self.timesheet(
                    f"WEEK-{n}", hours=0.5, date=(self.today - timedelta(days=7)).isoformat()
                ),
                minutes_ago=7 * 24 * 60 - n,
            )
            for n in range(30)
        ]
        self.submit(*backlog)
        [fresh] = self.submit(
            self.field("field.timesheet", self.timesheet("NOW-1", hours=1), source="phone-2")
        )
        # The first batch of 10 already takes the other source's message.
        self.assertEqual(self.Inbound._process_due(limit=10), 10)
        message = self.Inbound.browse(fresh["id"])
        self.assertEqual(message.state, "done")
        self.assertEqual(message.source_id, other)
        self.process()
        week = self.env["account.analytic.line"].search([("field_external_id", "=like", "WEEK-%")])
        self.assertEqual(sum(week.mapped("unit_amount")), 15.0)

    def test_amendment_decided_only_by_the_approver_or_a_controller(self):
        self.apply(self.field("field.timesheet", self.timesheet("T-AM"), 30))
        line = self.env["account.analytic.line"].search([("field_external_id", "=", "T-AM")])
        line.with_user(self.user_pm).action_field_approve()
        self.assertEqual(line.field_state, "approved")
        [message] = self.apply(self.field("field.timesheet", self.timesheet("T-AM", hours=9), 5))
        self.assertEqual(message.state, "done")
        self.assertIn("mendment", message.note)
        self.assertEqual(line.unit_amount, 8, "an approved line is not overwritten")
        amendment = self.env["construction.field.amendment"].search(
            [("res_model", "=", line._name), ("res_id", "=", line.id)]
        )
        self.assertEqual((amendment.state, amendment.approver_id), ("pending", self.user_pm))
        self.assertEqual(amendment.activity_ids.user_id, self.user_pm)
        with self.assertRaises(UserError):
            amendment.with_user(self.user_supervisor).action_accept()
        amendment.with_user(self.user_controller).action_accept()
        self.assertEqual(
            (amendment.state, amendment.decided_by), ("accepted", self.user_controller)
        )
        self.assertFalse(amendment.activity_ids)
        self.assertEqual(line.unit_amount, 9)
        with self.assertRaises(UserError):
            amendment.action_reject()
