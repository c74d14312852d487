from odoo import api
from odoo.exceptions import UserError

from .common import MeddevCreditFlowCase, call_button, days_ago


class TestOverdueMode(MeddevCreditFlowCase):
    """Settings > Credit Control > Overdue beyond Tolerance: a company
    refuses the orders of customers overdue beyond tolerance, or confirms
    them with an internal note and a to-do for its credit manager."""

    def setUp(self):
        super(TestOverdueMode, self).setUp()
        self.customer.credit_rating = 'B'   # tolerance 15 days
        self._create_invoice(self.customer, 200.0,
                             date_invoice=days_ago(46), date_due=days_ago(16))

    def _todos(self, order, summary=None):
        domain = [('res_model', '=', 'sale.order'), ('res_id', '=', order.id),
                  ('user_id', '=', self.manager.id)]
        if summary:
            domain.append(('summary', '=', summary))
        return self.env['mail.activity'].search(domain)

    def _notes(self, order, start):
        return order.message_ids.filtered(
            lambda message: (message.body or '').startswith('<p>' + start))

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

    def test_warn_raised_order_gets_note_and_todo(self):
        """Raising a confirmed order of an overdue customer is recorded
        like its confirmation: a note and a to-do for the credit
        manager."""
        self.company.credit_overdue_mode = 'warn'
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        order = order.sudo(self.salesman)
        call_button(order, 'action_confirm')
        self.assertEqual(len(self._notes(order, 'Confirmed although')), 1)
        self.assertFalse(self._notes(order, 'Raised to'))
        line = order.order_line
        # The salesperson raises the line as the order form saves it.
        api.call_kw(line, 'write', [line.ids, {'product_uom_qty': 3}], {})
        self.assertEqual(order.amount_total, 300.0)
        note = self._notes(order, 'Raised to')
        self.assertEqual(len(note), 1)
        self.assertIn('300.00', note.body)
        self.assertIn('overdue by 16 days, beyond the tolerance of 15 days',
                      note.body)
        self.assertEqual(note.subtype_id, self.env.ref('mail.mt_note'))
        self.assertEqual(len(self._todos(
            order, 'Order raised for an overdue customer')), 1)
        # Lowering it again is no raise: nothing more.
        api.call_kw(line, 'write', [line.ids, {'product_uom_qty': 2}], {})
        self.assertEqual(len(self._notes(order, 'Raised to')), 1)

    def test_block_mode_raise_of_an_overdue_customer_refused(self):
        order = self._create_order(self.customer, [(self.product, 1, 100.0)])
        self.company.credit_overdue_mode = 'warn'
        order.sudo(self.salesman).action_confirm()
        self.company.credit_overdue_mode = 'block'
        with self.assertRaisesRegex(UserError, 'cannot be raised'):
            order.order_line.sudo(self.salesman).write(
                {'product_uom_qty': 3})
        self.assertFalse(self._notes(order, 'Raised to'))
