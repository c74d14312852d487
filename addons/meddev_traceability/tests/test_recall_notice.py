from odoo import api
from odoo.tests.common import at_install, post_install
from odoo.tools import mute_logger

from .common import MeddevManufacturingCase

DSN = """From: MAILER-DAEMON@example.com
To: bounce+%(mail)d-meddev.recall-%(recall)d@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-%(mail)d@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain

The mail could not be delivered to its recipient.
--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; %(email)s
Action: failed
Status: 5.1.1
--BOUNDARY--
"""


# After all modules load: the notice letter renders with the full layout.
@at_install(False)
@post_install(True)
class TestRecallNotice(MeddevManufacturingCase):
    """Notices go to each customer (commercial partner) once, to its
    recall contact, with the delivery addresses; they count as sent when
    the mail leaves; failures, bounces and missing addresses are flagged."""

    @classmethod
    def setUpClass(cls):
        super(TestRecallNotice, cls).setUpClass()
        tag = cls.env.ref(
            'meddev_traceability.partner_category_recall_contact')
        partners = cls.env['res.partner']
        cls.ward = partners.create({
            'name': 'Ward 3', 'type': 'delivery',
            'parent_id': cls.hospital_a.id, 'street': '197 Ruijin Er Road'})
        cls.officer = partners.create({
            'name': 'Dr. Wang', 'parent_id': cls.hospital_a.id,
            'email': 'wang.quality@renji.example.com',
            'category_id': [(6, 0, tag.ids)]})
        # One serial to the hospital itself, one to its ward.
        cls.picking_a = cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.picking_ward = cls._deliver(cls.ward, [(cls.serial_2, 1)])
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Main board capacitor fails under heat.',
            'recall_level_id': cls.env.ref(
                'meddev_traceability.recall_level_cn_1').id,
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })

    def _notice(self):
        """Launch, queue the notices as the button does, run Renji's job;
        return the mail."""
        self.recall.action_launch()
        self.recall.sudo(self.manager).action_send_notices()
        return self.env['mail.mail'].browse(
            self.recall.send_partner_notice(self.hospital_a.id))

    def test_lines_grouped_by_customer_with_address(self):
        self.recall.action_launch()
        lines = self.recall.line_ids
        self.assertEqual(lines.mapped('partner_id'), self.hospital_a)
        self.assertEqual(
            sorted(lines.mapped('shipping_partner_id').ids),
            sorted((self.hospital_a | self.ward).ids))
        self.assertEqual(self.recall.customer_count, 1)
        jobs = self.env['queue.job'].search([])
        self.recall.sudo(self.manager).action_send_notices()
        self.assertEqual(len(self.env['queue.job'].search([]) - jobs), 1)

    def test_notice_to_recall_contact_with_addresses(self):
        mail = self._notice()
        self.assertEqual(mail.recipient_ids, self.officer)
        self.assertIn('197 Ruijin Er Road', mail.body_html)
        self.assertIn('Ward 3', mail.body_html)
        self.assertIn('PM9-0002', mail.body_html)
        self.assertEqual(set(self.recall.line_ids.mapped('notice_status')),
                         {'queued'})

    def test_recall_contacts_of_the_recall_company(self):
        # The job runs as whoever queued it; the recall's company decides
        # which contacts receive the notice.
        tag = self.env['res.partner.category'].create(
            {'name': 'Vigilance Officer'})
        company = self.env['res.company'].create({
            'name': 'MedDev Trace East', 'recall_contact_category_id': tag.id})
        vigilance = self.env['res.partner'].create({
            'name': 'Ms. Li', 'parent_id': self.hospital_a.id,
            'email': 'li.vigilance@renji.example.com',
            'category_id': [(6, 0, tag.ids)]})
        recall = self.recall.sudo()
        recall.company_id = company
        recall.action_launch()
        mail = self.env['mail.mail'].browse(
            recall.send_partner_notice(self.hospital_a.id))
        self.assertEqual(mail.recipient_ids, vigilance)

    def test_sent_when_mail_leaves(self):
        mail = self._notice()
        lines = self.recall.line_ids
        self.assertFalse(lines.filtered('notice_sent_date'))
        self._send_mails(mail)
        self.assertEqual(set(lines.mapped('notice_status')), {'sent'})
        self.assertTrue(all(lines.mapped('notice_sent_date')))
        self.assertEqual(self.recall.notified_count, 2)

    def test_failed_mail_flagged_and_sent_again(self):
        mail = self._notice()
        with mute_logger('odoo.addons.mail.models.mail_mail'):
            self._send_mails(mail, failure=Exception('SMTP server down'))
        lines = self.recall.line_ids
        self.assertEqual(mail.state, 'exception')
        self.assertEqual(set(lines.mapped('notice_status')), {'exception'})
        self.assertFalse(lines.filtered('notice_sent_date'))
        self.assertEqual(self.recall.notice_problem_count, 2)
        jobs = self.env['queue.job'].search([])
        self.recall.sudo(self.manager).action_send_notices()
        self.assertEqual(len(self.env['queue.job'].search([]) - jobs), 1)

    def test_bounce_through_mail_gateway(self):
        parameters = self.env['ir.config_parameter'].sudo()
        parameters.set_param('mail.bounce.alias', 'bounce')
        parameters.set_param('mail.catchall.domain', 'example.com')
        mail = self._notice()
        self._send_mails(mail)
        self.env['mail.thread'].message_process(False, DSN % {
            'mail': mail.id, 'recall': self.recall.id,
            'email': self.officer.email})
        lines = self.recall.line_ids
        self.assertEqual(set(lines.mapped('notice_status')), {'bounced'})
        self.assertFalse(lines.filtered('notice_sent_date'))
        self.assertEqual(set(lines.mapped('state')), {'to_notify'})
        self.assertIn('bounced', self.recall.message_ids[0].body)

    def test_bounce_only_from_gateway(self):
        """message_receive_bounce is public: a recall manager calling it
        over XML-RPC does not mark a sent notice bounced."""
        mail = self._notice()
        self._send_mails(mail)
        env = api.Environment(self.env.cr, self.manager.id, {})
        api.call_kw(env['meddev.recall'], 'message_receive_bounce', [
            self.recall.ids, self.officer.email, [], mail.id], {})
        lines = self.recall.line_ids
        lines.invalidate_cache()
        self.assertEqual(set(lines.mapped('notice_status')), {'sent'})
        self.assertTrue(all(lines.mapped('notice_sent_date')))

    def test_customer_without_email(self):
        self.officer.email = False
        self.hospital_a.email = False
        mail_id = self._notice().id
        self.assertFalse(mail_id)
        self.assertEqual(set(self.recall.line_ids.mapped('notice_status')),
                         {'no_email'})
        self.assertEqual(self.recall.notice_problem_count, 2)
        self.assertIn('email address', self.recall.message_ids[0].body)
        # Told by phone: no longer a notice problem.
        self.recall.line_ids.sudo(self.manager).action_mark_notified()
        self.assertEqual(self.recall.notice_problem_count, 0)

    def test_dropship_customer_is_the_order_customer(self):
        # A dropship: the vendor ships straight to the customer; the
        # transfer's contact is the vendor, the order says who bought.
        vendor = self.env['res.partner'].create({'name': 'Board Vendor'})
        order = self.env['sale.order'].create({
            'partner_id': self.hospital_b.id})
        group = self.env['procurement.group'].create({
            'name': order.name, 'sale_id': order.id})
        dropship = self._create_lot(self.board, 'MB2-DS1')
        supplier = self.env.ref('stock.stock_location_suppliers')
        picking = self.env['stock.picking'].create({
            'partner_id': vendor.id, 'group_id': group.id,
            'picking_type_id': self.picking_type_out.id,
            'location_id': supplier.id,
            'location_dest_id': self.customer_location.id,
            'move_lines': [(0, 0, {
                'name': 'Board', 'product_id': self.board.id,
                'product_uom_qty': 1, 'product_uom': self.board.uom_id.id,
                'group_id': group.id,
                'location_id': supplier.id,
                'location_dest_id': self.customer_location.id})],
        })
        picking.action_confirm()
        picking.move_lines.move_line_ids.unlink()
        self.env['stock.move.line'].create({
            'move_id': picking.move_lines.id, 'picking_id': picking.id,
            'product_id': self.board.id,
            'product_uom_id': self.board.uom_id.id,
            'lot_id': dropship.id, 'qty_done': 1,
            'location_id': supplier.id,
            'location_dest_id': self.customer_location.id})
        picking.action_done()
        rows = self.env['meddev.lot.link']._deliveries(dropship.ids)
        self.assertEqual(
            [(row['customer_id'], row['partner_id']) for row in rows],
            [(self.hospital_b.id, order.partner_shipping_id.id)])
