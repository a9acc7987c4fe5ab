from odoo import _, api, fields, models

from ..domain import compliance

COMPLIANCE_STATES = [
    (compliance.NONE, "Not Concerned"),
    (compliance.COMPLIANT, "Compliant"),
    (compliance.EXPIRING, "Expiring Soon"),
    (compliance.NON_COMPLIANT, "Non-Compliant"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    construction_compliance_state = fields.Selection(
        COMPLIANCE_STATES,
        string="Compliance",
        compute="_compute_construction_compliance",
        help="In the current company, today: whether every required document is on file.",
    )
    construction_compliance_gaps = fields.Text(
        string="Compliance Gaps", compute="_compute_construction_compliance"
    )
    construction_compliance_document_ids = fields.One2many(
        "construction.compliance.document", "partner_id", string="Compliance Documents"
    )
    construction_compliance_document_count = fields.Integer(
        compute="_compute_construction_compliance"
    )
    construction_compliance_notified_state = fields.Selection(
        COMPLIANCE_STATES,
        company_dependent=True,
        copy=False,
        help="The status last published in vendor.compliance_changed, per company.",
    )

    @api.depends_context("company")
    def _compute_construction_compliance(self):
        company = self.env.company
        today = fields.Date.context_today(self)
        partners = self.filtered("id")
        Doc = self.env["construction.compliance.document"]
        results = Doc._construction_evaluate(
            [(p.id, company, p, today, None, None) for p in partners]
        )
        counts = dict(
            Doc._read_group(
                [
                    ("partner_id", "in", partners.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            result = results.get(partner.id)
            partner.construction_compliance_state = result.state if result else compliance.NONE
            partner.construction_compliance_gaps = (
                Doc._construction_result_text(result, company) if result else False
            )
            partner.construction_compliance_document_count = counts.get(
                partner.commercial_partner_id, 0
            )

    @api.model
    def _construction_concerned_keys(self):
        """(company id, vendor id) of the vendors any active requirement may concern:
        vendors with a confirmed order in a company with requirements."""
        companies = self.env["res.company"].union(
            *(
                company
                for [company] in self.env["construction.compliance.requirement"]
                .sudo()
                ._read_group([], ["company_id"])
            )
        )
        if not companies:
            return set()
        rows = (
            self.env["purchase.order"]
            .sudo()
            ._read_group(
                [("company_id", "in", companies.ids), ("state", "in", ("purchase", "done"))],
                ["company_id", "partner_id"],
            )
        )
        return {(company.id, partner.commercial_partner_id.id) for company, partner in rows}

    @api.model
    def _construction_refresh_compliance_keys(self, keys):
        """Evaluate the vendors ``(company id, partner id)`` today and publish
        ``vendor.compliance_changed`` for those whose status moved in or out of
        non-compliant."""
        keys = {key for key in keys if key[0] and key[1]}
        if not keys:
            return
        companies = self.env["res.company"].sudo().browse({c for c, _p in keys})
        partners = self.sudo().browse({p for _c, p in keys})
        today = fields.Date.context_today(self)
        Doc = self.env["construction.compliance.document"]
        requests = [
            ((company_id, partner_id), companies.browse(company_id), partners.browse(partner_id))
            for company_id, partner_id in sorted(keys)
        ]
        results = Doc._construction_evaluate(
            [(key, company, partner, today, None, None) for key, company, partner in requests]
        )
        for company in companies:
            changed = {}
            in_company = [(key, p) for key, c, p in requests if c == company]
            known = {
                p.id: p.construction_compliance_notified_state
                for p in self.sudo().with_company(company).browse([p.id for _k, p in in_company])
            }
            moves = {}
            for key, partner in in_company:
                result = results[key]
                if known.get(partner.id) == result.state:
                    continue
                moves.setdefault(result.state, self.browse())
                moves[result.state] |= partner
                event = compliance.change_event(known.get(partner.id), result.state)
                if event:
                    changed[partner] = (event, result)
            for state, moved in moves.items():
                moved.sudo().with_company(company).write(
                    {"construction_compliance_notified_state": state}
                )
            if changed:
                records = self.browse([p.id for p in changed])
                data = {
                    partner.id: {
                        "vendor": partner.name,
                        "vat": partner.vat or None,
                        "company": company.name,
                        "status": result.state,
                        "compliant": event == compliance.COMPLIANT,
                        "gaps": [
                            {
                                "requirement": gap.code,
                                "problem": gap.problem,
                                "blocks": gap.blocks,
                                "message": Doc._construction_gap_text(gap, company),
                            }
                            for gap in result.gaps
                        ],
                    }
                    for partner, (event, result) in changed.items()
                }
                self.env["construction.sync.outbound"].sudo().with_company(company).emit(
                    "vendor.compliance_changed", records, data
                )
                for partner, (_event, result) in changed.items():
                    partner.sudo().message_post(
                        body=_(
                            "%(company)s: vendor compliance now %(state)s.",
                            company=company.name,
                            state=dict(COMPLIANCE_STATES)[result.state],
                        ),
                    )

    def action_construction_compliance_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "construction_ap_match.construction_compliance_document_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
