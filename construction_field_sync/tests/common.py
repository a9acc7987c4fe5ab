from datetime import datetime, timedelta

from odoo import fields
from odoo.addons.construction_job_costing.tests.common import JobCostCase


class FieldCase(JobCostCase):
    """A crew on job J-9001 (badges, identification, work email), and helpers
    to send field messages through the connector and apply them.

    ``self.supervisor`` (t_supervisor) is a member of J-9001, not of J-9002.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.employee.write({"barcode": "B100"})
        cls.carpenter = Employee.create(
            {
                "name": "Ben Carpenter",
                "company_id": cls.company_a.id,
                "hourly_cost": 40.0,
                "barcode": "B101",
                "identification_id": "ID-101",
            }
        )
        cls.laborer = Employee.create(
            {
                "name": "Cy Laborer",
                "company_id": cls.company_a.id,
                "hourly_cost": 30.0,
                "work_email": "cy@example.com",
            }
        )
        cls.supervisor = cls.user_supervisor
        cls.now = fields.Datetime.now().replace(microsecond=0)
        cls.yesterday = cls.today - timedelta(days=1)

    def at(self, minutes_ago=0):
        """An occurred_at in the contract's format, ``minutes_ago`` before now."""
        moment = self.now - timedelta(minutes=minutes_ago)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def field(self, type_, payload, minutes_ago=0, key=None, **envelope):
        """A field message; ``minutes_ago`` sets its occurred_at."""
        envelope.setdefault("occurred_at", self.at(minutes_ago))
        return self.message(type_, payload, key=key, **envelope)

    def apply(self, *messages):
        """Submit and process; return the stored inbound messages in order."""
        results = self.submit(*messages)
        self.process()
        return self.Inbound.browse([result["id"] for result in results])

    @staticmethod
    def as_datetime(text):
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
