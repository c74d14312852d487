from odoo import _, api, models


class MailTrackingValue(models.Model):
    """The tracked values of a kept audit trail (see
    ``meddev.audit.trail.mixin``) are neither changed nor deleted, even
    by a Settings administrator (Odoo 11 gives them every right on tracking
    values): they are what the record was, when and by whom."""

    _inherit = 'mail.tracking.value'

    @api.multi
    def write(self, vals):
        self._meddev_check_trail()
        return super(MailTrackingValue, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_trail()
        return super(MailTrackingValue, self).unlink()

    def _meddev_check_trail(self):
        trail = self.env['meddev.audit.trail.mixin']
        if not self or trail._meddev_audit_bypass():
            return
        messages = self.sudo().mapped('mail_message_id')
        kept = trail._meddev_kept_targets(
            (message.model, message.res_id) for message in messages)
        if kept:
            trail._meddev_refuse_trail_change(
                kept, _('its tracking, mails and system messages cannot be '
                        'edited.'))
