from odoo.tests import tagged

from .common_import import BudgetImportCase


@tagged("post_install", "-at_install")
class TestInboundBudget(BudgetImportCase):
    def budget_message(self, project, lines, **envelope):
        return self.message("master.budget", {"project": project, "lines": lines}, **envelope)

    def _run(self, *messages):
        results = self.submit(*messages)
        self.assertEqual([r["errors"] for r in results], [[] for _r in results])
        self.process()
        return self.Inbound.browse([r["id"] for r in results])

    def errors(self, message):
        return [(error["code"], error["field"], error["message"]) for error in message.errors]

    def test_message_drafts_the_budget(self):
        [message] = self._run(
            self.budget_message(
                "J-9001",
                [
                    {
                        "phase": "P1",
                        "cost_code": "03-300",
                        "amount": "1500.50",
                        "quantity": 12,
                        "uom": "units",
                        "description": "Footings",
                    },
                    {"phase": None, "cost_code": "03-310", "amount": 800},
                ],
            )
        )
        self.assertEqual(message.state, "done")
        budget = self.Budget.search([("job_id", "=", self.job.id)])
        self.assertEqual(
            (message.result_model, message.result_ids), ("construction.budget", budget.ids)
        )
        self.assertEqual(budget.state, "draft")
        self.assertEqual(
            self.summary(budget),
            [
                ("", "03-310", "", 0, "", 800),
                ("P1", "03-300", "Footings", 12, "Units", 1500.5),
            ],
        )
        self.assertEqual(budget.original_total, 2300.5)

    def test_later_message_replaces_the_draft_budget(self):
        first, second = self._run(
            # Sent out of order: the one that occurred last wins.
            self.budget_message(
                "J-9001",
                [
                    {"phase": "P1", "cost_code": "03-300", "amount": 1750},
                    {"phase": "P2", "cost_code": "03-300", "amount": 300, "quantity": 3},
                ],
                occurred_at="2026-11-20T12:00:00Z",
            ),
            self.budget_message(
                "J-9001",
                [
                    {
                        "phase": "P1",
                        "cost_code": "03-300",
                        "amount": 1500,
                        "description": "Footings",
                        "quantity": 10,
                    },
                    {"cost_code": "03-310", "amount": 800},
                ],
                occurred_at="2026-11-20T10:00:00Z",
            ),
        )
        self.assertEqual((first.state, second.state), ("done", "done"))
        budget = self.Budget.search([("job_id", "=", self.job.id)])
        # The job-level 03-310 line is gone; P1 keeps the description it was not sent.
        self.assertEqual(
            self.summary(budget),
            [
                ("P1", "03-300", "Footings", 10, "", 1750),
                ("P2", "03-300", "", 3, "", 300),
            ],
        )
        p1_line = budget.line_ids.filtered(lambda line: line.phase_id == self.phase_1)
        [third] = self._run(
            self.budget_message(
                "J-9001",
                [{"phase": "P1", "cost_code": "03-300", "amount": 1800, "description": None}],
                occurred_at="2026-11-21T10:00:00Z",
            )
        )
        self.assertEqual(third.state, "done")
        self.assertEqual(self.summary(budget), [("P1", "03-300", "", 10, "", 1800)])
        self.assertEqual(budget.line_ids, p1_line, "the line is updated, not recreated")

    def test_unknown_references_name_their_field(self):
        budget = self.draft_budget(self.job, [(self.phase_1, self.cc_labor, 700)])
        unknown_job, bad_lines = self._run(
            self.budget_message("J-0000", [{"cost_code": "03-300", "amount": 1}]),
            self.budget_message(
                "J-9001",
                [
                    {"phase": "P1", "cost_code": "03-300", "amount": 1},
                    {"phase": "P9", "cost_code": "03-310", "amount": 1},
                    {"phase": "P2", "cost_code": "23-050", "amount": 1},
                    {"phase": "P2", "cost_code": "03-900", "amount": 1},
                    {"cost_code": "03-300", "amount": 1, "uom": "Parsecs"},
                ],
            ),
        )
        self.assertEqual((unknown_job.state, bad_lines.state), ("dead", "dead"))
        self.assertEqual(
            self.errors(unknown_job),
            [("unknown_reference", "payload.project", "Unknown project 'J-0000' in Test GC.")],
        )
        self.assertEqual(
            self.errors(bad_lines),
            [
                ("unknown_reference", "payload.lines.1.phase", "Job J-9001 has no phase 'P9'."),
                (
                    "unknown_reference",
                    "payload.lines.2.cost_code",
                    "Unknown cost code '23-050' in Test GC.",
                ),
                (
                    "invalid_value",
                    "payload.lines.3.cost_code",
                    "Cost code '03-900' is archived: budget an active one.",
                ),
                ("unknown_reference", "payload.lines.4.uom", "Unknown unit 'Parsecs'."),
            ],
        )
        self.assertEqual(self.summary(budget), [("P1", "03-310", "", 0, "", 700)])

    def test_invalid_payloads_are_rejected_at_submission(self):
        duplicate, negative, no_lines = self.submit(
            self.budget_message(
                "J-9001",
                [
                    {"phase": "P1", "cost_code": "03-300", "amount": 1},
                    {"cost_code": "03-300", "amount": 2},
                    {"phase": "P1", "cost_code": "03-300", "amount": 3},
                ],
            ),
            self.budget_message("J-9001", [{"cost_code": "03-300", "amount": -1, "quantity": -2}]),
            self.budget_message("J-9001", []),
        )
        self.assertEqual(
            [(e["code"], e["field"], e["message"]) for e in duplicate["errors"]],
            [
                (
                    "invalid_value",
                    "payload.lines.2.cost_code",
                    "payload.lines.2.cost_code: Phase P1 and cost code 03-300 are already "
                    "budgeted by lines.0.",
                )
            ],
        )
        self.assertEqual(
            [(e["code"], e["field"]) for e in negative["errors"]],
            [
                ("invalid_value", "payload.lines.0.amount"),
                ("invalid_value", "payload.lines.0.quantity"),
            ],
        )
        self.assertEqual([e["field"] for e in no_lines["errors"]], ["payload.lines"])
        self.assertEqual({r["state"] for r in (duplicate, negative, no_lines)}, {"rejected"})

    def test_approved_budget_is_refused(self):
        budget = self.draft_budget(self.job, [(self.phase_1, self.cc_concrete, 1000)])
        budget.action_approve()
        [message] = self._run(
            self.budget_message("J-9001", [{"phase": "P1", "cost_code": "03-300", "amount": 5}])
        )
        self.assertEqual(message.state, "dead")
        self.assertEqual(
            self.errors(message),
            [
                (
                    "invalid_value",
                    "payload.project",
                    "The budget of job J-9001 is approved: change it through owner change "
                    "orders or budget transfers.",
                )
            ],
        )
        self.assertEqual(self.summary(budget), [("P1", "03-300", "", 0, "", 1000)])

    def test_a_message_refused_by_the_lines_rules_leaves_the_others_applied(self):
        self.job_2.job_status = "closed"
        closed, applied = self._run(
            self.budget_message("J-9002", [{"phase": "P1", "cost_code": "03-300", "amount": 5}]),
            self.budget_message("J-9001", [{"phase": "P1", "cost_code": "03-300", "amount": 7}]),
        )
        self.assertEqual((closed.state, applied.state), ("dead", "done"))
        self.assertEqual(
            self.errors(closed),
            [
                (
                    "invalid_value",
                    "payload",
                    f"P1 / {self.cc_concrete.display_name}: job {self.job_2.display_name} is "
                    "closed and takes no new costs.",
                )
            ],
        )
        self.assertFalse(self.BudgetLine.search([("job_id", "=", self.job_2.id)]))
        self.assertEqual(
            self.summary(self.Budget.search([("job_id", "=", self.job.id)])),
            [("P1", "03-300", "", 0, "", 7)],
        )

    def test_company_picks_the_job(self):
        """J-9001 exists in both companies: the message's company decides."""
        [message] = self._run(
            self.budget_message(
                "J-9001",
                [{"phase": "M1", "cost_code": "23-050", "amount": 900}],
                company="Test Specialty",
            )
        )
        self.assertEqual(message.state, "done")
        self.assertFalse(self.Budget.search([("job_id", "=", self.job.id)]))
        budget_b = self.Budget.search([("job_id", "=", self.job_b.id)])
        self.assertEqual(self.summary(budget_b), [("M1", "23-050", "", 0, "", 900)])
