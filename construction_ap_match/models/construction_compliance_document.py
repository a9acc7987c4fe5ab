from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount, format_date

from ..domain import compliance

STATES = [
    ("pending", "Pending Review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
]
PAID_STATES = ("in_process", "paid")


class ConstructionComplianceDocument(models.Model):
    """A certificate, licence, tax form or lien waiver received from a vendor."""

    _name = "construction.compliance.document"
    _description = "Vendor Compliance Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "expiry_date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    requirement_id = fields.Many2one(
        "construction.compliance.requirement",
        string="Requirement",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    requirement_kind = fields.Selection(related="requirement_id.kind")
    job_id = fields.Many2one(
        "project.project",
        string="Job",
        check_company=True,
        domain="[('is_job', '=', True)]",
        help="A job-specific certificate counts only for this job; every lien waiver names one.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    coverage_amount = fields.Monetary(tracking=True)
    effective_date = fields.Date(tracking=True)
    expiry_date = fields.Date(tracking=True, index=True)
    move_id = fields.Many2one(
        "account.move",
        string="Bill",
        check_company=True,
        domain="[('move_type', '=', 'in_invoice'), ('commercial_partner_id', '=', partner_id)]",
        help="Lien waiver: the bill it covers.",
    )
    payment_id = fields.Many2one(
        "account.payment",
        string="Payment",
        check_company=True,
        help="Lien waiver: the payment it covers.",
    )
    waiver_amount = fields.Monetary(string="Waiver Amount")
    through_date = fields.Date(
        string="Amount Through", help="Lien waiver: work and payments covered up to this date."
    )
    file = fields.Binary(attachment=True, copy=False)
    file_name = fields.Char(copy=False)
    document_url = fields.Char(string="Document URL")
    state = fields.Selection(
        STATES, default="pending", required=True, index=True, tracking=True, copy=False
    )
    reviewed_by = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    reminder_date = fields.Date(
        string="Reminder Sent On", readonly=True, copy=False, help="Set by the daily reminder."
    )
    note = fields.Text()
    external_id = fields.Char(copy=False, index="btree_not_null")
    source_ref = fields.Char(string="Source", copy=False, readonly=True)

    _sql_constraints = [
        (
            "external_id_company_uniq",
            "unique(company_id, external_id)",
            "A compliance document's external id is unique per company.",
        )
    ]

    @api.depends("requirement_id", "partner_id", "expiry_date", "payment_id")
    def _compute_display_name(self):
        for doc in self:
            parts = [doc.requirement_id.name or "", doc.partner_id.name or ""]
            if doc.payment_id:
                parts.append(doc.payment_id.name or "")
            elif doc.expiry_date:
                parts.append(format_date(self.env, doc.expiry_date))
            doc.display_name = " - ".join(p for p in parts if p)

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------

    @api.constrains("effective_date", "expiry_date")
    def _check_dates(self):
        for doc in self:
            if doc.effective_date and doc.expiry_date and doc.expiry_date < doc.effective_date:
                raise ValidationError(
                    _(
                        "Expiry Date %(expiry)s of %(doc)s is before its Effective Date "
                        "%(effective)s: correct the Expiry Date.",
                        expiry=format_date(self.env, doc.expiry_date),
                        effective=format_date(self.env, doc.effective_date),
                        doc=doc.display_name,
                    )
                )

    @api.constrains("payment_id", "move_id", "partner_id")
    def _check_waiver_vendor(self):
        for doc in self:
            vendor = doc.partner_id.commercial_partner_id
            payment_vendor = doc.payment_id.partner_id.commercial_partner_id
            if doc.payment_id and payment_vendor != vendor:
                raise ValidationError(
                    _(
                        "Payment %(payment)s was made to %(other)s, not to %(vendor)s: the "
                        "lien waiver's Payment must be a payment to its vendor.",
                        payment=doc.payment_id.name,
                        other=payment_vendor.name,
                        vendor=vendor.name,
                    )
                )
            if doc.move_id and doc.move_id.commercial_partner_id != vendor:
                raise ValidationError(
                    _(
                        "Bill %(bill)s is a bill of %(other)s, not of %(vendor)s: the lien "
                        "waiver's Bill must be a bill of its vendor.",
                        bill=doc.move_id.name,
                        other=doc.move_id.commercial_partner_id.name,
                        vendor=vendor.name,
                    )
                )

    @api.constrains("file", "company_id")
    def _check_file_size(self):
        for doc in self.filtered("file"):
            limit = doc.company_id.construction_compliance_max_file_mb
            size = compliance.base64_size(doc.file)
            if compliance.over_limit(size, limit):
                raise ValidationError(
                    _(
                        "File %(file)s is %(size).1f MB, over the limit of %(limit)s MB of "
                        "%(company)s: send a smaller File.",
                        file=doc.file_name or doc.display_name,
                        size=size / 1024 / 1024,
                        limit=limit,
                        company=doc.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Create / write: the vendor's status follows
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        docs = super().create(vals_list)
        docs._construction_refresh_vendors()
        return docs

    def write(self, vals):
        if vals.get("partner_id"):
            vals["partner_id"] = (
                self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
            )
        if "expiry_date" in vals and "reminder_date" not in vals:
            vals = {**vals, "reminder_date": False}
        before = self._construction_vendor_keys()
        result = super().write(vals)
        if {"state", "expiry_date", "effective_date", "coverage_amount", "job_id"} & set(vals):
            self._construction_refresh_vendors(before)
        return result

    def unlink(self):
        keys = self._construction_vendor_keys()
        result = super().unlink()
        self.env["res.partner"]._construction_refresh_compliance_keys(keys)
        return result

    def _construction_vendor_keys(self):
        return {(doc.company_id.id, doc.partner_id.id) for doc in self}

    def _construction_refresh_vendors(self, extra=()):
        self.env["res.partner"]._construction_refresh_compliance_keys(
            self._construction_vendor_keys() | set(extra)
        )

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------

    def _check_can_review(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("construction_base.group_accounts_payable")
            or user.has_group("account.group_account_manager")
        ):
            raise UserError(
                _("Only accounts payable or a controller may review compliance documents.")
            )

    def _review(self, state):
        self._check_can_review()
        self.write(
            {
                "state": state,
                "reviewed_by": self.env.user.id,
                "reviewed_date": fields.Datetime.now(),
            }
        )

    def action_accept(self):
        for doc in self:
            if doc.state not in ("pending", "rejected"):
                raise UserError(_("%s is not waiting for review.", doc.display_name))
        self._review("accepted")
        return True

    def action_reject(self):
        for doc in self:
            if doc.state not in ("pending", "accepted"):
                raise UserError(_("%s is not waiting for review.", doc.display_name))
        self._review("rejected")
        return True

    def action_reset_pending(self):
        self._check_can_review()
        self.write({"state": "pending", "reviewed_by": False, "reviewed_date": False})
        return True

    # ------------------------------------------------------------------
    # Evaluation, for every screen and the payment check
    # ------------------------------------------------------------------

    @api.model
    def _construction_data(self, doc):
        return compliance.Document(
            id=doc.id,
            requirement_id=doc.requirement_id.id,
            state=doc.state,
            name=doc.display_name,
            job_id=doc.job_id.id or None,
            effective_date=doc.effective_date or None,
            expiry_date=doc.expiry_date or None,
            coverage=Decimal(str(doc.coverage_amount or 0)),
            payment_id=doc.payment_id.id or None,
            move_id=doc.move_id.id or None,
            through_date=doc.through_date or None,
        )

    @api.model
    def _construction_evaluate(self, requests):
        """{key: compliance.Result} of requests ``(key, company, vendor, date, job ids, bill id)``.

        Job ids ``None``: the vendor's own status (documents without job, lien
        waivers of every job the vendor was paid on).

        One search per kind for the whole batch: requirements, documents,
        subcontracts and previous payments.
        """
        if not requests:
            return {}
        companies = self.env["res.company"].union(*(r[1] for r in requests))
        vendors = self.env["res.partner"].union(*(r[2].commercial_partner_id for r in requests))
        requirements = (
            self.env["construction.compliance.requirement"]
            .sudo()
            .search([("company_id", "in", companies.ids)])
        )
        if not requirements:
            return {r[0]: compliance.Result(compliance.NONE) for r in requests}
        Requirement = self.env["construction.compliance.requirement"]
        by_company = defaultdict(list)
        for requirement in requirements:
            by_company[requirement.company_id.id].append(
                Requirement._construction_data(requirement)
            )
        documents = defaultdict(list)
        for doc in self.sudo().search(
            [("company_id", "in", companies.ids), ("partner_id", "in", vendors.ids)]
        ):
            documents[(doc.company_id.id, doc.partner_id.id)].append(self._construction_data(doc))
        subcontractors = {
            (company.id, partner.commercial_partner_id.id)
            for company, partner in self.env["purchase.order"]
            .sudo()
            ._read_group(
                [
                    ("order_kind", "=", "subcontract"),
                    ("state", "in", ("purchase", "done")),
                    ("company_id", "in", companies.ids),
                    ("partner_id", "child_of", vendors.ids),
                ],
                ["company_id", "partner_id"],
            )
        }
        payments = self.env["account.payment"]
        if requirements.filtered(lambda r: r.kind == compliance.KIND_PAYMENT):
            payments = (
                self.env["account.payment"]
                .sudo()
                .search(
                    [
                        ("company_id", "in", companies.ids),
                        ("partner_id", "child_of", vendors.ids),
                        ("construction_job_ids", "!=", False),
                        ("state", "in", PAID_STATES),
                    ],
                    order="date desc, id desc",
                )
            )
        days = {c.id: c.construction_compliance_expiring_days for c in companies}
        results = {}
        for key, company, vendor, on_date, job_ids, bill_id in requests:
            vendor = vendor.commercial_partner_id
            paid = [
                pay
                for pay in payments
                if pay.company_id == company
                and pay.partner_id.commercial_partner_id == vendor
                and pay.date <= on_date
            ]
            # None: the vendor's own status, lien waivers of every job it was paid on.
            waiver_jobs = None
            if job_ids is None:
                job_ids = (None,)
                waiver_jobs = sorted({job for pay in paid for job in pay.construction_job_ids.ids})
            previous = {}
            for job_id in set(waiver_jobs or job_ids) - {None}:
                last = next((pay for pay in paid if job_id in pay.construction_job_ids.ids), None)
                if last:
                    previous[job_id] = compliance.PreviousPayment(last.id, last.name, last.date)
            results[key] = compliance.evaluate(
                compliance.Vendor(
                    id=vendor.id,
                    category_ids=frozenset(vendor.category_id.ids),
                    is_subcontractor=(company.id, vendor.id) in subcontractors,
                ),
                by_company[company.id],
                documents[(company.id, vendor.id)],
                on_date,
                jobs=job_ids,
                previous_payments=previous,
                bill_id=bill_id,
                expiring_days=days[company.id],
                waiver_jobs=waiver_jobs,
            )
        return results

    @api.model
    def _construction_gap_text(self, gap, company):
        """One gap as a person reads it."""
        requirement = gap.name
        if gap.problem == compliance.EXPIRED:
            text = _(
                "%(requirement)s expired on %(date)s",
                requirement=requirement,
                date=format_date(self.env, gap.expiry_date),
            )
        elif gap.problem == compliance.NOT_EFFECTIVE:
            text = _(
                "%(requirement)s not effective before %(date)s",
                requirement=requirement,
                date=format_date(self.env, gap.effective_date),
            )
        elif gap.problem == compliance.PENDING:
            text = _("%(requirement)s waiting for review", requirement=requirement)
        elif gap.problem == compliance.REJECTED:
            text = _("%(requirement)s rejected: a new document is needed", requirement=requirement)
        elif gap.problem == compliance.INSUFFICIENT:
            text = _(
                "%(requirement)s coverage %(coverage)s below the required %(required)s",
                requirement=requirement,
                coverage=format_amount(self.env, float(gap.coverage), company.currency_id),
                required=format_amount(self.env, float(gap.required), company.currency_id),
            )
        elif gap.problem == compliance.WAIVER_MISSING and gap.payment_name:
            text = _(
                "%(requirement)s for payment %(payment)s missing",
                requirement=requirement,
                payment=gap.payment_name,
            )
        elif gap.problem == compliance.WAIVER_MISSING:
            text = _("%(requirement)s for this bill missing", requirement=requirement)
        else:
            text = _("%(requirement)s missing", requirement=requirement)
        if gap.job_id:
            job = self.env["project.project"].sudo().browse(gap.job_id)
            text = _("%(gap)s (job %(job)s)", gap=text, job=job.job_code or job.name)
        if not gap.blocks:
            text = _("%(gap)s [warning]", gap=text)
        return text

    @api.model
    def _construction_result_text(self, result, company):
        lines = [self._construction_gap_text(gap, company) for gap in result.gaps]
        lines += [
            _(
                "%(requirement)s expires on %(date)s",
                requirement=item.name,
                date=format_date(self.env, item.expiry_date),
            )
            for item in result.expiring
        ]
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Daily cron: expire, remind, refresh the vendors' status
    # ------------------------------------------------------------------

    @api.model
    def _cron_compliance_daily(self):
        today = fields.Date.context_today(self)
        Doc = self.sudo()
        expired = Doc.search(
            [
                ("state", "=", "accepted"),
                ("expiry_date", "<", today),
                ("requirement_id.kind", "=", compliance.KIND_VENDOR),
            ]
        )
        if expired:
            expired.write({"state": "expired"})
            for doc in expired:
                doc.message_post(body=_("Expired on %s.", format_date(self.env, doc.expiry_date)))
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("construction_compliance_expiring_days", ">", 0)])
        )
        horizon = today + timedelta(
            days=max(companies.mapped("construction_compliance_expiring_days") or [0])
        )
        expiring = Doc.search(
            [
                ("state", "=", "accepted"),
                ("expiry_date", ">=", today),
                ("expiry_date", "<=", horizon),
                ("reminder_date", "=", False),
                ("requirement_id.kind", "=", compliance.KIND_VENDOR),
            ]
        ).filtered(
            lambda d: d.expiry_date
            <= today + timedelta(days=d.company_id.construction_compliance_expiring_days)
        )
        expiring._construction_remind(today)
        # Every vendor concerned in a company with requirements.
        keys = {
            (company.id, partner.id)
            for company, partner in Doc._read_group([], ["company_id", "partner_id"])
        }
        self.env["res.partner"]._construction_refresh_compliance_keys(
            keys | self.env["res.partner"]._construction_concerned_keys()
        )
        return True

    def _construction_contacts(self):
        """{doc id: user}: the vendor's buyer, else the buyer of its latest order in the
        company, else the company's compliance contact, else accounts payable."""
        orders = (
            self.env["purchase.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("state", "in", ("purchase", "done")),
                    ("user_id", "!=", False),
                ],
                order="date_order desc, id desc",
            )
        )
        ap_users = self.env.ref("construction_base.group_accounts_payable").users
        contacts = {}
        for doc in self:
            order = next(
                (
                    o
                    for o in orders
                    if o.company_id == doc.company_id
                    and o.partner_id.commercial_partner_id == doc.partner_id
                    and (not doc.job_id or o.job_id == doc.job_id)
                ),
                None,
            )
            contacts[doc.id] = (
                doc.partner_id.buyer_id
                or (order.user_id if order else False)
                or doc.company_id.construction_compliance_user_id
                or ap_users.filtered(lambda u, d=doc: d.company_id in u.company_ids).sorted("id")[
                    :1
                ]
            )
        return contacts

    def _construction_remind(self, today):
        if not self:
            return
        contacts = self._construction_contacts()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": doc.id,
                "activity_type_id": activity_type.id,
                "user_id": contacts[doc.id].id,
                "date_deadline": doc.expiry_date,
                "summary": _(
                    "%(requirement)s of %(vendor)s expires on %(date)s: ask for the renewal",
                    requirement=doc.requirement_id.name,
                    vendor=doc.partner_id.name,
                    date=format_date(self.env, doc.expiry_date),
                )[:250],
            }
            for doc in self
            if contacts[doc.id]
        ]
        self.env["mail.activity"].sudo().create(vals_list)
        self.write({"reminder_date": today})

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------

    def action_open_vendor(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------

    @api.model
    def _construction_load_demo(self):
        """Three subcontractors: compliant, insurance expiring next week, blocked for a
        missing lien waiver (on the demo subcontracts of construction_procurement)."""
        ref = self.env.ref
        main = ref("base.main_company")
        mechanical = ref("construction_base.demo_company_mechanical", raise_if_not_found=False)
        steel = ref("construction_base.demo_subcontractor_steel", raise_if_not_found=False)
        drywall = ref("construction_base.demo_subcontractor_drywall", raise_if_not_found=False)
        electrical = ref(
            "construction_base.demo_subcontractor_electrical", raise_if_not_found=False
        )
        if not (mechanical and steel and drywall and electrical):
            return self.browse()
        Requirement = self.env["construction.compliance.requirement"].with_context(
            active_test=False
        )
        Requirement._construction_load_standard(mechanical)
        wanted = Requirement.search(
            [
                "|",
                "&",
                ("company_id", "=", main.id),
                ("code", "in", ("GL", "WC", "ULW")),
                "&",
                ("company_id", "=", mechanical.id),
                ("code", "in", ("GL", "WC")),
            ]
        )
        wanted.write({"active": True})
        req = {(r.company_id.id, r.code): r for r in wanted}
        today = fields.Date.context_today(self)
        reviewer = ref("construction_base.demo_user_ap")

        def certificate(company, vendor, code, expiry, coverage=2_000_000):
            return {
                "company_id": company.id,
                "partner_id": vendor.id,
                "requirement_id": req[(company.id, code)].id,
                "effective_date": today - timedelta(days=120),
                "expiry_date": expiry,
                "coverage_amount": coverage,
                "state": "accepted",
                "reviewed_by": reviewer.id,
                "reviewed_date": fields.Datetime.now(),
            }

        year = today + timedelta(days=245)
        docs = self.create(
            [
                certificate(mechanical, electrical, "GL", year),
                certificate(mechanical, electrical, "WC", year, 1_000_000),
                certificate(main, drywall, "GL", today + timedelta(days=7)),
                certificate(main, drywall, "WC", year, 1_000_000),
                certificate(main, steel, "GL", year),
                certificate(main, steel, "WC", year, 1_000_000),
            ]
        )
        docs.filtered(
            lambda d: d.partner_id == drywall and d.expiry_date < today + timedelta(days=30)
        )._construction_remind(today)
        # Northline Steel: its overridden bill posted and paid on Riverside, no waiver since.
        bill = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", steel.id),
                ("company_id", "=", main.id),
                ("state", "=", "draft"),
                ("construction_match_state", "in", ("matched", "warning")),
            ],
            limit=1,
        )
        if bill:
            bill.action_post()
            action = bill.action_register_payment()
            wizard = (
                self.env["account.payment.register"]
                .with_context(**action["context"])
                .create({"payment_date": today - timedelta(days=10)})
            )
            wizard._create_payments()
        return docs
