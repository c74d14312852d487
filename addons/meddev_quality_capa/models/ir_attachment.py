from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError

from .record_label import readable_label

# What makes an attachment the document it is: its content, its name and
# what it is attached to.
EVIDENCE_CONTENT_FIELDS = (
    'datas', 'db_datas', 'store_fname', 'url', 'type', 'name',
    'datas_fname', 'res_model', 'res_id', 'res_field', 'checksum',
    'file_size', 'mimetype')
# Records whose attachments are frozen evidence, by the states that
# freeze them: a cancelled complaint keeps its file as it was, like a
# closed one (regulated records are cancelled, never deleted).
CLOSED_TARGET_STATES = {
    'meddev.complaint': ('closed', 'cancel'),
    'meddev.capa.action': ('done',),
}
# The quality documents an existing file may be moved onto only by whoever
# uploaded it (or a quality manager): once there it can be linked as
# evidence and frozen.
QUALITY_DOCUMENTS = (
    'meddev.complaint', 'meddev.capa', 'meddev.capa.action',
    'meddev.complaint.investigation', 'meddev.change.record',
    'meddev.regulatory.report', 'meddev.reportability.decision',
)
QUALITY_MANAGER_GROUP = 'meddev_quality_capa.group_meddev_quality_capa_manager'
# Supplier corrective action requests: their portal readers see only what
# was sent to them.
SUPPLIER_REQUEST = 'meddev.capa.action'


