import base64
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import FieldCase

# A 2 x 2 PNG (red, green, blue, white).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DA8J+BkYHh////DAAe9gT9Ce00PgAAAABJRU5ErkJggg=="
)
PNG_B64 = base64.b64encode(PNG).decode()


class DailyLogCase(FieldCase):
    """Daily logs of J-9001: Ana (site supervisor, in the job team), the
    project manager of the job (t_pm), and Ben, a supervisor of J-9002 only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["construction.daily.log"]
        cls.supervisor.name = "Ana Supervisor"
        cls.user_pm.name = "Pat Manager"
        cls.supervisor_2 = new_test_user(
            cls.env,
            login="t_supervisor_2",
            name="Ben Supervisor",
            groups="construction_base.group_site_supervisor",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.job_2.job_member_ids = [Command.link(cls.supervisor_2.id)]

    def make_log(self, user=None, **values):
        """A draft log of J-9001 today, written by ``user`` (Ana by default)."""
        user = user or self.supervisor
        vals = {
            "job_id": self.job.id,
            "date": self.today,
            "weather_conditions": "Sunny",
            "temperature_low": 4,
            "temperature_high": 15,
            "manpower_ids": [
                Command.create({"trade": "Carpenters", "headcount": 5, "hours": 8}),
                Command.create(
                    {
                        "trade": "Ironworkers",
                        "partner_id": self.subcontractor.id,
                        "headcount": 3,
                        "hours": 7.5,
                    }
                ),
            ],
            "work_performed": "Formed and poured the level 2 slab, grid A-C.",
            **values,
        }
        return self.Log.with_user(user).create(vals)


@tagged("post_install", "-at_install")
class TestDailyLog(DailyLogCase):
    def test_supervisor_writes_submits_and_the_pm_approves(self):
        """Ana writes today's log on the phone (manpower, an incident, a
        photo), submits it; the job's project manager approves it."""
        with Form(self.Log.with_user(self.supervisor)) as form:
            form.job_id = self.job
            form.weather_conditions = "Overcast"
            form.temperature_low = -2
            form.temperature_high = 6
            form.weather_delay_hours = 1.5
            with form.manpower_ids.new() as line:
                line.trade = "Carpenters"
                line.headcount = 5
                line.hours = 8
            with form.manpower_ids.new() as line:
                line.trade = "Ironworkers"
                line.partner_id = self.subcontractor
                line.headcount = 3
                line.hours = 7.5
            with form.incident_ids.new() as incident:
                incident.incident_type = "near_miss"
                incident.description = "A bundle of rebar slipped from the crane sling."
                incident.people_involved = "Crane crew"
                incident.action_taken = "Rigging checked; toolbox talk at noon."
            form.work_performed = "Formed and poured the level 2 slab."
            form.deliveries = "36 m3 of concrete"
        log = form.save()
        self.assertEqual(log.author_id, self.supervisor)
        self.assertEqual(log.name, f"J-9001 {self.today.isoformat()} Ana Supervisor")
        self.assertEqual(log.state, "draft")
        self.assertEqual(log.company_id, self.company_a)
        self.assertEqual(log.manpower_headcount, 8)
        self.assertEqual(log.manpower_hours, 62.5)
        self.assertEqual(log.manpower_ids.mapped("total_hours"), [40.0, 22.5])
        self.assertEqual(log.manpower_ids[1].subcontractor, "Northline Steel")
        self.assertEqual(log.incident_count, 1)

        # A photo, as the form's photo field uploads it (an attachment of the
        # log model, not yet of the record, then linked).
        photo = (
            self.env["ir.attachment"]
            .with_user(self.supervisor)
            .create({"name": "slab.png", "raw": PNG, "res_model": self.Log._name, "res_id": 0})
        )
        log.with_user(self.supervisor).photo_ids = [Command.link(photo.id)]
        self.assertEqual(log.photo_count, 1)
        self.assertEqual((photo.res_model, photo.res_id), (self.Log._name, log.id))

        log.with_user(self.supervisor).action_submit()
        self.assertEqual(log.state, "submitted")
        self.assertEqual(log.submitted_by, self.supervisor)
        activity = log.activity_ids
        self.assertEqual(activity.user_id, self.user_pm)
        self.assertEqual(activity.summary, "Approve the daily log")

        self.assertFalse(log.with_user(self.supervisor).user_can_approve)
        with self.assertRaisesRegex(UserError, "Only the project manager of job"):
            log.with_user(self.supervisor).action_approve()
        self.assertTrue(log.with_user(self.user_pm).user_can_approve)
        log.with_user(self.user_pm).action_approve()
        self.assertEqual(log.state, "approved")
        self.assertEqual(log.approved_by, self.user_pm)
        self.assertTrue(log.approved_at)
        self.env.invalidate_all()
        self.assertFalse(log.activity_ids)  # done

    def test_approved_log_is_read_only(self):
        log = self.make_log()
        log.with_user(self.supervisor).action_submit()
        log.with_user(self.user_pm).action_approve()
        with self.assertRaisesRegex(UserError, "is approved and can no longer be changed"):
            log.with_user(self.supervisor).write({"notes": "Forgot the pump truck"})
        with self.assertRaisesRegex(UserError, "is approved and can no longer be changed"):
            log.with_user(self.user_pm).manpower_ids[0].headcount = 9
        with self.assertRaisesRegex(UserError, "is approved and can no longer be changed"):
            log.with_user(self.user_pm).write(
                {"manpower_ids": [Command.create({"trade": "Laborers", "headcount": 2})]}
            )
        with self.assertRaisesRegex(UserError, "only draft logs can be deleted"):
            log.with_user(self.user_pm).unlink()
        # The chatter stays open.
        log.with_user(self.supervisor).message_post(body="Pump truck was late")
        self.assertEqual(log.manpower_headcount, 8)
        self.assertFalse(log.notes)

    def test_approval_rights(self):
        log = self.make_log()
        with self.assertRaisesRegex(UserError, "must be submitted before"):
            log.with_user(self.user_pm).action_approve()
        log.with_user(self.supervisor).action_submit()
        # A construction project manager who does not manage the job, and a
        # controller, may approve too.
        other_pm = new_test_user(
            self.env,
            login="t_pm_2",
            groups="construction_base.group_project_manager",
            company_id=self.company_a.id,
        )
        log.with_user(other_pm).action_approve()
        self.assertEqual(log.approved_by, other_pm)

    def test_reset_to_draft_and_delete(self):
        log = self.make_log()
        log.with_user(self.supervisor).action_submit()
        with self.assertRaisesRegex(UserError, "only draft logs can be deleted"):
            log.with_user(self.supervisor).unlink()
        log.with_user(self.supervisor).action_reset_draft()
        self.assertEqual(log.state, "draft")
        log.with_user(self.supervisor).unlink()
        self.assertFalse(log.exists())

    def test_supervisors_see_only_the_logs_of_their_jobs(self):
        log = self.make_log()
        other = self.make_log(user=self.supervisor_2, job_id=self.job_2.id)
        Log_ana = self.Log.with_user(self.supervisor)
        Log_ben = self.Log.with_user(self.supervisor_2)
        self.assertEqual(Log_ana.search([]), log)
        self.assertEqual(Log_ben.search([]), other)
        with self.assertRaises(AccessError):
            log.with_user(self.supervisor_2).read(["notes"])
        with self.assertRaises(AccessError):
            log.with_user(self.supervisor_2).write({"notes": "Not my job"})
        with self.assertRaises(AccessError):
            log.manpower_ids.with_user(self.supervisor_2).read(["trade"])
        # Ben cannot write a log of J-9001 either.
        with self.assertRaises(AccessError):
            self.make_log(user=self.supervisor_2, date=self.yesterday)
        # Office roles read every log of their companies; a construction
        # user reads but does not write.
        self.assertEqual(self.Log.with_user(self.user_construction).search([]), log | other)
        with self.assertRaises(AccessError):
            log.with_user(self.user_construction).write({"notes": "x"})
        self.assertEqual(self.Log.with_user(self.user_controller).search_count([]), 2)
        self.assertFalse(self.Log.with_user(self.user_b).search([]))

    def test_one_log_per_job_date_and_author(self):
        self.make_log()
        # Another author, the same day: fine.
        self.make_log(user=self.user_pm)
        self.assertEqual(
            self.Log.search([("job_id", "=", self.job.id)]).mapped("author_id"),
            self.supervisor | self.user_pm,
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.make_log()
                self.env.flush_all()

    def test_author_must_be_in_the_job_team(self):
        with (
            self.assertRaisesRegex(ValidationError, "Ben Supervisor is not a member of the team"),
            self.env.cr.savepoint(),
        ):
            self.make_log(user=self.user_pm, author_id=self.supervisor_2.id)
        # Once in the team, Ben may write the log of J-9001.
        self.job.job_member_ids = [Command.link(self.supervisor_2.id)]
        log = self.make_log(user=self.supervisor_2)
        self.assertEqual(log.author_id, self.supervisor_2)

    def test_field_rules(self):
        with (
            self.assertRaisesRegex(ValidationError, "low temperature 15.0 is above the high"),
            self.env.cr.savepoint(),
        ):
            self.make_log(temperature_low=15, temperature_high=9)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.make_log(weather_delay_hours=25)
                self.env.flush_all()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.make_log(manpower_ids=[Command.create({"trade": "Laborers", "headcount": -1})])
                self.env.flush_all()
        self.job_2.job_status = "closed"
        with self.assertRaisesRegex(UserError, "is closed and takes no new daily logs"):
            self.make_log(user=self.user_pm, job_id=self.job_2.id)

    def test_copy_previous_manpower(self):
        yesterday = self.make_log(date=self.today - timedelta(days=1))
        log = self.make_log(manpower_ids=[])
        log.with_user(self.supervisor).action_add_manpower_from_yesterday()
        self.assertEqual(
            log.manpower_ids.mapped("display_name"),
            yesterday.manpower_ids.mapped("display_name"),
        )
        self.assertEqual(
            log.manpower_ids.mapped("display_name"),
            ["Carpenters: 5 x 8 h", "Ironworkers (Northline Steel): 3 x 7.5 h"],
        )

    def test_approval_emits_the_event(self):
        endpoint = self.env["construction.sync.endpoint"].create(
            {
                "name": "Field app",
                "url": "http://127.0.0.1:9/field",
                "event_types": "daily_log.approved",
            }
        )
        log = self.make_log()
        log.with_user(self.supervisor).action_submit()
        log.with_user(self.user_pm).action_approve()
        event = self.Outbound.search(
            [("event_type", "=", "daily_log.approved"), ("endpoint_id", "=", endpoint.id)]
        )
        self.assertEqual(len(event), 1)
        self.assertEqual((event.res_model, event.res_id), (self.Log._name, log.id))
        data = event.payload
        self.assertIsNone(data["external_id"])  # written in Odoo, not in a field app
        self.assertEqual(data["job"], "J-9001")
        self.assertEqual(data["date"], self.today.isoformat())
        self.assertEqual(data["author"], "t_supervisor")
        self.assertEqual(data["approved_by"], "t_pm")
        self.assertEqual(data["manpower_hours"], 62.5)
