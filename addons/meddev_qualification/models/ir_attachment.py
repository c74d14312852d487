from odoo import api, models

LICENCE_MODEL = 'meddev.partner.licence'
# Fields that hold an attachment's file: writing them replaces the file.
CONTENT_FIELDS = {'datas', 'db_datas', 'store_fname', 'url', 'type'}


class IrAttachment(models.Model):
    """Scans attached to a licence through the chatter are read by OCR like
    those of its scans tab. The files of the scans tab are the licence's
    data: replacing or deleting one follows the licence's rules and counts
    for four eyes like a change of the licence itself."""

    _inherit = 'ir.attachment'

    @api.model
    def create(self, vals):
        attachment = super(IrAttachment, self).create(vals)
        attachment._meddev_queue_licence_ocr()
        return attachment

    @api.multi
    def write(self, vals):
        # The chatter uploads a file first, then message_post moves it onto
        # the record by writing res_model and res_id.
        moved = self.browse()
        if {'res_model', 'res_id'} & set(vals):
            moved = self.filtered(
                lambda att: (att.res_model, att.res_id) != (
                    vals.get('res_model', att.res_model),
                    vals.get('res_id', att.res_id)))
        if CONTENT_FIELDS & set(vals):
            self._meddev_scanned_licences()._record_scan_change()
        result = super(IrAttachment, self).write(vals)
        moved._meddev_queue_licence_ocr()
        return result

    @api.multi
    def unlink(self):
        self._meddev_scanned_licences()._record_scan_change()
        return super(IrAttachment, self).unlink()

    def _meddev_scanned_licences(self):
        """Return the licences of which these attachments are scans (their
        scans tab), in the current user's environment."""
        licences = self.env[LICENCE_MODEL]
        if not self.ids:
            return licences
        self.env.cr.execute(
            "SELECT DISTINCT licence_id"
            "  FROM meddev_partner_licence_attachment_rel"
            " WHERE attachment_id IN %s", (tuple(self.ids),))
        return licences.browse([row[0] for row in self.env.cr.fetchall()])

    def _meddev_queue_licence_ocr(self):
        """Queue the OCR of attachments that now belong to a licence."""
        for attachment in self:
            if attachment.res_model == LICENCE_MODEL and attachment.res_id \
                    and not attachment.res_field:
                licence = self.env[LICENCE_MODEL].browse(attachment.res_id)
                if self.env.user._is_superuser() and attachment.create_uid:
                    # message_post moves the chatter's uploads as the
                    # superuser: the job runs, and speaks, as the uploader.
                    licence = licence.sudo(attachment.create_uid.id)
                if licence.exists():
                    licence._queue_ocr(attachment)

    def _meddev_not_yet_queued(self, licence):
        """Return the attachments whose OCR was not queued when they were
        attached to ``licence`` (those uploaded straight onto it were)."""
        return self.filtered(
            lambda att: (att.res_model, att.res_id)
            != (licence._name, licence.id))
