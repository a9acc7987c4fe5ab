import threading
import uuid

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    """Two real database connections, as two Odoo workers would have.

    Data is committed, so every test removes what it created.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.tag = uuid.uuid4().hex[:8]
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            group = env.ref("construction_connector.group_integration")
            cls.user_id = (
                env["res.users"]
                .create(
                    {
                        "name": "Concurrent bot",
                        "login": f"bot-{cls.tag}",
                        "groups_id": [(4, group.id)],
                    }
                )
                .id
            )
            cls.source_id = (
                env["construction.sync.source"]
                .create({"code": f"conc-{cls.tag}", "name": "Concurrency"})
                .id
            )

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["construction.sync.inbound"].search([("source_id", "=", cls.source_id)]).unlink()
            env["construction.sync.source"].browse(cls.source_id).unlink()
            env["res.users"].browse(cls.user_id).unlink()
        super().tearDownClass()

    def _message(self, key, name="Vendor"):
        return {
            "source": f"conc-{self.tag}",
            "type": "master.vendor",
            "idempotency_key": key,
            "payload": {"external_id": key, "name": name},
        }

    def _submit(self, cr, messages):
        env = api.Environment(cr, self.user_id, {})
        return env["construction.sync.inbound"]._submit(messages)

    def test_same_key_at_the_same_moment_stores_one_message(self):
        key = f"same-{self.tag}"
        outcome = {}
        with self.registry.cursor() as cr1:
            first = self._submit(cr1, [self._message(key)])[0]

            def second_connection():
                # Blocks on the first transaction's row until it commits, then
                # loses the race: PostgreSQL reports a serialization failure,
                # and the retry (as Odoo's request retry would do) sees a duplicate.
                with self.registry.cursor() as cr2:
                    try:
                        self._submit(cr2, [self._message(key)])
                        outcome["first_try"] = "inserted"
                    except pg_errors.SerializationFailure:
                        outcome["first_try"] = "serialization_failure"
                with self.registry.cursor() as cr3:
                    outcome["retry"] = self._submit(cr3, [self._message(key)])[0]

            thread = threading.Thread(target=second_connection)
            thread.start()
            thread.join(timeout=2)
            self.assertTrue(thread.is_alive(), "the second insert waits for the first")
            cr1.commit()
        thread.join(timeout=30)
        self.assertEqual(outcome["first_try"], "serialization_failure")
        self.assertEqual(outcome["retry"]["id"], first["id"])
        self.assertTrue(outcome["retry"]["duplicate"])
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM construction_sync_inbound WHERE idempotency_key = %s", [key]
            )
            self.assertEqual(cr.fetchone()[0], 1)

    def test_two_workers_claim_disjoint_batches(self):
        with self.registry.cursor() as cr:
            ids = [
                r["id"]
                for r in self._submit(cr, [self._message(f"c{i}-{self.tag}") for i in range(10)])
            ]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            Inbound1 = env1["construction.sync.inbound"]
            Inbound2 = env2["construction.sync.inbound"]
            mine = Inbound1._claim_due(6)
            theirs = Inbound2._claim_due(1000)
            self.assertEqual(len(mine), 6)
            self.assertFalse(set(mine.ids) & set(theirs.ids), "no message claimed twice")
            self.assertLessEqual(set(ids), set(mine.ids) | set(theirs.ids))
            # Both apply and commit their own batch.
            mine._process()
            theirs._process()
            cr1.commit()
            cr2.commit()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, count(*) FROM construction_sync_inbound"
                " WHERE id IN %s GROUP BY state",
                [tuple(ids)],
            )
            self.assertEqual(dict(cr.fetchall()), {"done": 10})
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["construction.external.ref"]._resolve(
                f"conc-{self.tag}", "res.partner", [f"c{i}-{self.tag}" for i in range(10)]
            )
            self.assertEqual(len(partners), 10)
            for partner in partners.values():
                partner.unlink()
            env["construction.external.ref"].search([("source", "=", f"conc-{self.tag}")]).unlink()

    def test_crash_mid_batch_leaves_nothing_half_done(self):
        """A worker killed before its commit: no effect, the message still pending."""
        key = f"crash-{self.tag}"
        with self.registry.cursor() as cr:
            [result] = self._submit(cr, [self._message(key, "Crash Test Vendor")])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["construction.sync.inbound"].browse(result["id"])._process()
            cr.flush()
            cr.rollback()  # the worker dies before committing
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            message = env["construction.sync.inbound"].browse(result["id"])
            self.assertEqual(message.state, "pending")
            self.assertFalse(env["res.partner"].search([("name", "=", "Crash Test Vendor")]))

    def _page(self, after):
        with self.registry.cursor() as cr:
            inbound = api.Environment(cr, SUPERUSER_ID, {})["construction.sync.inbound"]
            return inbound._api_list(source=f"conc-{self.tag}", after=after)

    def test_paging_waits_for_a_transaction_still_in_flight(self):
        """Ids are taken at insert, transactions commit in any order: a page must
        not pass a message whose smaller id is not committed yet, or a client
        paging meanwhile would skip it for good."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT coalesce(max(id), 0) FROM construction_sync_inbound")
            after = cr.fetchone()[0]
        with self.registry.cursor() as slow, self.registry.cursor() as fast:
            [first] = self._submit(slow, [self._message(f"slow-{self.tag}")])
            [second] = self._submit(fast, [self._message(f"fast-{self.tag}")])
            fast.commit()
            self.assertLess(first["id"], second["id"])
            page = self._page(after)
            self.assertEqual(page["messages"], [], "not past the message still in flight")
            self.assertIsNotNone(page["next_cursor"], "the client asks again from where it was")
            slow.commit()
        page = self._page(after)
        self.assertEqual([m["id"] for m in page["messages"]], [first["id"], second["id"]])
