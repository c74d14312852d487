from odoo import _, api, models
from odoo.exceptions import UserError


class MeddevRegulatedMixin(models.AbstractModel):
    """A record the regulations ask to keep: it is cancelled, never deleted.

    Complaints, CAPAs, recalls, approved licences and electronic signatures
    are evidence for an inspector; inheriting this mixin refuses their
    deletion on every path (web client, XML-RPC, code), superuser included.
    Put the model's state changes under ``track_visibility`` so that the
    chatter keeps the history the record cannot lose.

    A model whose records become regulated only at some point (a draft no
    reviewer has seen is a data-entry mistake) overrides
    ``_meddev_kept_records()``; ``_meddev_keep_hint()`` says what to do
    instead of deleting when "cancel it" is not the model's word.
    """

    _name = 'meddev.regulated.mixin'
    # Its chatter and files are kept with it (the audit trail's guards).
    _inherit = ['meddev.audit.trail.mixin']
    _description = 'Regulated Record (never deleted)'

    @api.multi
    def _meddev_kept_records(self):
        """Return those of these records that must be kept (all of them by
        default); the others may be deleted."""
        return self

    @api.model
    def _meddev_keep_hint(self):
        """Return the sentence that tells the user what to do instead of
        deleting (translated), or None for "Cancel it instead."."""
        return None

    @api.multi
    def unlink(self):
        """Refuse to delete the records ``_meddev_kept_records()`` keeps,
        naming them; delete the others through the rest of the chain."""
        kept = self._meddev_kept_records() if self else self
        if kept:
            model = self.env['ir.model']._get(self._name)
            names = ', '.join(kept[:5].mapped('display_name'))
            if len(kept) > 5:
                names += ', ...'
            values = {'records': names, 'model': model.name}
            hint = self._meddev_keep_hint()
            if hint is None:
                raise UserError(
                    _('%(records)s cannot be deleted: a %(model)s is a '
                      'regulated record that must be kept. Cancel it '
                      'instead.') % values)
            values['hint'] = hint
            raise UserError(
                _('%(records)s cannot be deleted: a %(model)s is a regulated '
                  'record that must be kept. %(hint)s') % values)
        return super(MeddevRegulatedMixin, self).unlink()
