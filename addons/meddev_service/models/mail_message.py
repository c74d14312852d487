from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

TICKET_MODEL = 'meddev.service.ticket'
DISPATCHER = 'meddev_service.group_meddev_service_dispatcher'
# What Odoo itself writes on a message for a reader (stars, read marks):
# never content of the service record.
READER_FIELDS = frozenset(('starred_partner_ids', 'needaction_partner_ids'))


class MailMessage(models.Model):
    """The chatter of a closed ticket is part of the service record (ISO
    13485): its messages are not edited or deleted by engineers (Odoo 11
    lets the author, a recipient or anyone who may write the ticket do
    both); dispatchers and managers may edit or delete a message, never
    a tracking message (the record of stage, hours and triage)."""

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
        """Refuse a change of messages of closed tickets, except by the
        superuser, the module's own writes, or a dispatcher for messages
        without tracking values."""
        # mail.compose.message inherits this class: a composer is no
        # message of the record.
        if self._name != 'mail.message' or self.env.uid == SUPERUSER_ID:
            return
        tickets = self.env[TICKET_MODEL]
        if tickets._meddev_is_server():
            return
        # Read as the server: which ticket a message belongs to.
        messages = self.sudo().filtered(
            lambda message: message.model == TICKET_MODEL and message.res_id)
        if not messages:
            return
        closed = tickets.sudo().browse(
            set(messages.mapped('res_id'))).exists().filtered('is_closed')
        if not closed:
            return
        messages = messages.filtered(lambda message: message.res_id in closed.ids)
        tracked = messages.filtered('tracking_value_ids')
        if not tracked and self.env.user.has_group(DISPATCHER):
            return
        raise AccessError(
            _('The messages of the closed ticket %(tickets)s are part of its '
              'service record: only a dispatcher edits or deletes them, and '
              'nobody changes the tracking of its stages, hours and '
              'triage.') % {'tickets': ', '.join(closed.mapped('name'))})
