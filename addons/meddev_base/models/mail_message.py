from datetime import timedelta

from odoo import _, api, fields, models

from ..tools.context import create_values
from ..tools.sender import SENDER_KEY, sender_address
from .mail_mail import SEND_KEY, SEND_MARK
from .meddev_audit_trail_mixin import POST_KEY, POST_MARK

# What Odoo itself writes on a message for a reader (stars, read marks):
# never content of the record's trail.
READER_FIELDS = frozenset(('starred_partner_ids', 'needaction_partner_ids'))
# What mail.mail's send writes on the message: the Message-Id the mail
# server gave it (with the send mark only, see mail_mail.py).
SEND_FIELDS = frozenset(('message_id',))
# What a create of a message on a kept trail must not choose: its author
# (checked against the caller's partner), tracking, Message-Id, date.
CREATE_FIELDS = ('model', 'res_id', 'author_id', 'tracking_value_ids',
                 'message_id', 'date')
# How far a new kept message's date may be from the server's clock: the
# date a mail.mail's create takes as a default some instants before.
DATE_SLACK = timedelta(minutes=1)
# What says where a message stands in the trail, by whom and when: never
# changed on a kept trail, not even on a comment.
# Nor its Message-Id (the gateway routes replies by it), its files or its
# subtype (who may read it).
TRAIL_FIELDS = frozenset((
    'model', 'res_id', 'author_id', 'email_from', 'date', 'message_type',
    'tracking_value_ids', 'message_id', 'attachment_ids', 'subtype_id'))


class MailMessage(models.Model):
    """The sender of a message written by a user without an email address,
    when the caller asked for it (``meddev_base.tools.with_sender``).

    The chatter of a record that keeps its audit trail
    (``meddev.audit.trail.mixin``, every regulated record): its messages
    are not deleted, its tracking, mails and system messages not edited,
    no message moved, re-dated or given another author, none created
    directly with another author or tracking values (message_post checks
    its own author; a mail.mail created by the user, a recall notice,
    keeps the user as author). Odoo 11 lets the author, a recipient or anyone who may
    write the document do all of that; the superuser and the server's own
    code still may. A comment's text stays editable under Odoo's rules
    (and the rules of its model's addon)."""

    _inherit = 'mail.message'

    @api.model
    def _get_default_from(self):
        if self.env.context.get(SENDER_KEY) and not self.env.user.email:
            return sender_address(self.env)
        return super(MailMessage, self)._get_default_from()

    @api.model
    def create(self, values):
        if self._name == 'mail.message' and \
                self.env.context.get(POST_KEY) != POST_MARK:
            self._meddev_check_create(values)
        return super(MailMessage, self).create(values)

    @api.model
    def _meddev_check_create(self, values):
        """Refuse a message created directly (not by message_post, which
        checks its own arguments) on a kept trail with another author,
        tracking values, a Message-Id or a date not the server's clock. The
        caller's ``default_*`` context keys and saved defaults count: Odoo
        fills the message with them."""
        trail = self.env['meddev.audit.trail.mixin']
        if trail._meddev_audit_bypass():
            return
        asked = create_values(self, values, CREATE_FIELDS)
        if not trail._meddev_audit_model(asked.get('model')):
            return
        own = self.env.user.partner_id.id
        if not (asked.get('tracking_value_ids') or asked.get('message_id')
                or asked.get('author_id', own) != own
                or self._meddev_date_forged(asked.get('date'))):
            return
        model = asked['model']
        trail._meddev_refuse_trail_change(
            [(model, self.env[model].sudo().browse(
                asked.get('res_id')).exists())],
            _('a message is posted on it under your own name, now, '
              'without tracking values or Message-Id.'))

    @api.model
    def _meddev_date_forged(self, date):
        """Whether ``date`` (a message's date as given, or None) is another
        time than now."""
        if not date:
            return False
        now = fields.Datetime.from_string(fields.Datetime.now())
        return abs(fields.Datetime.from_string(date) - now) > DATE_SLACK

    @api.multi
    def write(self, vals):
        changed = set(vals) - READER_FIELDS
        if self.env.context.get(SEND_KEY) == SEND_MARK:
            changed -= SEND_FIELDS
        if changed:
            self._meddev_check_trail(vals)
        if 'model' in vals or 'res_id' in vals:
            self._meddev_check_target(vals)
        return super(MailMessage, self).write(vals)

    def _meddev_check_target(self, vals):
        """Refuse moving these messages into a kept trail (``vals`` gives
        their new ``model`` or ``res_id``): a message written elsewhere,
        by anyone and dated anyhow, would join the record's trail."""
        trail = self.env['meddev.audit.trail.mixin']
        if self._name != 'mail.message' or not self or \
                trail._meddev_audit_bypass():
            return
        kept = trail._meddev_kept_targets(
            (vals.get('model', message.model),
             vals.get('res_id', message.res_id))
            for message in self.sudo())
        if kept:
            trail._meddev_refuse_trail_change(
                kept, _('a message cannot be moved, re-dated or given '
                        'another author.'))

    @api.multi
    def unlink(self):
        self._meddev_check_trail()
        return super(MailMessage, self).unlink()

    def _meddev_trail_kept(self):
        """Return the kept records (see ``meddev.audit.trail.mixin.
        _meddev_kept_targets``) these messages belong to, or [] when the
        current call may change them anyway."""
        trail = self.env['meddev.audit.trail.mixin']
        # mail.compose.message inherits this class: a composer is no
        # message of the record.
        if self._name != 'mail.message' or not self or \
                trail._meddev_audit_bypass():
            return []
        # Read as the server: which record a message belongs to.
        return trail._meddev_kept_targets(
            (message.model, message.res_id) for message in self.sudo())

    def _meddev_check_trail(self, vals=None):
        """Refuse to delete (``vals`` None) the messages of a kept trail,
        or to write ``vals`` on them where it changes the trail."""
        kept = self._meddev_trail_kept()
        if not kept:
            return
        trail = self.env['meddev.audit.trail.mixin']
        if vals is None:
            trail._meddev_refuse_trail_change(
                kept, _('its messages cannot be deleted.'))
        pairs = set((model, record_id) for model, records in kept
                    for record_id in records.ids)
        messages = self.sudo().filtered(
            lambda message: (message.model, message.res_id) in pairs)
        if messages.filtered(lambda message: message.tracking_value_ids
                             or message.message_type != 'comment'):
            trail._meddev_refuse_trail_change(
                kept, _('its tracking, mails and system messages cannot be '
                        'edited.'))
        if set(vals) & TRAIL_FIELDS:
            trail._meddev_refuse_trail_change(
                kept, _('a message cannot be moved, re-dated or given '
                        'another author.'))
