import json
import uuid

from odoo.tests import HttpCase, tagged

from .common import ConnectorCase

API = "/construction/api/v1"


@tagged("post_install", "-at_install")
class TestHttpApi(HttpCase, ConnectorCase):
    def _call(self, method, path, body=None, key=None, raw=None, headers=None):
        headers = dict(headers or {})
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.api_key}"
        if body is not None or raw is not None:
            headers["Content-Type"] = "application/json"
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        url = self.base_url() + path
        response = self.opener.request(method, url, data=data, headers=headers, timeout=30)
        return response.status_code, (response.json() if response.content else None)

    def test_submit_202_then_get_and_list(self):
        status, body = self._call(
            "POST", f"{API}/messages", {"messages": [self.vendor("V-1", "A", key="k1")]}
        )
        self.assertEqual(status, 202)
        [result] = body["results"]
        self.assertEqual(
            (result["idempotency_key"], result["state"], result["duplicate"]),
            ("k1", "pending", False),
        )
        status, again = self._call(
            "POST", f"{API}/messages", {"messages": [self.vendor("V-1", "A", key="k1")]}
        )
        self.assertEqual(
            (status, again["results"][0]["duplicate"], again["results"][0]["id"]),
            (202, True, result["id"]),
        )

        status, message = self._call("GET", f"{API}/messages/{result['id']}")
        self.assertEqual(status, 200)
        self.assertEqual(
            {
                k: message[k]
                for k in (
                    "id",
                    "source",
                    "type",
                    "idempotency_key",
                    "state",
                    "attempts",
                    "errors",
                    "result",
                    "correlation_id",
                )
            },
            {
                "id": result["id"],
                "source": "fieldapp",
                "type": "master.vendor",
                "idempotency_key": "k1",
                "state": "pending",
                "attempts": 0,
                "errors": [],
                "result": {"model": None, "ids": []},
                "correlation_id": None,
            },
        )
        self.process()
        status, message = self._call("GET", f"{API}/messages/{result['id']}")
        self.assertEqual(
            (message["state"], message["result"]["model"], len(message["result"]["ids"])),
            ("done", "res.partner", 1),
        )
        self.assertEqual(self._call("GET", f"{API}/messages/999999999")[0], 404)

    def test_422_with_some_rejected(self):
        status, body = self._call(
            "POST",
            f"{API}/messages",
            {"messages": [self.vendor("V-1", "A"), self.message("master.vendor", {"name": "x"})]},
        )
        self.assertEqual(status, 422)
        self.assertEqual([r["state"] for r in body["results"]], ["pending", "rejected"])
        self.assertEqual(body["results"][1]["errors"][0]["field"], "payload.external_id")
        status, body = self._call(
            "POST", f"{API}/messages", {"messages": [self.vendor("V-1", "B", key="dup")]}
        )
        status, body = self._call(
            "POST", f"{API}/messages", {"messages": [self.vendor("V-1", "C", key="dup")]}
        )
        self.assertEqual(
            (status, body["results"][0]["errors"][0]["code"]), (422, "idempotency_conflict")
        )

    def test_400_and_413(self):
        self.assertEqual(self._call("POST", f"{API}/messages", raw="{not json")[0], 400)
        status, body = self._call("POST", f"{API}/messages", {"nothing": []})
        self.assertEqual((status, body["errors"][0]["field"]), (400, "messages"))
        self.assertEqual(self._call("POST", f"{API}/messages", {"messages": "x"})[0], 400)
        self.assertEqual(self._call("POST", f"{API}/messages", [1, 2])[0], 400)
        many = [self.vendor(f"V-{i}", "x") for i in range(1001)]
        status, body = self._call("POST", f"{API}/messages", {"messages": many})
        self.assertEqual(status, 413)
        big = json.dumps(
            {"messages": [self.vendor("V-1", "x" * 100)], "pad": "x" * (10 * 1024 * 1024)}
        )
        self.assertEqual(self._call("POST", f"{API}/messages", raw=big)[0], 413)
        self.assertEqual(
            self.Inbound.search_count([("source_code", "=", "fieldapp")]), 0, "nothing stored"
        )
        thousand = [self.vendor(f"V-{i}", "x") for i in range(1000)]
        self.assertEqual(self._call("POST", f"{API}/messages", {"messages": thousand})[0], 202)

    def test_401_and_403(self):
        batch = {"messages": [self.vendor("V-1", "A")]}
        self.assertEqual(self._call("POST", f"{API}/messages", batch, key=False)[0], 401)
        status, body = self._call("POST", f"{API}/messages", batch, key="not-a-key")
        self.assertEqual((status, body["errors"][0]["code"]), (401, "unauthorized"))
        self.assertEqual(self._call("GET", f"{API}/health", key=False)[0], 401)
        # A valid user without the Integration group.
        pm_key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_pm)
            .sudo()
            ._generate(None, "pm", False)
        )
        self.assertEqual(self._call("POST", f"{API}/messages", batch, key=pm_key)[0], 403)
        self.assertEqual(self._call("GET", f"{API}/health", key=pm_key)[0], 403)
        # A company the user may not use, or the source may not write into.
        other = self.env["res.company"].create({"name": "Elsewhere"})
        status, body = self._call(
            "POST", f"{API}/messages", {"messages": [self.vendor("V-1", "A", company=other.id)]}
        )
        self.assertEqual((status, body["errors"][0]["code"]), (403, "forbidden_company"))
        status, _body = self._call(
            "POST",
            f"{API}/messages",
            {"messages": [self.vendor("V-1", "A", source="procure", company="Test Specialty")]},
        )
        self.assertEqual(status, 403)
        # An inactive user's key stops working.
        self.integration_user.active = False
        self.assertEqual(self._call("POST", f"{API}/messages", batch)[0], 401)

    def test_company_isolation_of_reads(self):
        [result] = self.submit(self.vendor("V-1", "A"))
        other_user = self.env["res.users"].create(
            {
                "name": "Other bot",
                "login": "t_other_bot",
                "groups_id": [(4, self.env.ref("construction_connector.group_integration").id)],
                "company_id": self.company_b.id,
                "company_ids": [(6, 0, self.company_b.ids)],
            }
        )
        key = self.env["res.users.apikeys"].with_user(other_user).sudo()._generate(None, "o", False)
        self.assertEqual(self._call("GET", f"{API}/messages/{result['id']}", key=key)[0], 404)
        status, page = self._call("GET", f"{API}/messages", key=key)
        self.assertEqual((status, page["messages"]), (200, []))

    def test_list_paging(self):
        keys = [f"p-{i}" for i in range(5)]
        self.submit(*[self.vendor(f"V-{i}", "x", key=key) for i, key in enumerate(keys)])
        status, page = self._call("GET", f"{API}/messages?source=fieldapp&limit=2")
        self.assertEqual(status, 200)
        seen = [m["idempotency_key"] for m in page["messages"]]
        while page["next_cursor"]:
            status, page = self._call(
                "GET", f"{API}/messages?source=fieldapp&limit=2&cursor={page['next_cursor']}"
            )
            seen += [m["idempotency_key"] for m in page["messages"]]
        self.assertEqual(seen, keys)
        self.assertEqual(self._call("GET", f"{API}/messages?limit=1001")[0], 422)
        status, body = self._call("GET", f"{API}/messages?cursor=garbage")
        self.assertEqual((status, body["errors"][0]["field"]), (422, "cursor"))
        self.assertEqual(self._call("GET", f"{API}/messages?state=nope")[0], 422)
        status, page = self._call(
            "GET", f"{API}/messages?state=pending&type=master.vendor&since=2020-01-01T00:00:00Z"
        )
        self.assertEqual(len(page["messages"]), 5)

    def test_health_and_reconcile(self):
        self.submit(self.vendor("V-1", "A", key="r1"), self.message("master.vendor", {}, key="r2"))
        status, health = self._call("GET", f"{API}/health")
        self.assertEqual(status, 200)
        self.assertEqual((health["queue"]["pending"], health["queue"]["rejected"]), (1, 1))
        self.assertGreaterEqual(health["oldest_pending_age_seconds"], 0)
        status, body = self._call(
            "POST",
            f"{API}/reconcile",
            {"source": "fieldapp", "idempotency_keys": ["r1", "r2", "r3"]},
        )
        self.assertEqual(status, 200)
        self.assertEqual(
            body["counts"],
            {
                "unknown": 1,
                "pending": 1,
                "processing": 0,
                "done": 0,
                "failed": 0,
                "dead": 0,
                "rejected": 1,
            },
        )
        self.assertEqual(body["unknown"], ["r3"])
        self.assertEqual(sorted(m["idempotency_key"] for m in body["not_done"]), ["r1", "r2"])
        self.assertEqual(
            self._call("POST", f"{API}/reconcile", {"idempotency_keys": ["a"]})[0], 422
        )
        status, body = self._call(
            "POST", f"{API}/reconcile", {"source": "fieldapp", "idempotency_keys": ["a", 3]}
        )
        self.assertEqual((status, body["errors"][0]["field"]), (422, "idempotency_keys.1"))
        too_many = {"source": "fieldapp", "idempotency_keys": [str(i) for i in range(10001)]}
        self.assertEqual(self._call("POST", f"{API}/reconcile", too_many)[0], 413)
        self.assertEqual(self._call("POST", f"{API}/reconcile", raw="nope")[0], 400)

    def test_openapi_without_authentication(self):
        status, doc = self._call("GET", f"{API}/openapi.json", key=False)
        self.assertEqual(status, 200)
        self.assertEqual(doc["openapi"], "3.1.0")
        for path in ("/messages", "/messages/{id}", "/health", "/reconcile", "/openapi.json"):
            self.assertIn(API + path, doc["paths"])
        schemas = doc["components"]["schemas"]
        self.assertEqual(schemas["Payload.master.vendor"]["required"], ["external_id", "name"])
        self.assertIn("Payload.master.cost_code", schemas)

    def test_jsonrpc_reaches_the_same_method(self):
        batch = [
            self.vendor("V-1", "A", key="rpc-1"),
            self.message("master.vendor", {}, key="rpc-2"),
        ]
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": str(uuid.uuid4()),
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    self.integration_user.id,
                    self.api_key,
                    "construction.sync.inbound",
                    "submit_messages",
                    [batch],
                ],
            },
        }
        response = self.opener.post(self.base_url() + "/jsonrpc", json=payload, timeout=30)
        results = response.json()["result"]
        self.assertEqual([r["state"] for r in results], ["pending", "rejected"])
        self.assertEqual(results[0]["idempotency_key"], "rpc-1")
        status, body = self._call(
            "POST", f"{API}/messages", {"messages": [self.vendor("V-1", "A", key="rpc-1")]}
        )
        self.assertEqual(
            (body["results"][0]["id"], body["results"][0]["duplicate"]), (results[0]["id"], True)
        )
        # Without the group: a JSON-RPC error, nothing stored.
        pm_key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_pm)
            .sudo()
            ._generate(None, "pm", False)
        )
        payload["params"]["args"][1:3] = [self.user_pm.id, pm_key]
        payload["params"]["args"][-1] = [[self.vendor("V-2", "B", key="rpc-3")]]
        error = self.opener.post(self.base_url() + "/jsonrpc", json=payload, timeout=30).json()[
            "error"
        ]
        self.assertEqual(
            error["data"]["name"],
            "odoo.addons.construction_connector.models.construction_sync_inbound.SubmitForbidden",
        )
        self.assertFalse(self.Inbound.search([("idempotency_key", "=", "rpc-3")]))
