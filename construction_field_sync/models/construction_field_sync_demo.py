"""Demo data of the field chapter: a week of field records on Riverside (J-1001).

The records come in as a field app sends them: messages submitted to the
connector's inbound queue by the integration user and applied by the queue
processor (what the cron does), so that they carry the source, the device
and the sync status of the job like real field data. Then the people of the
story decide: Sam (site supervisor) rejects and approves crew time, which
approves the equipment hours of the same days; Paula (project manager)
approves the daily logs; and Sam starts the log of the current day, a draft.
Dates are relative to today.
"""

import base64
import logging
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

PHOTOS = "construction_field_sync/static/description/demo/"
DEMO_SOURCE = "fieldapp-demo"
SUPERVISOR_PHONE = "iPhone Sam Okafor"
FOREMAN_TABLET = "Tablet crew 2 (Luis Ortega)"
OPERATOR_TABLET = "Tablet EX-210"

# The crew, by the xml id of its employees in the demo file.
CREW = {
    "luis": "demo_employee_luis_ortega",
    "dana": "demo_employee_dana_whitfield",
    "marcus": "demo_employee_marcus_reed",
    "tina": "demo_employee_tina_kowalski",
    "jamal": "demo_employee_jamal_carter",
    "eric": "demo_employee_eric_lindqvist",
}
EQUIPMENT = {"excavator": "demo_equipment_excavator", "crane": "demo_equipment_crane"}
REBAR = "Front Range Rebar Supply"
ELECTRICAL = "Allied Electrical Contractors"


def _own_crew(foreman=8, carpenters=2, mason=8, laborer=8, operator=8):
    lines = [{"trade": "Concrete foreman", "headcount": 1, "hours": foreman}]
    if carpenters:
        lines.append({"trade": "Carpenters", "headcount": carpenters, "hours": 8})
    if mason:
        lines.append({"trade": "Cement mason", "headcount": 1, "hours": mason})
    if laborer:
        lines.append({"trade": "Laborer", "headcount": 1, "hours": laborer})
    if operator:
        lines.append({"trade": "Equipment operator", "headcount": 1, "hours": operator})
    return lines


