from odoo import api, models

from ..tools.sender import SENDER_KEY, sender_address


class MailMessage(models.Model):
    """The sender of a message written by a user without an email address,
    when the caller asked for it (``meddev_base.tools.with_sender``)."""

    _inherit = 'mail.message'

    @api.model
    def _get_default_from(self):
        if self.env.context.get(SENDER_KEY) and not self.env.user.email:
            return sender_address(self.env)
        return super(MailMessage, self)._get_default_from()
