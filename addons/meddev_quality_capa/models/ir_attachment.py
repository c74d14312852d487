from odoo import _, api, models
from odoo.exceptions import UserError

# What makes an attachment the document it is: its content, its name and
# what it is attached to.
EVIDENCE_CONTENT_FIELDS = (
    'datas', 'db_datas', 'store_fname', 'url', 'type', 'name',
    'datas_fname', 'res_model', 'res_id', 'res_field', 'checksum',
    'file_size', 'mimetype')


class IrAttachment(models.Model):
    """The evidence of a done CAPA action or of a closed complaint is
    frozen: the files are neither deleted nor rewritten, whoever asks and
    whichever way (the record, the attachment itself, RPC)."""

    _inherit = 'ir.attachment'

    def _meddev_frozen_evidence(self):
        """Return the attachments among these that are evidence of a done
        CAPA action or of a closed complaint."""
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
             WHERE complaint.state = 'closed'
               AND rel.attachment_id IN %(ids)s
        """, {'ids': tuple(self.ids)})
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _meddev_check_not_evidence(self, what):
        frozen = self._meddev_frozen_evidence()
        if frozen:
            raise UserError(
                _('%(names)s: evidence of a done CAPA action or of a closed '
                  'complaint cannot be %(what)s; attach a new document '
                  'instead.') % {
                    'names': ', '.join(frozen.sudo().mapped('name')),
                    'what': what})

    @api.multi
    def write(self, vals):
        if set(vals) & set(EVIDENCE_CONTENT_FIELDS):
            self._meddev_check_not_evidence(_('changed'))
        return super(IrAttachment, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_not_evidence(_('deleted'))
        return super(IrAttachment, self).unlink()
