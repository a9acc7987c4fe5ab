from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_daily_log import PNG_B64, DailyLogCase


@tagged("post_install", "-at_install")
class TestDailyLogInbound(DailyLogCase):
    """``field.daily_log`` and ``field.daily_log_photo`` end to end through
    the connector."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Amendment = cls.env["construction.field.amendment"]
        cls.Revision = cls.env["construction.field.revision"]

    def payload(self, external_id="DL-1", **values):
        return {
            "external_id": external_id,
            "project": "J-9001",
            "date": self.today.isoformat(),
            **values,
        }

    def full_payload(self, external_id="DL-1", **values):
        return self.payload(
            external_id,
            author="t_supervisor",
            device="phone-A",
            weather={
                "conditions": "Sunny",
                "temperature_low": 4,
                "temperature_high": 15.5,
                "precipitation": "none",
                "wind": "NW 10 km/h",
                "delay_hours": 0,
            },
            manpower=[
                {"trade": "Carpenters", "headcount": 5, "hours": 8},
                {
                    "trade": "Ironworkers",
                    "headcount": 3,
                    "hours": 7.5,
                    "subcontractor": "Northline Steel",
                },
                {
                    "trade": "Electricians",
                    "headcount": 2,
                    "hours": 4,
                    "subcontractor": "Sparks Ltd",
                },
            ],
            work_performed="Poured the level 2 slab.",
            deliveries="36 m3 concrete",
            visitors="Owner's rep, 10:00",
            delays="Pump truck 1 h late",
            notes="Cure blankets on.",
            incidents=[
                {
                    "type": "near_miss",
                    "description": "Rebar bundle slipped from the sling.",
                    "people_involved": "Crane crew",
                    "action_taken": "Rigging checked.",
                },
                "Dust blowing onto the neighbour's cars",
            ],
            photos=[
                {"filename": "slab.png", "content": PNG_B64, "caption": "Slab before the pour"}
            ],
            **values,
        )

    def log_of(self, external_id="DL-1"):
        return self.Log.search([("field_external_id", "=", external_id)])

    def assertDead(self, message, field, text):
        self.assertEqual(message.state, "dead", message.errors)
        self.assertEqual(message.errors[0]["field"], field, message.errors)
        self.assertIn(text, message.errors[0]["message"])

    def approve(self, log):
        log.with_user(self.user_pm).action_approve()

    # ------------------------------------------------------------------
    # Create, update, stale, two phones, cancel
    # ------------------------------------------------------------------

    def test_create(self):
        message = self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        self.assertEqual(message.state, "done", message.errors)
        log = self.log_of()
        self.assertEqual(message.result_model, "construction.daily.log")
        self.assertEqual(message.result_ids, log.ids)
        self.assertEqual(log.job_id, self.job)
        self.assertEqual(log.date, self.today)
        self.assertEqual(log.author_id, self.supervisor)
        self.assertEqual(log.name, f"J-9001 {self.today.isoformat()} Ana Supervisor")
        self.assertEqual(log.state, "submitted")  # sent by the app: waiting for approval
        self.assertEqual(log.field_source_id, self.source)
        self.assertEqual(log.field_device, "phone-A")
        self.assertEqual(log.field_occurred_at, self.now - timedelta(minutes=30))
        self.assertEqual(
            (log.weather_conditions, log.temperature_low, log.temperature_high, log.wind),
            ("Sunny", 4.0, 15.5, "NW 10 km/h"),
        )
        self.assertEqual(log.manpower_headcount, 10)
        self.assertEqual(log.manpower_hours, 40 + 22.5 + 8)
        carpenters, ironworkers, electricians = log.manpower_ids
        self.assertFalse(carpenters.subcontractor)
        # A known subcontractor is linked; another one is kept as written.
        self.assertEqual(ironworkers.partner_id, self.subcontractor)
        self.assertEqual(
            (electricians.partner_id.id, electricians.subcontractor), (False, "Sparks Ltd")
        )
        self.assertEqual(log.incident_ids.mapped("incident_type"), ["near_miss", False])
        self.assertEqual(log.incident_ids[1].description, "Dust blowing onto the neighbour's cars")
        self.assertEqual(log.delays, "Pump truck 1 h late")
        self.assertEqual(log.photo_count, 1)
        self.assertEqual(log.photo_ids.name, "slab.png")
        self.assertEqual(log.photo_ids.description, "Slab before the pour")
        self.assertEqual(log.photo_ids.mimetype, "image/png")
        self.assertEqual((log.photo_ids.res_model, log.photo_ids.res_id), (log._name, log.id))
        # The job's project manager has an activity to approve it.
        self.assertEqual(log.activity_ids.user_id, self.user_pm)
        status = self.job.field_sync_status_ids
        self.assertEqual((status.device, status.message_count), ("phone-A", 1))

    def test_log_without_author(self):
        message = self.apply(self.field("field.daily_log", self.payload(notes="From the app")))
        self.assertEqual(message.state, "done", message.errors)
        log = self.log_of()
        self.assertFalse(log.author_id)
        self.assertEqual(log.name, f"J-9001 {self.today.isoformat()}")
        # Two logs without author on one day are told apart by their external id.
        message = self.apply(self.field("field.daily_log", self.payload("DL-2")))
        self.assertEqual(message.state, "done", message.errors)
        self.assertEqual(self.Log.search_count([("job_id", "=", self.job.id)]), 2)

    def test_update_keeps_the_overwritten_version(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        log = self.log_of()
        message = self.apply(
            self.field(
                "field.daily_log",
                self.payload(
                    device="phone-A",
                    weather={"conditions": "Rain", "delay_hours": 2},
                    manpower=[{"trade": "Laborers", "headcount": 4, "hours": 6}],
                ),
                minutes_ago=10,
            )
        )
        self.assertEqual(message.state, "done", message.errors)
        self.assertFalse(message.note)
        # What was sent is written, what was not is kept; manpower is replaced.
        self.assertEqual(log.weather_conditions, "Rain")
        self.assertEqual(log.weather_delay_hours, 2)
        self.assertEqual(log.temperature_high, 15.5)
        self.assertEqual(log.notes, "Cure blankets on.")
        self.assertEqual(log.manpower_ids.mapped("display_name"), ["Laborers: 4 x 6 h"])
        self.assertEqual((log.manpower_headcount, log.manpower_hours), (4, 24))
        self.assertEqual(len(log.incident_ids), 2)
        self.assertEqual(log.photo_count, 1)
        self.assertEqual(log.field_occurred_at, self.now - timedelta(minutes=10))
        # The overwritten version: a revision and a note in the chatter.
        revision = self.Revision.search([("res_model", "=", log._name), ("res_id", "=", log.id)])
        self.assertEqual(len(revision), 1)
        self.assertEqual(revision.occurred_at, self.now - timedelta(minutes=30))
        self.assertEqual(revision.values["weather_conditions"], "Sunny")
        self.assertEqual(
            [line["trade"] for line in revision.values["manpower_ids"]],
            ["Carpenters", "Ironworkers", "Electricians"],
        )
        self.assertEqual(revision.values["manpower_ids"][1]["subcontractor"], "Northline Steel")
        self.assertEqual(log.field_revision_count, 1)
        chatter = log.message_ids.filtered(lambda m: "Overwritten by a later change" in m.body)
        self.assertEqual(len(chatter), 1)
        self.assertIn("Carpenters", chatter.body)

    def test_stale_message_changes_nothing(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=10))
        log = self.log_of()
        message = self.apply(
            self.field("field.daily_log", self.payload(weather="Snow", notes="Old"), minutes_ago=30)
        )
        self.assertEqual(message.state, "done")
        self.assertTrue(message.note.startswith("Stale"), message.note)
        self.assertEqual((log.weather_conditions, log.notes), ("Sunny", "Cure blankets on."))
        self.assertFalse(log.field_revision_count)

    def test_two_phones_later_occurred_at_wins(self):
        """Phone B changed the log after phone A, but its message arrives
        first: B's version stays, A's is stale."""
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=60))
        log = self.log_of()
        from_b = self.apply(
            self.field(
                "field.daily_log",
                self.payload(device="phone-B", weather="Rain", notes="B"),
                minutes_ago=5,
            )
        )
        from_a = self.apply(
            self.field(
                "field.daily_log",
                self.payload(device="phone-A", weather="Cloudy", notes="A"),
                minutes_ago=20,
            )
        )
        self.assertEqual((from_b.state, from_b.note), ("done", False))
        self.assertEqual(from_a.state, "done")
        self.assertTrue(from_a.note.startswith("Stale"), from_a.note)
        self.assertEqual(
            (log.weather_conditions, log.notes, log.field_device), ("Rain", "B", "phone-B")
        )
        devices = self.job.field_sync_status_ids.mapped("device")
        self.assertEqual(sorted(devices), ["phone-A", "phone-B"])

    def test_two_phones_in_one_batch(self):
        """Both phones' changes in one batch: applied oldest first, so the
        later one wins and the earlier one is kept in the chatter."""
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=60))
        log = self.log_of()
        from_b, from_a = self.apply(
            self.field(
                "field.daily_log",
                self.payload(device="phone-B", weather="Rain", notes="B"),
                minutes_ago=5,
            ),
            self.field(
                "field.daily_log",
                self.payload(device="phone-A", weather="Cloudy", notes="A"),
                minutes_ago=20,
            ),
        )
        self.assertEqual((from_a.state, from_b.state), ("done", "done"))
        self.assertEqual((log.weather_conditions, log.notes), ("Rain", "B"))
        revisions = self.Revision.search(
            [("res_model", "=", log._name), ("res_id", "=", log.id)], order="id"
        )
        self.assertEqual(
            [(r.device, r.values["notes"], r.replaced_by_device) for r in revisions],
            [("phone-A", "Cure blankets on.", "phone-A"), ("phone-A", "A", "phone-B")],
        )
        self.assertTrue(
            log.message_ids.filtered(
                lambda m: "Overwritten by a later change" in m.body and "Cloudy" in m.body
            )
        )

    def test_cancellation(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        log = self.log_of()
        cancel = {"external_id": "DL-1", "cancelled": True, "device": "phone-A"}
        message = self.apply(self.field("field.daily_log", cancel, minutes_ago=10))
        self.assertEqual(message.state, "done", message.errors)
        self.assertEqual(log.state, "cancelled")
        self.assertEqual(log.field_occurred_at, self.now - timedelta(minutes=10))
        self.env.invalidate_all()
        self.assertFalse(log.activity_ids)
        again = self.apply(self.field("field.daily_log", cancel, minutes_ago=5))
        self.assertEqual(again.note, "Cancelled: DL-1 was already withdrawn.")
        never = self.apply(
            self.field("field.daily_log", {"external_id": "DL-404", "cancelled": True})
        )
        self.assertEqual(never.state, "done")
        self.assertEqual(never.note, "Cancelled: DL-404 was never applied; nothing to withdraw.")
        # Sent again later by the app, the log is back.
        back = self.apply(self.field("field.daily_log", self.payload(notes="Back"), minutes_ago=1))
        self.assertEqual(back.state, "done", back.errors)
        self.assertEqual((log.state, log.notes), ("submitted", "Back"))
        self.assertEqual(log.activity_ids.user_id, self.user_pm)

    # ------------------------------------------------------------------
    # Approved logs: amendments
    # ------------------------------------------------------------------

    def test_change_to_an_approved_log_waits_for_the_approver(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        log = self.log_of()
        self.approve(log)
        message = self.apply(
            self.field(
                "field.daily_log",
                self.payload(
                    device="phone-A",
                    weather={"conditions": "Rain"},
                    manpower=[{"trade": "Carpenters", "headcount": 6, "hours": 8}],
                    notes="Six carpenters, not five",
                ),
                minutes_ago=10,
            )
        )
        self.assertEqual(message.state, "done", message.errors)
        amendment = self.Amendment.search([("res_model", "=", log._name), ("res_id", "=", log.id)])
        self.assertEqual(amendment.state, "pending")
        self.assertEqual(amendment.approver_id, self.user_pm)
        self.assertEqual(message.note, f"Amendment {amendment.name} waits for Pat Manager.")
        self.assertIn("Conditions: Sunny -> Rain", amendment.summary)
        self.assertIn("Notes: Cure blankets on. -> Six carpenters, not five", amendment.summary)
        self.assertIn("Carpenters: 6 x 8 h", amendment.summary)
        self.assertNotIn("Job:", amendment.summary)  # unchanged
        # Nothing changed yet.
        self.assertEqual(
            (log.state, log.weather_conditions, log.manpower_headcount), ("approved", "Sunny", 10)
        )
        self.assertEqual(log.field_amendment_count, 1)
        self.assertEqual(amendment.activity_ids.user_id, self.user_pm)

        with self.assertRaisesRegex(UserError, "Only Pat Manager"):
            amendment.with_user(self.supervisor).action_accept()
        amendment.with_user(self.user_pm).action_accept()
        self.assertEqual(amendment.state, "accepted")
        self.assertEqual(log.state, "approved")
        self.assertEqual(log.weather_conditions, "Rain")
        self.assertEqual(log.temperature_high, 15.5)
        self.assertEqual(log.notes, "Six carpenters, not five")
        self.assertEqual((log.manpower_headcount, log.manpower_hours), (6, 48))
        self.assertEqual(log.field_occurred_at, self.now - timedelta(minutes=10))

    def test_unchanged_resend_and_older_change_of_an_approved_log(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        log = self.log_of()
        self.approve(log)
        same = self.apply(
            self.field("field.daily_log", self.payload(notes="Cure blankets on."), minutes_ago=25)
        )
        self.assertTrue(same.note.startswith("No change"), same.note)
        self.assertFalse(self.Amendment.search([("res_id", "=", log.id)]))
        newer = self.apply(
            self.field("field.daily_log", self.payload(notes="Newer"), minutes_ago=10)
        )
        older = self.apply(
            self.field("field.daily_log", self.payload(notes="Older"), minutes_ago=20)
        )
        self.assertTrue(newer.note.startswith("Amendment"), newer.note)
        self.assertTrue(older.note.startswith("Stale"), older.note)
        amendment = self.Amendment.search([("res_id", "=", log.id), ("res_model", "=", log._name)])
        self.assertEqual(amendment.state, "pending")
        self.assertEqual(amendment.values["notes"], "Newer")

    def test_withdrawal_of_an_approved_log_waits_for_the_approver(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        log = self.log_of()
        self.approve(log)
        message = self.apply(
            self.field("field.daily_log", {"external_id": "DL-1", "cancelled": True}, minutes_ago=5)
        )
        self.assertTrue(message.note.startswith("Amendment"), message.note)
        self.assertEqual(log.state, "approved")
        amendment = self.Amendment.search([("res_id", "=", log.id), ("res_model", "=", log._name)])
        self.assertEqual(amendment.kind, "withdraw")
        amendment.with_user(self.user_pm).action_accept()
        self.assertEqual(log.state, "cancelled")

    def test_daily_log_approved_event_carries_the_external_id(self):
        endpoint = self.env["construction.sync.endpoint"].create(
            {
                "name": "Field app",
                "url": "http://127.0.0.1:9/field",
                "event_types": "daily_log.approved",
            }
        )
        self.apply(self.field("field.daily_log", self.full_payload()))
        log = self.log_of()
        self.approve(log)
        event = self.Outbound.search(
            [("event_type", "=", "daily_log.approved"), ("endpoint_id", "=", endpoint.id)]
        )
        self.assertEqual(len(event), 1)
        body = event._body_dict()
        self.assertEqual(body["type"], "daily_log.approved")
        self.assertEqual(body["company"], "Test GC")
        self.assertEqual(body["data"]["external_id"], "DL-1")
        self.assertEqual(body["data"]["job"], "J-9001")
        self.assertEqual(body["data"]["date"], self.today.isoformat())
        self.assertEqual(body["data"]["author"], "t_supervisor")
        self.assertEqual(body["data"]["manpower_headcount"], 10)

    # ------------------------------------------------------------------
    # Photos
    # ------------------------------------------------------------------

    def photo(self, external_id="PH-1", daily_log="DL-1", **values):
        return {
            "external_id": external_id,
            "daily_log": daily_log,
            "filename": "column.png",
            "content": PNG_B64,
            "caption": "Column C3 rebar",
            **values,
        }

    def test_photo_before_its_log_waits_for_it(self):
        photo = self.apply(self.field("field.daily_log_photo", self.photo(), minutes_ago=5))
        self.assertEqual(photo.state, "failed")
        self.assertEqual(photo.errors[0]["code"], "transient_error")
        self.assertIn("Daily log DL-1 has not arrived yet", photo.errors[0]["message"])
        log_message = self.apply(self.field("field.daily_log", self.payload(), minutes_ago=10))
        self.assertEqual(log_message.state, "done", log_message.errors)
        log = self.log_of()
        self.assertEqual(log.photo_count, 0)
        # The retry comes due.
        photo.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
        self.process()
        self.assertEqual(photo.state, "done", photo.errors)
        self.assertEqual(photo.result_ids, log.ids)
        self.assertEqual(log.photo_ids.mapped("name"), ["column.png"])
        self.assertEqual(log.photo_ids.description, "Column C3 rebar")
        self.assertEqual(log.photo_ids.field_external_id, "PH-1")

    def test_photo_after_its_log_is_attached_once(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=10))
        log = self.log_of()
        first = self.apply(self.field("field.daily_log_photo", self.photo(), minutes_ago=5))
        self.assertEqual(first.state, "done", first.errors)
        self.assertEqual(log.photo_ids.sorted("id").mapped("name"), ["slab.png", "column.png"])
        # The app sends it again (a new idempotency key): attached once.
        again = self.apply(self.field("field.daily_log_photo", self.photo(), minutes_ago=5))
        self.assertEqual(again.state, "done")
        self.assertIn("was already attached", again.note)
        self.assertEqual(log.photo_count, 2)
        # The log sent again with its photo: not attached twice either.
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=1))
        self.assertEqual(log.photo_count, 2)
        # A photo of a log of another source is not this log's.
        other = self.apply(
            self.field("field.daily_log_photo", self.photo("PH-2"), source="procure", minutes_ago=1)
        )
        self.assertEqual(other.state, "failed")
        # The app withdraws its photo.
        removed = self.apply(
            self.field("field.daily_log_photo", {"external_id": "PH-1", "cancelled": True})
        )
        self.assertEqual(removed.state, "done", removed.errors)
        self.assertEqual(log.photo_ids.mapped("name"), ["slab.png"])

    def test_photo_of_an_approved_log(self):
        self.apply(self.field("field.daily_log", self.payload(), minutes_ago=10))
        log = self.log_of()
        self.approve(log)
        message = self.apply(self.field("field.daily_log_photo", self.photo(), minutes_ago=5))
        self.assertEqual(message.state, "done", message.errors)
        self.assertEqual(log.photo_count, 1)
        self.assertEqual(log.state, "approved")
        self.assertTrue(
            log.message_ids.filtered(
                lambda m: "arrived from the field after the approval" in m.body
            )
        )

    def test_bad_photo_content(self):
        self.apply(self.field("field.daily_log", self.payload()))
        message = self.apply(
            self.field("field.daily_log_photo", self.photo(content="not base64 at all!"))
        )
        self.assertDead(message, "payload.content", "is not valid base64")
        self.assertEqual(self.log_of().photo_count, 0)
        message = self.apply(
            self.field(
                "field.daily_log",
                self.payload(
                    "DL-2",
                    photos=[
                        {"filename": "ok.png", "content": PNG_B64},
                        {"filename": "bad.jpg", "content": "%%%%"},
                    ],
                ),
            )
        )
        self.assertDead(message, "payload.photos.1.content", "is not valid base64")
        self.assertFalse(self.log_of("DL-2"))

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    def test_unknown_project(self):
        message = self.apply(self.field("field.daily_log", self.payload(project="J-0000")))
        self.assertDead(message, "payload.project", "Unknown project 'J-0000' in Test GC")
        self.assertEqual(message.errors[0]["code"], "unknown_reference")
        self.assertFalse(self.log_of())

    def test_author_not_in_the_job_team(self):
        message = self.apply(self.field("field.daily_log", self.payload(author="t_supervisor_2")))
        self.assertDead(message, "payload.author", "is not a member of the team of job J-9001")
        self.assertFalse(self.log_of())

    def test_unknown_author(self):
        message = self.apply(
            self.field("field.daily_log", self.payload(author="nobody@example.com"))
        )
        self.assertDead(message, "payload.author", "Unknown author 'nobody@example.com'")
        self.assertEqual(message.errors[0]["code"], "unknown_reference")
        # Every test user has the same generated email: ambiguous.
        message = self.apply(self.field("field.daily_log", self.payload(author="t.t@example.com")))
        self.assertDead(message, "payload.author", "give the author's login")
        self.assertFalse(self.log_of())

    def test_closed_job(self):
        self.job.job_status = "closed"
        message = self.apply(self.field("field.daily_log", self.payload()))
        self.assertDead(message, "payload.project", "Job J-9001 is closed")
        self.assertFalse(self.log_of())

    def test_schema_errors_are_rejected(self):
        low_high, headcount = self.submit(
            self.field(
                "field.daily_log",
                self.payload(weather={"temperature_low": 20, "temperature_high": 10}),
            ),
            self.field(
                "field.daily_log",
                self.payload("DL-2", manpower=[{"trade": "Carpenters", "headcount": -3}]),
            ),
        )
        self.assertEqual(low_high["state"], "rejected")
        self.assertEqual(low_high["errors"][0]["field"], "payload.weather.temperature_low")
        self.assertEqual(headcount["state"], "rejected")
        self.assertEqual(headcount["errors"][0]["field"], "payload.manpower.0.headcount")
        self.process()
        self.assertFalse(self.Log.search([("job_id", "=", self.job.id)]))

    def test_temperature_update_that_crosses_the_stored_one(self):
        self.apply(self.field("field.daily_log", self.full_payload(), minutes_ago=30))
        message = self.apply(
            self.field(
                "field.daily_log", self.payload(weather={"temperature_low": 18}), minutes_ago=5
            )
        )
        self.assertDead(
            message,
            "payload.weather.temperature_low",
            "the low temperature 18 is above the high temperature 15.5",
        )
        self.assertEqual(self.log_of().temperature_low, 4)

    def test_one_log_per_job_date_and_author(self):
        ui_log = self.make_log()
        message = self.apply(self.field("field.daily_log", self.payload(author="t_supervisor")))
        self.assertDead(
            message, "payload.date", f"already has a daily log of job J-9001 on {self.today}"
        )
        self.assertIn(ui_log.display_name, message.errors[0]["message"])
        # Two app records for the same author and day in one batch: the first wins.
        first, second = self.apply(
            self.field("field.daily_log", self.payload("DL-A", author="t_pm")),
            self.field("field.daily_log", self.payload("DL-B", author="t_pm")),
        )
        self.assertEqual(first.state, "done", first.errors)
        self.assertDead(second, "payload.date", "one log per job, date and author")

    def test_manpower_hours_over_a_day(self):
        message = self.apply(
            self.field(
                "field.daily_log",
                self.payload(
                    manpower=[
                        {"trade": "Carpenters", "headcount": 5, "hours": 8},
                        {"trade": "Laborers", "headcount": 2, "hours": 30},
                    ]
                ),
            )
        )
        self.assertDead(message, "payload.manpower.1.hours", "at most 24")
        self.assertFalse(self.log_of())

    def test_date_in_the_future(self):
        message = self.apply(
            self.field(
                "field.daily_log",
                self.payload(date=(self.today + timedelta(days=5)).isoformat()),
            )
        )
        self.assertDead(message, "payload.date", "is in the future")

    def test_a_bad_message_does_not_hold_back_the_batch(self):
        good, bad, good_2 = self.apply(
            self.field("field.daily_log", self.payload("DL-1")),
            self.field("field.daily_log", self.payload("DL-2", project="J-0000")),
            self.field("field.daily_log", self.payload("DL-3", author="t_supervisor")),
        )
        self.assertEqual((good.state, bad.state, good_2.state), ("done", "dead", "done"))
        self.assertEqual(
            sorted(self.Log.search([("job_id", "=", self.job.id)]).mapped("field_external_id")),
            ["DL-1", "DL-3"],
        )

    # ------------------------------------------------------------------
    # Batching
    # ------------------------------------------------------------------

    def test_batch_costs_the_same_queries_whatever_its_size(self):
        """The handler's queries do not grow with the number of logs."""

        def handler_queries(count, prefix, first_day):
            messages = self.submit(
                *[
                    self.field(
                        "field.daily_log",
                        self.payload(
                            f"{prefix}-{index}",
                            date=(self.today - timedelta(days=first_day + index)).isoformat(),
                            author="t_supervisor",
                            manpower=[{"trade": "Carpenters", "headcount": 2, "hours": 8}],
                            incidents=["Slip on the ramp"],
                        ),
                    )
                    for index in range(count)
                ]
            )
            inbound = self.Inbound.browse([m["id"] for m in messages])
            registry = self.Inbound._message_type_registry()
            batch = [(m, registry.validate_payload(m.message_type, m.payload)[0]) for m in inbound]
            self.env.flush_all()
            before = self.cr.sql_log_count
            results = self.Inbound._handle_field_daily_log(batch)
            self.env.flush_all()
            self.assertEqual(len(results), count)
            self.assertTrue(all(isinstance(r, tuple) for r in results.values()), results)
            return self.cr.sql_log_count - before

        handler_queries(1, "W", 40)  # caches warm
        small = handler_queries(2, "S", 0)
        large = handler_queries(20, "L", 10)
        self.assertEqual(self.Log.search_count([("field_external_id", "like", "L-")]), 20)
        self.assertLessEqual(large, small + 2, (small, large))

    def test_photo_for_a_supervisor_of_the_job(self):
        """Photos from the app are attachments the job's supervisor can open."""
        self.apply(self.field("field.daily_log", self.full_payload()))
        log = self.log_of().with_user(self.supervisor)
        self.assertEqual(log.photo_ids.mapped("name"), ["slab.png"])
        self.assertTrue(log.photo_ids.datas)
        log_ben = self.log_of().with_user(self.supervisor_2)
        self.assertFalse(self.Log.with_user(self.supervisor_2).search([("id", "=", log_ben.id)]))
        self.job.job_member_ids = [Command.unlink(self.supervisor.id)]
        self.assertFalse(self.Log.with_user(self.supervisor).search([("id", "=", log.id)]))
