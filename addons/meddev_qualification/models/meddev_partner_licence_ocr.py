import base64

from odoo import _, api, models

from odoo.addons.queue_job.exception import FailedJobError
from odoo.addons.queue_job.job import job

from .. import licence_ocr, licence_text

# Only licences still being recorded or reviewed take OCR proposals: an
# approved licence is read-only, its proposals could not be accepted.
OCR_STATES = ('draft', 'submitted')


class MeddevPartnerLicence(models.Model):
    """OCR of licence scans: every scan attached to a licence being recorded
    (scans tab or chatter) is read in a background job that proposes field
    values; a scan that cannot be read says why, in the uploader's
    language."""

    _inherit = 'meddev.partner.licence'

    def _queue_ocr(self, attachments):
        """Queue one background OCR job per new scan: the upload never
        waits for tesseract."""
        self.ensure_one()
        if not attachments or self.state not in OCR_STATES:
            return
        for attachment in attachments:
            self.with_delay(
                description=_('OCR of %(file)s for licence %(number)s') % {
                    'file': attachment.name, 'number': self.number},
            )._ocr_attachment(attachment.id, commit_failure=True)
        # sudo: the OCR fields are the job's; the uploader only started it.
        self.sudo().write({'ocr_state': 'queued', 'ocr_message': False})

    @job(default_channel='root')
    def _ocr_attachment(self, attachment_id, commit_failure=False):
        """Read a scan and store the proposals found on it. A file that
        cannot be read keeps its attachment, marks the licence's OCR
        failed with the reason, and fails the job."""
        self.ensure_one()
        # The job runs without the uploader's context: speak their language.
        return self.with_context(lang=self.env.user.lang)._ocr_read(
            attachment_id, commit_failure)

    def _ocr_read(self, attachment_id, commit_failure):
        attachment = self.env['ir.attachment'].sudo().browse(attachment_id)
        try:
            if not attachment.exists():
                raise licence_ocr.OcrError(
                    'empty', 'the scan has been deleted', key='deleted')
            data = base64.b64decode(attachment.datas or b'')
            text = licence_ocr.read_text(data)
        except licence_ocr.OcrError as error:
            message = _('The scan %(file)s could not be read: %(reason)s.') % {
                'file': attachment.exists() and attachment.name
                or attachment_id,
                'reason': self._ocr_error_text(error)}
            self.sudo().write({'ocr_state': 'failed',
                               'ocr_message': message})
            self.message_post(body=message)
            if commit_failure:
                # The job is about to fail and roll back: keep the reason
                # the user must see.
                self.env.cr.commit()  # pylint: disable=invalid-commit
                raise FailedJobError(message)
            return message
        proposals = licence_text.extract_proposals(text)
        proposal_model = self.env['meddev.licence.proposal'].sudo()
        self.proposal_ids.filtered(
            lambda p: p.attachment_id == attachment).sudo().unlink()
        for vals in proposal_model._prepare_vals(self, proposals, attachment):
            proposal_model.create(vals)
        message = _('%(count)s values proposed from %(file)s.') % {
            'count': len(proposals), 'file': attachment.name}
        self.sudo().write({'ocr_state': 'done', 'ocr_message': message})
        self.message_post(body=message)
        return message

    @api.model
    def _ocr_error_text(self, error):
        """Say in the user's language why a scan could not be read (a
        ``licence_ocr.OcrError``)."""
        texts = {
            'deleted': _('the scan has been deleted'),
            'empty': _('the file is empty'),
            'too_large': _('the file has %(size)s bytes, more than the '
                           '%(limit)s allowed'),
            'unsupported': _('the file is not a PDF, PNG or JPEG scan'),
            'unreadable_pdf': _('the PDF cannot be rendered: %(detail)s'),
            'unreadable_image': _('the image cannot be decoded: '
                                  '%(detail)s'),
            'engine': _('tesseract failed: %(detail)s'),
            'no_text': _('no text was found on the scan'),
        }
        if error.key not in texts:
            return error.message
        return texts[error.key] % error.params

    @api.model
    def _proposal_note_text(self, proposal):
        """Say in the user's language what the parser assumed or corrected
        for a ``licence_text.Proposal``."""
        params = proposal.note_params
        if proposal.note_key == 'repaired':
            # Translated here: _() finds the language in its caller's frame,
            # which a comprehension would hide.
            change_text = _("'%(read)s' read for '%(meant)s' at character(s) "
                            "%(positions)s")
            changes = '; '.join(
                change_text % {
                    'read': read, 'meant': meant,
                    'positions': ', '.join(str(pos) for pos in positions)}
                for read, meant, positions in params['changes'])
            return _('OCR confusion corrected: %(changes)s') % {
                'changes': changes}
        if proposal.note_key == 'invalid_code':
            return _('not a valid credit code: %(reason)s') % {
                'reason': self._uscc_error_text(params['error'])}
        texts = {
            'beside_authority': _('date printed beside the issuing '
                                  'authority'),
            'number_unlabelled': _('found without its label'),
            'date_unlabelled': _('date found without a label'),
            'credit_code_is_number': _('the credit code is the number of a '
                                       'business licence'),
            'class2_filing': _('a 第二类医疗器械经营备案凭证 covers class II '
                               'devices'),
        }
        return texts.get(proposal.note_key, proposal.note)
