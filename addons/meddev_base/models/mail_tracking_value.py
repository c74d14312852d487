from odoo import _, api, models

from ..tools.context import create_values


class MailTrackingValue(models.Model):
    """The tracked values of a kept audit trail (see
    ``meddev.audit.trail.mixin``) are neither created, changed, moved nor
    deleted, even by a Settings administrator (Odoo 11 gives them every
    right on tracking values): they are what the record was, when and by
    whom. Odoo's own tracking creates them as the superuser
    (mail.message's create)."""

    _inherit = 'mail.tracking.value'

    @api.model
    def create(self, values):
        # The caller's default_mail_message_id context key counts: Odoo
        # fills the value with it.
        asked = create_values(self, values, ('mail_message_id',))
        self._meddev_check_messages(
            self.env['mail.message'].browse(asked.get('mail_message_id')))
        return super(MailTrackingValue, self).create(values)

    @api.multi
    def write(self, vals):
        messages = self.sudo().mapped('mail_message_id')
        if vals.get('mail_message_id'):
            messages |= messages.browse(vals['mail_message_id'])
        self._meddev_check_messages(messages)
        return super(MailTrackingValue, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_messages(self.sudo().mapped('mail_message_id'))
        return super(MailTrackingValue, self).unlink()

    @api.model
    def _meddev_check_messages(self, messages):
        """Refuse the change unless the server makes it, when one of
        ``messages`` belongs to a kept trail."""
        trail = self.env['meddev.audit.trail.mixin']
        if not messages or trail._meddev_audit_bypass():
            return
        kept = trail._meddev_kept_targets(
            (message.model, message.res_id)
            for message in messages.sudo().exists())
        if kept:
            trail._meddev_refuse_trail_change(
                kept, _('its tracking, mails and system messages cannot be '
                        'edited.'))
