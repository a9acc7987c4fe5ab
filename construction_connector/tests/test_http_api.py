import json
import re
import uuid
from unittest.mock import patch

from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from odoo.tests import HttpCase, tagged

from ..domain import schemas
from ..domain.cursor import encode_cursor
from .common import ConnectorCase

API = "/construction/api/v1"
# Every operation of the integration contract served by this module
# (shared/api-contract.md, "Inbound messages"), as (method, path) of the document.
CONTRACT_OPERATIONS = {
    ("post", f"{API}/messages"),
    ("get", f"{API}/messages"),
    ("get", f"{API}/messages/{{id}}"),
    ("get", f"{API}/health"),
    ("post", f"{API}/reconcile"),
    ("get", f"{API}/openapi.json"),
}
ZERO_COUNTS = dict.fromkeys(
    ("unknown", "pending", "processing", "done", "failed", "dead", "rejected"), 0
)


class WidgetPayload(schemas.Payload):
    """A message type another module would register (see test_openapi_lists_added_types)."""

    widget_code: schemas.Code
    size: schemas.Amount


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

    # ------------------------------------------------------------------
    # OpenAPI document
    # ------------------------------------------------------------------

    def _openapi(self):
        status, doc = self._call("GET", f"{API}/openapi.json", key=False)
        self.assertEqual(status, 200)
        return doc

    def test_openapi_validates_as_3_1_and_covers_the_contract(self):
        doc = self._openapi()
        validate_openapi(doc, cls=OpenAPIV31SpecValidator)  # raises on any violation
        operations = {
            (method, path)
            for path, item in doc["paths"].items()
            for method in item
            if method in ("get", "post", "put", "patch", "delete")
        }
        self.assertLessEqual(CONTRACT_OPERATIONS, operations)
        # And the other way round: every API route the server has is documented
        # (later modules' routes included, through _openapi_extra).
        shape = re.compile(r"<[^>]+>|\{[^}]+\}")
        routed = {
            shape.sub("{}", rule.rule)
            for rule in self.env["ir.http"].routing_map().iter_rules()
            if rule.rule.startswith(API + "/")
        }
        self.assertEqual(routed, {shape.sub("{}", path) for _method, path in operations})

    def test_openapi_documents_security_statuses_and_error_shape(self):
        doc = self._openapi()
        self.assertEqual(
            doc["components"]["securitySchemes"]["bearerAuth"],
            {
                "type": "http",
                "scheme": "bearer",
                "description": "The Odoo API key of a user in the Integration group.",
            },
        )
        error_response = {"$ref": "#/components/schemas/ErrorResponse"}
        expected_statuses = {
            ("post", f"{API}/messages"): {"202", "400", "401", "403", "413", "422"},
            ("get", f"{API}/messages"): {"200", "401", "403", "422"},
            ("get", f"{API}/messages/{{id}}"): {"200", "401", "403", "404"},
            ("get", f"{API}/health"): {"200", "401", "403"},
            ("post", f"{API}/reconcile"): {"200", "400", "401", "403", "413", "422"},
            ("get", f"{API}/openapi.json"): {"200"},
        }
        for (method, path), statuses in expected_statuses.items():
            operation = doc["paths"][path][method]
            responses = operation["responses"]
            self.assertEqual(set(responses), statuses, path)
            if path.endswith("openapi.json"):
                self.assertEqual(operation["security"], [], "served without authentication")
                continue
            self.assertEqual(operation["security"], [{"bearerAuth": []}], path)
            for status, response in responses.items():
                schema = response["content"]["application/json"]["schema"]
                if status.startswith("4") and (method, path, status) != (
                    "post",
                    f"{API}/messages",
                    "422",
                ):
                    self.assertEqual(schema, error_response, f"{method} {path} {status}")
        error = doc["components"]["schemas"]["Error"]
        self.assertEqual(error["required"], ["code", "field", "message"])
        self.assertEqual(error["properties"]["field"]["type"], ["string", "null"])

    def test_openapi_lists_added_types(self):
        """A type registered by another module (an override of
        _message_type_registry) appears in the document and is accepted."""
        Inbound = type(self.env["construction.sync.inbound"])
        default_registry = Inbound._message_type_registry

        def registry_with_widget(inbound):
            registry = default_registry(inbound)
            registry.register(
                "test.widget",
                WidgetPayload,
                "test_widget",
                lambda payload: ("test.widget", payload.widget_code),
            )
            return registry

        with patch.object(Inbound, "_message_type_registry", registry_with_widget):
            doc = self._openapi()
            status, body = self._call(
                "POST",
                f"{API}/messages",
                {
                    "messages": [
                        self.message("test.widget", {"widget_code": "W-1", "size": 3}),
                        self.message("test.widget", {"widget_code": "W-2"}),
                    ]
                },
            )
        validate_openapi(doc, cls=OpenAPIV31SpecValidator)
        schemas_ = doc["components"]["schemas"]
        self.assertEqual(schemas_["Payload.test.widget"]["required"], ["widget_code", "size"])
        self.assertEqual(
            schemas_["Message.test.widget"]["properties"]["payload"],
            {"$ref": "#/components/schemas/Payload.test.widget"},
        )
        self.assertIn(
            {"$ref": "#/components/schemas/Message.test.widget"}, schemas_["Message"]["oneOf"]
        )
        self.assertIn("test.widget", schemas_["Message"]["discriminator"]["mapping"])
        self.assertIn("test.widget", schemas_["MessageEnvelope"]["properties"]["type"]["enum"])
        self.assertEqual(status, 422)
        self.assertEqual([r["state"] for r in body["results"]], ["pending", "rejected"])
        self.assertEqual(body["results"][1]["errors"][0]["field"], "payload.size")
        # Without the override the type is gone again.
        self.assertNotIn("Payload.test.widget", self._openapi()["components"]["schemas"])

    # ------------------------------------------------------------------
    # Reconciliation
    # ------------------------------------------------------------------

    def _reconcile_mix(self):
        """Messages of fieldapp in every interesting state; returns the 10 keys asked
        for (one twice) and the answer expected for them."""
        self.submit(
            self.vendor("V-1", "Done 1", key="m-done-1"),
            self.vendor("V-2", "Done 2", key="m-done-2"),
            self.message("master.vendor", {"name": "no id"}, key="m-rejected-1"),
            self.message("master.vendor", {}, key="m-rejected-2"),
            self.message("master.vendor", {}, key="m-fixed"),  # rejected, then sent again
        )
        self.process()
        self.submit(
            self.vendor("V-3", "Cancelled", key="m-dead"),
            self.vendor("V-4", "Pending", key="m-pending"),
            self.vendor("V-5", "Fixed", key="m-fixed"),
        )
        self.Inbound.search([("idempotency_key", "=", "m-dead")]).action_cancel()
        keys = [
            "m-done-1",
            "m-done-2",
            "m-pending",
            "m-fixed",
            "m-dead",
            "m-rejected-1",
            "m-rejected-2",
            "m-unknown-1",
            "m-done-1",  # asked twice, counted once
            "m-unknown-2",
        ]
        counts = dict(ZERO_COUNTS, unknown=2, pending=2, done=2, dead=1, rejected=2)
        return keys, counts

    def test_reconcile_mix_of_states(self):
        keys, counts = self._reconcile_mix()
        status, body = self._call(
            "POST", f"{API}/reconcile", {"source": "fieldapp", "idempotency_keys": keys}
        )
        self.assertEqual(status, 200)
        self.assertEqual((body["source"], body["counts"]), ("fieldapp", counts))
        self.assertEqual(body["unknown"], ["m-unknown-1", "m-unknown-2"])
        not_done = {item["idempotency_key"]: item for item in body["not_done"]}
        self.assertEqual(
            list(not_done), ["m-pending", "m-fixed", "m-dead", "m-rejected-1", "m-rejected-2"]
        )
        fixed = self.Inbound.search(
            [("idempotency_key", "=", "m-fixed"), ("state", "=", "pending")]
        )
        self.assertEqual(
            (not_done["m-fixed"]["id"], not_done["m-fixed"]["state"]), (fixed.id, "pending")
        )
        self.assertEqual(not_done["m-rejected-1"]["errors"][0]["field"], "payload.external_id")
        self.assertEqual(not_done["m-dead"]["state"], "dead")

    def test_reconcile_is_one_query_for_any_number_of_keys(self):
        keys, counts = self._reconcile_mix()
        many = keys + [f"m-never-{n}" for n in range(5000 - len(keys))]
        answers = []
        # The source, the user's companies (2), and one query for all the keys:
        # 4 for 10 keys as for 5,000.
        for key_list in (keys, many):
            self.env.invalidate_all()
            with self.assertQueryCount(4):
                answers.append(self.IntegrationInbound._api_reconcile("fieldapp", key_list))
        self.assertEqual(answers[0]["counts"], counts)
        self.assertEqual(
            answers[1]["counts"], dict(counts, unknown=counts["unknown"] + 5000 - len(keys))
        )
        self.assertEqual(answers[1]["not_done"], answers[0]["not_done"])
        status, body = self._call(
            "POST", f"{API}/reconcile", {"source": "fieldapp", "idempotency_keys": many}
        )
        self.assertEqual((status, body["counts"]), (200, answers[1]["counts"]))

    def test_reconcile_sees_only_the_users_companies(self):
        keys, counts = self._reconcile_mix()
        self.submit(self.vendor("V-9", "In B", key="m-in-b", company=self.company_b.id))
        other_user = self.env["res.users"].create(
            {
                "name": "Company B bot",
                "login": "t_b_bot",
                "groups_id": [(4, self.env.ref("construction_connector.group_integration").id)],
                "company_id": self.company_b.id,
                "company_ids": [(6, 0, self.company_b.ids)],
            }
        )
        key = self.env["res.users.apikeys"].with_user(other_user).sudo()._generate(None, "b", False)
        status, body = self._call(
            "POST",
            f"{API}/reconcile",
            {"source": "fieldapp", "idempotency_keys": [*keys, "m-in-b"]},
            key=key,
        )
        self.assertEqual(status, 200)
        self.assertEqual(body["counts"], dict(ZERO_COUNTS, unknown=9, pending=1))
        self.assertEqual(body["not_done"][0]["idempotency_key"], "m-in-b")

    def test_reconcile_bad_input(self):
        def refused(body, raw=None):
            status, answer = self._call("POST", f"{API}/reconcile", body, raw=raw)
            return status, answer["errors"][0]["code"], answer["errors"][0]["field"]

        self.assertEqual(
            refused({"source": "nope", "idempotency_keys": ["a"]}),
            (422, "unknown_source", "source"),
        )
        self.assertEqual(refused({"idempotency_keys": ["a"]}), (422, "required", "source"))
        self.assertEqual(
            refused({"source": ["fieldapp"], "idempotency_keys": ["a"]}),
            (422, "invalid_type", "source"),
        )
        self.assertEqual(refused({"source": "fieldapp"}), (422, "required", "idempotency_keys"))
        self.assertEqual(
            refused({"source": "fieldapp", "idempotency_keys": ["a", {"k": 1}]}),
            (422, "invalid_type", "idempotency_keys.1"),
        )
        keys = [str(n) for n in range(10001)]
        self.assertEqual(
            refused({"source": "fieldapp", "idempotency_keys": keys}),
            (413, "too_long", "idempotency_keys"),
        )
        self.assertEqual(refused(None, raw="[1, 2"), (400, "payload_invalid", None))
        # An archived source is still known: its messages can be reconciled.
        self.source.active = False
        status, body = self._call(
            "POST", f"{API}/reconcile", {"source": "fieldapp", "idempotency_keys": ["a"]}
        )
        self.assertEqual((status, body["unknown"]), (200, ["a"]))

    # ------------------------------------------------------------------
    # Paging
    # ------------------------------------------------------------------

    def test_paging_while_messages_arrive(self):
        """Every message once, in id order, though new ones arrive between pages."""
        self.submit(*[self.vendor(f"V-{n}", "x", key=f"before-{n}") for n in range(5)])
        url = f"{API}/messages?source=fieldapp&limit=2"
        status, page = self._call("GET", url)
        self.assertEqual(status, 200)
        seen = [message["id"] for message in page["messages"]]
        arrived = 0
        while page["next_cursor"]:
            if arrived < 6:  # two arrive before each of the next pages: over HTTP and RPC's path
                arrived += 2
                new = self.vendor(f"N-{arrived}", "x", key=f"arrived-{arrived}")
                self._call("POST", f"{API}/messages", {"messages": [new]})
                self.submit(self.vendor(f"N-{arrived + 1}", "x", key=f"arrived-{arrived + 1}"))
            status, page = self._call("GET", f"{url}&cursor={page['next_cursor']}")
            self.assertEqual(status, 200)
            seen += [message["id"] for message in page["messages"]]
        everything = self.Inbound.search([("source_code", "=", "fieldapp")], order="id")
        self.assertEqual((arrived, len(everything)), (6, 11))
        self.assertEqual(seen, everything.ids, "each message exactly once, in id order")

    def test_listing_bad_cursor_or_since(self):
        for query, field in (
            ("cursor=garbage", "cursor"),
            ("cursor=" + encode_cursor(3)[:-2], "cursor"),
            ("cursor=eyJpZCI6MywidiI6OX0", "cursor"),  # {"id":3,"v":9}: unknown version
            ("since=yesterday", "since"),
            ("since=2026-13-45T00:00:00Z", "since"),
            ("since=2026-11-20", "since"),  # a date alone: the time is needed
            ("limit=0", "limit"),
            ("limit=ten", "limit"),
            ("state=archived", "state"),
            ("source=field%00app", "source"),
            ("type=master%00vendor", "type"),
        ):
            status, body = self._call("GET", f"{API}/messages?{query}")
            self.assertEqual((status, body["errors"][0]["field"]), (422, field), query)
        status, page = self._call("GET", f"{API}/messages?since=2026-11-20T00:00:00%2B01:00")
        self.assertEqual(status, 200)

    # ------------------------------------------------------------------
    # Regressions found by the fuzzer (test_api_fuzz)
    # ------------------------------------------------------------------

    def test_unstorable_input_is_rejected_not_a_server_error(self):
        """NUL, unpaired surrogates, 1e400 and absurd nesting: 422 naming the
        field, and the rejected message is still kept for audit."""
        deep = {}
        node = deep
        for _level in range(200):
            node["x"] = {}
            node = node["x"]
        raw = (
            '{"messages": ['
            '{"source": "fieldapp", "type": "master.vendor", "idempotency_key": "nul",'
            ' "payload": {"external_id": "V-1", "name": "A", "n\\u0000te": "x"}},'
            '{"source": "field\\u0000app", "type": "master.vendor", "idempotency_key": "k\\u0000",'
            ' "payload": {"external_id": "V-\\u0000"}},'
            '{"source": "fieldapp", "type": "master.vendor", "idempotency_key": "surrogate",'
            ' "payload": {"external_id": "V-2", "name": "\\ud800"}},'
            '{"source": "fieldapp", "type": "master.vendor", "idempotency_key": "\\udfff",'
            ' "payload": {}},'
            '{"source": "fieldapp", "type": "master.vendor", "idempotency_key": "inf",'
            ' "payload": {"external_id": "V-3", "name": "A", "rating": 1e400}},'
            '{"source": "fieldapp", "type": "master.vendor", "idempotency_key": "deep",'
            ' "payload": ' + json.dumps({"external_id": "V-4", "name": "A", "deep": deep}) + "},"
            '{"source": "fieldapp", "type": "master.vendor", "idempotency_key": 7,'
            ' "payload": {"external_id": "V-5", "name": "A"}}'
            "]}"
        )
        status, body = self._call("POST", f"{API}/messages", raw=raw)
        self.assertEqual(status, 422)
        results = body["results"]
        self.assertEqual({r["state"] for r in results}, {"rejected"})
        self.assertEqual(
            [r["errors"][0]["field"] for r in results],
            [
                "payload.n\ufffdte",
                "source",
                "payload.name",
                "idempotency_key",
                "payload.rating",
                "payload.deep" + ".x" * 63,
                "idempotency_key",
            ],
        )
        self.assertIn("NUL character", results[0]["errors"][0]["message"])
        self.assertIn("unpaired UTF-16 surrogate", results[2]["errors"][0]["message"])
        self.assertIn("not a finite number", results[4]["errors"][0]["message"])
        self.assertIn("nests deeper than 64 levels", results[5]["errors"][0]["message"])
        self.assertEqual(
            [r["idempotency_key"] for r in results],
            ["nul", "k\ufffd", "surrogate", "\ufffd", "inf", "deep", None],
        )
        stored = self.Inbound.browse([r["id"] for r in results])
        self.assertEqual(stored[0].payload["n\ufffdte"], "x")
        self.assertEqual(
            (stored[1].source_code, stored[1].payload),
            ("field\ufffdapp", {"external_id": "V-\ufffd"}),
        )
        self.assertEqual(stored[4].payload["rating"], "inf")
        self.assertFalse(stored[5].payload, "too deep to keep")
        self.assertEqual(stored[6].idempotency_key, "7")

    def test_message_ids_that_are_not_ids_are_404(self):
        for id_ in ("2147483648", "99999999999999999999", "-1", "0", "abc", "1.5", "1%2F2"):
            status, body = self._call("GET", f"{API}/messages/{id_}")
            self.assertEqual((status, body["errors"][0]["code"]), (404, "not_found"), id_)

    def test_message_without_occurred_at_says_null(self):
        [result] = self.submit(self.vendor("V-1", "A"))
        status, message = self._call("GET", f"{API}/messages/{result['id']}")
        self.assertEqual(status, 200)
        self.assertIsNone(message["occurred_at"])
        self.assertTrue(message["received_at"].endswith("Z"))
        [result] = self.submit(self.vendor("V-2", "A", occurred_at="2026-11-20T14:03:00+01:00"))
        status, message = self._call("GET", f"{API}/messages/{result['id']}")
        self.assertEqual(message["occurred_at"], "2026-11-20T13:03:00Z")

    def test_reconcile_key_that_cannot_exist(self):
        status, body = self._call(
            "POST",
            f"{API}/reconcile",
            raw='{"source": "fieldapp", "idempotency_keys": ["ok", "a\\u0000b"]}',
        )
        self.assertEqual((status, body["errors"][0]["field"]), (422, "idempotency_keys.1"))
        status, body = self._call(
            "POST", f"{API}/reconcile", raw='{"source": "\\ud800", "idempotency_keys": ["ok"]}'
        )
        self.assertEqual((status, body["errors"][0]["field"]), (422, "source"))
