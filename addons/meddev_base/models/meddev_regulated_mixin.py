from odoo import _, api, models
from odoo.exceptions import UserError


class MeddevRegulatedMixin(models.AbstractModel):
    """A record the regulations ask to keep: it is cancelled, never deleted.

    Complaints, CAPAs, recalls, approved licences and electronic signatures
    are evidence for an inspector; inheriting this mixin refuses their
    deletion on every path (web client, XML-RPC, code), superuser included.
    Put the model's state changes under ``track_visibility`` so that the
    chatter keeps the history the record cannot lose.
    """

    _name = 'meddev.regulated.mixin'
    _description = 'Regulated Record (never deleted)'

    @api.multi
    def unlink(self):
        """Refuse to delete regulated records, naming them."""
        if self:
            model = self.env['ir.model']._get(self._name)
            names = ', '.join(self[:5].mapped('display_name'))
            if len(self) > 5:
                names += ', ...'
            raise UserError(
                _('%(records)s cannot be deleted: a %(model)s is a regulated '
                  'record that must be kept. Cancel it instead.') % {
                    'records': names, 'model': model.name})
        return super(MeddevRegulatedMixin, self).unlink()
