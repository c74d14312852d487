"""The sender address of the chatter messages a user's action writes.

Odoo 11 refuses to create any chatter message (a tracked state change
included) for a user without an email address ("Unable to send email,
please configure the sender's email address"). A reviewer whose user has
no address could then not approve anything. The suite gives such messages
the user's name with the company's address (or the catchall address), and
refuses with a clear message only when there is no address at all.
"""

from email.utils import formataddr

from odoo import _
from odoo.exceptions import UserError

# Context key read by mail.message (models/mail_message.py): a client that
# sends it gets no more than what with_sender gives (the company's address
# for a user without one).
SENDER_KEY = 'meddev_sender_fallback'


def sender_address(env):
    """Return the address the current user's messages are sent from: their
    own, else their name at the company's or the catchall address. Raise a
    UserError naming the user when none exists."""
    user = env.user
    if user.email:
        return formataddr((user.name, user.email))
    address = user.company_id.email
    if not address:
        parameters = env['ir.config_parameter'].sudo()
        domain = parameters.get_param('mail.catchall.domain')
        alias = parameters.get_param('mail.catchall.alias')
        address = domain and alias and '%s@%s' % (alias, domain)
    if not address:
        # _() takes the user's language from a local named context.
        context = env.context  # noqa: F841 pylint: disable=unused-variable
        raise UserError(
            _('%(user)s has no email address, nor has %(company)s: the '
              'chatter records every decision with a sender address. Set '
              "one in the user's Preferences or on the company.") % {
                'user': user.name, 'company': user.company_id.name})
    return formataddr((user.name, address))


def with_sender(records):
    """Return ``records`` in an environment whose chatter messages get a
    sender address even when the current user has none (see
    ``sender_address``); unchanged when the user has one."""
    env = records.env
    if env.user.email or env.context.get(SENDER_KEY):
        return records
    # Checked now, so that a user without any address is told at once.
    sender_address(env)
    return records.with_context(**{SENDER_KEY: True})
