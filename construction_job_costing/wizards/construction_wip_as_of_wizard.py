from odoo import _, fields, models


class ConstructionWipAsOfWizard(models.TransientModel):
    """Open or print the WIP schedule of a company as of a date."""

    _name = "construction.wip.as.of.wizard"
    _description = "WIP Schedule As Of"

    as_of = fields.Date(
        string="As of",
        required=True,
        default=lambda self: self._default_as_of(),
        help="Only costs and billings dated on or before this date count.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    def _default_as_of(self):
        """The end of last month: the WIP a surety or a bank asks for."""
        today = fields.Date.context_today(self)
        return fields.Date.start_of(today, "month") - fields.date_utils.relativedelta(days=1)

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_job_costing.construction_wip_report_action"
        )
        action["context"] = {"wip_as_of": self.as_of.isoformat()}
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["display_name"] = _("WIP Schedule as of %s", self.as_of)
        return action

    def action_print(self):
        self.ensure_one()
        return self.env.ref("construction_job_costing.action_report_wip").report_action(
            self.company_id, data={"as_of": self.as_of.isoformat()}
        )
