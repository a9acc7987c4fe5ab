import uuid

from odoo import Command
from odoo.addons.construction_base.tests.common import ConstructionCase
from odoo.tests import new_test_user


class ConnectorCase(ConstructionCase):
    """Sources, an integration user with an API key, and message builders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Inbound = cls.env["construction.sync.inbound"]
        cls.Outbound = cls.env["construction.sync.outbound"]
        cls.integration_user = new_test_user(
            cls.env,
            login="t_integration",
            groups="construction_connector.group_integration",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.integration_user)
            .sudo()
            ._generate(None, "tests", False)
        )
        cls.source = cls.env["construction.sync.source"].create(
            {
                "code": "fieldapp",
                "name": "Field App",
                "user_id": cls.integration_user.id,
                "max_attempts": 3,
            }
        )
        cls.source_a_only = cls.env["construction.sync.source"].create(
            {
                "code": "procure",
                "name": "Procurement",
                "company_ids": [Command.set(cls.company_a.ids)],
            }
        )
        cls.IntegrationInbound = cls.Inbound.with_user(cls.integration_user)

    @staticmethod
    def message(type_, payload, key=None, source="fieldapp", **envelope):
        return {
            "source": source,
            "type": type_,
            "idempotency_key": key or str(uuid.uuid4()),
            "payload": payload,
            **envelope,
        }

    ENVELOPE_KEYS = ("source", "occurred_at", "correlation_id", "company")

    def vendor(self, external_id, name, key=None, **fields):
        """A master.vendor message; envelope keys (source, company...) go to the envelope."""
        envelope = {k: fields.pop(k) for k in self.ENVELOPE_KEYS if k in fields}
        return self.message(
            "master.vendor",
            {"external_id": external_id, "name": name, **fields},
            key=key,
            **envelope,
        )

    def submit(self, *messages):
        return self.IntegrationInbound._submit(list(messages))

    def process(self):
        """Apply every due message (as the cron would, without committing)."""
        total = 0
        while count := self.Inbound._process_due(limit=500):
            total += count
        self.env.invalidate_all()
        return total
