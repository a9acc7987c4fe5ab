import json

from odoo import _, api, fields, models

from ..domain.offline import Stored


class ConstructionFieldRecord(models.AbstractModel):
    """A record that field apps create and change while offline.

    It carries the app's ``external_id`` (unique per source), the device that
    sent its last change and that change's ``occurred_at``; the offline rules
    (``domain/offline.py``) compare incoming messages with them. Before a
    newer change overwrites it, the version it replaces is kept
    (``_field_keep_versions``): in the chatter where the model has one, and
    always as a ``construction.field.revision``.
    """

    _name = "construction.field.record"
    _description = "Field Record"

    field_external_id = fields.Char(
        string="Field App ID", index="btree_not_null", copy=False, readonly=True
    )
    field_source_id = fields.Many2one(
        "construction.sync.source", string="Field Source", copy=False, readonly=True
    )
    field_device = fields.Char(string="Device", copy=False, readonly=True)
    field_occurred_at = fields.Datetime(
        string="Changed in the Field At",
        copy=False,
        readonly=True,
        help="When the last change applied from the field app was made on the device.",
    )
    field_revision_count = fields.Integer(compute="_compute_field_revision_count")
    field_amendment_count = fields.Integer(compute="_compute_field_revision_count")

    # What a revision keeps of the overwritten version (override per model).
    _field_versioned_fields = ()

    def _compute_field_revision_count(self):
        ids = [record.id for record in self if isinstance(record.id, int)]
        revisions, amendments = {}, {}
        if ids:
            revisions = dict(
                self.env["construction.field.revision"]._read_group(
                    [("res_model", "=", self._name), ("res_id", "in", ids)],
                    ["res_id"],
                    ["__count"],
                )
            )
            amendments = dict(
                self.env["construction.field.amendment"]._read_group(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", ids),
                        ("state", "=", "pending"),
                    ],
                    ["res_id"],
                    ["__count"],
                )
            )
        for record in self:
            record.field_revision_count = revisions.get(record.id, 0)
            record.field_amendment_count = amendments.get(record.id, 0)

    # ------------------------------------------------------------------
    # Offline rules
    # ------------------------------------------------------------------

    def _field_is_approved(self):
        """Whether a change from the field must go through an amendment."""
        self.ensure_one()
        return "state" in self._fields and self.state == "approved"

    def _field_is_withdrawn(self):
        self.ensure_one()
        return "state" in self._fields and self.state == "cancelled"

    def _field_stored(self):
        """The record as the offline rules see it."""
        self.ensure_one()
        return Stored(
            occurred_at=self.field_occurred_at,
            approved=self._field_is_approved(),
            withdrawn=self._field_is_withdrawn(),
        )

    @api.model
    def _field_find(self, keys):
        """{(source id, external id): record} for the given pairs, one search."""
        pairs = {(source, ext) for source, ext in keys if ext}
        if not pairs:
            return {}
        records = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("field_external_id", "in", list({ext for _s, ext in pairs})),
                    ("field_source_id", "in", list({source for source, _e in pairs})),
                ]
            )
        )
        return {
            (record.field_source_id.id, record.field_external_id): record
            for record in records
            if (record.field_source_id.id, record.field_external_id) in pairs
        }

    def _field_snapshot(self):
        """The versioned fields of this record, readable (names, not ids)."""
        self.ensure_one()
        values = {}
        for name in self._field_versioned_fields:
            field = self._fields[name]
            value = self[name]
            if field.type in ("many2one",):
                value = value.display_name or False
            elif field.type in ("one2many", "many2many"):
                value = value.mapped("display_name")
            elif field.type in ("date", "datetime"):
                value = value and fields.Datetime.to_string(value)
            elif field.type == "monetary" or field.type == "float":
                value = float(value or 0)
            values[name] = value
        return values

    def _field_keep_versions(self, source, device, occurred_at):
        """Keep the current version of these records before a newer change
        from ``source``/``device`` (made at ``occurred_at``) overwrites it."""
        if not self:
            return self.env["construction.field.revision"]
        vals_list, bodies = [], {}
        for record in self:
            snapshot = record._field_snapshot()
            vals_list.append(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "external_id": record.field_external_id,
                    "source_id": record.field_source_id.id,
                    "device": record.field_device,
                    "occurred_at": record.field_occurred_at,
                    "replaced_by_source_id": source.id if source else False,
                    "replaced_by_device": device,
                    "replaced_by_occurred_at": occurred_at,
                    "values": snapshot,
                }
            )
            bodies[record.id] = _(
                "Overwritten by a later change from %(system)s%(device)s made at %(when)s. "
                "The version it replaced (from %(old_device)s, made at %(old_when)s): %(values)s",
                system=source.code if source else "?",
                device=f" / {device}" if device else "",
                when=fields.Datetime.to_string(occurred_at) if occurred_at else "?",
                old_device=record.field_device or record.field_source_id.code or "?",
                old_when=fields.Datetime.to_string(record.field_occurred_at)
                if record.field_occurred_at
                else "?",
                values=json.dumps(snapshot, ensure_ascii=False, default=str),
            )
        if hasattr(self, "_message_log_batch"):
            self.sudo()._message_log_batch(bodies=bodies)
        return self.env["construction.field.revision"].sudo().create(vals_list)

    # ------------------------------------------------------------------
    # Amendments
    # ------------------------------------------------------------------

    def _field_amendment_approver(self):
        """Who accepts changes to this approved record (override per model)."""
        self.ensure_one()
        if "approved_by" in self._fields:
            return self.approved_by
        return self.env["res.users"]

    def _field_apply_amendment(self, amendment):
        """Apply an accepted amendment (``values`` are ORM write values; a
        withdrawal calls ``_field_withdraw``). Override for special cases."""
        self.ensure_one()
        if amendment.kind == "withdraw":
            return self._field_withdraw(amendment.occurred_at)
        values = dict(amendment.values or {})
        values["field_occurred_at"] = amendment.occurred_at
        values["field_device"] = amendment.device or self.field_device
        return self.with_context(construction_field_amendment=True).write(values)

    def _field_withdraw(self, occurred_at):
        """Withdraw the record (override: state cancelled by default)."""
        return self.with_context(construction_field_amendment=True).write(
            {"state": "cancelled", "field_occurred_at": occurred_at}
        )

    def action_open_field_revisions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Field history"),
            "res_model": "construction.field.revision",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    def action_open_field_amendments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Amendments"),
            "res_model": "construction.field.amendment",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }
