from odoo import _, api, models
from odoo.exceptions import AccessError

from odoo.addons.meddev_base.models.mail_message import READER_FIELDS

TICKET_MODEL = 'meddev.service.ticket'
DISPATCHER = 'meddev_service.group_meddev_service_dispatcher'


class MailMessage(models.Model):
    """The chatter of a closed ticket is part of the service record (ISO
    13485): its messages are not edited by engineers (Odoo 11 lets the
    author, a recipient or anyone who may write the ticket do so); only
    dispatchers and managers correct a note. meddev_base keeps the rest
    of every opened ticket's trail (audit trail mixin): no message
    deleted, no tracking of stage, hours and triage edited, by anybody."""

    _inherit = 'mail.message'

    @api.multi
    def write(self, vals):
        if set(vals) - READER_FIELDS:
            self._check_closed_ticket_messages()
        return super(MailMessage, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_closed_ticket_messages()
        return super(MailMessage, self).unlink()

    def _check_closed_ticket_messages(self):
        """Refuse a change of messages of closed tickets to all but a
        dispatcher (and the superuser or the module's own writes, which
        meddev_base lets through)."""
        # mail.compose.message inherits this class: a composer is no
        # message of the record.
        if self._name != 'mail.message' or \
                self.env['meddev.audit.trail.mixin']._meddev_audit_bypass():
            return
        # Read as the server: which ticket a message belongs to.
        messages = self.sudo().filtered(
            lambda message: message.model == TICKET_MODEL and message.res_id)
        if not messages:
            return
        closed = self.env[TICKET_MODEL].sudo().browse(
            set(messages.mapped('res_id'))).exists().filtered('is_closed')
        if not closed or self.env.user.has_group(DISPATCHER):
            return
        raise AccessError(
            _('The messages of the closed ticket %(tickets)s are part of its '
              'service record: only a dispatcher edits them.') % {
                'tickets': ', '.join(closed.mapped('name'))})
