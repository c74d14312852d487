from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase, days_ago


class TestOverdueMode(MeddevCreditFlowCase):
    """Settings > Credit Control > Overdue beyond Tolerance: a company
    refuses the orders of customers overdue beyond tolerance, or confirms
    them with an internal note and a to-do for its credit manager."""

    def setUp(self):
        super(TestOverdueMode, self).setUp()
        self.customer.credit_rating = 'B'   # tolerance 15 days
        self._create_invoice(self.customer, 200.0,
                             date_invoice=days_ago(46), date_due=days_ago(16))

    def _todos(self, order):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'sale.order'), ('res_id', '=', order.id),
            ('user_id', '=', self.manager.id)])

    def test_block_refuses(self):
        self.assertEqual(self.company.credit_overdue_mode, 'block')
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        with self.assertRaisesRegex(UserError, 'overdue by 16 days'):
            order.sudo(self.salesman).action_confirm()
        self.assertEqual(order.state, 'draft')

    def test_warn_confirms_with_note_and_todo(self):
        self.company.credit_overdue_mode = 'warn'
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        order.sudo(self.salesman).action_confirm()
        self.assertEqual(order.state, 'sale')
        note = order.message_ids.filtered(
            lambda message: 'Confirmed although' in (message.body or ''))
        self.assertEqual(len(note), 1)
        self.assertIn('overdue by 16 days, beyond the tolerance of 15 days',
                      note.body)
        self.assertEqual(note.subtype_id, self.env.ref('mail.mt_note'))
        self.assertEqual(len(self._todos(order)), 1)

    def test_warn_does_not_lift_the_limit(self):
        self.company.credit_overdue_mode = 'warn'
        order = self._create_order(self.customer,
                                   [(self.product, 200, 100.0)])
        with self.assertRaises(UserError) as refusal:
            order.sudo(self.salesman).action_confirm()
        self.assertIn('would exceed its credit limit', refusal.exception.name)
        self.assertNotIn('overdue by 16 days', refusal.exception.name)

    def test_within_tolerance_no_warning(self):
        self.company.credit_overdue_mode = 'warn'
        self.policies['B'].tolerance_days = 30
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        order.sudo(self.salesman).action_confirm()
        self.assertFalse(order.message_ids.filtered(
            lambda message: 'Confirmed although' in (message.body or '')))
        self.assertFalse(self._todos(order))