# One entry per day, by days before today. ``crew``: hours per person of the
# foreman's crew sheet; ``equipment``: (equipment, hours, description);
# ``installed``: (budget line, quantity, notes).
WEEK = {
    6: {
        "weather": {
            "conditions": "Sunny",
            "temperature_low": 3,
            "temperature_high": 17,
            "precipitation": "None",
            "wind": "W 5 mph",
        },
        "manpower": _own_crew(foreman=9)
        + [
            {"trade": "Ironworkers", "headcount": 4, "hours": 8, "subcontractor": REBAR},
            {
                "trade": "Surveyors",
                "headcount": 2,
                "hours": 4,
                "subcontractor": "Benchmark Surveying",
            },
        ],
        "work_performed": "Excavated footings F-10 to F-14 along grid C with the excavator "
        "(EX-210).\nSurveyors laid out pile caps PC-3 to PC-6 and grade beam GB-2.\n"
        "Carpenters formed F-10 to F-14; ironworkers set the footing mats of F-10 to F-14.",
        "deliveries": "Front Range Rebar Supply: 8.5 t of #5 and #6 bar for the pile caps and "
        "grade beams (ticket 44817).\nMile High Lumber: form plywood and 2x10 lumber.",
        "visitors": "Paula Martinez (project manager): weekly site walk.",
        "photos": [("riverside_footing_excavation.jpg", "Footing excavation, grid C")],
        "crew": {"luis": 9, "dana": 8, "marcus": 8, "tina": 8, "jamal": 8, "eric": 8},
        "equipment": [("excavator", 8, "Footing excavation F-10 to F-14")],
        "installed": [("rebar", 3.2, "Footing mats F-10 to F-14")],
    },
    5: {
        "weather": {
            "conditions": "Partly cloudy",
            "temperature_low": 5,
            "temperature_high": 19,
            "precipitation": "None",
            "wind": "SW 10 mph",
        },
        "manpower": _own_crew(foreman=9, mason=10)
        + [
            {"trade": "Ironworkers", "headcount": 4, "hours": 8, "subcontractor": REBAR},
            {
                "trade": "Concrete pump operator",
                "headcount": 1,
                "hours": 5,
                "subcontractor": "Mile High Pumping",
            },
        ],
        "work_performed": "City inspector passed footings F-10 to F-14 at 7:30.\n"
        "Poured footings F-10 to F-14 (38 yd³, pumped).\n"
        "Excavator dug pile caps PC-3 to PC-6; ironworkers tied the pile cap cages in the "
        "laydown area.",
        "deliveries": "Granite Ready-Mix Co.: 4 trucks, 38 yd³ of 4,000 psi mix "
        "(tickets 90311 to 90314).",
        "visitors": "City of Denver building inspector: footing inspection F-10 to F-14, "
        "passed.\nRocky Mountain Testing: slump, air and 8 cylinders.",
        "photos": [("riverside_footings_pour.jpg", "Footings F-10 to F-14 pour, 38 yd³")],
        "crew": {"luis": 9, "dana": 8, "marcus": 8, "tina": 10, "jamal": 8, "eric": 8},
        "equipment": [("excavator", 8, "Pile cap excavation PC-3 to PC-6")],
        "installed": [("concrete", 38, "Footings F-10 to F-14")],
    },
    4: {
        "weather": {
            "conditions": "Sunny",
            "temperature_low": 6,
            "temperature_high": 21,
            "precipitation": "None",
            "wind": "Calm",
        },
        "manpower": _own_crew()
        + [
            {"trade": "Ironworkers", "headcount": 4, "hours": 8, "subcontractor": REBAR},
            {"trade": "Electricians", "headcount": 2, "hours": 6, "subcontractor": ELECTRICAL},
        ],
        "work_performed": "Stripped the forms of F-10 to F-14.\n"
        "The crane (CR-60) set the pile cap cages PC-3 to PC-6.\n"
        "Excavator trenched grade beam GB-2.\n"
        "Allied Electrical drove the ground rods and set the underslab conduit stub-ups at "
        "grid C.",
        "deliveries": "Metro Equipment Rentals: 60 t crawler crane CR-60 delivered and "
        "assembled (rented with its operator through next week).",
        "visitors": "Riverside Health Partners, owner's representative: site walk, no issues.",
        "photos": [("riverside_rebar_pile_caps.jpg", "Pile cap cages PC-3 to PC-6 set")],
        "crew": {"luis": 8, "dana": 8, "marcus": 8, "tina": 8, "jamal": 8, "eric": 8},
        "equipment": [
            ("excavator", 5, "Trench for grade beam GB-2"),
            ("crane", 6, "Set pile cap cages PC-3 to PC-6"),
        ],
        "installed": [("rebar", 4.1, "Pile cap cages PC-3 to PC-6")],
    },
    3: {
        "weather": {
            "conditions": "Sunny, gusty afternoon",
            "temperature_low": 8,
            "temperature_high": 22,
            "precipitation": "None",
            "wind": "Gusts to 35 mph after 14:00",
            "delay_hours": 1,
        },
        "manpower": _own_crew(carpenters=1)
        + [{"trade": "Ironworkers", "headcount": 4, "hours": 8, "subcontractor": REBAR}],
        "work_performed": "The crane set the cages of grade beam GB-2; carpenters formed GB-2.",
        "delays": "Crane work stood down from 14:00 to 15:00: wind gusts over 30 mph.",
        "notes": "Marcus Reed was sent to Oak Valley (J-1002) for the day.",
        "incidents": [
            {
                "type": "near_miss",
                "description": "During the lift of a bundle of #5 bars to grade beam GB-2 at "
                "grid C-4, one choker slipped and the bundle (about 1.2 t) dropped some 2 m "
                "into the excavation. The exclusion zone was in place: nobody was below and "
                "nothing was damaged.",
                "people_involved": "Crane operator (Metro Equipment Rentals), rigger Jamal "
                "Carter, foreman Luis Ortega",
                "action_taken": "Lifts stopped for 30 minutes; rigging inspected and the worn "
                "choker tagged out. Bundles are now lifted with a two-leg bridle and tag "
                "lines. Toolbox talk on rigging with the whole crew; reported to the safety "
                "manager.",
            }
        ],
        "photos": [("riverside_near_miss_c4.jpg", "Near miss at C-4: the dropped bundle")],
        "crew": {"luis": 8, "dana": 8, "tina": 8, "jamal": 8, "eric": 8},
        "equipment": [("crane", 7, "Set grade beam GB-2 cages (1 h stood down for wind)")],
        "installed": [("rebar", 3.6, "Grade beam GB-2 cages")],
    },
    2: {
        "weather": {
            "conditions": "Overcast",
            "temperature_low": 7,
            "temperature_high": 18,
            "precipitation": "Light drizzle before 7:00",
            "wind": "N 5 mph",
        },
        "manpower": _own_crew(foreman=10, mason=10, laborer=9)
        + [
            {
                "trade": "Concrete pump operator",
                "headcount": 1,
                "hours": 6,
                "subcontractor": "Mile High Pumping",
            }
        ],
        "work_performed": "Poured pile caps PC-3 to PC-6 and grade beam GB-2 (86 yd³, "
        "pumped); finished and cured with blankets.",
        "deliveries": "Granite Ready-Mix Co.: 9 trucks, 86 yd³ of 4,000 psi mix (tickets "
        "90402 to 90410); one truck sent back at 95 minutes.",
        "visitors": "Rocky Mountain Testing: slump, air and 12 cylinders.\n"
        "Paula Martinez (project manager).",
        "photos": [("riverside_pile_caps_pour.jpg", "Pile caps and GB-2 pour, 86 yd³")],
        "crew": {"luis": 10, "dana": 8, "marcus": 8, "tina": 10, "jamal": 9, "eric": 8},
        "equipment": [],
        "installed": [("concrete", 86, "Pile caps PC-3 to PC-6 and grade beam GB-2")],
    },
    1: {
        "weather": {
            "conditions": "Sunny",
            "temperature_low": 4,
            "temperature_high": 16,
            "precipitation": "None",
            "wind": "W 10 mph",
        },
        "manpower": _own_crew()
        + [{"trade": "Ironworkers", "headcount": 3, "hours": 8, "subcontractor": REBAR}],
        "work_performed": "Stripped the forms of PC-3 to PC-6 and GB-2.\n"
        "Backfilled and compacted along GB-2 and footings F-10 to F-14 (excavator and plate "
        "compactor).\nIronworkers started the cages of grade beam GB-3.",
        "deliveries": "Front Range Rebar Supply: 6 t of #6 bar for GB-3 and GB-4 "
        "(ticket 44902).",
        "visitors": "Rocky Mountain Testing: compaction tests along GB-2, passed (96 %).",
        "photos": [("riverside_backfill.jpg", "Backfill along grade beam GB-2")],
        "crew": {"luis": 8, "dana": 8, "marcus": 8, "tina": 8, "jamal": 8, "eric": 8},
        "equipment": [("excavator", 7, "Backfill along GB-2 and F-10 to F-14")],
        "installed": [("rebar", 2.5, "Grade beam GB-3 cages (part)")],
    },
}
# Placed before this week, when the crew sheet of the footings F-1 to F-9 was
# still on paper (the payroll line of job costing).
EARLIER_INSTALLED = [
    (9, "rebar", 6.4, "Footing mats F-1 to F-9"),
    (8, "concrete", 72, "Footings F-1 to F-9"),
]
APPROVED_DAYS = (6, 5, 4, 3, 2)
REJECTED = {
    "day": 3,
    "person": "marcus",
    "hours": 8,
    "reason": "Marcus worked at Oak Valley (J-1002) that day, not on Riverside: send his "
    "hours on J-1002.",
}
WITHDRAWN = {
    "day": 4,
    "person": "jamal",
    "hours": 2,
    "description": "Clean-up after the crane assembly",
}
TODAY = {
    "weather_conditions": "Clear, cold start",
    "temperature_low": 2,
    "temperature_high": 14,
    "wind": "Calm",
    "work_performed": "7:00 toolbox talk on rigging and tag lines after the near miss at "
    "C-4.\nForming grade beam GB-3 at grid D; ironworkers tying the GB-3 cages.",
    "manpower": _own_crew(mason=0, operator=0)
    + [{"trade": "Ironworkers", "headcount": 3, "hours": 8, "subcontractor": REBAR}],
    "photos": [("riverside_gb3_forms.jpg", "Grade beam GB-3 forms, grid D")],
}


