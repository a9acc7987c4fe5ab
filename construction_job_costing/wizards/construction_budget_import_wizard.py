import base64
import binascii

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..domain import budget_import as rules
from ..handlers.budget import budget_lookups, lock_budgets, write_rows

# Errors listed in the refusal of an import; the preview shows them all.
MAX_LISTED_ERRORS = 30


class ConstructionBudgetImportWizard(models.TransientModel):
    """Import budget lines from an estimating system's CSV or XLSX export.

    *Preview* reads and checks the file and shows one line per row with its
    problems; *Import* checks the file again and creates or updates the
    budget lines in one step, or refuses the whole file while any row is in
    error or the budget is approved.
    """

    _name = "construction.budget.import.wizard"
    _description = "Import Budget Lines"

    job_id = fields.Many2one(
        "project.project", string="Job", required=True, domain="[('is_job', '=', True)]"
    )
    budget_id = fields.Many2one("construction.budget", compute="_compute_budget_id")
    budget_state = fields.Selection(related="budget_id.state", string="Budget Status")
    currency_id = fields.Many2one(related="job_id.company_id.currency_id")
    file = fields.Binary(string="File", required=True, attachment=False)
    filename = fields.Char()
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview")], default="upload", required=True
    )
    line_ids = fields.One2many(
        "construction.budget.import.wizard.line", "wizard_id", string="File Rows", readonly=True
    )
    row_count = fields.Integer(string="Rows", compute="_compute_counts")
    error_count = fields.Integer(string="Rows in Error", compute="_compute_counts")
    create_count = fields.Integer(string="New Lines", compute="_compute_counts")
    update_count = fields.Integer(string="Updated Lines", compute="_compute_counts")
    total_amount = fields.Monetary(string="Total Amount", compute="_compute_counts")

    @api.depends("job_id")
    def _compute_budget_id(self):
        budgets = self.env["construction.budget"].search([("job_id", "in", self.job_id.ids)])
        budget_of = {budget.job_id: budget for budget in budgets}
        for wizard in self:
            wizard.budget_id = budget_of.get(wizard.job_id, False)

    @api.depends("line_ids.operation", "line_ids.amount")
    def _compute_counts(self):
        for wizard in self:
            operations = wizard.line_ids.mapped("operation")
            wizard.row_count = len(operations)
            wizard.error_count = operations.count("error")
            wizard.create_count = operations.count("create")
            wizard.update_count = operations.count("update")
            wizard.total_amount = sum(wizard.line_ids.mapped("amount"))

    @api.onchange("file", "job_id")
    def _onchange_file_reset_preview(self):
        self.line_ids = [Command.clear()]
        self.state = "upload"

    # ------------------------------------------------------------------
    # Reading and checking the file
    # ------------------------------------------------------------------

    def _checked_rows(self):
        """The file's rows checked against the job: a list of ``BudgetRow``."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the CSV or XLSX file to import."))
        try:
            data = base64.b64decode(self.file)
        except (binascii.Error, ValueError) as exc:
            raise UserError(self._file_error_text(rules.ImportFileError(rules.UNREADABLE))) from exc
        try:
            raw_rows = rules.read_file(data, self.filename or "")
        except rules.ImportFileError as exc:
            raise UserError(self._file_error_text(exc)) from exc
        lookups = budget_lookups(self.job_id, rules.cost_codes_of(raw_rows))
        return rules.validate_rows(raw_rows, lookups[self.job_id.id])

    def _column_label(self, column):
        return {
            "phase": self.env._("phase"),
            "cost_code": self.env._("cost code"),
            "description": self.env._("description"),
            "quantity": self.env._("quantity"),
            "uom": self.env._("uom"),
            "amount": self.env._("amount"),
        }.get(column, column)

    def _file_error_text(self, error):
        """The translated message of a file that cannot be read at all."""
        _ = self.env._
        file = self.filename or _("The file")
        params = error.params
        texts = {
            rules.EMPTY_FILE: lambda: _(
                "%(file)s is empty: export the budget with a header row (phase, cost code, "
                "description, quantity, uom, amount) and one row per budget line.",
                file=file,
            ),
            rules.UNSUPPORTED_FORMAT: lambda: _(
                "%(file)s is not a CSV or XLSX file: save the budget as CSV (UTF-8) or as an "
                "Excel workbook (.xlsx) and import that.",
                file=file,
            ),
            rules.NOT_UTF8: lambda: _(
                '%(file)s is not UTF-8 text (byte %(position)s): save it as "CSV UTF-8" '
                "and import it again.",
                file=file,
                position=params.get("position"),
            ),
            rules.UNREADABLE: lambda: _(
                "%(file)s cannot be read as an Excel workbook: open it in your spreadsheet, "
                "save it again as .xlsx or as CSV and import that.",
                file=file,
            ),
            rules.MISSING_COLUMNS: lambda: _(
                "%(file)s has no column %(columns)s. Its header row must name the columns "
                "phase, cost code, description, quantity, uom and amount (cost code and "
                "amount are required); it names: %(found)s.",
                file=file,
                columns=", ".join(self._column_label(c) for c in params.get("columns", ())),
                found=", ".join(params.get("found") or ()) or _("nothing"),
            ),
            rules.DUPLICATE_COLUMN: lambda: _(
                "%(file)s has the column %(column)s twice: keep only one.",
                file=file,
                column=self._column_label(params.get("column")),
            ),
            rules.NO_ROWS: lambda: _(
                "%(file)s has a header row but no budget lines below it.", file=file
            ),
            rules.TOO_MANY_ROWS: lambda: _(
                "%(file)s has more than %(limit)s rows: split it into several files.",
                file=file,
                limit=params.get("limit"),
            ),
        }
        text = texts.get(error.problem)
        return text() if text else _("%(file)s cannot be imported.", file=file)

    def _issue_text(self, row, issue):
        """The translated message of one problem of one row, naming the row."""
        _ = self.env._
        job = self.job_id
        value = issue.params.get("value")
        column = self._column_label(issue.field)
        texts = {
            rules.MISSING_COST_CODE: lambda: _(
                "Row %(row)s: the cost code is missing.", row=row.row
            ),
            rules.UNKNOWN_COST_CODE: lambda: _(
                "Row %(row)s: cost code %(code)s does not exist in %(company)s.",
                row=row.row,
                code=value,
                company=job.company_id.name,
            ),
            rules.ARCHIVED_COST_CODE: lambda: _(
                "Row %(row)s: cost code %(code)s is archived; use an active cost code.",
                row=row.row,
                code=value,
            ),
            rules.UNKNOWN_PHASE: lambda: _(
                "Row %(row)s: job %(job)s has no phase %(phase)s.",
                row=row.row,
                job=job.job_code,
                phase=value,
            ),
            rules.ARCHIVED_PHASE: lambda: _(
                "Row %(row)s: phase %(phase)s of job %(job)s is archived.",
                row=row.row,
                job=job.job_code,
                phase=value,
            ),
            rules.UNKNOWN_UOM: lambda: _(
                "Row %(row)s: unit of measure %(uom)s does not exist.", row=row.row, uom=value
            ),
            rules.MISSING_AMOUNT: lambda: _("Row %(row)s: the amount is missing.", row=row.row),
            rules.NOT_A_NUMBER: lambda: _(
                "Row %(row)s: %(column)s %(value)s is not a number.",
                row=row.row,
                column=column,
                value=value,
            ),
            rules.NEGATIVE: lambda: _(
                "Row %(row)s: %(column)s %(value)s is negative; budget amounts and "
                "quantities cannot be negative.",
                row=row.row,
                column=column,
                value=value,
            ),
            rules.DUPLICATE_LINE: lambda: (
                _(
                    "Row %(row)s: phase %(phase)s and cost code %(code)s are already budgeted "
                    "in row %(first)s.",
                    row=row.row,
                    phase=issue.params.get("phase"),
                    code=value,
                    first=issue.params.get("first_row"),
                )
                if issue.params.get("phase")
                else _(
                    "Row %(row)s: cost code %(code)s (no phase) is already budgeted in row "
                    "%(first)s.",
                    row=row.row,
                    code=value,
                    first=issue.params.get("first_row"),
                )
            ),
        }
        text = texts.get(issue.problem)
        if text:
            return text()
        return _("Row %(row)s: %(column)s is wrong.", row=row.row, column=column)

    def _row_errors(self, row):
        return [self._issue_text(row, issue) for issue in row.issues]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _existing_keys(self):
        lines = self.budget_id.line_ids
        return {(line.phase_id.id or None, line.cost_code_id.id) for line in lines}

    def action_preview(self):
        """Read and check the file; show one line per row with its problems."""
        self.ensure_one()
        rows = self._checked_rows()
        existing = self._existing_keys()
        self.write(
            {
                "state": "preview",
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "row": row.row,
                            "phase": row.phase,
                            "cost_code": row.cost_code,
                            "description": row.description,
                            "quantity": float(row.quantity or 0),
                            "uom": row.uom,
                            "amount": float(row.amount or 0),
                            "operation": "error"
                            if row.issues
                            else ("update" if row.key in existing else "create"),
                            "error": "\n".join(self._row_errors(row)) or False,
                        }
                    )
                    for row in rows
                ],
            }
        )
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import budget lines"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _approved_error(self, budget):
        return UserError(
            self.env._(
                "%(budget)s is approved: nothing was imported. Change an approved budget "
                "through owner change orders or budget transfers.",
                budget=budget.name,
            )
        )

    def _row_numbers(self, rows):
        numbers = ", ".join(str(row.row) for row in rows[:MAX_LISTED_ERRORS])
        if len(rows) > MAX_LISTED_ERRORS:
            return self.env._(
                "%(rows)s and %(count)s more", rows=numbers, count=len(rows) - MAX_LISTED_ERRORS
            )
        return numbers

    def action_import(self):
        """Create or update the budget lines of the file, all or nothing."""
        self.ensure_one()
        _ = self.env._
        if self.budget_id.state == "approved":
            raise self._approved_error(self.budget_id)
        rows = self._checked_rows()
        in_error = rules.rows_in_error(rows)
        if in_error:
            errors = [text for row in in_error for text in self._row_errors(row)]
            listed = errors[:MAX_LISTED_ERRORS]
            if len(errors) > len(listed):
                listed.append(_("... and %s more.", len(errors) - len(listed)))
            raise UserError(
                _(
                    "Nothing was imported: the file has errors in row(s) %(rows)s. Fix them "
                    "and import the file again.\n\n%(errors)s",
                    rows=self._row_numbers(in_error),
                    errors="\n".join(listed),
                )
            )
        budget = lock_budgets(self.env["construction.budget"]._for_jobs(self.job_id))
        if budget.state == "approved":
            raise self._approved_error(budget)
        plan = write_rows(budget, rows)
        budget._message_log(
            body=_(
                "Budget lines imported from %(file)s: %(created)s created, %(updated)s updated.",
                file=self.filename or _("a file"),
                created=len(plan.create),
                updated=len(plan.update),
            )
        )
        return {"type": "ir.actions.act_window_close"}
