import base64
import csv
import io

import openpyxl

from odoo.addons.construction_connector.tests.common import ConnectorCase


class BudgetImportCase(ConnectorCase):
    """Job J-9001 (phases P1, P2) managed by ``user_pm``, an archived cost
    code, and builders of budget files and budgets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Budget = cls.env["construction.budget"]
        cls.BudgetLine = cls.env["construction.budget.line"]
        cls.Wizard = cls.env["construction.budget.import.wizard"]
        cls.job.user_id = cls.user_pm
        cls.cc_archived = cls.CostCode.create(
            {
                "code": "03-900",
                "name": "Old Concrete Code",
                "cost_type": "material",
                "company_id": cls.company_a.id,
                "active": False,
            }
        )
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.uom_hour = cls.env.ref("uom.product_uom_hour")

    # ------------------------------------------------------------------
    # Files
    # ------------------------------------------------------------------

    HEADER = ["Phase", "Cost Code", "Description", "Quantity", "UoM", "Amount"]

    @classmethod
    def csv_file(cls, rows, header=None, delimiter=",", bom=False):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(header or cls.HEADER)
        writer.writerows(rows)
        text = buffer.getvalue()
        return (("\ufeff" if bom else "") + text).encode()

    @classmethod
    def xlsx_file(cls, rows, header=None):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header or cls.HEADER)
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def wizard(self, data, filename="budget.csv", job=None, user=None):
        return (
            self.Wizard.with_user(user or self.user_pm)
            .with_context(default_job_id=(job or self.job).id)
            .create({"file": base64.b64encode(data), "filename": filename})
        )

    # ------------------------------------------------------------------
    # Budgets
    # ------------------------------------------------------------------

    @classmethod
    def draft_budget(cls, job, lines):
        """A draft budget of ``job`` with ``lines``: [(phase or False, code, amount)]."""
        budget = cls.Budget._for_jobs(job)
        cls.BudgetLine.create(
            [
                {
                    "budget_id": budget.id,
                    "phase_id": phase.id if phase else False,
                    "cost_code_id": code.id,
                    "original_amount": amount,
                }
                for phase, code, amount in lines
            ]
        )
        return budget

    @staticmethod
    def summary(budget):
        """The budget's lines as (phase code or '', cost code, description, quantity,
        unit, amount), sorted."""
        return sorted(
            (
                line.phase_id.code or "",
                line.cost_code_id.code,
                line.name or "",
                line.quantity,
                line.uom_id.name or "",
                line.original_amount,
            )
            for line in budget.line_ids
        )
