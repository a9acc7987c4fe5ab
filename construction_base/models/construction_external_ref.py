from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ConstructionExternalRef(models.Model):
    """Which Odoo record an external system means by its own id.

    ``(source, model, external id)`` is unique: the connector resolves the
    references of a whole batch with one search (``_resolve``) and records
    new ones with one create (``_bind``).
    """

    _name = "construction.external.ref"
    _description = "Construction External Reference"
    _order = "source, res_model, external_id"
    _rec_name = "external_id"

    source = fields.Char(string="Source System", required=True, index=True)
    res_model = fields.Char(string="Model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, index=True
    )
    external_id = fields.Char(string="External ID", required=True)
    company_id = fields.Many2one("res.company", index=True)
    record_name = fields.Char(compute="_compute_record_name")

    _sql_constraints = [
        (
            "external_uniq",
            "unique (source, res_model, external_id)",
            "This external id is already bound to a record for this source.",
        ),
        (
            "record_uniq",
            "unique (source, res_model, res_id)",
            "This record already has an external id for this source.",
        ),
    ]

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for ref in self:
            record = ref._record()
            ref.record_name = record.display_name if record else _("(deleted)")

    def _record(self):
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        record = self.env[self.res_model].browse(self.res_id).exists()
        return record or None

    @api.constrains("res_model")
    def _check_res_model(self):
        for ref in self:
            if ref.res_model not in self.env:
                raise ValidationError(
                    _(
                        "External id %(ext)s names model %(model)s, which does not exist.",
                        ext=ref.external_id,
                        model=ref.res_model,
                    )
                )

    @api.model
    def _resolve(self, source, model, external_ids):
        """Map each known external id of ``source`` to its record of ``model``.

        One search for the whole batch; ids bound to deleted records are left
        out, so the caller treats them as unknown.
        """
        external_ids = [ext for ext in set(external_ids) if ext]
        if not external_ids:
            return {}
        refs = self.sudo().search(
            [
                ("source", "=", source),
                ("res_model", "=", model),
                ("external_id", "in", external_ids),
            ]
        )
        records = self.env[model].browse(refs.mapped("res_id")).exists()
        alive = set(records.ids)
        return {
            ref.external_id: self.env[model].browse(ref.res_id)
            for ref in refs
            if ref.res_id in alive
        }

    @api.model
    def _bind(self, source, records_by_external_id):
        """Record that ``source`` calls each record by the given external id.

        ``records_by_external_id``: {external id: record}. Existing bindings
        of those ids are repointed, missing ones created in one call.
        """
        if not records_by_external_id:
            return self.browse()
        model = next(iter(records_by_external_id.values()))._name
        existing = self.sudo().search(
            [
                ("source", "=", source),
                ("res_model", "=", model),
                ("external_id", "in", list(records_by_external_id)),
            ]
        )
        by_ext = {ref.external_id: ref for ref in existing}
        vals_list = []
        for external_id, record in records_by_external_id.items():
            ref = by_ext.get(external_id)
            company = record.company_id.id if "company_id" in record._fields else False
            if ref:
                if ref.res_id != record.id:
                    ref.write({"res_id": record.id, "company_id": company})
            else:
                vals_list.append(
                    {
                        "source": source,
                        "res_model": model,
                        "res_id": record.id,
                        "external_id": external_id,
                        "company_id": company,
                    }
                )
        return existing | self.sudo().create(vals_list)
