from odoo import models
from odoo.exceptions import ValidationError


class ConstructionUniqueCodeMixin(models.AbstractModel):
    """Refuse a duplicate business code with a message that names it.

    The SQL unique constraint of the inheriting model keeps the guarantee
    under concurrent transactions; this check runs before the INSERT/UPDATE
    so that a person (or an import) gets "Job code J-1001 is already used in
    ... by ..." instead of a generic database error. Configured by class
    attributes, as OCA's base_tier_validation does.
    """

    _name = "construction.unique.code.mixin"
    _description = "Construction Unique Code Mixin"

    _unique_code_field = "code"
    _unique_scope_field = "company_id"

    def _unique_code_message(self, code, scope, clash):
        """Text of the error; ``scope`` is the record the code is unique in."""
        raise NotImplementedError()

    def _unique_code_keys(self, vals_list):
        code_field, scope_field = self._unique_code_field, self._unique_scope_field
        defaults = {}
        if any(vals.get(code_field) and not vals.get(scope_field) for vals in vals_list):
            defaults = self.default_get([scope_field])
        return [
            (vals[code_field], vals.get(scope_field) or defaults.get(scope_field) or False)
            for vals in vals_list
            if vals.get(code_field)
        ]

    def _check_unique_code_keys(self, keys, exclude_ids=()):
        if not keys:
            return
        code_field, scope_field = self._unique_code_field, self._unique_scope_field
        scope_model = self._fields[scope_field].comodel_name
        seen = {}
        for code, scope_id in keys:
            if (code, scope_id) in seen:
                raise ValidationError(
                    self._unique_code_message(code, self.env[scope_model].browse(scope_id), None)
                )
            seen[(code, scope_id)] = True
        others = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    (code_field, "in", list({code for code, _scope in keys})),
                    (scope_field, "in", list({scope for _code, scope in keys if scope})),
                    ("id", "not in", list(exclude_ids)),
                ]
            )
        )
        taken = {(other[code_field], other[scope_field].id): other for other in others}
        for key in keys:
            clash = taken.get(key)
            if clash:
                raise ValidationError(self._unique_code_message(key[0], clash[scope_field], clash))

    def _check_unique_code_create(self, vals_list):
        self._check_unique_code_keys(self._unique_code_keys(vals_list))

    def _check_unique_code_write(self, vals):
        code_field, scope_field = self._unique_code_field, self._unique_scope_field
        if code_field not in vals and scope_field not in vals:
            return
        keys = []
        for record in self:
            code = vals[code_field] if code_field in vals else record[code_field]
            scope = vals[scope_field] if scope_field in vals else record[scope_field].id
            if code:
                keys.append((code, scope or False))
        self._check_unique_code_keys(keys, exclude_ids=self.ids)
