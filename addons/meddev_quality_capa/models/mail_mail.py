from odoo import _, api, models
from odoo.exceptions import AccessError

from .mail_message import QUALITY_FLAG


class MailMail(models.Model):
    """Outgoing mails carry their message's body in a column of their own
    and every employee may read them (Odoo 11: no record rule): a quality
    note queued or failed for a follower would be readable outside the
    quality groups. The mails of quality notes are hidden as the notes are
    (see mail.message)."""

    _inherit = 'mail.mail'

    def _meddev_quality_hidden(self):
        return self.env['mail.message']._meddev_quality_hidden()

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if self._meddev_quality_hidden():
            # '= False' keeps the mails of unflagged messages (NULL) too.
            args = [(QUALITY_FLAG, '=', False)] + list(args)
        return super(MailMail, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    # read(): meddev_base's mail.mail checks the record rules (this
    # check_access_rule included) before Odoo's read.

    @api.multi
    def check_access_rule(self, operation):
        if self.ids and self._meddev_quality_hidden():
            self.env.cr.execute("""
                SELECT 1 FROM mail_mail mail
                  JOIN mail_message message
                    ON message.id = mail.mail_message_id
                 WHERE mail.id IN %s AND message.meddev_quality_only
                 LIMIT 1""", (tuple(self.ids),))
            if self.env.cr.fetchone():
                raise AccessError(
                    _('This mail belongs to the quality handling of a '
                      'complaint: only the quality groups read it.'))
        return super(MailMail, self).check_access_rule(operation)

    @api.model
    def _read_group_raw(self, domain, fields, groupby, offset=0, limit=None,
                        orderby=False, lazy=True):
        # read_group ignores _search: group only what the user may search.
        if self._meddev_quality_hidden():
            domain = [('id', 'in', self.search(domain or []).ids)]
        return super(MailMail, self)._read_group_raw(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)
