import logging
import re

from odoo import api, models
from odoo.tools import decode_message_header

# Mails sent by a machine: auto-replies, out-of-office, bounces, lists.
AUTO_PRECEDENCE = ('bulk', 'junk', 'list', 'auto_reply')
MAILER_DAEMON = re.compile(r'mailer-daemon|postmaster', re.IGNORECASE)

_logger = logging.getLogger(__name__)


def _header(message, name):
    """The header as text. A header with raw non-ASCII bytes (a sender's
    Chinese name) comes as an ``email.header.Header``, not a str: it is
    decoded the way Odoo's gateway does."""
    return decode_message_header(message, name) or ''


def is_auto_submitted(message):
    """Whether the ``email.message.Message`` was sent by a machine
    (RFC 3834 Auto-Submitted, the usual auto-reply headers, a bounce)."""
    auto = (_header(message, 'Auto-Submitted') or 'no').strip().lower()
    if auto != 'no':
        return True
    if _header(message, 'X-Autoreply') or _header(message, 'X-Autorespond'):
        return True
    precedence = _header(message, 'Precedence').strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return True
    return bool(MAILER_DAEMON.search(_header(message, 'From')))


class MailThread(models.AbstractModel):
    """Mark the mails a machine sent, so that the service gateway does
    not open tickets for them; a team's alias routes to its own team."""

    _inherit = 'mail.thread'

    @api.model
    def message_route(self, message, message_dict, model=None,
                      thread_id=None, custom_values=None):
        """A mail to a service team's alias opens a ticket of that team,
        whatever the alias' editable defaults say; an automatic mail
        (auto-reply, bounce) opens none; in a company taking no tickets by
        mail, the sender is told so and no ticket opens."""
        routes = super(MailThread, self).message_route(
            message, message_dict, model=model, thread_id=thread_id,
            custom_values=custom_values)
        tickets = self.env['meddev.service.ticket']
        result = []
        for route in routes:
            route = tickets._route_with_alias_team(route)
            if message_dict.get('meddev_auto_submitted') and \
                    self._route_opens_kept_record(route):
                # An out-of-office or a bounce is nobody's service request
                # nor complaint (and an acknowledgement would answer the
                # robot); the record it opened could never be deleted.
                _logger.info('Automatic mail %s to the %s alias dropped: '
                             'no record opened.',
                             message_dict.get('message_id'), route[0])
                continue
            closed = tickets._route_channel_closed(route)
            if closed:
                tickets._bounce_closed_channel(message, message_dict, closed)
            else:
                result.append(route)
        return result

    @api.model
    def _route_opens_kept_record(self, route):
        """Whether the gateway's ``route`` creates a record of a model
        that a machine's mail must not open (``_meddev_no_automatic_mail``:
        tickets here, complaints in the quality module), rather than adding
        to an existing thread."""
        model, thread_id = route[0], route[1]
        return (not thread_id and model in self.env
                and getattr(self.env[model], '_meddev_no_automatic_mail',
                            False))

    @api.model
    def message_parse(self, message, save_original=False):
        msg_dict = super(MailThread, self).message_parse(
            message, save_original=save_original)
        msg_dict['meddev_auto_submitted'] = is_auto_submitted(message)
        return msg_dict

    @api.multi
    @api.returns('self', lambda value: value.id)
    def message_post(self, body='', subject=None,
                     message_type='notification', **kwargs):
        # The gateway posts the parsed mail: the mark is no message field.
        kwargs.pop('meddev_auto_submitted', None)
        return super(MailThread, self).message_post(
            body=body, subject=subject, message_type=message_type, **kwargs)
