import binascii
import os

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..tools.context import create_values

# mail.mail's send mark (``_send`` below): the Message-Id the mail server
# gave a sent mail is written on its message (mail.message's write lets
# ``message_id`` through with it only). A per-process random value, like
# the server mark: a client cannot guess it.
SEND_KEY = 'meddev_mail_send'
SEND_MARK = binascii.hexlify(os.urandom(16)).decode()
# What Odoo writes on a mail as the user who sends, retries or cancels it
# ("Send Now", "Retry", "Cancel", the send itself): its sending state.
STATUS_FIELDS = frozenset(('state', 'failure_reason'))
# States only the sending itself (or the gateway) gives a mail.
DELIVERED = ('sent', 'received')


class MailMail(models.Model):
    """An outgoing mail is a message (``_inherits``) and every employee or
    portal user may create and write one (Odoo 11: rights 1,1,1,0, no record
    rule). Given an existing message (``mail_message_id``), a mail reads its
    body and files past mail.message's rules, mails them to any address,
    and, sent with ``auto_delete`` and ``notification`` False, deletes the
    message as the superuser (``send`` unlinks under sudo, and the unlink
    cascades to the message). So: only the server (the superuser, the
    server's own code: mail.thread's notifications run under sudo) makes a
    mail of a message that already exists, and no mail's deletion ever
    takes a kept audit trail's message with it (see
    ``meddev.audit.trail.mixin``)."""

    _inherit = 'mail.mail'

    @api.model
    def create(self, values):
        asked = create_values(self, values, ('mail_message_id',))
        self._meddev_check_message_given(asked.get('mail_message_id'))
        return super(MailMail, self).create(values)

    @api.multi
    def write(self, vals):
        if 'mail_message_id' in vals:
            self._meddev_check_message_given(vals['mail_message_id'])
        changed = set(vals) - STATUS_FIELDS
        if self.env.context.get(SEND_KEY) == SEND_MARK:
            # The Message-Id the mail server gave (see mail.message).
            changed.discard('message_id')
        if changed:
            self._meddev_check_kept_mails()
        if 'state' in vals and \
                self.env.context.get(SEND_KEY) != SEND_MARK:
            self._meddev_check_kept_state(vals['state'])
        return super(MailMail, self).write(vals)

    @api.multi
    def unlink(self):
        # Odoo deletes the message of a mail that is no notification after
        # the mail: never a kept trail's (whoever deletes the mail, the
        # superuser's auto-delete after sending included).
        trail = self.env['meddev.audit.trail.mixin']
        mails = self.sudo().filtered(lambda mail: not mail.notification)
        kept = trail._meddev_kept_targets(
            (mail.model, mail.res_id) for mail in mails)
        if kept:
            pairs = set((model, record_id) for model, records in kept
                        for record_id in records.ids)
            mails.filtered(lambda mail: (mail.model, mail.res_id) in pairs
                           ).write({'notification': True})
        return super(MailMail, self).unlink()

    @api.multi
    def read(self, fields=None, load='_classic_read'):
        # Core read applies the record rules in its query only.
        self.check_access_rule('read')
        return super(MailMail, self).read(fields=fields, load=load)

    @api.multi
    def check_access_rule(self, operation):
        """A mail of an audit-trail model's message is read by those who
        may read the message (Odoo 11: by every employee and portal user,
        its body and files included)."""
        super(MailMail, self).check_access_rule(operation)
        trail = self.env['meddev.audit.trail.mixin']
        if operation != 'read' or not self.ids or \
                trail._meddev_audit_bypass():
            return
        messages = self.sudo().mapped('mail_message_id').filtered(
            lambda message: trail._meddev_audit_model(message.model))
        if messages:
            messages.sudo(self.env.uid).check_access_rule('read')

    @api.multi
    def _send(self, auto_commit=False, raise_exception=False,
              smtp_session=None):
        # Odoo writes the Message-Id the mail server gave on the message:
        # the only write of it a kept trail allows (mail.message's write).
        return super(MailMail, self.with_context(
            **{SEND_KEY: SEND_MARK}))._send(
                auto_commit=auto_commit, raise_exception=raise_exception,
                smtp_session=smtp_session)

    def _meddev_check_kept_mails(self):
        """Refuse, unless the server asks, to change more than the sending
        state of a kept trail's mail (a notification queued or failed for a
        follower): written to another address and put back in the queue,
        the mail queue (the superuser) mailed the message's body and files
        there."""
        trail = self.env['meddev.audit.trail.mixin']
        if not self or trail._meddev_audit_bypass():
            return
        kept = trail._meddev_kept_targets(
            (mail.model, mail.res_id) for mail in self.sudo())
        if kept:
            trail._meddev_refuse_trail_change(
                kept, _('its mails keep their recipients and content; only '
                        'their sending state changes.'))

    def _meddev_check_kept_state(self, state):
        """Refuse, unless the server asks, a change of a kept trail's
        mail's sending state that rewrites its proof: a sent mail put back
        in the queue was mailed a second time (a recall notice to a
        customer, Retry over XML-RPC) and a queued one marked sent never
        left. Retry and Cancel of a queued or failed mail stay with those
        who may change the record."""
        trail = self.env['meddev.audit.trail.mixin']
        if not self or trail._meddev_audit_bypass():
            return
        mails = self.sudo()
        kept = trail._meddev_kept_targets(
            (mail.model, mail.res_id) for mail in mails)
        if not kept:
            return
        pairs = set((model, record_id) for model, records in kept
                    for record_id in records.ids)
        kept_mails = mails.filtered(
            lambda mail: (mail.model, mail.res_id) in pairs)
        if state in DELIVERED or any(
                mail.state in DELIVERED and mail.state != state
                for mail in kept_mails):
            trail._meddev_refuse_trail_change(kept, _(
                'a mail that left stays sent and a queued one is marked '
                'sent only by its sending; send a new one instead.'))
        for model, records in kept:
            records = records.sudo(self.env.uid)
            records.check_access_rights('write')
            records.check_access_rule('write')

    @api.model
    def _meddev_check_message_given(self, message_id):
        """Refuse ``message_id`` (an existing message given to a mail)
        unless the server gives it."""
        trail = self.env['meddev.audit.trail.mixin']
        if not message_id or trail._meddev_audit_bypass():
            return
        raise AccessError(
            _('An outgoing mail is made of a new message: only the server '
              'sends an existing message by mail.'))
