import base64
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.addons.meddev_base.tools import schedule_todo, slice_batches
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError
from odoo.tools import html_escape

# Notice states that leave a customer unnotified.
NOTICE_PROBLEMS = ('exception', 'bounced', 'no_email')


class MeddevRecall(models.Model):
    """The notices of a recall: one mail per customer (commercial
    partner) to its recall contacts, tracked from queue to delivery."""

    _inherit = 'meddev.recall'

    # Up to this many customers, the button queues their notice jobs
    # itself; above, it queues one job that queues them (2 000 jobs take
    # about a minute to write: the click must not wait on that).
    _NOTICE_QUEUE_INLINE = 50
    # Recalls whose overdue notices are flagged per committed batch.
    _OVERDUE_BATCH = 50

    @api.multi
    def action_send_notices(self):
        """Queue one notice job per customer still to notify, so that the
        click never waits on the mail server; notices that failed or
        bounced are sent again. For many customers, one job queues the
        notice jobs."""
        self.ensure_one()
        # Recall managers only, before any job is queued.
        self.check_access_rights('write')
        self.check_access_rule('write')
        if self.state != 'open':
            raise UserError(
                _('The recall %(name)s is not open: no notice can be '
                  'sent.') % {'name': self.name})
        # A line whose lot was all returned before launch needs no notice.
        customers = self.line_ids.filtered(
            lambda line: line._notice_pending()).mapped('partner_id')
        if len(customers) > self._NOTICE_QUEUE_INLINE:
            self.with_delay(
                channel=self.company_id._recall_notice_channel(),
                description=_('Recall %(name)s: queue the notices to '
                              '%(count)d customers') % {
                    'name': self.name, 'count': len(customers)},
            )._queue_partner_notices(customers.ids)
            # The job says when the notices are queued; until then, only
            # that it will.
            self.message_post(body=_(
                'A job will queue the recall notices to %(count)d '
                'customers.') % {'count': len(customers)})
        else:
            self._queue_partner_notices(customers.ids)
        return True

    @api.multi
    @job(default_channel='root.recall')
    def _queue_partner_notices(self, partner_ids):
        """Queue the notice job of each customer of ``partner_ids`` (a
        queue job itself when they are many)."""
        self.ensure_one()
        customers = self.env['res.partner'].browse(partner_ids)
        for customer in customers:
            # The recall's company chooses the channel (its capacity).
            self.with_delay(
                channel=self.company_id._recall_notice_channel(),
                description=_('Recall %(name)s: notice to %(partner)s') % {
                    'name': self.name, 'partner': customer.display_name},
            ).send_partner_notice(customer.id)
        # Posted once the jobs exist, not before (a failed dispatcher job
        # must not leave the chatter saying they were queued).
        self.message_post(body=_(
            '%(count)d recall notices queued.') % {'count': len(customers)})
        return len(partner_ids)

    @api.multi
    @job(default_channel='root.recall')
    def send_partner_notice(self, partner_id):
        """Mail the recall notice to one customer's recall contacts,
        listing its lots, quantities and delivery addresses, and record it
        on its lines (a queue job). The lines count as notified when the
        mail has left (see mail.mail); a customer without any email
        address is flagged on its lines instead."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line.partner_id.id == partner_id
            and line._notice_pending())
        if not lines or self.state != 'open':
            return False
        customer = lines[0].partner_id
        recipients = self._notice_recipients(customer)
        if not recipients:
            lines._meddev_as_server().write({'notice_status': 'no_email',
                                             'notice_mail_id': False})
            self.message_post(body=_(
                'No recall notice sent to %(partner)s: neither the '
                'customer nor its recall contacts have an email '
                'address.') % {'partner': customer.display_name})
            return False
        vals = self._prepare_notice_mail_vals(customer, lines, recipients)
        vals['attachment_ids'] = [(4, self._notice_letter(lines).id)]
        mail = self.env['mail.mail'].create(vals)
        lines._meddev_as_server().write(
            {'notice_mail_id': mail.id, 'notice_status': 'queued'})
        self.message_post(body=_(
            'Recall notice to %(partner)s (%(recipients)s) queued for '
            '%(lots)s.') % {
                'partner': customer.display_name,
                'recipients': ', '.join(recipients.mapped('email')),
                'lots': ', '.join(lines.mapped('lot_id.name'))})
        return mail.id

    def _notice_recipients(self, customer):
        """Return who receives the notice for ``customer`` (a commercial
        partner): its contacts tagged with the recall company's contact
        tag, else the customer itself; only those with an email."""
        # The recall's company decides, not the company of whoever queued
        # the job.
        company = self[:1].company_id or self.env.user.company_id
        tag = company.recall_contact_category_id or \
            self.env.ref(
                'meddev_traceability.partner_category_recall_contact',
                raise_if_not_found=False)
        contacts = self.env['res.partner']
        if tag:
            contacts = self.env['res.partner'].search([
                ('commercial_partner_id', '=', customer.id),
                ('category_id', 'in', tag.ids)])
        if not contacts:
            contacts = customer
        return contacts.filtered('email')

    def _notice_letter(self, lines):
        """Return the PDF letter listing ``lines`` (one customer's), stored
        as an attachment of the recall."""
        report = self.env.ref(
            'meddev_traceability.meddev_recall_notice_report')
        content = report.render_qweb_pdf(lines.ids)[0]
        name = '%s - %s.pdf' % (self.name.replace('/', '-'),
                                lines[0].partner_id.display_name)
        return self.env['ir.attachment'].create({
            'name': name,
            'datas_fname': name,
            'datas': base64.b64encode(content),
            'res_model': self._name,
            'res_id': self.id,
            'mimetype': 'application/pdf',
        })

    def _prepare_notice_mail_vals(self, partner, lines, recipients=None):
        """Return the values of the notice mail to ``partner`` about
        ``lines``, its deliveries of affected lots, for ``recipients``
        (default the partner)."""
        rows = ''.join(
            '<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
            '<td>%s</td></tr>' % (
                html_escape(line.product_id.display_name),
                html_escape(line.lot_id.name),
                html_escape(line.picking_id.name or ''),
                html_escape(line._shipping_address_text()),
                line.quantity_shipped)
            for line in lines)
        body = _(
            '<p>Dear customer,</p><p>We are recalling the devices below '
            '(recall %(name)s, %(level)s). Please stop using them, '
            'quarantine them and acknowledge this notice.</p>'
            '<p>Reason: %(reason)s</p>') % {
                'name': html_escape(self.name),
                'level': html_escape(self.recall_level_id.name),
                'reason': html_escape(self.reason)}
        table = ('<table border="1"><tr><th>%s</th><th>%s</th><th>%s</th>'
                 '<th>%s</th><th>%s</th></tr>%s</table>') % (
            _('Product'), _('Lot/Serial'), _('Delivery'), _('Delivered To'),
            _('Quantity'), rows)
        return {
            'subject': _('Recall notice %(name)s') % {'name': self.name},
            'body_html': body + table,
            'recipient_ids': [(6, 0, (recipients or partner).ids)],
            'model': self._name,
            'res_id': self.id,
            # Kept after sending: its state is the proof of the notice.
            'auto_delete': False,
        }

    @api.multi
    def message_receive_bounce(self, email, partner, mail_id=None):
        """A notice bounced (the mail gateway routes the bounce here): the
        customer is not notified; flag its lines so that the notice is
        sent again to a better address."""
        result = super(MeddevRecall, self).message_receive_bounce(
            email, partner, mail_id=mail_id)
        # Only the mail gateway (the superuser) reports a bounce: the
        # method is public, and any recall user cleared the sent date of
        # any customer's notice by calling it.
        if not mail_id or self.env.uid != SUPERUSER_ID:
            return result
        lines = self.env['meddev.recall.line'].sudo().search([
            ('recall_id', 'in', self.ids),
            ('notice_mail_id', '=', int(mail_id))])
        if lines:
            lines._set_notice_status('bounced')
            for recall in lines.mapped('recall_id'):
                recall.message_post(body=_(
                    'The recall notice to %(partner)s bounced '
                    '(%(email)s).') % {
                        'partner': ', '.join(
                            lines.mapped('partner_id.display_name')),
                        'email': email or ''})
        return result

    @api.model
    def _cron_flag_overdue_notices(self, commit=False):
        """Flag the customer lines of open recalls whose notice was not
        sent by the level's deadline plus the company's grace days (and
        unflag those sent since); give the responsible of each recall with
        newly overdue notices one activity, unless one is still open.

        Company by company, a batch of recalls at a time: a batch's flags
        and activities are committed together (when the scheduled action
        passes ``commit``), so a crash keeps the batches done and the rerun
        finds only the others (their lines are still unflagged)."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        # The daily check's flags (guarded fields): the server's writes.
        lines = self.env['meddev.recall.line']._meddev_as_server()
        lines.search([
            ('overdue', '=', True),
            '|', '|', ('state', '=', 'done'),
            ('notice_sent_date', '!=', False),
            ('recall_id.state', '!=', 'open')]).write({'overdue': False})
        flagged = lines
        for company in self.env['res.company'].search([]):
            cutoff = fields.Date.to_string(
                today - timedelta(days=company.recall_overdue_grace_days))
            lines.search([
                ('company_id', '=', company.id), ('overdue', '=', True),
                ('notice_deadline', '>=', cutoff)]).write({'overdue': False})
            domain = [
                ('company_id', '=', company.id),
                ('recall_id.state', '=', 'open'),
                ('state', '!=', 'done'),
                ('notice_sent_date', '=', False),
                ('notice_deadline', '<', cutoff),
                ('overdue', '=', False)]
            recalls = lines.search(domain).mapped('recall_id')
            for batch in slice_batches(recalls, self._OVERDUE_BATCH, commit):
                overdue = lines.search(
                    domain + [('recall_id', 'in', batch.ids)])
                overdue.write({'overdue': True})
                batch._schedule_overdue_activity()
                flagged |= overdue
        return flagged

    def _schedule_overdue_activity(self):
        """Give each recall's responsible one activity about its overdue
        notices, unless the recall still has an open one (whoever it is
        for, in whatever language: a new responsible or a run in another
        language must not add a second)."""
        activity_type = self.env.ref(
            'meddev_traceability.mail_activity_type_recall_overdue')
        today = fields.Date.context_today(self)
        # One query for the batch; done activities are deleted in Odoo 11,
        # so every row found is open.
        pending = set(self.env['mail.activity'].sudo().search([
            ('res_model', '=', self._name), ('res_id', 'in', self.ids),
            ('activity_type_id', '=', activity_type.id)]).mapped('res_id'))
        # One call per recall: the note names its own figures (the open
        # recalls with newly overdue notices are few).
        for recall in self.filtered(lambda rec: rec.id not in pending):
            schedule_todo(
                recall, recall.user_id or self.env.user,
                _('Overdue recall notices'),
                note=html_escape(
                    _('%(count)d customer notices of %(name)s are past '
                      'their deadline of %(deadline)s.') % {
                        'count': recall.overdue_count, 'name': recall.name,
                        'deadline': recall.notice_deadline}),
                deadline=today, activity_type=activity_type)
