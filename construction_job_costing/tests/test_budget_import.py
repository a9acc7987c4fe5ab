import base64

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_import import BudgetImportCase


@tagged("post_install", "-at_install")
class TestBudgetImportWizard(BudgetImportCase):
    def test_preview_shows_each_row_with_its_errors(self):
        self.draft_budget(self.job, [(self.phase_1, self.cc_labor, 700)])
        data = self.csv_file(
            [
                ["P1", "03-300", "Footings", "12", "Units", "1500.00"],
                ["P9", "03-310", "Labor", "", "", "800"],
                ["P2", "99-999", "Unknown", "", "", "10"],
                ["P2", "03-900", "Archived", "", "", "10"],
                ["", "03-310", "Job level", "", "Parsecs", "-5"],
                ["P1", "03-300", "Twice", "x", "", "abc"],
                ["P2", "", "No code", "", "", "1"],
                ["P2", "23-050", "Other company", "", "", "1"],
                ["P1", "03-310", "Labor", "100", "Hours", "5000"],
            ]
        )
        wizard = self.wizard(data)
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(
            [
                (line.row, line.phase or "", line.cost_code or "", line.operation, line.error or "")
                for line in wizard.line_ids
            ],
            [
                (2, "P1", "03-300", "create", ""),
                (3, "P9", "03-310", "error", "Row 3: job J-9001 has no phase P9."),
                (4, "P2", "99-999", "error", "Row 4: cost code 99-999 does not exist in Test GC."),
                (
                    5,
                    "P2",
                    "03-900",
                    "error",
                    "Row 5: cost code 03-900 is archived; use an active cost code.",
                ),
                (
                    6,
                    "",
                    "03-310",
                    "error",
                    "Row 6: unit of measure Parsecs does not exist.\n"
                    "Row 6: amount -5 is negative; budget amounts and quantities cannot be "
                    "negative.",
                ),
                (
                    7,
                    "P1",
                    "03-300",
                    "error",
                    "Row 7: quantity x is not a number.\n"
                    "Row 7: amount abc is not a number.\n"
                    "Row 7: phase P1 and cost code 03-300 are already budgeted in row 2.",
                ),
                (8, "P2", "", "error", "Row 8: the cost code is missing."),
                (9, "P2", "23-050", "error", "Row 9: cost code 23-050 does not exist in Test GC."),
                (10, "P1", "03-310", "update", ""),
            ],
        )
        first = wizard.line_ids[0]
        self.assertEqual(
            (first.description, first.quantity, first.uom, first.amount),
            ("Footings", 12, "Units", 1500),
        )
        self.assertEqual(
            (wizard.row_count, wizard.error_count, wizard.create_count, wizard.update_count),
            (9, 7, 1, 1),
        )

    def test_any_error_refuses_the_whole_import(self):
        budget = self.draft_budget(self.job, [(self.phase_1, self.cc_labor, 700)])
        data = self.csv_file(
            [
                ["P1", "03-310", "Labor", "", "", "900"],
                ["P2", "03-300", "Slab", "", "", "2000"],
                ["P3", "03-300", "Roof", "", "", "100"],
                ["P2", "03-310", "", "", "", "-1"],
            ]
        )
        wizard = self.wizard(data)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertEqual(
            str(caught.exception),
            "Nothing was imported: the file has errors in row(s) 4, 5. Fix them and import "
            "the file again.\n\n"
            "Row 4: job J-9001 has no phase P3.\n"
            "Row 5: amount -1 is negative; budget amounts and quantities cannot be negative.",
        )
        self.assertEqual(self.summary(budget), [("P1", "03-310", "", 0, "", 700)])
        # A long list of errors is cut short.
        wizard = self.wizard(
            self.csv_file([[f"X{row}", "03-300", "", "", "", "1"] for row in range(2, 37)])
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        self.assertTrue(
            message.startswith("Nothing was imported: the file has errors in row(s) 2, 3,")
        )
        self.assertIn(", 30, 31 and 5 more. Fix them", message)
        self.assertTrue(message.endswith("Row 31: job J-9001 has no phase X31.\n... and 5 more."))
        self.assertEqual(self.summary(budget), [("P1", "03-310", "", 0, "", 700)])

    def test_csv_import_creates_lines_then_xlsx_reimport_updates(self):
        data = self.csv_file(
            [
                ["P1", "03-300", "Footings", "12,5", "Units", "1.500,50"],
                ["", "03-310", "General labor", "", "", "800"],
            ],
            header=["PHASE", "cost_code", "description", "quantity", "uom", "AMOUNT"],
            delimiter=";",
            bom=True,
        )
        self.assertEqual(self.wizard(data).action_import(), {"type": "ir.actions.act_window_close"})
        budget = self.Budget.search([("job_id", "=", self.job.id)])
        self.assertEqual(budget.state, "draft")
        self.assertEqual(
            self.summary(budget),
            [
                ("", "03-310", "General labor", 0, "", 800),
                ("P1", "03-300", "Footings", 12.5, "Units", 1500.5),
            ],
        )
        self.assertEqual(budget.original_total, 2300.5)
        self.assertEqual(
            budget.message_ids[0].preview,
            "Budget lines imported from budget.csv: 2 created, 0 updated.",
        )
        # The estimate changed: update one line, add one; lines not in the file stay.
        data = self.xlsx_file(
            [
                ["P1", "03-300", "Footings and piers", 14, "Units", 1750],
                ["P2", "03-300", None, 40, "Hours", 3200.25],
            ],
        )
        wizard = self.wizard(data, filename="estimate v2.xlsx")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("operation"), ["update", "create"])
        wizard.action_import()
        self.assertEqual(
            self.summary(budget),
            [
                ("", "03-310", "General labor", 0, "", 800),
                ("P1", "03-300", "Footings and piers", 14, "Units", 1750),
                ("P2", "03-300", "", 40, "Hours", 3200.25),
            ],
        )
        self.assertEqual(budget.original_total, 5750.25)
        self.assertEqual(
            budget.message_ids[0].preview,
            "Budget lines imported from estimate v2.xlsx: 1 created, 1 updated.",
        )

    def test_approved_budget_is_refused(self):
        budget = self.draft_budget(self.job, [(self.phase_1, self.cc_concrete, 1000)])
        budget.action_approve()
        valid = self.csv_file([["P1", "03-300", "More", "", "", "5000"]])
        with_errors = self.csv_file([["P7", "03-300", "More", "", "", "5000"]])
        for data in (valid, with_errors):
            wizard = self.wizard(data)
            self.assertEqual(wizard.budget_state, "approved")
            with self.assertRaises(UserError) as caught:
                wizard.action_import()
            self.assertEqual(
                str(caught.exception),
                f"{budget.name} is approved: nothing was imported. Change an approved budget "
                "through owner change orders or budget transfers.",
            )
        self.assertEqual(self.summary(budget), [("P1", "03-300", "", 0, "", 1000)])

    def test_file_that_cannot_be_read(self):
        cases = [
            (
                self.csv_file([["P1", "1"]], header=["Phase", "Budget"]),
                "budget.csv",
                "budget.csv has no column cost code, amount. Its header row must name the "
                "columns phase, cost code, description, quantity, uom and amount (cost code and "
                "amount are required); it names: Phase, Budget.",
            ),
            (
                b"\xd0\xcf\x11\xe0 old workbook",
                "budget.xls",
                "budget.xls is not a CSV or XLSX file: save the budget as CSV (UTF-8) or as an "
                "Excel workbook (.xlsx) and import that.",
            ),
            (
                "cost code,amount\n03-300,1\n".encode("utf-16"),
                "budget.csv",
                'budget.csv is not UTF-8 text (byte 0): save it as "CSV UTF-8" and import it '
                "again.",
            ),
            (
                self.csv_file([]),
                "budget.csv",
                "budget.csv has a header row but no budget lines below it.",
            ),
        ]
        for data, filename, message in cases:
            with self.subTest(filename=filename, message=message):
                wizard = self.wizard(data, filename=filename)
                with self.assertRaises(UserError) as caught:
                    wizard.action_preview()
                self.assertEqual(str(caught.exception), message)

    def test_wizard_from_the_budget_form(self):
        budget = self.draft_budget(self.job, [])
        action = budget.with_user(self.user_pm).action_open_import_wizard()
        self.assertEqual(action["res_model"], "construction.budget.import.wizard")
        with Form(self.Wizard.with_user(self.user_pm).with_context(**action["context"])) as form:
            self.assertEqual(form.job_id, self.job)
            # No file name (the web client sets it from the upload): read as CSV.
            form.file = base64.b64encode(self.csv_file([["P2", "03-310", "", "", "", "42"]]))
        wizard = form.record
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("error"), [False])
        wizard.action_import()
        self.assertEqual(self.summary(budget), [("P2", "03-310", "", 0, "", 42)])
