from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount

from ..domain.costing import budget_overruns, line_figures
from ..domain.report_api import job_cost_body

# The summable measures of a report line, in the order of the read API.
MEASURES = (
    "original_budget",
    "change_orders",
    "transfers",
    "approved_changes",
    "revised_budget",
    "pending_changes",
    "committed",
    "actual",
    "committed_actual",
    "estimate_to_complete",
    "estimate_at_completion",
    "variance",
)


class ConstructionJobCostReport(models.Model):
    """The job cost report: one row per (job, phase, cost code), as of a date.

    A SQL view over the documents that make the figures: budget lines,
    approved owner change orders and budget transfers, the open commitment of
    confirmed purchase order and subcontract lines, and the posted costs on
    the analytic lines (bills, timesheets, equipment), plus the latest
    forecast revision of each line. ``as_of`` comes from the context
    (``job_cost_as_of``, default today): only documents dated on or before it
    count. Every figure, ETC and EAC included, is computed per line in SQL,
    so that the pivot's sums over phases, cost types and jobs are right.

    Filters on job, phase, cost code and company reach the base tables (they
    are grouping keys of the inner query), so the report of one job reads
    only that job's rows. The id of a row is the job id in its upper 32 bits
    and (phase, cost code) in the lower ones (below 2^53, safe in the web
    client), so that reading rows by id also filters on their jobs.
    """

    _name = "construction.job.cost.report"
    _description = "Job Cost Report"
    _auto = False
    _order = "job_id, phase_id, cost_code_id"
    _rec_name = "cost_code_id"
    # What the view reads: pending changes of these fields are flushed first.
    _depends = {
        "construction.budget.line": [
            "job_id",
            "phase_id",
            "cost_code_id",
            "original_amount",
            "quantity",
        ],
        "construction.change.order": ["state", "date", "date_approved"],
        "construction.change.order.line": [
            "change_order_id",
            "job_id",
            "phase_id",
            "cost_code_id",
            "cost_delta",
        ],
        "construction.budget.transfer": ["state", "date", "amount", "from_line_id", "to_line_id"],
        "construction.forecast.revision": [
            "job_id",
            "phase_id",
            "cost_code_id",
            "date",
            "estimate_to_complete",
        ],
        "purchase.order": ["date_approve"],
        "purchase.order.line": [
            "order_id",
            "job_id",
            "phase_id",
            "cost_code_id",
            "state",
            "product_qty",
            "committed_amount_company",
        ],
        "account.move": ["move_type"],
        "account.move.line": [
            "move_id",
            "purchase_line_id",
            "parent_state",
            "date",
            "display_type",
            "quantity",
        ],
        "account.analytic.line": ["job_id", "phase_id", "cost_code_id", "date", "amount"],
        "construction.cost.code": ["cost_type"],
        "project.project": ["company_id"],
        "res.company": ["currency_id"],
    }

    as_of = fields.Date(readonly=True)
    job_id = fields.Many2one("project.project", string="Job", readonly=True)
    phase_id = fields.Many2one("construction.phase", string="Phase", readonly=True)
    cost_code_id = fields.Many2one("construction.cost.code", string="Cost Code", readonly=True)
    cost_type = fields.Selection(
        selection=lambda self: self.env["construction.cost.code"]._fields["cost_type"].selection,
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    budget_line_id = fields.Many2one("construction.budget.line", readonly=True)
    budget_quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    original_budget = fields.Monetary(readonly=True)
    change_orders = fields.Monetary(readonly=True)
    transfers = fields.Monetary(readonly=True)
    approved_changes = fields.Monetary(readonly=True)
    revised_budget = fields.Monetary(readonly=True)
    pending_changes = fields.Monetary(
        string="Pending Change Orders",
        readonly=True,
        help="Cost of change orders not yet approved.",
    )
    committed = fields.Monetary(readonly=True, help="Ordered and not yet billed.")
    actual = fields.Monetary(readonly=True)
    committed_actual = fields.Monetary(string="Committed + Actual", readonly=True)
    estimate_to_complete = fields.Monetary(string="Estimate to Complete", readonly=True)
    estimate_at_completion = fields.Monetary(string="Estimate at Completion", readonly=True)
    variance = fields.Monetary(readonly=True)
    # A ratio: summing or averaging it over lines means nothing, so no aggregate.
    percent_spent = fields.Float(string="% Spent", readonly=True, aggregator=None)
    forecast_overridden = fields.Boolean(string="Forecast Revised", readonly=True)

    # ------------------------------------------------------------------
    # The view
    # ------------------------------------------------------------------

    def _as_query(self, ordered=True):
        """Rows read by id (a form, a button, an access check) filter on their
        job too: the id holds the job (its upper bits), and a filter on the
        job reaches the base tables where one on the computed id cannot."""
        query = super()._as_query(ordered)
        job_ids = tuple({row_id >> 32 for row_id in self._ids if isinstance(row_id, int)})
        if job_ids:
            query.add_where(SQL("%s IN %s", SQL.identifier(self._table, "job_id"), job_ids))
        return query

    @api.model
    def _as_of(self):
        value = self.env.context.get("job_cost_as_of")
        return fields.Date.to_date(value) if value else fields.Date.context_today(self)

    @property
    def _table_query(self):
        return self._job_cost_query(self._as_of())

    @api.model
    def _job_cost_sources(self, as_of):
        """The documents behind the figures, one SELECT each, with the columns
        (job_id, phase_id, cost_code_id, original_budget, change_orders,
        transfers, pending_changes, committed, actual). Extend to add sources."""
        zero = SQL("0::numeric")
        return [
            # Budget lines: the original budget (the plan is not dated).
            SQL(
                """SELECT bl.job_id, bl.phase_id, bl.cost_code_id, bl.original_amount,
                          %(z)s, %(z)s, %(z)s, %(z)s, %(z)s
                     FROM construction_budget_line bl""",
                z=zero,
            ),
            # Owner change orders: approved by the date, or still pending.
            SQL(
                """SELECT col.job_id, col.phase_id, col.cost_code_id, %(z)s,
                          CASE WHEN co.state = 'approved' THEN col.cost_delta ELSE 0 END,
                          %(z)s,
                          CASE WHEN co.state IN ('draft', 'submitted') THEN col.cost_delta
                               ELSE 0 END,
                          %(z)s, %(z)s
                     FROM construction_change_order_line col
                     JOIN construction_change_order co ON co.id = col.change_order_id
                    WHERE (co.state = 'approved' AND co.date_approved <= %(as_of)s)
                       OR (co.state IN ('draft', 'submitted') AND co.date <= %(as_of)s)""",
                z=zero,
                as_of=as_of,
            ),
            # Budget transfers approved by the date: out of one line, into another.
            SQL(
                """SELECT bl.job_id, bl.phase_id, bl.cost_code_id, %(z)s, %(z)s,
                          CASE WHEN bl.id = t.to_line_id THEN t.amount ELSE -t.amount END,
                          %(z)s, %(z)s, %(z)s
                     FROM construction_budget_transfer t
                     JOIN construction_budget_line bl
                       ON bl.id IN (t.from_line_id, t.to_line_id)
                    WHERE t.state = 'approved' AND t.date <= %(as_of)s""",
                z=zero,
                as_of=as_of,
            ),
            # Open commitment of confirmed job PO lines: ordered by the date, less
            # what posted bills dated by then have billed, at the order's net price.
            SQL(
                """SELECT pol.job_id, pol.phase_id, pol.cost_code_id, %(z)s, %(z)s, %(z)s, %(z)s,
                          GREATEST(
                              pol.committed_amount_company
                              - CASE WHEN pol.product_qty > 0
                                     THEN pol.committed_amount_company / pol.product_qty
                                     ELSE 0 END * COALESCE(billed.quantity, 0),
                              0),
                          %(z)s
                     FROM purchase_order_line pol
                     JOIN purchase_order po ON po.id = pol.order_id
                     LEFT JOIN LATERAL (
                          SELECT SUM(CASE WHEN am.move_type = 'in_refund' THEN -aml.quantity
                                          ELSE aml.quantity END) AS quantity
                            FROM account_move_line aml
                            JOIN account_move am ON am.id = aml.move_id
                           WHERE aml.purchase_line_id = pol.id
                             AND aml.parent_state = 'posted'
                             AND aml.date <= %(as_of)s
                             AND aml.display_type = 'product'
                     ) billed ON TRUE
                    WHERE pol.job_id IS NOT NULL
                      AND pol.state IN ('purchase', 'done')
                      AND po.date_approve::date <= %(as_of)s""",
                z=zero,
                as_of=as_of,
            ),
            # Posted cost: analytic lines of the job dated by then (costs are
            # negative amounts; revenue without a cost code is left out),
            # summed here already: the union then carries a few rows per line
            # of the report instead of one per analytic line.
            SQL(
                """SELECT aal.job_id, aal.phase_id, aal.cost_code_id, %(z)s, %(z)s, %(z)s, %(z)s,
                          %(z)s, SUM(-aal.amount)
                     FROM account_analytic_line aal
                    WHERE aal.job_id IS NOT NULL
                      AND aal.date <= %(as_of)s
                      AND (aal.cost_code_id IS NOT NULL OR aal.amount < 0)
                      AND %(actual)s
                 GROUP BY aal.job_id, aal.phase_id, aal.cost_code_id""",
                z=zero,
                as_of=as_of,
                actual=self._job_cost_actual_condition(),
            ),
        ]

    @api.model
    def _job_cost_actual_condition(self):
        """Which analytic lines (alias ``aal``) count as actual cost; field
        time that is not approved yet is left out by construction_field_sync."""
        return SQL("TRUE")

    @api.model
    def _job_cost_query(self, as_of):
        sources = SQL(" UNION ALL ").join(self._job_cost_sources(as_of))
        return SQL(
            """
            SELECT (agg.job_id::bigint << 32)
                   + (((COALESCE(agg.phase_id, 0)::bigint << 16) + COALESCE(agg.cost_code_id, 0))
                      & 4294967295) AS id,
                   %(as_of)s::date AS as_of,
                   agg.job_id, agg.phase_id, agg.cost_code_id,
                   cc.cost_type, job.company_id, company.currency_id,
                   bl.id AS budget_line_id, COALESCE(bl.quantity, 0) AS budget_quantity,
                   agg.original_budget, agg.change_orders, agg.transfers,
                   agg.change_orders + agg.transfers AS approved_changes,
                   agg.revised_budget, agg.pending_changes, agg.committed, agg.actual,
                   agg.committed + agg.actual AS committed_actual,
                   etc.amount AS estimate_to_complete,
                   agg.actual + etc.amount AS estimate_at_completion,
                   agg.revised_budget - agg.actual - etc.amount AS variance,
                   CASE WHEN agg.revised_budget <> 0
                        THEN agg.actual * 100 / agg.revised_budget ELSE 0 END AS percent_spent,
                   fr.estimate_to_complete IS NOT NULL AS forecast_overridden
              FROM (
                   SELECT src.job_id, src.phase_id, src.cost_code_id,
                          SUM(src.original_budget) AS original_budget,
                          SUM(src.change_orders) AS change_orders,
                          SUM(src.transfers) AS transfers,
                          SUM(src.original_budget + src.change_orders + src.transfers)
                              AS revised_budget,
                          SUM(src.pending_changes) AS pending_changes,
                          SUM(src.committed) AS committed,
                          SUM(src.actual) AS actual
                     FROM (%(sources)s) AS src (job_id, phase_id, cost_code_id, original_budget,
                                                change_orders, transfers, pending_changes,
                                                committed, actual)
                 GROUP BY src.job_id, src.phase_id, src.cost_code_id
              ) agg
              JOIN project_project job ON job.id = agg.job_id
              JOIN res_company company ON company.id = job.company_id
              LEFT JOIN construction_cost_code cc ON cc.id = agg.cost_code_id
              LEFT JOIN construction_budget_line bl
                     ON bl.job_id = agg.job_id
                    AND COALESCE(bl.phase_id, 0) = COALESCE(agg.phase_id, 0)
                    AND bl.cost_code_id = agg.cost_code_id
              LEFT JOIN LATERAL (
                   SELECT f.estimate_to_complete
                     FROM construction_forecast_revision f
                    WHERE f.job_id = agg.job_id
                      AND COALESCE(f.phase_id, 0) = COALESCE(agg.phase_id, 0)
                      AND f.cost_code_id IS NOT DISTINCT FROM agg.cost_code_id
                      AND f.date <= %(as_of)s
                 ORDER BY f.date DESC, f.id DESC
                    LIMIT 1
              ) fr ON TRUE
              CROSS JOIN LATERAL (
                   SELECT COALESCE(
                       fr.estimate_to_complete,
                       GREATEST(agg.revised_budget - agg.actual - agg.committed, 0)
                           + agg.committed) AS amount
              ) etc
            """,
            as_of=as_of,
            sources=sources,
        )

    # ------------------------------------------------------------------
    # Figures for code: the read API, the PDF, the budget check
    # ------------------------------------------------------------------

    @api.model
    def _lines(self, jobs, as_of=None):
        """[(line dict, CostFigures)] of ``jobs``, one grouped query."""
        report = self.sudo().with_context(
            job_cost_as_of=(as_of or self._as_of()).isoformat()  # years < 1000 too
        )
        groups = report._read_group(
            [("job_id", "in", jobs.ids)],
            ["job_id", "phase_id", "cost_code_id"],
            [
                "original_budget:sum",
                "change_orders:sum",
                "transfers:sum",
                "pending_changes:sum",
                "committed:sum",
                "actual:sum",
                "estimate_to_complete:sum",
                "budget_quantity:sum",
            ],
        )
        lines = []
        for (
            job,
            phase,
            code,
            original,
            changes,
            transfers,
            pending,
            committed,
            actual,
            etc,
            qty,
        ) in groups:
            figures = line_figures(
                original_budget=original,
                change_orders=changes,
                transfers=transfers,
                pending_changes=pending,
                committed=committed,
                actual=actual,
                etc_override=etc,
            )
            lines.append(
                (
                    {
                        "job": job,
                        "phase": phase,
                        "cost_code": code,
                        "cost_type": code.cost_type or None,
                        "budget_quantity": qty,
                    },
                    figures,
                )
            )
        return lines

    @api.model
    def _current_figures(self, jobs):
        """{(job id, phase id or False, cost code id or False): CostFigures} as of today."""
        return {
            (line["job"].id, line["phase"].id or False, line["cost_code"].id or False): figures
            for line, figures in self._lines(jobs)
        }

    # ------------------------------------------------------------------
    # Drill-down from a figure to the documents that make it
    # ------------------------------------------------------------------

    def _drill_key(self):
        """(job id, phase id, cost code id) of the row the user clicked: from
        the button's context when the list passes it (no query by id), else
        from the row itself."""
        context = self.env.context
        if "drill_job_id" in context:
            return (
                context["drill_job_id"],
                context.get("drill_phase_id") or False,
                context.get("drill_cost_code_id") or False,
            )
        self.ensure_one()
        return self.job_id.id, self.phase_id.id, self.cost_code_id.id

    def _drill_action(self, model, name, extra_domain=(), views="list,form", context=None):
        """The documents of ``model`` behind the clicked row's figure: those
        of its job, phase and cost code, plus ``extra_domain``."""
        job_id, phase_id, cost_code_id = self._drill_key()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": views,
            "domain": [
                ("job_id", "=", job_id),
                ("phase_id", "=", phase_id),
                ("cost_code_id", "=", cost_code_id),
                *extra_domain,
            ],
            "context": context or {},
        }

    def action_open_actual(self):
        as_of = self._as_of()
        extra = [("date", "<=", as_of)]
        if not self._drill_key()[2]:
            extra.append(("amount", "<", 0))
        action = self._drill_action(
            "account.analytic.line",
            _("Actual cost as of %s", as_of),
            extra,
            context={"create": False},
        )
        action["views"] = [
            (
                self.env.ref(
                    "construction_job_costing.account_analytic_line_view_list_job_cost"
                ).id,
                "list",
            ),
            (False, "form"),
        ]
        return action

    def action_open_committed(self):
        approved_by = fields.Datetime.end_of(fields.Datetime.to_datetime(self._as_of()), "day")
        return self._drill_action(
            "purchase.order.line",
            _("Commitments"),
            [("state", "in", ("purchase", "done")), ("order_id.date_approve", "<=", approved_by)],
            context={"create": False},
        )

    def action_open_budget(self):
        return self._drill_action("construction.budget.line", _("Budget lines"))

    def action_open_change_orders(self):
        return self._drill_action(
            "construction.change.order.line", _("Change order lines"), views="list"
        )

    def action_revise_forecast(self):
        job_id, phase_id, cost_code_id = self._drill_key()
        return {
            "type": "ir.actions.act_window",
            "name": _("Revise forecast"),
            "res_model": "construction.forecast.revision",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_job_id": job_id,
                "default_phase_id": phase_id,
                "default_cost_code_id": cost_code_id,
            },
        }

    # ------------------------------------------------------------------
    # Budget check (requisition approval, purchase order confirmation)
    # ------------------------------------------------------------------

    @api.model
    def _check_budget(self, new_amounts, company, document):
        """Warn or block when committed + actual + the new amounts exceed the
        revised budget of a (job, phase, cost code), per the company's setting.

        ``new_amounts``: {(job id, phase id or False, cost code id): amount in
        the company currency}. Returns the warnings to post on ``document``;
        raises UserError when the company blocks, unless a controller
        approves over budget (context ``construction_budget_override_reason``).
        """
        mode = company.construction_budget_check
        if mode == "off" or not new_amounts:
            return []
        jobs = self.env["project.project"].browse({key[0] for key in new_amounts})
        current = {
            key: (figures.revised_budget, figures.committed, figures.actual)
            for key, figures in self._current_figures(jobs).items()
        }
        overruns = budget_overruns(new_amounts, current, company.construction_budget_tolerance)
        if not overruns:
            return []
        currency = company.currency_id
        phases = self.env["construction.phase"].browse({o.key[1] for o in overruns if o.key[1]})
        codes = self.env["construction.cost.code"].browse({o.key[2] for o in overruns if o.key[2]})
        names = {
            "job": {job.id: job.display_name for job in jobs.sudo()},
            "phase": {phase.id: phase.display_name for phase in phases.sudo()},
            "code": {code.id: code.display_name for code in codes.sudo()},
        }

        def money(amount):
            return format_amount(self.env, float(amount), currency)

        messages = [
            self.env._(
                "%(document)s: job %(job)s, phase %(phase)s, cost code %(code)s goes over "
                "budget: budget %(budget)s, committed %(committed)s, actual %(actual)s, "
                "new %(new)s, over by %(over)s.",
                document=document,
                job=names["job"].get(o.key[0], ""),
                phase=names["phase"].get(o.key[1], _("(none)")),
                code=names["code"].get(o.key[2], _("(none)")),
                budget=money(o.budget),
                committed=money(o.committed),
                actual=money(o.actual),
                new=money(o.new_amount),
                over=money(o.overrun),
            )
            for o in overruns
        ]
        reason = (self.env.context.get("construction_budget_override_reason") or "").strip()
        if mode == "block":
            if not reason:
                raise UserError(
                    "\n".join(messages)
                    + "\n"
                    + _("A controller may approve over budget with a reason.")
                )
            if not self.env.user.has_group("construction_base.group_controller"):
                raise UserError(_("Only a controller may approve over budget."))
        if reason:
            messages.append(
                _(
                    "Approved over budget by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        return messages

    # ------------------------------------------------------------------
    # Read API
    # ------------------------------------------------------------------

    @api.model
    def _api_job_cost(self, job, as_of):
        """The body of GET /jobs/<code>/cost for ``job`` as of ``as_of``."""
        currency = job.company_id.currency_id
        lines = [
            (line["phase"].code or None, line["cost_code"].code or None, line["cost_type"], figures)
            for line, figures in sorted(
                self._lines(job, as_of),
                key=lambda item: (
                    item[0]["phase"].sequence if item[0]["phase"] else -1,
                    item[0]["phase"].code or "",
                    item[0]["cost_code"].code or "",
                ),
            )
        ]
        return job_cost_body(
            job.job_code,
            job.company_id.name,
            currency.name,
            as_of,
            lines,
            rounding=str(currency.rounding),
        )
