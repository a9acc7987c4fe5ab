from odoo import _, api, fields, models
from odoo.tools import SQL

from ..domain.wip import WipInput, wip_body, wip_schedule

# Customer invoices and credit notes: what "billed" means.
BILLING_MOVE_TYPES = ("out_invoice", "out_refund")


class ConstructionWipReport(models.Model):
    """The WIP schedule (work in progress): one row per job, as of a date.

    A SQL view; ``as_of`` comes from the context (``wip_as_of``, default
    today) and only documents dated on or before it count. The definitions
    are those of ``domain/wip.py``:

    - contract value as of D = the job's contract value (approved owner change
      orders included) - the price delta of change orders approved after D;
    - cost to date and estimated cost (EAC) = ``actual`` and
      ``estimate_at_completion`` of the job cost report as of D, summed per
      job (the report's own query, so that both always agree);
    - percent complete = cost to date / EAC (cost-to-cost, 0..100), earned
      revenue = percent complete x contract value;
    - billed to date = posted customer invoices less credit notes dated by D,
      untaxed (their product lines), retention lines left out;
    - over billing = max(billed - earned, 0), under billing = max(earned -
      billed, 0); estimated gross profit = contract - EAC; margin %;
    - a loss job's whole loss shows at once through the loss provision =
      (EAC - contract) x (1 - percent complete / 100): gross profit to date
      = earned - cost to date - loss provision.

    A billing line belongs to a job by its ``job_id``; else by the job of the
    pay application its invoice was created from (when progress billing is
    installed); else by the job's analytic account in its analytic
    distribution, for the share the distribution gives it.

    Which jobs: the jobs of the companies with a contract, a cost or a
    billing by D; a closed job drops out after the calendar month in which it
    closed (``date_closed`` before the first day of D's month); a job closed
    after D is still in.

    The whole schedule is one query (three grouped subqueries joined to the
    jobs): never a query per job. The derived figures are computed here in
    SQL, so that the list can sum them; the read API and the PDF compute them
    with ``domain/wip.py`` from the four figures of the row, and the tests
    hold both to the same figures.
    """

    _name = "construction.wip.report"
    _description = "WIP Schedule"
    _auto = False
    _order = "job_code, job_id"
    _rec_name = "job_id"
    # What the view reads: pending changes of these fields are flushed first
    # (the job cost report brings its own sources).
    _depends = {
        "construction.job.cost.report": [],
        "project.project": [
            "is_job",
            "job_code",
            "company_id",
            "contract_value",
            "date_closed",
            "job_status",
            "account_id",
        ],
        "construction.change.order": ["job_id", "state", "date_approved", "price_delta"],
        "account.move": ["move_type", "state", "construction_pay_application_id"],
        "construction.pay.application": ["job_id"],
        "account.move.line": [
            "move_id",
            "job_id",
            "parent_state",
            "date",
            "display_type",
            "balance",
            "analytic_distribution",
            "construction_retention_kind",
        ],
        "res.company": ["currency_id"],
    }

    as_of = fields.Date(string="As of", readonly=True)
    job_id = fields.Many2one("project.project", string="Job", readonly=True)
    job_code = fields.Char(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Project Manager", readonly=True)
    job_status = fields.Selection(
        selection=lambda self: self.env["project.project"]._fields["job_status"].selection,
        readonly=True,
    )
    date_closed = fields.Date(string="Closed On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_value = fields.Monetary(
        readonly=True, help="Contract value with the change orders approved by the date."
    )
    estimated_cost = fields.Monetary(
        string="Estimated Cost (EAC)",
        readonly=True,
        help="Estimate at completion: cost to date + estimate to complete.",
    )
    cost_to_date = fields.Monetary(readonly=True)
    cost_to_complete = fields.Monetary(readonly=True)
    percent_complete = fields.Float(
        string="% Complete",
        readonly=True,
        aggregator=None,
        digits=(16, 2),
        help="Cost to date / estimated cost x 100 (cost-to-cost).",
    )
    earned_revenue = fields.Monetary(readonly=True, help="% complete x contract value.")
    billed_to_date = fields.Monetary(
        readonly=True,
        help="Posted customer invoices less credit notes, untaxed, without retention.",
    )
    over_billing = fields.Monetary(
        readonly=True, help="Billings in excess of cost and estimated earnings (a liability)."
    )
    under_billing = fields.Monetary(
        readonly=True, help="Cost and estimated earnings in excess of billings (an asset)."
    )
    gross_profit = fields.Monetary(
        string="Estimated Gross Profit", readonly=True, help="Contract value - estimated cost."
    )
    margin_percent = fields.Float(string="Margin %", readonly=True, aggregator=None, digits=(16, 2))
    loss_provision = fields.Monetary(
        readonly=True,
        help="On a job whose estimated cost exceeds its contract: the part of the loss "
        "not yet in earned - cost, so that the whole loss shows at once.",
    )
    gross_profit_to_date = fields.Monetary(
        readonly=True, help="Earned revenue - cost to date - loss provision."
    )

    # ------------------------------------------------------------------
    # The view
    # ------------------------------------------------------------------

    @api.model
    def _as_of(self):
        value = self.env.context.get("wip_as_of")
        return fields.Date.to_date(value) if value else fields.Date.context_today(self)

    @property
    def _table_query(self):
        return self._wip_query(self._as_of())

    @api.model
    def _wip_billing_condition(self, as_of):
        """Which journal items (alias ``aml``, move ``am``) are billing by ``as_of``."""
        return SQL(
            """aml.parent_state = 'posted'
               AND am.move_type IN %(types)s
               AND aml.display_type = 'product'
               AND aml.construction_retention_kind IS NULL
               AND aml.date <= %(as_of)s""",
            types=BILLING_MOVE_TYPES,
            as_of=as_of,
        )

    @api.model
    def _wip_pay_application_job(self):
        """(join, job expression) of the pay application of the invoice, when
        progress billing links invoices to pay applications; else nothing."""
        move_field = self.env["account.move"]._fields.get("construction_pay_application_id")
        if (
            move_field is None
            or not move_field.store
            or "construction.pay.application" not in self.env
        ):
            return SQL(""), SQL("NULL::integer")
        return (
            SQL(
                """LEFT JOIN construction_pay_application pa
                          ON pa.id = am.construction_pay_application_id"""
            ),
            SQL("pa.job_id"),
        )

    @api.model
    def _wip_billed_sources(self, as_of):
        """The billing of each job, one SELECT each with the columns (job_id,
        amount): amounts in the company currency, invoices positive, credit
        notes negative. Extend to add sources."""
        condition = self._wip_billing_condition(as_of)
        pay_join, pay_job = self._wip_pay_application_job()
        return [
            # Lines that name their job, or whose invoice came from a job's pay application.
            SQL(
                """SELECT COALESCE(aml.job_id, %(pay_job)s), SUM(-aml.balance)
                     FROM account_move_line aml
                     JOIN account_move am ON am.id = aml.move_id
                     %(pay_join)s
                    WHERE %(condition)s
                      AND COALESCE(aml.job_id, %(pay_job)s) IS NOT NULL
                 GROUP BY 1""",
                pay_job=pay_job,
                pay_join=pay_join,
                condition=condition,
            ),
            # Lines that name neither: the share of their analytic distribution
            # that goes to a job's analytic account.
            SQL(
                """SELECT job.id, SUM(-aml.balance * dist.share::numeric / 100)
                     FROM account_move_line aml
                     JOIN account_move am ON am.id = aml.move_id
                     %(pay_join)s
                    CROSS JOIN LATERAL jsonb_each_text(aml.analytic_distribution)
                               AS dist (accounts, share)
                     JOIN project_project job
                       ON job.is_job
                      AND job.company_id = aml.company_id
                      AND job.account_id::text = ANY (string_to_array(dist.accounts, ','))
                    WHERE %(condition)s
                      AND aml.job_id IS NULL
                      AND %(pay_job)s IS NULL
                      AND aml.analytic_distribution IS NOT NULL
                 GROUP BY 1""",
                pay_job=pay_job,
                pay_join=pay_join,
                condition=condition,
            ),
        ]

    @api.model
    def _wip_query(self, as_of):
        job_cost = self.env["construction.job.cost.report"]._job_cost_query(as_of)
        billed = SQL(" UNION ALL ").join(self._wip_billed_sources(as_of))
        return SQL(
            """
            WITH cost AS (
                SELECT jc.job_id, SUM(jc.actual) AS cost_to_date,
                       SUM(jc.estimate_at_completion) AS estimated_cost
                  FROM (%(job_cost)s) jc
              GROUP BY jc.job_id
            ), billed AS (
                SELECT src.job_id, SUM(src.amount) AS amount
                  FROM (%(billed)s) AS src (job_id, amount)
              GROUP BY src.job_id
            ), changed_after AS (
                SELECT co.job_id, SUM(co.price_delta) AS price_delta
                  FROM construction_change_order co
                 WHERE co.state = 'approved' AND co.date_approved > %(as_of)s
              GROUP BY co.job_id
            ), base AS (
                SELECT job.id AS job_id, job.job_code, job.partner_id, job.user_id,
                       job.job_status, job.date_closed, job.company_id, company.currency_id,
                       COALESCE(job.contract_value, 0) - COALESCE(changed_after.price_delta, 0)
                           AS contract_value,
                       COALESCE(cost.estimated_cost, 0) AS estimated_cost,
                       COALESCE(cost.cost_to_date, 0) AS cost_to_date,
                       COALESCE(billed.amount, 0) AS billed_to_date
                  FROM project_project job
                  JOIN res_company company ON company.id = job.company_id
             LEFT JOIN cost ON cost.job_id = job.id
             LEFT JOIN billed ON billed.job_id = job.id
             LEFT JOIN changed_after ON changed_after.job_id = job.id
                 WHERE job.is_job
                   AND (job.date_closed IS NULL
                        OR job.date_closed >= date_trunc('month', %(as_of)s::date)::date)
            ), figures AS (
                SELECT base.*,
                       CASE WHEN base.estimated_cost > 0
                            THEN LEAST(GREATEST(base.cost_to_date / base.estimated_cost, 0), 1)
                            ELSE 0 END AS ratio
                  FROM base
                 WHERE base.contract_value <> 0 OR base.estimated_cost <> 0
                    OR base.cost_to_date <> 0 OR base.billed_to_date <> 0
            )
            SELECT f.job_id AS id, %(as_of)s::date AS as_of,
                   f.job_id, f.job_code, f.partner_id, f.user_id, f.job_status, f.date_closed,
                   f.company_id, f.currency_id,
                   f.contract_value, f.estimated_cost, f.cost_to_date,
                   f.estimated_cost - f.cost_to_date AS cost_to_complete,
                   f.ratio * 100 AS percent_complete,
                   f.ratio * f.contract_value AS earned_revenue,
                   f.billed_to_date,
                   GREATEST(f.billed_to_date - f.ratio * f.contract_value, 0) AS over_billing,
                   GREATEST(f.ratio * f.contract_value - f.billed_to_date, 0) AS under_billing,
                   f.contract_value - f.estimated_cost AS gross_profit,
                   CASE WHEN f.contract_value <> 0
                        THEN (f.contract_value - f.estimated_cost) * 100 / f.contract_value
                        ELSE 0 END AS margin_percent,
                   GREATEST(f.estimated_cost - f.contract_value, 0) * (1 - f.ratio)
                       AS loss_provision,
                   f.ratio * f.contract_value - f.cost_to_date
                       - GREATEST(f.estimated_cost - f.contract_value, 0) * (1 - f.ratio)
                       AS gross_profit_to_date
              FROM figures f
            """,
            job_cost=job_cost,
            billed=billed,
            as_of=as_of,
        )

    # ------------------------------------------------------------------
    # Figures for code: the read API, the PDF, the job form
    # ------------------------------------------------------------------

    @api.model
    def _wip_inputs(self, companies, as_of, jobs=None):
        """{company: [WipInput]} of the WIP rows of ``companies`` as of
        ``as_of`` (of ``jobs`` only, when given), in job code order: one query."""
        domain = [("company_id", "in", companies.ids)]
        if jobs is not None:
            domain.append(("job_id", "in", jobs.ids))
        report = self.sudo().with_context(wip_as_of=as_of.isoformat())
        rows = report.search_fetch(
            domain,
            [
                "job_id",
                "job_code",
                "company_id",
                "contract_value",
                "estimated_cost",
                "cost_to_date",
                "billed_to_date",
            ],
        )
        names = {job.id: job.name for job in rows.job_id.sudo()}
        inputs = {company: [] for company in companies}
        for row in rows:
            inputs[row.company_id.with_env(self.env)].append(
                WipInput(
                    key=row.job_id.id,
                    job=row.job_code,
                    name=names.get(row.job_id.id, ""),
                    contract_value=row.contract_value,
                    estimated_cost=row.estimated_cost,
                    cost_to_date=row.cost_to_date,
                    billed_to_date=row.billed_to_date,
                )
            )
        return inputs

    @api.model
    def _api_wip(self, company, as_of):
        """The body of GET /construction/api/v1/wip for ``company`` as of ``as_of``."""
        currency = company.currency_id
        rows = self._wip_inputs(company, as_of)[company]
        return wip_body(as_of, company.name, currency.name, rows, rounding=str(currency.rounding))

    @api.model
    def _job_figures(self, jobs, as_of=None):
        """{job id: WipFigures} of ``jobs`` as of ``as_of`` (default today)."""
        as_of = as_of or fields.Date.context_today(self)
        figures = {}
        for company, rows in self._wip_inputs(jobs.company_id, as_of, jobs).items():
            lines, _totals = wip_schedule(rows, rounding=str(company.currency_id.rounding))
            figures.update({row.key: line for row, line in lines})
        return figures

    def action_open_job(self):
        """The job of the row: from the button's context (no query of the
        schedule by id), else from the row."""
        job_id = self.env.context.get("wip_job_id")
        if not job_id:
            self.ensure_one()
            job_id = self.job_id.id
        return {
            "type": "ir.actions.act_window",
            "res_model": "project.project",
            "res_id": job_id,
            "view_mode": "form",
            "name": _("Job"),
        }
