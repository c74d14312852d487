from odoo.exceptions import UserError

from .common import MeddevTradeCase


class TestOrderGateMixin(MeddevTradeCase):
    """Sales and purchases share one order gate and one line gate
    (``meddev.trade.order.gate``, ``meddev.trade.order.line.gate``): lines
    written together are checked together, and one refusal names every
    line that fails."""

    @classmethod
    def setUpClass(cls):
        super(TestOrderGateMixin, cls).setUpClass()
        cls.salesman = cls._create_user(
            'mixin_salesman', cls.env.ref('sales_team.group_sale_salesman'))
        cls.buyer = cls._create_user(
            'mixin_buyer', cls.env.ref('purchase.group_purchase_user'))

    def _sale(self, *products):
        return self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': self.distributor.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_uom_qty': 1, 'price_unit': 10.0,
                'product_uom': product.uom_id.id}) for product in products]})

    def _purchase(self, *products):
        return self.env['purchase.order'].sudo(self.buyer).create({
            'partner_id': self.supplier.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_qty': 1, 'price_unit': 10.0,
                'product_uom': product.uom_id.id,
                'date_planned': '2026-03-01 09:00:00'})
                for product in products]})

    def test_sale_lines_moved_together_refused_together(self):
        order = self._sale(self.product_plain)
        order.sudo(self.salesman).action_confirm()
        quotation = self._sale(self.product_xray, self.product_stent)
        with self.assertRaises(UserError) as refusal:
            quotation.order_line.sudo(self.salesman).write(
                {'order_id': order.id})
        message = refusal.exception.name
        self.assertIn('%s cannot be changed' % order.name, message)
        self.assertIn('X-ray Unit: Kangda Medical holds no approved', message)
        self.assertIn('Stent: Kangda Medical holds no approved', message)
        self.assertEqual(order.order_line.mapped('product_id'),
                         self.product_plain)

    def test_purchase_lines_moved_together_refused_together(self):
        order = self._purchase(self.product_plain)
        order.sudo(self.buyer).button_confirm()
        self.assertEqual(order.state, 'purchase')
        rfq = self._purchase(self.product_ii, self.product_xray)
        with self.assertRaises(UserError) as refusal:
            rfq.order_line.sudo(self.buyer).write({'order_id': order.id})
        message = refusal.exception.name
        self.assertIn('BP Monitor: Maikang Devices holds no approved',
                      message)
        self.assertIn('X-ray Unit: Maikang Devices holds no approved',
                      message)
        self.assertEqual(len(order.order_line), 1)

    def test_product_changed_on_lines_of_two_orders(self):
        first, second = self._sale(self.product_plain), self._sale(
            self.product_plain)
        for order in first | second:
            order.sudo(self.salesman).action_confirm()
        lines = (first | second).mapped('order_line')
        with self.assertRaises(UserError) as refusal:
            lines.sudo(self.salesman).write(
                {'product_id': self.product_xray.id})
        message = refusal.exception.name
        # Each line is checked in its own order, both in one message.
        self.assertIn('%s cannot be changed' % first.name, message)
        self.assertIn('%s cannot be changed' % second.name, message)
        self.assertEqual(lines.mapped('product_id'), self.product_plain)

    def test_lines_of_quotations_move_freely(self):
        quotation = self._sale(self.product_plain)
        other = self._sale(self.product_xray, self.product_stent)
        other.order_line.sudo(self.salesman).write(
            {'order_id': quotation.id})
        self.assertEqual(len(quotation.order_line), 3)
        rfq = self._purchase(self.product_plain)
        rfq.order_line.sudo(self.buyer).write(
            {'product_id': self.product_xray.id})
        self.assertEqual(rfq.order_line.product_id, self.product_xray)
