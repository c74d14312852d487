from odoo import _, api, models

from ..tools.sender import SENDER_KEY, sender_address
from .meddev_audit_trail_mixin import POST_KEY, POST_MARK

# What Odoo itself writes on a message for a reader (stars, read marks) or
# when it sends it (the Message-Id the mail server gave the notification,
# written by the sender's mail.mail): never content of the record's trail.
READER_FIELDS = frozenset(('starred_partner_ids', 'needaction_partner_ids',
                           'message_id'))
# What says where a message stands in the trail, by whom and when: never
# changed on a kept trail, not even on a comment.
TRAIL_FIELDS = frozenset((
    'model', 'res_id', 'author_id', 'email_from', 'date', 'message_type',
    'tracking_value_ids'))


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
                self.env.context.get(POST_KEY) != POST_MARK and (
                    values.get('tracking_value_ids')
                    or values.get('author_id', self.env.user.partner_id.id)
                    != self.env.user.partner_id.id):
            trail = self.env['meddev.audit.trail.mixin']
            if not trail._meddev_audit_bypass() and \
                    trail._meddev_audit_model(values.get('model')):
                trail._meddev_refuse_trail_change(
                    [(values['model'], self.env[values['model']].sudo()
                      .browse(values.get('res_id')).exists())],
                    _('a message is posted on it under your own name, '
                      'without tracking values.'))
        return super(MailMessage, self).create(values)

    @api.multi
    def write(self, vals):
        if set(vals) - READER_FIELDS:
            self._meddev_check_trail(vals)
        return super(MailMessage, self).write(vals)

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
