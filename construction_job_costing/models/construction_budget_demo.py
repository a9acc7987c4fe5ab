from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ConstructionBudget(models.Model):
    _inherit = "construction.budget"

    @api.model
    def _construction_load_demo(self):
        """Posted cost of the demo jobs, for the job cost report to show actuals.

        Andy (accounts payable) posts the matched concrete bill GR-5521 of
        construction_ap_match; the rest of the cost is what a payroll and an
        equipment-log import write: analytic lines on the job's account with
        phase and cost code.
        """
        ref = self.env.ref
        riverside = ref("construction_base.demo_job_riverside", raise_if_not_found=False)
        harbor = ref("construction_base.demo_job_harbor", raise_if_not_found=False)
        if not riverside or not harbor:
            return self.env["account.analytic.line"]
        bill = self.env["account.move"].search(
            [
                ("move_type", "=", "in_invoice"),
                ("ref", "=", "GR-5521"),
                ("state", "=", "draft"),
                ("company_id", "=", riverside.company_id.id),
            ],
            limit=1,
        )
        if bill and bill.construction_match_state == "matched":
            bill.with_user(ref("construction_base.demo_user_ap")).action_post()

        today = fields.Date.context_today(self)

        def cost(job, days_ago, phase, code, name, amount, quantity=0.0):
            return {
                "name": name,
                "account_id": job.account_id.id,
                "company_id": job.company_id.id,
                "date": today - relativedelta(days=days_ago),
                "phase_id": phase and ref(phase).id,
                "cost_code_id": ref(code).id,
                "unit_amount": quantity,
                "amount": -amount,
            }

        base = "construction_base."
        return self.env["account.analytic.line"].create(
            [
                cost(
                    riverside,
                    70,
                    base + "demo_phase_riverside_p1",
                    base + "demo_cc_31_230",
                    "Mass excavation: excavator, loaders and haul trucks (equipment log)",
                    162_400,
                    quantity=412,
                ),
                cost(
                    riverside,
                    20,
                    base + "demo_phase_riverside_p1",
                    base + "demo_cc_01_500",
                    "Site trailer, fencing and sanitation to date",
                    28_750,
                ),
                cost(
                    riverside,
                    8,
                    base + "demo_phase_riverside_p2",
                    base + "demo_cc_03_310",
                    "Placing crew, footings F-1 to F-9 (payroll)",
                    18_240,
                    quantity=304,
                ),
                cost(
                    riverside,
                    3,
                    False,
                    base + "demo_cc_01_310",
                    "Project manager and superintendent to date (payroll)",
                    58_240,
                    quantity=728,
                ),
                cost(
                    harbor,
                    6,
                    base + "demo_phase_harbor_p1",
                    base + "demo_cc_mech_23_800",
                    "Pipefitters and sheet metal crew, building A rough-in (payroll)",
                    42_300,
                    quantity=705,
                ),
            ]
        )
