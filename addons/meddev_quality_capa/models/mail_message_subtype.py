from odoo import _, api, models
from odoo.exceptions import AccessError

from .mail_message import QUALITY_SUBTYPE

# What makes the quality subtype the quality side's: the model it applies
# to, who sees it (internal, hidden from the follow menu, not subscribed by
# default) and its place in the subtype tree. Its name, description and
# order stay editable.
QUALITY_SUBTYPE_FIELDS = ('res_model', 'internal', 'hidden', 'default',
                          'parent_id', 'relation_field')


class MailMessageSubtype(models.Model):
    """The quality-only subtype is kept as it is: mail gives every
    employee full rights on subtypes, and deleting it would empty the
    subtype of every quality note (``ondelete='set null'``) and drop its
    xml id, which mail.message's hiding goes by: service users would read
    the investigations and reportability notes of the complaints opened
    from their tickets. Only the superuser (data files, uninstall)
    deletes it or changes what makes it quality-only."""

    _inherit = 'mail.message.subtype'

    def _meddev_quality_subtype(self):
        """Return the quality-only subtype among these records (empty
        unless the caller is not the superuser)."""
        if self.env.user._is_superuser():
            return self.browse()
        subtype_id = self.env['ir.model.data'].xmlid_to_res_id(
            QUALITY_SUBTYPE)
        return self.filtered(lambda subtype: subtype.id == subtype_id)

    @api.multi
    def write(self, vals):
        asked = [name for name in QUALITY_SUBTYPE_FIELDS if name in vals]
        quality = asked and self._meddev_quality_subtype()
        if quality:
            changed = [
                name for name in asked
                if self._fields[name].convert_to_write(
                    quality[name], quality) != vals[name]
                and (quality[name] or vals[name])]
            if changed:
                raise AccessError(
                    _('The subtype %(name)s keeps the quality handling of '
                      'complaints with the quality groups: its %(fields)s '
                      'cannot change.') % {
                        'name': quality.name,
                        'fields': ', '.join(
                            self._fields[name]._description_string(self.env)
                            for name in changed)})
        return super(MailMessageSubtype, self).write(vals)

    @api.multi
    def unlink(self):
        quality = self._meddev_quality_subtype()
        if quality:
            raise AccessError(
                _('The subtype %(name)s keeps the quality handling of '
                  'complaints with the quality groups: it cannot be '
                  'deleted.') % {'name': quality.name})
        return super(MailMessageSubtype, self).unlink()
