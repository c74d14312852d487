import base64

from odoo.exceptions import UserError

from .common import MeddevServiceTicketCase

# A 1 x 1 transparent PNG, as the signature widget stores it.
PNG = base64.b64encode(base64.b64decode(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'
    '+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))


class TestReportAndFollowUp(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestReportAndFollowUp, cls).setUpClass()
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'DSP', 'name': 'Display'})
        cls.ticket = cls.env['meddev.service.ticket'].create({
            'title': 'Screen flickers', 'team_id': cls.team.id,
            'equipment_id': cls.equipment.id, 'contact_id': cls.nurse.id,
            'triage_done': True, 'user_id': cls.user.id,
            'work_done': '<p>Replaced the display cable.</p>',
            'test_results': 'Leakage current 12 uA: pass',
            'fault_code_ids': [(6, 0, cls.fault.ids)]})

    def _close(self):
        self.ticket.write({'stage_id': self.stage_done.id})

    def test_report_is_bilingual_with_signature(self):
        self.ticket.sudo(self.user).write(
            {'signature': PNG, 'signed_by': 'Head Nurse'})
        self.ticket.sudo(self.user).action_sign()
        self.assertTrue(self.ticket.signed_date)
        report = self.env.ref('meddev_service.action_report_service_ticket')
        html, _format = report.render_qweb_html(self.ticket.ids)
        html = html.decode('utf-8') if isinstance(html, bytes) else html
        self.assertIn('服务报告', html)
        self.assertIn('Service Report', html)
        self.assertIn(self.ticket.name, html)
        self.assertIn('X1-0001', html)
        self.assertIn('Leakage current 12 uA', html)
        self.assertIn('[DSP] Display', html)
        self.assertIn('data:image/png;base64,', html)
        self.assertIn('Noto Sans CJK SC', html)

    def test_sign_needs_a_signature(self):
        with self.assertRaises(UserError):
            self.ticket.sudo(self.user).action_sign()

    def test_send_report_by_mail(self):
        self._close()
        action = self.ticket.sudo(self.user).action_send_report()
        composer = self.env['mail.compose.message'].sudo(
            self.user).with_context(**action['context']).create({})
        composer.onchange_template_id_wrapper()
        self.assertIn(self.ticket.name, composer.subject)
        self.assertEqual(composer.partner_ids, self.nurse)
        self.assertEqual(len(composer.attachment_ids), 1)
        composer.send_mail()
        message = self.ticket.message_ids[0]
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertIn(self.nurse, message.partner_ids)

    def test_satisfaction_through_rating(self):
        with self.assertRaises(UserError):
            self.ticket.sudo(self.user).action_record_satisfaction()
        self._close()
        follow_up = self.ticket.activity_ids
        self.assertEqual(len(follow_up), 1)
        # Recorded by the team leader (the engineer does not rate their
        # own work).
        action = self.ticket.sudo(
            self.dispatcher).action_record_satisfaction()
        wizard = self.env['meddev.service.satisfaction'].sudo(
            self.dispatcher).with_context(**action['context']).create(
            {'rating': '5', 'feedback': 'Engineer came late'})
        wizard.action_confirm()
        self.assertEqual(self.ticket.rating_last_value, 5)
        rating = self.ticket.rating_ids
        self.assertEqual(rating.partner_id, self.nurse)
        self.assertEqual(rating.feedback, 'Engineer came late')
        self.assertFalse(follow_up.exists())

    def test_contract_expires_and_reminds_once(self):
        contracts = self.env['meddev.service.contract']
        ending = contracts.create({
            'partner_id': self.hospital.id, 'date_start': '2020-01-01',
            'date_end': '2099-01-10', 'renewal_days': 365 * 100})
        ended = contracts.create({
            'partner_id': self.hospital.id, 'date_start': '2020-01-01',
            'date_end': '2021-01-01'})
        (ending | ended).action_activate()
        self.assertTrue(ending.name.startswith('SC/'))
        contracts._cron_contract_dates()
        self.assertEqual(ended.state, 'expired')
        self.assertEqual(ending.state, 'active')
        self.assertEqual(len(ending.activity_ids), 1)
        contracts._cron_contract_dates()
        self.assertEqual(len(ending.activity_ids), 1)

    def test_refused_service_bills_signal(self):
        signals = self.env['res.partner']._credit_rating_signals()
        signal = [item for item in signals
                  if item['code'] == 'service_refusals'][0]
        orders = self.env['sale.order']
        for price, cancel in ((300.0, True), (900.0, False)):
            ticket = self._ticket(triage_done=True)
            order = orders.create({
                'partner_id': self.hospital.id,
                'order_line': [(0, 0, {
                    'product_id': self.labour.id, 'product_uom_qty': 1,
                    'price_unit': price})]})
            if cancel:
                order.action_cancel()
            # As closing would (the module's own fields).
            ticket._as_server().write({'sale_order_id': order.id,
                                       'close_date': '2026-11-30 08:00:00'})
        risks = signal['compute'](
            [self.hospital.id], self.env.user.company_id, '2026-01-01',
            '2026-12-31')
        self.assertAlmostEqual(risks[self.hospital.id], 0.25)
