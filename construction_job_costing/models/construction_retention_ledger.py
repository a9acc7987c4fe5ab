from odoo import api, fields, models
from odoo.tools import SQL

SIDES = [("payable", "Payable"), ("receivable", "Receivable")]


class ConstructionRetentionLedger(models.Model):
    """The retention ledger: one row per posted retention line.

    Payable rows are the retention withheld on subcontract bills and the
    bills that release it, receivable rows the retention the owner withholds
    on progress invoices and the invoices that release it. ``held`` and
    ``released`` are positive amounts in company currency (a credit note
    nets them), ``open_amount`` = held - released. Summed by job, subcontract,
    vendor or customer they give the open retention.

    "As of": the context key ``retention_as_of`` (a date) keeps only the lines
    dated on or before it, as ``job_cost_as_of`` does for the job cost report;
    without it every posted line counts. A filter on ``date`` does the same
    from the search view.
    """

    _name = "construction.retention.ledger"
    _description = "Retention Ledger"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"
    _depends = {
        "account.move.line": [
            "move_id",
            "company_id",
            "company_currency_id",
            "job_id",
            "date",
            "balance",
            "parent_state",
            "construction_retention_kind",
            "construction_retention_order_id",
        ],
        "account.move": ["commercial_partner_id", "move_type"],
        "purchase.order": ["job_id"],
    }

    side = fields.Selection(SIDES, readonly=True)
    kind = fields.Selection(
        selection=lambda self: self.env["account.move.line"]
        ._fields["construction_retention_kind"]
        .selection,
        string="Retention",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    job_id = fields.Many2one("project.project", string="Job", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Partner", readonly=True)
    order_id = fields.Many2one("purchase.order", string="Subcontract", readonly=True)
    move_id = fields.Many2one("account.move", string="Bill / Invoice", readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_type = fields.Selection(
        selection=lambda self: self.env["account.move"]._fields["move_type"].selection,
        string="Document Type",
        readonly=True,
    )
    date = fields.Date(readonly=True)
    held = fields.Monetary(readonly=True)
    released = fields.Monetary(readonly=True)
    open_amount = fields.Monetary(string="Open", readonly=True)

    @api.model
    def _as_of(self):
        value = self.env.context.get("retention_as_of")
        return fields.Date.to_date(value) if value else None

    @property
    def _table_query(self):
        as_of = self._as_of()
        date_condition = SQL("aml.date <= %s", as_of) if as_of else SQL("TRUE")
        return SQL(
            """
            SELECT aml.id AS id,
                   aml.id AS move_line_id,
                   CASE WHEN aml.construction_retention_kind IN ('payable_held', 'payable_released')
                        THEN 'payable' ELSE 'receivable' END AS side,
                   aml.construction_retention_kind AS kind,
                   aml.company_id AS company_id,
                   aml.company_currency_id AS currency_id,
                   COALESCE(aml.job_id, po.job_id) AS job_id,
                   am.commercial_partner_id AS partner_id,
                   aml.construction_retention_order_id AS order_id,
                   aml.move_id AS move_id,
                   am.move_type AS move_type,
                   aml.date AS date,
                   CASE aml.construction_retention_kind
                        WHEN 'payable_held' THEN -aml.balance
                        WHEN 'receivable_held' THEN aml.balance
                        ELSE 0 END AS held,
                   CASE aml.construction_retention_kind
                        WHEN 'payable_released' THEN aml.balance
                        WHEN 'receivable_released' THEN -aml.balance
                        ELSE 0 END AS released,
                   CASE WHEN aml.construction_retention_kind IN ('payable_held', 'payable_released')
                        THEN -aml.balance ELSE aml.balance END AS open_amount
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
         LEFT JOIN purchase_order po ON po.id = aml.construction_retention_order_id
             WHERE aml.construction_retention_kind IS NOT NULL
               AND aml.parent_state = 'posted'
               AND %s
            """,
            date_condition,
        )

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    @api.model
    def _action_for(self, domain, name, context=None):
        """The ledger action on ``domain``, grouped by bill/invoice."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_job_costing.construction_retention_ledger_action"
        )
        action["domain"] = domain
        action["context"] = {"search_default_group_move": 1, **(context or {})}
        action["display_name"] = name
        return action

    @api.model
    def _open_by(self, side, field_name, records):
        """{record: open retention} of ``records`` (the ``field_name`` of the rows) on
        ``side``, all posted lines, read as superuser: the smart buttons show the
        figure to whoever sees the job or the subcontract."""
        if not records.ids:
            return {}
        groups = (
            self.sudo()
            .with_context(retention_as_of=None)
            ._read_group(
                [("side", "=", side), (field_name, "in", records.ids)],
                [field_name],
                ["open_amount:sum"],
            )
        )
        return dict(groups)
