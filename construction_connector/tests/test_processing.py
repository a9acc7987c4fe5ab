from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors

from odoo import fields
from odoo.tests import tagged
from odoo.tools import html2plaintext

from ..domain.errors import Applied
from ..models.construction_sync_inbound import ConstructionSyncInbound
from .common import ConnectorCase


@tagged("post_install", "-at_install")
class TestProcessing(ConnectorCase):
    def _messages(self, results):
        return self.Inbound.browse([result["id"] for result in results])

    def test_vendors_created_then_updated(self):
        results = self.submit(
            self.vendor(
                "V-1",
                "Granite Ready-Mix",
                vat="US123",
                email="ar@granite.example.com",
                country_code="US",
                correlation_id="batch-9",
            ),
            self.vendor("V-2", "Northline Steel"),
        )
        self.assertEqual(self.process(), 2)
        first, second = self._messages(results)
        self.assertEqual((first.state, first.attempts), ("done", 1))
        vendor = self.env["res.partner"].browse(first.result_ids)
        self.assertEqual(first.result_model, "res.partner")
        self.assertEqual(
            (vendor.name, vendor.vat, vendor.email, vendor.country_id.code, vendor.supplier_rank),
            ("Granite Ready-Mix", "US123", "ar@granite.example.com", "US", 1),
        )
        self.assertEqual(
            html2plaintext(vendor.message_ids[:1].body),
            f"Applied from fieldapp message master.vendor, key {first.idempotency_key}, "
            "correlation batch-9.",
        )
        # The same external id updates the vendor; unsent fields are kept.
        [update] = self.submit(self.vendor("V-1", "Granite Ready-Mix Inc.", phone="555-0100"))
        self.process()
        self.assertEqual(self._messages([update]).result_ids, first.result_ids)
        self.assertEqual(
            (vendor.name, vendor.phone, vendor.vat), ("Granite Ready-Mix Inc.", "555-0100", "US123")
        )
        refs = self.env["construction.external.ref"]._resolve("fieldapp", "res.partner", ["V-1"])
        self.assertEqual(refs["V-1"], vendor)

    def test_vendor_matched_by_vat(self):
        existing = self.env["res.partner"].create({"name": "Old Name", "vat": "BE0477472701"})
        [result] = self.submit(self.vendor("V-7", "New Name", vat="BE0477472701"))
        self.process()
        self.assertEqual(self._messages([result]).result_ids, [existing.id])
        self.assertEqual(existing.name, "New Name")

    def test_project_with_phases_created_and_updated(self):
        [created] = self.submit(
            self.message(
                "master.project",
                {
                    "code": "J-7001",
                    "name": "Harbor Clinic",
                    "customer": "Harbor Health",
                    "contract_value": 1250000.50,
                    "retention_percent": 5,
                    "phases": [{"code": "P1", "name": "Sitework"}, {"code": "P2", "name": "Shell"}],
                },
            )
        )
        self.process()
        job = self.Project.browse(self._messages([created]).result_ids)
        self.assertEqual(
            (
                job.job_code,
                job.name,
                job.partner_id.name,
                job.contract_value,
                job.retention_percent,
            ),
            ("J-7001", "Harbor Clinic", "Harbor Health", 1250000.50, 5.0),
        )
        self.assertEqual(job.company_id, self.company_a)
        self.assertEqual(job.phase_ids.mapped("code"), ["P1", "P2"])
        self.assertEqual(job.account_id.code, "J-7001")
        self.submit(
            self.message(
                "master.project",
                {
                    "code": "J-7001",
                    "name": "Harbor Clinic",
                    "phases": [
                        {"code": "P2", "name": "Shell and Core"},
                        {"code": "P3", "name": "Fit-out"},
                    ],
                },
            )
        )
        self.process()
        self.assertEqual(
            job.phase_ids.sorted("code").mapped("display_name"),
            ["P1 Sitework", "P2 Shell and Core", "P3 Fit-out"],
        )
        self.assertEqual(job.partner_id.name, "Harbor Health", "unsent customer is kept")

    def test_cost_codes_parent_in_same_batch_and_unknown_parent(self):
        results = self.submit(
            self.message(
                "master.cost_code",
                {
                    "code": "09-210",
                    "name": "Gypsum",
                    "cost_type": "subcontract",
                    "parent_code": "09-200",
                },
            ),
            self.message(
                "master.cost_code",
                {
                    "code": "09-200",
                    "name": "Plaster and Gypsum",
                    "cost_type": "material",
                    "parent_code": "09",
                },
            ),
            self.message(
                "master.cost_code",
                {
                    "code": "09-900",
                    "name": "Paint",
                    "cost_type": "material",
                    "parent_code": "99-999",
                },
            ),
        )
        self.process()
        child, parent, orphan = self._messages(results)
        self.assertEqual((child.state, parent.state, orphan.state), ("done", "done", "dead"))
        code = self.CostCode.browse(child.result_ids)
        self.assertEqual(code.parent_id.code, "09-200")
        self.assertEqual(code.parent_id.parent_id.code, "09")
        self.assertEqual(
            orphan.errors,
            [
                {
                    "code": "unknown_reference",
                    "field": "payload.parent_code",
                    "message": "Unknown parent cost code '99-999' in Test GC.",
                }
            ],
        )

    def test_bad_message_does_not_fail_the_batch(self):
        """A handler error on one message (here: a business rule) leaves the others applied."""
        self.CostCode.create({"code": "XX-1", "name": "Taken", "company_id": self.company_a.id})
        results = self.submit(
            self.message("master.project", {"code": "J-8001", "name": "Good one"}),
            self.message(
                "master.project", {"code": "J-8002", "name": "Bad", "retention_percent": 100}
            ),
            self.message("master.project", {"code": "J-8003", "name": "Good two"}),
        )
        original = ConstructionSyncInbound._handle_master_project

        def handler(inbound, batch):
            if any(payload.code == "J-8002" for _m, payload in batch):
                # Write something, then fail: the savepoint must undo the write.
                inbound.env["res.partner"].create({"name": "Half-applied"})
                raise ValueError("boom on J-8002")
            return original(inbound, batch)

        with patch.object(ConstructionSyncInbound, "_handle_master_project", handler):
            self.process()
        good1, bad, good2 = self._messages(results)
        self.assertEqual((good1.state, bad.state, good2.state), ("done", "failed", "done"))
        self.assertEqual(bad.attempts, 1)
        self.assertIn("ValueError: boom on J-8002", bad.errors[0]["message"])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Half-applied")]))
        self.assertFalse(self.Project.search([("job_code", "=", "J-8002")]))
        self.assertEqual(self.Project.search_count([("job_code", "in", ["J-8001", "J-8003"])]), 2)

    def test_business_rule_refusal_is_dead_with_reason(self):
        [result] = self.submit(
            self.message(
                "master.cost_code",
                {
                    "code": "03",
                    "name": "Concrete",
                    "cost_type": "material",
                    "parent_code": "03-310",
                },
            )
        )
        self.process()
        message = self._messages([result])
        self.assertEqual(message.state, "dead")
        self.assertEqual(
            message.errors[0]["message"],
            "Cost code 03 Concrete cannot be placed under 03-310 Concrete Labor: that would "
            "make the hierarchy a cycle.",
        )
        self.assertFalse(self.division_03.parent_id)

    def test_backoff_then_dead_after_max_attempts_then_replay(self):
        [result] = self.submit(self.vendor("V-1", "Flaky"))
        message = self._messages([result])

        def locked(inbound, batch):
            raise pg_errors.LockNotAvailable("could not obtain lock on row in relation")

        now = fields.Datetime.now()
        with (
            patch.object(ConstructionSyncInbound, "_handle_master_vendor", locked),
            patch(
                "odoo.addons.construction_connector.models.construction_sync_inbound.random.random",
                return_value=0.5,
            ),
        ):
            self.process()
            self.assertEqual((message.state, message.attempts), ("failed", 1))
            self.assertEqual(message.errors[0]["code"], "transient_error")
            delay = (message.next_attempt_at - now).total_seconds()
            self.assertAlmostEqual(delay, 30, delta=2)
            self.assertEqual(self.process(), 0, "not due before its next attempt")
            message.next_attempt_at = now - timedelta(seconds=1)
            self.process()
            self.assertEqual((message.state, message.attempts), ("failed", 2))
            self.assertAlmostEqual((message.next_attempt_at - now).total_seconds(), 60, delta=2)
            message.next_attempt_at = now - timedelta(seconds=1)
            self.process()
            # The source allows 3 attempts.
            self.assertEqual((message.state, message.attempts), ("dead", 3))
            self.assertFalse(message.next_attempt_at)
        message.action_replay()
        self.assertEqual((message.state, message.attempts), ("pending", 0))
        self.process()
        self.assertEqual(message.state, "done")
        self.assertEqual(self.env["res.partner"].browse(message.result_ids).name, "Flaky")

    def test_messages_of_one_key_applied_in_occurred_order(self):
        results = self.submit(
            self.vendor("V-5", "Third", occurred_at="2026-11-20T12:00:00Z"),
            self.vendor("V-5", "First", occurred_at="2026-11-20T10:00:00Z"),
            self.vendor("V-5", "Second", occurred_at="2026-11-20T11:00:00Z"),
        )
        self.process()
        messages = self._messages(results)
        self.assertEqual(set(messages.mapped("state")), {"done"})
        vendor = self.env["res.partner"].browse(messages[0].result_ids)
        self.assertEqual(vendor.name, "Third")

    def test_stale_message_does_not_overwrite(self):
        self.submit(self.vendor("V-6", "Newer", occurred_at="2026-11-20T12:00:00Z"))
        self.process()
        [late] = self.submit(self.vendor("V-6", "Older", occurred_at="2026-11-20T09:00:00Z"))
        self.process()
        message = self._messages([late])
        self.assertEqual(message.state, "done")
        self.assertTrue(message.note.startswith("Stale: a message for master.vendor|V-6"))
        self.assertFalse(message.result_ids)
        partner = self.env["construction.external.ref"]._resolve("fieldapp", "res.partner", ["V-6"])
        self.assertEqual(partner["V-6"].name, "Newer")

    def test_sources_share_a_batch(self):
        """A source back from a week offline does not hold the others back."""
        backlog = self.submit(
            *(
                self.vendor(f"V-{n}", f"Backlog {n}", occurred_at=f"2026-11-1{n}T08:00:00Z")
                for n in range(6)
            )
        )
        other = self.submit(
            *(
                self.vendor(
                    f"P-{n}", f"Other {n}", source="procure", occurred_at="2026-11-20T08:00:00Z"
                )
                for n in range(2)
            )
        )
        claimed = self.Inbound._claim_due(4)
        self.assertEqual(claimed.mapped("source_code").count("procure"), 2)
        self.assertEqual(
            claimed.filtered(lambda m: m.source_code == "fieldapp").ids,
            [result["id"] for result in backlog[:2]],
            "the backlog's oldest first",
        )
        # What a source does not use of its share goes to the others.
        claimed = self.Inbound._claim_due(6)
        self.assertEqual(len(claimed), 6)
        self.assertEqual(
            set(claimed.ids) & {result["id"] for result in other},
            {result["id"] for result in other},
        )

    def test_handler_result_with_a_note(self):
        """A handler may end a message as done without applying it as sent."""
        vendor = self.env["res.partner"].create({"name": "Kept"})

        def handle(inbound, batch):
            return {m.id: Applied("res.partner", vendor.ids, note="Held") for m, _p in batch}

        [result] = self.submit(self.vendor("V-9", "Changed"))
        with patch.object(ConstructionSyncInbound, "_handle_master_vendor", handle):
            self.process()
        message = self._messages([result])
        self.assertEqual(
            (message.state, message.note, message.result_ids), ("done", "Held", vendor.ids)
        )

    def test_cancel_and_purge(self):
        results = self.submit(self.vendor("V-1", "A"), self.vendor("V-2", "B"))
        first, second = self._messages(results)
        second.action_cancel()
        self.assertEqual(second.state, "dead")
        self.assertIn("Cancelled by", second.note)
        self.process()
        self.assertEqual(first.state, "done")
        first.processed_at = fields.Datetime.now() - timedelta(days=91)
        self.assertEqual(self.Inbound._cron_purge(), 1)
        self.assertFalse(first.exists())
        self.assertTrue(second.exists(), "dead messages wait for a person")

    def test_health(self):
        self.submit(self.vendor("V-1", "A"), self.message("master.vendor", {}, key="bad"))
        health = self.Inbound._api_health()
        self.assertEqual(health["queue"]["pending"], 1)
        self.assertEqual(health["queue"]["rejected"], 1)
        self.process()
        health = self.Inbound._api_health()
        self.assertEqual((health["queue"]["pending"], health["done_last_hour"]), (0, 1))


@tagged("post_install", "-at_install")
class TestCorrelation(ConnectorCase):
    def test_events_emitted_by_a_message_carry_its_correlation_id(self):
        self.env["construction.sync.endpoint"].create(
            {"name": "Controls", "url": "http://127.0.0.1:9/hook"}
        )
        original = ConstructionSyncInbound._handle_master_project

        def handler(inbound, batch):
            results = original(inbound, batch)
            for message, _payload in batch:
                model, ids = results[message.id]
                inbound.env["construction.sync.outbound"].emit(
                    "change_order.approved", inbound.env[model].browse(ids), {"why": "test"}
                )
            return results

        self.submit(
            self.message("master.project", {"code": "J-6001", "name": "A"}, correlation_id="c-A"),
            self.message("master.project", {"code": "J-6002", "name": "B"}, correlation_id="c-B"),
        )
        with patch.object(ConstructionSyncInbound, "_handle_master_project", handler):
            self.process()
        events = self.Outbound.search([("event_type", "=", "change_order.approved")])
        by_job = {self.Project.browse(e.res_id).job_code: e.correlation_id for e in events}
        self.assertEqual(by_job, {"J-6001": "c-A", "J-6002": "c-B"})
