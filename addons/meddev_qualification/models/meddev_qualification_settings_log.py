from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MeddevQualificationSettingsLog(models.Model):
    """One change of a qualification control of a company (the licence
    gate on purchases, the first-business review requirement): who, when,
    the old and the new value. Written by the server when the company is
    saved, read by quality staff, never changed or deleted (an inspector
    asks who switched a control off, and when)."""

    _name = 'meddev.qualification.settings.log'
    _inherit = ['meddev.regulated.mixin']
    _description = 'Qualification Control Change'
    _order = 'date desc, id desc'
    _rec_name = 'field_label'

    company_id = fields.Many2one(
        'res.company', string='Company', required=True, readonly=True,
        index=True, ondelete='restrict')
    user_id = fields.Many2one(
        'res.users', string='Changed By', required=True, readonly=True,
        ondelete='restrict')
    date = fields.Datetime(string='Changed On', required=True, readonly=True)
    field_name = fields.Char(string='Technical Name', required=True,
                             readonly=True)
    field_label = fields.Char(string='Control', required=True, readonly=True)
    old_value = fields.Char(string='Old Value', readonly=True)
    new_value = fields.Char(string='New Value', readonly=True)

    @api.multi
    def write(self, vals):
        """Refuse every change: the row is the evidence."""
        if self and vals:
            raise UserError(
                _('%(changes)s: a record of a qualification control change '
                  'cannot be changed.') % {
                    'changes': ', '.join(self[:5].mapped('display_name'))})
        return super(MeddevQualificationSettingsLog, self).write(vals)

    @api.model
    def _log_changes(self, changes):
        """Record ``changes``, a list of (company, field name, old value,
        new value), as made now by the current user; return the rows.
        Called by the company's write after the check of the user's
        group; users have no create right on the log."""
        labels = {}
        rows = self.browse()
        for company, name, old, new in changes:
            field = company._fields[name]
            if name not in labels:
                labels[name] = field.get_description(self.env)['string']
            rows |= self.sudo().create({
                'company_id': company.id,
                'user_id': self.env.uid,
                'date': fields.Datetime.now(),
                'field_name': name,
                'field_label': labels[name],
                'old_value': self._value_text(field, old),
                'new_value': self._value_text(field, new),
            })
        return rows

    def _value_text(self, field, value):
        if field.type == 'boolean':
            return _('On') if value else _('Off')
        return '%s' % (value,)
