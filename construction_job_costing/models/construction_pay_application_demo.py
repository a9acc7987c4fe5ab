from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ConstructionPayApplication(models.Model):
    _inherit = "construction.pay.application"

    @api.model
    def _construction_load_demo(self):
        """Two certified pay applications of Riverside (J-1001), invoiced:
        the month before last and last month, on the demo schedule of values.

        Retainage 10 % on work until 50 % complete, 5 % after, 10 % on stored
        materials. Rebar stored on site in the first period is placed in the
        second; structural steel is stored at the fabricator in the second.
        """
        job = self.env.ref("construction_base.demo_job_riverside", raise_if_not_found=False)
        if not job or self.search_count([("job_id", "=", job.id)]):
            return self
        company = job.company_id
        if not company.construction_retention_receivable_account_id:
            Account = self.env["account.account"].with_company(company)
            account = Account.search(
                [
                    *Account._check_company_domain(company),
                    ("name", "=", "Retention Receivable"),
                ],
                limit=1,
            ) or Account.create(
                {
                    "code": "121900",
                    "name": "Retention Receivable",
                    "account_type": "asset_current",
                    "reconcile": True,
                }
            )
            company.construction_retention_receivable_account_id = account
        today = fields.Date.context_today(self)
        periods = [
            today + relativedelta(months=-2, day=31),
            today + relativedelta(months=-1, day=31),
        ]
        # item number: [(work this period, stored materials)] per application
        progress = {
            "1": [(72750, 0), (38800, 0)],
            "2": [(203000, 0), (87000, 0)],
            "3": [(52000, 38000), (182000, 0)],
            "4": [(0, 0), (49000, 120000)],
        }
        applications = self.browse()
        for index, period_end in enumerate(periods):
            application = self.create(
                {
                    "job_id": job.id,
                    "period_end": period_end,
                    "date": period_end + relativedelta(days=3),
                    "retainage_work_percent": 10.0,
                    "retainage_stored_percent": 10.0,
                    "retainage_reduction_at_percent": 50.0,
                    "retainage_reduced_percent": 5.0,
                }
            )
            for line in application.line_ids:
                work, stored = progress.get(line.item_number, [(0, 0), (0, 0)])[index]
                line.write({"work_this_period": work, "stored_materials": stored})
            application.action_submit()
            application.action_certify()
            application.invoice_id.action_post()
            applications |= application
        return applications
