from odoo.tests import tagged

from ..models.construction_sync_inbound import SubmitForbidden
from .common import ConnectorCase


@tagged("post_install", "-at_install")
class TestSubmit(ConnectorCase):
    def test_accepted_message_is_stored_pending(self):
        [result] = self.submit(
            self.vendor(
                "V-1",
                "Granite Ready-Mix",
                key="k-1",
                occurred_at="2026-11-20T14:03:00Z",
                correlation_id="batch-7",
            )
        )
        self.assertEqual(
            {k: result[k] for k in ("idempotency_key", "state", "duplicate", "errors")},
            {"idempotency_key": "k-1", "state": "pending", "duplicate": False, "errors": []},
        )
        message = self.Inbound.browse(result["id"])
        self.assertEqual(message.source_id, self.source)
        self.assertEqual(message.message_type, "master.vendor")
        self.assertEqual(message.payload, {"external_id": "V-1", "name": "Granite Ready-Mix"})
        self.assertEqual(str(message.occurred_at), "2026-11-20 14:03:00")
        self.assertEqual(message.correlation_id, "batch-7")
        self.assertEqual(message.company_id, self.company_a)
        self.assertEqual(message.business_key, "master.vendor|V-1")
        self.assertEqual(message.submitted_by, self.integration_user)
        self.assertTrue(message.txid)

    def test_duplicate_returns_first_message(self):
        first = self.submit(self.vendor("V-1", "Granite", key="k-1"))[0]
        again = self.submit(self.vendor("V-1", "Granite", key="k-1"))[0]
        self.assertEqual(again["id"], first["id"])
        self.assertTrue(again["duplicate"])
        self.assertEqual(again["errors"], [])
        self.assertEqual(self.Inbound.search_count([("idempotency_key", "=", "k-1")]), 1)
        # Once applied, a duplicate reports the current state.
        self.process()
        again = self.submit(self.vendor("V-1", "Granite", key="k-1"))[0]
        self.assertEqual((again["state"], again["duplicate"]), ("done", True))

    def test_same_key_different_payload_is_conflict(self):
        first = self.submit(self.vendor("V-1", "Granite", key="k-1"))[0]
        [result] = self.submit(self.vendor("V-1", "Granite Ready-Mix", key="k-1"))
        self.assertEqual(result["state"], "rejected")
        self.assertEqual(result["errors"][0]["code"], "idempotency_conflict")
        self.assertEqual(result["errors"][0]["field"], "idempotency_key")
        self.assertIn(str(first["id"]), result["errors"][0]["message"])
        self.assertEqual(self.Inbound.browse(first["id"]).payload["name"], "Granite")

    def test_same_key_twice_in_one_batch(self):
        results = self.submit(
            self.vendor("V-1", "Granite", key="k-1"),
            self.vendor("V-1", "Granite", key="k-1"),
            self.vendor("V-1", "Other", key="k-1"),
        )
        self.assertEqual([r["duplicate"] for r in results], [False, True, False])
        self.assertEqual(results[1]["id"], results[0]["id"])
        self.assertEqual(results[2]["errors"][0]["code"], "idempotency_conflict")

    def test_rejected_messages_kept_with_field_errors(self):
        results = self.submit(
            self.vendor("V-1", "Good", key="ok"),
            self.message("master.vendor", {"external_id": "V-2"}, key="no-name"),
            self.message("master.project", {"code": "J 1", "name": "x"}, key="bad-code"),
            self.message(
                "master.project",
                {
                    "code": "J-1",
                    "name": "x",
                    "phases": [{"code": "P1", "name": "a"}, {"code": "P1"}],
                },
                key="bad-phase",
            ),
            self.message("no.such.type", {}, key="bad-type"),
            self.message("master.vendor", {}, key="bad-source", source="nosuch"),
            {"source": "fieldapp", "type": "master.vendor", "payload": {}},
        )
        self.assertEqual(
            [r["state"] for r in results],
            ["pending", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected"],
        )
        fields_ = [[e["field"] for e in r["errors"]] for r in results]
        self.assertEqual(fields_[1], ["payload.name"])
        self.assertEqual(fields_[2], ["payload.code"])
        self.assertEqual(fields_[3], ["payload.phases.1.name"])
        self.assertEqual(results[4]["errors"][0]["code"], "unknown_type")
        self.assertEqual(
            results[5]["errors"][0],
            {
                "code": "unknown_source",
                "field": "source",
                "message": "Unknown source 'nosuch'.",
            },
        )
        self.assertEqual(fields_[6], ["idempotency_key"])
        stored = self.Inbound.browse([r["id"] for r in results[1:]])
        self.assertEqual(set(stored.mapped("state")), {"rejected"})
        self.assertEqual(stored[0].errors[0]["field"], "payload.name")
        # Rejected messages are never applied.
        self.process()
        self.assertEqual(set(stored.mapped("state")), {"rejected"})

    def test_rejected_key_can_be_sent_again_fixed(self):
        bad = self.submit(self.message("master.vendor", {"external_id": "V-9"}, key="k-9"))[0]
        good = self.submit(self.vendor("V-9", "Fixed", key="k-9"))[0]
        self.assertEqual((bad["state"], good["state"]), ("rejected", "pending"))
        self.assertNotEqual(bad["id"], good["id"])

    def test_company_by_name_and_id(self):
        results = self.submit(
            self.vendor("V-1", "A", company="Test Specialty"),
            self.vendor("V-2", "B", company=self.company_b.id),
        )
        messages = self.Inbound.browse([r["id"] for r in results])
        self.assertEqual(messages.mapped("company_id"), self.company_b)

    def test_forbidden_company_stores_nothing(self):
        other = self.env["res.company"].create({"name": "Not Mine"})
        before = self.Inbound.search_count([])
        with self.assertRaises(SubmitForbidden) as caught:
            self.submit(self.vendor("V-1", "A"), self.vendor("V-2", "B", company=other.id))
        self.assertIn("is not one user t_integration may use", str(caught.exception))
        with self.assertRaises(SubmitForbidden) as caught:
            self.submit(self.vendor("V-3", "C", source="procure", company=self.company_b.id))
        self.assertIn(
            "source procure may not write into company Test Specialty", str(caught.exception)
        )
        self.assertEqual(self.Inbound.search_count([]), before)

    def test_user_without_group_cannot_submit(self):
        with self.assertRaises(SubmitForbidden):
            self.Inbound.with_user(self.user_pm)._submit([self.vendor("V-1", "A")])

    def test_markup_and_sql_are_data(self):
        name = "Robert'); DROP TABLE res_partner;-- <script>alert(1)</script>"
        [result] = self.submit(self.vendor("V-X", name))
        self.assertEqual(result["state"], "pending")
        self.process()
        partner = self.env["res.partner"].browse(self.Inbound.browse(result["id"]).result_ids)
        self.assertEqual(partner.name, name)
