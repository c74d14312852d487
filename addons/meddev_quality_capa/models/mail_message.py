from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import AccessError

from odoo.addons.meddev_base.tools import create_values

# Messages posted on complaints with this subtype tell how quality handles
# the complaint (investigation, reportability, reports, CAPAs): for the
# quality groups only, even where others may read the complaint.
QUALITY_SUBTYPE = 'meddev_quality_capa.mt_complaint_quality'
GROUP_QUALITY_USER = 'meddev_quality_capa.group_meddev_quality_capa_user'
# The flag the hiding goes by (see MailMessage).
QUALITY_FLAG = 'meddev_quality_only'


class MailMessage(models.Model):
    """A service user may read the complaints opened from their tickets,
    not the quality side of them: the quality notes are hidden from
    (search, read_group) and refused to (read) anyone outside the quality
    groups, and notified to the quality groups only.

    A quality note is a message flagged ``meddev_quality_only``, stored on
    the message when it is created: by the complaint's own quality posts
    (``_post_quality_note``) and for any message created with the quality
    subtype. The hiding goes by that flag, not by the subtype's xml id: an
    Access Rights administrator may re-point or delete an
    ``ir.model.data`` row, and the notes then hid another subtype's
    messages (or none) and were readable. Only the superuser and the
    server's code set or clear the flag."""

    _inherit = 'mail.message'

    meddev_quality_only = fields.Boolean(
        string='Quality Only', readonly=True, copy=False,
        help='Posted for the quality groups only: hidden from every other '
             'user. Set by the server when the note is posted.')

    @api.model_cr_context
    def _auto_init(self):
        # The notes posted before the flag existed are the messages with
        # the quality subtype: flag them once, when the column is created
        # (a module update, never again: a later run would trust an xml id
        # that may have been re-pointed since). On a fresh install the
        # subtype does not exist yet and nothing is flagged.
        cr = self.env.cr
        if self._name == 'mail.message' and \
                not tools.column_exists(cr, self._table, QUALITY_FLAG):
            tools.create_column(cr, self._table, QUALITY_FLAG, 'boolean',
                                'Quality Only')
            module, name = QUALITY_SUBTYPE.split('.')
            cr.execute("""
                UPDATE mail_message SET meddev_quality_only = TRUE
                 WHERE subtype_id IN (
                       SELECT res_id FROM ir_model_data
                        WHERE module = %s AND name = %s
                          AND model = 'mail.message.subtype')""",
                       (module, name))
        return super(MailMessage, self)._auto_init()

    def _meddev_quality_hidden(self):
        """Whether the current user may not read the quality notes."""
        return not (self._uid == SUPERUSER_ID or self.env.user.has_group(
            GROUP_QUALITY_USER))

    @api.model
    def _meddev_quality_subtype_id(self):
        """The id of the quality subtype (False if its xml id is gone)."""
        return self.env['ir.model.data'].xmlid_to_res_id(QUALITY_SUBTYPE)

    def _meddev_may_flag(self):
        """Whether the current call may set or clear the flag: the
        superuser and the server's code (the guarded mixin's mark)."""
        return self.env.uid == SUPERUSER_ID or \
            self.env['meddev.guarded.mixin']._meddev_is_server()

    def _meddev_refuse_flag(self):
        raise AccessError(
            _('Whether a message belongs to the quality handling of a '
              'complaint is set by the server when the note is posted: it '
              'cannot be set or cleared.'))

    @api.model
    def create(self, values):
        # Messages only: mail.compose.message inherits this model.
        if self._name == 'mail.message':
            asked = create_values(self, values, ('subtype_id', QUALITY_FLAG))
            if asked.get(QUALITY_FLAG) and not self._meddev_may_flag():
                self._meddev_refuse_flag()
            if asked.get('subtype_id') and \
                    asked['subtype_id'] == self._meddev_quality_subtype_id():
                values = dict(values, **{QUALITY_FLAG: True})
        return super(MailMessage, self).create(values)

    @api.multi
    def write(self, vals):
        if self._name == 'mail.message' and self:
            if QUALITY_FLAG in vals and not self._meddev_may_flag() and any(
                    message[QUALITY_FLAG] != bool(vals[QUALITY_FLAG])
                    for message in self.sudo()):
                self._meddev_refuse_flag()
            # Given the quality subtype: a quality note from now on (a
            # note keeps its flag whatever its subtype becomes).
            if vals.get('subtype_id') and QUALITY_FLAG not in vals and \
                    vals['subtype_id'] == self._meddev_quality_subtype_id():
                vals = dict(vals, **{QUALITY_FLAG: True})
        return super(MailMessage, self).write(vals)

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if self._meddev_quality_hidden():
            # '= False' keeps the unflagged messages (NULL) too.
            args = [(QUALITY_FLAG, '=', False)] + list(args)
        return super(MailMessage, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    @api.multi
    def check_access_rule(self, operation):
        # Messages only: mail.compose.message inherits this model, and its
        # wizards' ids are not messages' ids.
        if self._name == 'mail.message' and self.ids and \
                operation == 'read' and self._meddev_quality_hidden():
            self.env.cr.execute(
                "SELECT 1 FROM mail_message WHERE id IN %s "
                "AND meddev_quality_only LIMIT 1", (tuple(self.ids),))
            if self.env.cr.fetchone():
                raise AccessError(
                    _('This message belongs to the quality handling of a '
                      'complaint: only the quality groups read it.'))
        return super(MailMessage, self).check_access_rule(operation)

    @api.model
    def _read_group_raw(self, domain, fields, groupby, offset=0, limit=None,
                        orderby=False, lazy=True):
        # Core read_group builds its own query with the record rules only:
        # neither the hiding above nor mail's own check of the documents'
        # access apply. Outside the quality groups, group only the messages
        # the user may search.
        if self._meddev_quality_hidden():
            domain = [('id', 'in', self.search(domain or []).ids)]
        return super(MailMessage, self)._read_group_raw(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)

    @api.multi
    def _notify(self, force_send=False, send_after_commit=True,
                user_signature=True):
        # The followers holding the quality subtype are notified of the
        # quality notes. mail.followers refuses it to anyone outside the
        # quality groups; a follower who since left them loses it here,
        # before core picks the recipients.
        subtype = self.env.ref(QUALITY_SUBTYPE, raise_if_not_found=False)
        message = self.sudo()
        if subtype and message.subtype_id == subtype and message.model and \
                message.res_id:
            followers = self.env['mail.followers'].sudo().search([
                ('res_model', '=', message.model),
                ('res_id', '=', message.res_id),
                ('subtype_ids', 'in', subtype.id)])
            followers._meddev_quality_outsiders().write(
                {'subtype_ids': [(3, subtype.id)]})
        return super(MailMessage, self)._notify(
            force_send=force_send, send_after_commit=send_after_commit,
            user_signature=user_signature)
