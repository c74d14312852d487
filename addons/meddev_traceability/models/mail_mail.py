from odoo import models


class MailMail(models.Model):
    _inherit = 'mail.mail'

    def _postprocess_sent_message(self, mail_sent=True):
        # A recall notice counts as sent when its mail leaves, not when it
        # is queued; a failed one leaves the customer unnotified.
        lines = self.env['meddev.recall.line'].sudo().search(
            [('notice_mail_id', 'in', self.ids)])
        for mail in self:
            mail_lines = lines.filtered(
                lambda line: line.notice_mail_id == mail)
            if mail_lines:
                mail_lines._set_notice_status(
                    'sent' if mail_sent and mail.state == 'sent'
                    else 'exception')
        return super(MailMail, self)._postprocess_sent_message(
            mail_sent=mail_sent)