class IrAttachment(models.Model):
    """The evidence of a done CAPA action or of a closed complaint is
    frozen: the files are neither deleted nor rewritten, whoever asks and
    whichever way (the record, the attachment itself, RPC)."""

    _inherit = 'ir.attachment'

    def _meddev_frozen_evidence(self):
        """Return the attachments among these that are evidence of a done
        CAPA action or of a closed or cancelled complaint: linked as
        evidence, or attached to the complaint (mailed to the quality
        alias, added in its chatter)."""
        if not self.ids:
            return self.browse()
        # One query over both evidence tables, whoever the user is: the
        # refusal must not depend on what they may read.
        self.env.cr.execute("""
            SELECT rel.attachment_id
              FROM meddev_capa_action_attachment_rel rel
              JOIN meddev_capa_action action ON action.id = rel.action_id
             WHERE action.state = 'done' AND rel.attachment_id IN %(ids)s
            UNION
            SELECT rel.attachment_id
              FROM meddev_complaint_evidence_rel rel
              JOIN meddev_complaint complaint
                ON complaint.id = rel.complaint_id
             WHERE complaint.state IN ('closed', 'cancel')
               AND rel.attachment_id IN %(ids)s
            UNION
            SELECT attachment.id
              FROM ir_attachment attachment
              JOIN meddev_complaint complaint
                ON complaint.id = attachment.res_id
             WHERE attachment.res_model = 'meddev.complaint'
               AND complaint.state IN ('closed', 'cancel')
               AND attachment.id IN %(ids)s
        """, {'ids': tuple(self.ids)})
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _meddev_check_not_evidence(self, what):
        frozen = self._meddev_frozen_evidence()
        if frozen:
            raise UserError(
                _('%(names)s: evidence of a done CAPA action or of a closed '
                  'complaint (or a cancelled one) cannot be %(what)s; attach '
                  'a new document instead.') % {
                    'names': ', '.join(frozen.sudo().mapped('name')),
                    'what': what})

    @api.model
    def _meddev_check_evidence_link(self, records, field_name, commands):
        """Refuse to link as evidence of ``records`` (by the x2many
        ``commands`` on ``field_name``) an attachment that is
        not theirs: only one attached to them, or one the current user
        just uploaded (unattached, or uploaded from their form). Evidence
        is frozen once the record is done or closed: another document
        (another company's file, a product image, a web asset) must not
        become undeletable by being named evidence."""
        if records._meddev_is_server():
            return
        if commands and not isinstance(commands[0], (list, tuple)):
            commands = [(6, 0, commands)]
        ids = set()
        for command in commands or ():
            if command[0] == 4:
                ids.add(command[1])
            elif command[0] == 6:
                ids |= set(command[2] or ())
        # Already linked ones stay as they are.
        for record in records:
            ids -= set(record.sudo()[field_name].ids)
        attachments = self.sudo().browse(list(ids)).exists()
        uid = self.env.uid
        foreign = attachments.filtered(lambda attachment: (
            attachment.res_field or not (
                (attachment.res_model == records._name
                 and attachment.res_id in records.ids)
                or (attachment.res_model in (False, records._name)
                    and not attachment.res_id
                    and attachment.create_uid.id == uid))))
        if foreign:
            raise UserError(
                _('%(records)s: %(names)s cannot be linked as evidence: it '
                  'belongs to another document; upload the file on this '
                  'one.') % {
                    'records': ', '.join(records.mapped('display_name'))
                    or records._description,
                    'names': ', '.join(foreign.mapped('name'))})

    @api.model
    def _meddev_rehome_evidence(self, record, attachments):
        """Attach the evidence uploaded without a record to ``record`` (its
        access then follows the record's): the current user's own uploads
        only, unless the server links them. The move runs as the superuser,
        so it must not take another user's pending upload along (the link
        check refuses those, this is the last line)."""
        uid = self.env.uid
        server = record._meddev_is_server()
        loose = attachments.sudo().filtered(
            lambda attachment: not attachment.res_id
            and not attachment.res_field
            and (server or attachment.create_uid.id == uid))
        if len(record) == 1 and loose:
            loose.write({'res_model': record._name, 'res_id': record.id})

    @api.model
    def _meddev_is_closed_target(self, res_model, res_id):
        """Whether (``res_model``, ``res_id``) is a closed complaint or a
        done CAPA action: what is attached to them is evidence."""
        states = CLOSED_TARGET_STATES.get(res_model)
        if not states or not res_id:
            return False
        record = self.env[res_model].sudo().browse(res_id).exists()
        return bool(record) and record.state in states

    def _meddev_check_rehome(self, vals):
        """Refuse to attach an existing attachment to a quality document
        unless it is the user's own upload (or the user is a quality
        manager): attached there, it may be linked as evidence and frozen
        (a web asset, another user's pending upload). Onto a closed
        complaint or a done CAPA action it would be frozen at once: only
        the server does that, or the chatter for the user's own upload (a
        late reply). Odoo's own re-homing as superuser (the chatter's
        uploads, the quality documents' evidence) passes."""
        if not {'res_model', 'res_id'} & set(vals) or \
                self.env['meddev.guarded.mixin']._meddev_is_server():
            return
        uid = self.env.uid
        manager = None
        for attachment in self.sudo():
            res_model = vals.get('res_model', attachment.res_model)
            res_id = vals.get('res_id', attachment.res_id)
            if (res_model, res_id) == (attachment.res_model,
                                       attachment.res_id):
                continue
            # The chatter's uploads: moved by the user, or by Odoo's
            # message_post as superuser (it takes only the poster's own).
            if attachment.res_model == 'mail.compose.message' and (
                    attachment.create_uid.id == uid
                    or uid == SUPERUSER_ID):
                continue
            if self._meddev_is_closed_target(res_model, res_id):
                raise UserError(
                    _('%(name)s cannot be attached to %(record)s: it is '
                      'closed and its attachments are evidence; upload a '
                      'new file on it instead.') % {
                        'name': attachment.name,
                        'record': readable_label(
                            self.env, res_model, res_id)})
            if res_model not in QUALITY_DOCUMENTS or not res_id or \
                    uid == SUPERUSER_ID or attachment.create_uid.id == uid:
                continue
            if manager is None:
                manager = self.env.user.has_group(QUALITY_MANAGER_GROUP)
            if not manager:
                raise UserError(
                    _('%(name)s cannot be attached to %(record)s: only the '
                      'user who uploaded it or a quality manager may move '
                      'it onto a quality document; upload the file on it '
                      'instead.') % {
                        'name': attachment.name,
                        'record': readable_label(
                            self.env, res_model, res_id)})

    def _meddev_supplier_readable_ids(self):
        """Return the ids of the files on supplier corrective action
        requests that the current portal user may read: those sent to
        their company (attached to a message, not an internal note, whose
        recipients include it or its contacts), those they posted and
        those they uploaded. The action's other files are the quality
        team's internal evidence."""
        user = self.env.user
        partners = self.env['res.partner'].sudo().search(
            [('id', 'child_of', user.commercial_partner_id.ids)])
        self.env.cr.execute("""
            SELECT rel.attachment_id
              FROM message_attachment_rel rel
              JOIN mail_message message ON message.id = rel.message_id
              JOIN mail_message_subtype subtype
                ON subtype.id = message.subtype_id
             WHERE message.model = %(model)s
               AND NOT COALESCE(subtype.internal, FALSE)
               AND (message.author_id IN %(partners)s OR EXISTS (
                    SELECT 1 FROM mail_message_res_partner_rel recipient
                     WHERE recipient.mail_message_id = message.id
                       AND recipient.res_partner_id IN %(partners)s))
            UNION
            SELECT id FROM ir_attachment
             WHERE res_model = %(model)s AND create_uid = %(uid)s""", {
            'model': SUPPLIER_REQUEST,
            'partners': tuple(partners.ids) or (0,), 'uid': self._uid})
        return [row[0] for row in self.env.cr.fetchall()]

    def _meddev_is_portal_reader(self):
        """Whether the current user reads from outside the company
        (portal), where a supplier request's internal files are hidden."""
        return self._uid != SUPERUSER_ID and \
            not self.env.user.has_group('base.group_user')

    @api.model
    def check(self, mode, values=None):
        """A supplier's portal user reads only the files of its
        corrective action requests that were sent to it or that it
        posted, never the action's internal evidence."""
        result = super(IrAttachment, self).check(mode, values=values)
        if self and mode == 'read' and self._meddev_is_portal_reader():
            self.env.cr.execute(
                "SELECT id FROM ir_attachment WHERE id IN %s AND "
                "res_model = %s", (tuple(self.ids), SUPPLIER_REQUEST))
            on_requests = set(row[0] for row in self.env.cr.fetchall())
            if on_requests - set(self._meddev_supplier_readable_ids()):
                raise AccessError(
                    _('This file is internal evidence of a corrective '
                      'action request: only the documents sent to your '
                      'company are shown to you.'))
        return result

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if self._meddev_is_portal_reader() and not access_rights_uid:
            args = ['|', ('res_model', '!=', SUPPLIER_REQUEST),
                    ('id', 'in', self._meddev_supplier_readable_ids())] + \
                list(args)
        return super(IrAttachment, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    @api.multi
    def write(self, vals):
        self._meddev_check_rehome(vals)
        if set(vals) & set(EVIDENCE_CONTENT_FIELDS):
            self._meddev_check_not_evidence(_('changed'))
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_not_evidence(_('deleted'))
        return super(IrAttachment, self).unlink()