class ConstructionDailyLog(models.Model):
    _inherit = "construction.daily.log"

    # ------------------------------------------------------------------
    # Entry point (demo/construction_field_sync_demo.xml)
    # ------------------------------------------------------------------

    @api.model
    def _construction_load_field_demo(self):
        """Load the field week of Riverside; nothing when a demo record it
        needs is missing, or when it was loaded already."""
        refs = self._field_demo_refs()
        if not refs:
            _logger.info("Field demo: a demo record of a dependency is missing; skipped.")
            return False
        job, supervisor = refs["job"], refs["supervisor"]
        if self.sudo().search_count([("job_id", "=", job.id), ("author_id", "=", supervisor.id)]):
            return False
        today = fields.Date.context_today(self)
        submitter = self._field_demo_submitter(refs)
        if not submitter:
            _logger.info("Field demo: no user of Construction / Integration; skipped.")
            return False
        source = self._field_demo_source(refs, submitter)
        messages = self._field_demo_messages(refs, source, today)
        Inbound = self.env["construction.sync.inbound"]
        results = Inbound.with_user(submitter)._submit(messages)
        refused = [result for result in results if result["errors"]]
        for result in refused:
            _logger.warning(
                "Field demo: message %s refused: %s", result["idempotency_key"], result["errors"]
            )
        for _round in range(20):
            if not Inbound.sudo()._process_due():
                break
        stored = Inbound.sudo().browse([result["id"] for result in results])
        for message in stored.filtered(lambda m: m.state != "done"):
            _logger.warning(
                "Field demo: message %s is %s: %s",
                message.idempotency_key,
                message.state,
                message.errors_text,
            )
        self.env.invalidate_all()
        self._field_demo_decide(refs, source, today)
        self._field_demo_today(refs, today)
        return True

    # ------------------------------------------------------------------
    # What the demo needs
    # ------------------------------------------------------------------

    @api.model
    def _field_demo_refs(self):
        """The records of the story, or None when one is missing."""

        def ref(xml_id):
            return self.env.ref(xml_id, raise_if_not_found=False)

        refs = {
            "job": ref("construction_base.demo_job_riverside"),
            "phase": ref("construction_base.demo_phase_riverside_p2"),
            "labor": ref("construction_base.demo_cc_03_310"),
            "supervisor": ref("construction_base.demo_user_supervisor"),
            "pm": ref("construction_base.demo_user_pm"),
        }
        refs.update({key: ref(f"construction_field_sync.{xml}") for key, xml in CREW.items()})
        refs.update({key: ref(f"construction_field_sync.{xml}") for key, xml in EQUIPMENT.items()})
        if not all(refs.values()):
            return None
        # The two budget lines with quantities: concrete (yd³) and rebar (t).
        lines = {
            "concrete": ref("construction_job_costing.demo_bl_riverside_p2_03_300"),
            "rebar": ref("construction_job_costing.demo_bl_riverside_p2_03_200"),
        }
        refs["budget_lines"] = {
            key: line for key, line in lines.items() if line and line.quantity and line.uom_id
        }
        refs["integration"] = ref("construction_connector.demo_user_integration")
        refs["fieldapp"] = ref("construction_connector.demo_source_fieldapp")
        return refs

    @api.model
    def _field_demo_submitter(self, refs):
        """Who sends the field app's messages: a user of Construction / Integration
        who may write into the job's company."""
        group = "construction_connector.group_integration"
        candidates = (refs["fieldapp"].user_id if refs["fieldapp"] else self.env["res.users"]) | (
            refs["integration"] or self.env["res.users"]
        )
        candidates |= self.env["res.users"].search([("groups_id", "in", self.env.ref(group).ids)])
        company = refs["job"].company_id
        return next(
            (
                user
                for user in candidates
                if user.active and user.has_group(group) and company in user.company_ids
            ),
            None,
        )

    @api.model
    def _field_demo_source(self, refs, submitter):
        """The field app of the connector's demo, else a source of our own."""
        company = refs["job"].company_id
        source = refs["fieldapp"]
        if source and source.active and company in source.company_ids:
            return source
        Source = self.env["construction.sync.source"].sudo()
        return Source.search([("code", "=", DEMO_SOURCE)], limit=1) or Source.create(
            {
                "code": DEMO_SOURCE,
                "name": "Field App (demo)",
                "company_ids": [Command.set(company.ids)],
                "user_id": submitter.id,
            }
        )

    # ------------------------------------------------------------------
    # The messages of the field apps
    # ------------------------------------------------------------------

    @api.model
    def _field_demo_messages(self, refs, source, today):
        job = refs["job"]
        code = job.job_code
        phase = refs["phase"].code
        now = fields.Datetime.now().replace(microsecond=0)

        def at(days_ago, hour, minute=0):
            """A moment on that day (UTC), never later than now."""
            moment = datetime.combine(today - timedelta(days=days_ago), time(hour, minute))
            return min(moment, now - timedelta(minutes=1))

        def message(kind, payload, occurred, key=None):
            return {
                "source": source.code,
                "type": kind,
                "idempotency_key": f"demo-{key or payload['external_id']}",
                "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "company": job.company_id.id,
                "payload": payload,
            }

        def badge(person):
            return refs[person].barcode or refs[person].work_email

        messages = []
        for days_ago, day in WEEK.items():
            date = fields.Date.to_string(today - timedelta(days=days_ago))
            log = {
                "external_id": f"RIV-DL-{date}",
                "device": SUPERVISOR_PHONE,
                "project": code,
                "date": date,
                "author": refs["supervisor"].login,
                "weather": day["weather"],
                "manpower": day["manpower"],
                "photos": [
                    self._field_demo_photo(name, caption) for name, caption in day["photos"]
                ],
            }
            for key in ("work_performed", "deliveries", "visitors", "delays", "notes", "incidents"):
                if day.get(key):
                    log[key] = day[key]
            messages.append(message("field.daily_log", log, at(days_ago, 23, 40)))
            crew = {
                "external_id": f"RIV-CREW-{date}",
                "device": FOREMAN_TABLET,
                "project": code,
                "phase": phase,
                "cost_code": refs["labor"].code,
                "date": date,
                "hours": 8,
                "description": "Foundations crew",
                "employees": [
                    {"employee": badge(person), "hours": hours}
                    for person, hours in day["crew"].items()
                ],
            }
            messages.append(message("field.timesheet", crew, at(days_ago, 23)))
            for index, (key, hours, description) in enumerate(day["equipment"], start=1):
                equipment = refs[key]
                usage = {
                    "external_id": f"RIV-EQ-{date}-{index}",
                    "device": OPERATOR_TABLET if key == "excavator" else FOREMAN_TABLET,
                    "project": code,
                    "phase": phase,
                    "cost_code": equipment.cost_code_id.code,
                    "equipment": equipment.code,
                    "date": date,
                    "hours": hours,
                    "description": description,
                }
                if key == "excavator":
                    usage["employee"] = badge("eric")
                messages.append(message("field.equipment_usage", usage, at(days_ago, 23, 5)))
        installed = [
            (days_ago, key, quantity, notes)
            for days_ago, day in WEEK.items()
            for key, quantity, notes in day["installed"]
        ]
        for days_ago, key, quantity, notes in EARLIER_INSTALLED + installed:
            line = refs["budget_lines"].get(key)
            if not line:
                continue
            date = fields.Date.to_string(today - timedelta(days=days_ago))
            payload = {
                "external_id": f"RIV-QTY-{date}-{line.cost_code_id.code}",
                "device": FOREMAN_TABLET,
                "project": code,
                "phase": line.phase_id.code or None,
                "cost_code": line.cost_code_id.code,
                "date": date,
                "quantity": quantity,
                "uom": line.uom_id.name,
                "notes": notes,
            }
            messages.append(
                message(
                    "field.installed_quantity",
                    payload,
                    at(days_ago, 23, 10),
                )
            )
        # Sent for Marcus on Riverside while he was at Oak Valley: rejected.
        date = fields.Date.to_string(today - timedelta(days=REJECTED["day"]))
        wrong = {
            "external_id": f"RIV-T-{date}-{badge(REJECTED['person'])}",
            "device": "Tablet crew 4",
            "project": code,
            "phase": phase,
            "cost_code": refs["labor"].code,
            "date": date,
            "hours": REJECTED["hours"],
            "employee": badge(REJECTED["person"]),
        }
        messages.append(message("field.timesheet", wrong, at(REJECTED["day"], 23, 20)))
        # Sent twice (it is in the crew sheet already), withdrawn the next morning.
        date = fields.Date.to_string(today - timedelta(days=WITHDRAWN["day"]))
        twice = {
            "external_id": f"RIV-T-{date}-{badge(WITHDRAWN['person'])}",
            "device": FOREMAN_TABLET,
            "project": code,
            "phase": phase,
            "cost_code": refs["labor"].code,
            "date": date,
            "hours": WITHDRAWN["hours"],
            "employee": badge(WITHDRAWN["person"]),
            "description": WITHDRAWN["description"],
        }
        messages.append(message("field.timesheet", twice, at(WITHDRAWN["day"], 23, 30)))
        withdrawal = {
            "external_id": twice["external_id"],
            "cancelled": True,
            "device": FOREMAN_TABLET,
        }
        messages.append(
            message(
                "field.timesheet",
                withdrawal,
                at(WITHDRAWN["day"] - 1, 14),
                key=f"{twice['external_id']}-withdrawn",
            )
        )
        return messages

    @api.model
    def _field_demo_photo(self, filename, caption):
        with file_open(PHOTOS + filename, "rb") as image:
            content = base64.b64encode(image.read()).decode()
        return {"filename": filename, "content": content, "caption": caption}

    # ------------------------------------------------------------------
    # The decisions of the supervisor and the project manager
    # ------------------------------------------------------------------

    @api.model
    def _field_demo_decide(self, refs, source, today):
        supervisor, pm = refs["supervisor"], refs["pm"]
        Line = self.env["account.analytic.line"].sudo()

        def entry(external_id):
            return Line.search(
                [("field_source_id", "=", source.id), ("field_external_id", "=", external_id)]
            )

        def day(days_ago):
            return fields.Date.to_string(today - timedelta(days=days_ago))

        wrong = entry(f"RIV-T-{day(REJECTED['day'])}-{refs[REJECTED['person']].barcode}").filtered(
            lambda line: line.field_state == "submitted"
        )
        if wrong:
            self.env["construction.timesheet.reject.wizard"].with_user(supervisor).create(
                {"line_ids": [Command.set(wrong.ids)], "reason": REJECTED["reason"]}
            ).action_reject()
        crew = Line.browse()
        for days_ago in APPROVED_DAYS:
            crew |= entry(f"RIV-CREW-{day(days_ago)}")
        crew = crew.filtered(lambda line: line.field_state == "submitted")
        if crew:
            # The whole day: the crew's time and the equipment hours of that day.
            crew.with_user(supervisor).action_field_approve_day()
        logs = (
            self.sudo()
            .search(
                [
                    ("field_source_id", "=", source.id),
                    ("field_external_id", "in", [f"RIV-DL-{day(d)}" for d in APPROVED_DAYS]),
                    ("state", "=", "submitted"),
                ]
            )
            .with_user(pm)
        )
        if logs:
            logs.action_approve()

    @api.model
    def _field_demo_today(self, refs, today):
        """Sam's log of the current day, still a draft on the web form."""
        supervisor = refs["supervisor"]
        values = {key: value for key, value in TODAY.items() if key not in ("manpower", "photos")}
        manpower = []
        for sequence, line in enumerate(TODAY["manpower"], start=1):
            partner = False
            if line.get("subcontractor"):
                partner = self.env["res.partner"].search(
                    [("name", "=", line["subcontractor"])], limit=1
                )
            manpower.append(
                Command.create(
                    {
                        "sequence": sequence,
                        "trade": line["trade"],
                        "headcount": line["headcount"],
                        "hours": line["hours"],
                        "partner_id": partner.id if partner else False,
                        "subcontractor_name": False
                        if partner
                        else (line.get("subcontractor") or False),
                    }
                )
            )
        log = (
            self.with_user(supervisor)
            .with_company(refs["job"].company_id)
            .create(
                {
                    **values,
                    "job_id": refs["job"].id,
                    "date": today,
                    "author_id": supervisor.id,
                    "manpower_ids": manpower,
                }
            )
        )
        photos = (
            self.env["ir.attachment"]
            .with_user(supervisor)
            .create(
                [
                    {
                        "name": photo["filename"],
                        "raw": base64.b64decode(photo["content"]),
                        "description": photo["caption"],
                        "res_model": self._name,
                        "res_id": log.id,
                    }
                    for photo in (
                        self._field_demo_photo(name, caption) for name, caption in TODAY["photos"]
                    )
                ]
            )
        )
        log.photo_ids = [Command.link(photo.id) for photo in photos]
        return log
