"""Property-based fuzzing of the live API with schemathesis, from its own openapi.json.

The HttpCase server answers in a thread on the test's cursor (each request
in a savepoint), so whatever the generated requests store is rolled back
with the test. The run is bounded and reproducible: a fixed number of
examples per operation and generation mode, derandomized (the same inputs
on every run, no example database), no shrinking, and a wall-clock limit.
"""

import logging
import time

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from odoo.tests import HttpCase, tagged

from .common import ConnectorCase

_logger = logging.getLogger(__name__)

API = "/construction/api/v1"
# Examples per operation and per generation mode (positive: inputs valid per
# the document; negative: inputs that break it): 80 generated cases per operation.
EXAMPLES = 40
TIME_LIMIT = 100  # seconds for the whole run; it takes 10 to 20 s on 2 cores
REQUEST_TIMEOUT = 20
# What the document promises: no server error, only documented statuses and
# content types, bodies valid against the document's own schemas, and
# authentication enforced (ignored_auth replays each 2xx without the key).
# Not checked: negative_data_rejection / positive_data_acceptance, since the
# API is deliberately lenient (it strips blanks, ignores unknown members,
# accepts a date-time without offset) and answers a batch with rejected
# messages 422 whatever the document allows.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


@tagged("post_install", "-at_install")
class TestApiFuzz(HttpCase, ConnectorCase):
    def _aim_at_data(self, case, run):
        """Point a generated case at real data: the registered source, the user's
        company, fresh keys, an existing message. Otherwise nearly every request
        would stop at "unknown source", a random company or a reused key."""
        body = case.body
        if case.operation.label == f"POST {API}/messages" and isinstance(body, dict):
            for message in body.get("messages") or []:
                if isinstance(message, dict):
                    run["sent"] += 1
                    message.update(source="fieldapp", idempotency_key=f"fuzz-{run['sent']}")
                    message.pop("company", None)
        elif case.operation.label == f"POST {API}/reconcile" and isinstance(body, dict):
            body["source"] = "fieldapp"
        elif case.path_parameters and "id" in case.path_parameters:
            ids = run["message_ids"]
            case.path_parameters["id"] = ids[len(str(case.path_parameters["id"])) % len(ids)]

    def _fuzz(self, operation, mode, run):
        """Send EXAMPLES generated cases of ``operation`` and check each answer."""
        key = f"{operation.label} ({mode.value})"

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), aim=st.booleans())
        def fuzz(case, aim):
            if time.monotonic() > run["deadline"]:
                run["late"].append(key)
                return
            if aim and mode == schemathesis.GenerationMode.POSITIVE:
                self._aim_at_data(case, run)
            response = case.call(
                base_url=run["base_url"], headers=run["auth"], timeout=REQUEST_TIMEOUT
            )
            run["statuses"].setdefault(key, set()).add(response.status_code)
            try:
                case.validate_response(
                    response,
                    checks=CHECKS,
                    headers=run["auth"],
                    transport_kwargs={"base_url": run["base_url"], "timeout": REQUEST_TIMEOUT},
                )
            except FailureGroup as group:
                for failure in group.exceptions:
                    run["failures"].setdefault(
                        (key, failure.title), f"{failure}\n{group.args[0][-1500:]}"
                    )

        fuzz()

    def test_fuzz_the_live_api(self):
        vendor = self.vendor("FZ-1", "Fuzz Vendor", key="fuzz-done")
        done, pending, rejected = self.submit(
            vendor,
            self.vendor("FZ-2", "Fuzz Vendor 2", key="fuzz-pending"),
            self.message("master.vendor", {}, key="fuzz-rejected"),
        )
        self.process()
        self.submit(self.vendor("FZ-2", "Fuzz Vendor 2", key="fuzz-pending"))  # duplicate
        message_ids = [done["id"], pending["id"], rejected["id"]]

        base_url = self.base_url()
        auth = {"Authorization": f"Bearer {self.api_key}"}
        schema = schemathesis.openapi.from_url(
            f"{base_url}{API}/openapi.json", config=schemathesis.Config()
        )
        operations = [result.ok() for result in schema.get_all_operations()]
        # Every operation of this module (later modules may add theirs);
        # schemathesis leaves out the one that served the document itself.
        self.assertLessEqual(
            {
                f"GET {API}/health",
                f"GET {API}/messages",
                f"GET {API}/messages/{{id}}",
                f"POST {API}/messages",
                f"POST {API}/reconcile",
            },
            {operation.label for operation in operations},
        )
        started = time.monotonic()
        run = {
            "base_url": base_url,
            "auth": auth,
            "message_ids": message_ids,
            "deadline": time.monotonic() + TIME_LIMIT,
            "failures": {},
            "statuses": {},
            "late": [],
            "sent": 0,
        }
        for operation in operations:
            for mode in (
                schemathesis.GenerationMode.POSITIVE,
                schemathesis.GenerationMode.NEGATIVE,
            ):
                self._fuzz(operation, mode, run)
        failures, statuses, late = run["failures"], run["statuses"], run["late"]
        _logger.info(
            "fuzzed %d operations in %.1f s, statuses: %s",
            len(operations),
            time.monotonic() - started,
            {key: sorted(codes) for key, codes in statuses.items()},
        )

        self.assertFalse(
            failures,
            "\n\n".join(f"{key} {title}:\n{text}" for (key, title), text in failures.items()),
        )
        self.assertFalse(
            late, f"time limit of {TIME_LIMIT} s reached: {len(late)} examples not run"
        )
        # The run reached past the front door: accepted, rejected and found.
        self.assertLessEqual({202, 422}, statuses[f"POST {API}/messages (positive)"])
        self.assertIn(200, statuses[f"GET {API}/messages/{{id}} (positive)"])
        self.assertIn(200, statuses[f"POST {API}/reconcile (positive)"])
