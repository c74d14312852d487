from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

# Messages posted on complaints with this subtype tell how quality handles
# the complaint (investigation, reportability, reports, CAPAs): for the
# quality groups only, even where others may read the complaint.
QUALITY_SUBTYPE = 'meddev_quality_capa.mt_complaint_quality'
GROUP_QUALITY_USER = 'meddev_quality_capa.group_meddev_quality_capa_user'


class MailMessage(models.Model):
    """A service user may read the complaints opened from their tickets,
    not the quality side of them: the messages with the quality subtype
    are hidden from (search, read_group) and refused to (read) anyone
    outside the quality groups, and notified to the quality groups
    only."""

    _inherit = 'mail.message'

    def _meddev_quality_hidden_subtype(self):
        """Return the id of the quality-only subtype when the current user
        may not read its messages, else False."""
        if self._uid == SUPERUSER_ID or self.env.user.has_group(
                GROUP_QUALITY_USER):
            return False
        return self.env['ir.model.data'].xmlid_to_res_id(QUALITY_SUBTYPE)

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        subtype_id = self._meddev_quality_hidden_subtype()
        if subtype_id:
            # '!=' keeps the messages without subtype (NULL) too.
            args = [('subtype_id', '!=', subtype_id)] + list(args)
        return super(MailMessage, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    @api.multi
    def check_access_rule(self, operation):
        # Messages only: mail.compose.message inherits this model, and its
        # wizards' ids are not messages' ids.
        subtype_id = self._name == 'mail.message' and self.ids and \
            operation == 'read' and self._meddev_quality_hidden_subtype()
        if subtype_id:
            self.env.cr.execute(
                "SELECT 1 FROM mail_message WHERE id IN %s "
                "AND subtype_id = %s LIMIT 1", (tuple(self.ids), subtype_id))
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
        if self._meddev_quality_hidden_subtype():
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
