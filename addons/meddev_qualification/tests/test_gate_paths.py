from odoo import api
from odoo.exceptions import UserError

from .common import MeddevTradeCase

# What the web client passes as the only argument of a button method.
WEB_CONTEXT = {'lang': 'en_US', 'tz': 'Asia/Shanghai'}
REFUSED_XRAY = 'X-ray Unit: Kangda Medical holds no approved licence for ' \
    'Class III'


class TestGatePaths(MeddevTradeCase):
    """Every way into a confirmed order, a delivery or a receipt passes the
    gate, not only the Confirm and Validate buttons."""

    @classmethod
    def setUpClass(cls):
        super(TestGatePaths, cls).setUpClass()
        cls.salesman = cls._create_user(
            'paths_salesman', cls.env.ref('sales_team.group_sale_salesman'))
        cls.buyer = cls._create_user(
            'paths_buyer', cls.env.ref('purchase.group_purchase_user'))
        cls.stock_user = cls._create_user(
            'paths_stock_user', cls.env.ref('stock.group_stock_user'))
        # Kangda Medical (cls.distributor) and Maikang Devices hold nothing;
        # Ruikang Medical may buy X-ray units.
        cls.licensed = cls._create_partner('Ruikang Medical', 'distributor')
        cls._create_licence(
            cls.licensed, cls.type_trading, '沪食药监械经营许20190012号',
            valid_to='2099-12-31', scope=cls.cat_imaging)
        cls.customers = cls.env.ref('stock.stock_location_customers')
        cls.suppliers = cls.env.ref('stock.stock_location_suppliers')
        cls.stock = cls.env.ref('stock.stock_location_stock')

    def _button(self, records, method, user):
        """Call ``method`` as the web client's button does: the context is
        the only argument."""
        context = dict(WEB_CONTEXT, uid=user.id)
        return api.call_kw(records.sudo(user).with_context(**context),
                           method, [records.ids, context], {})

    def _line(self, product):
        return (0, 0, {'product_id': product.id, 'name': product.name,
                       'product_uom_qty': 1, 'price_unit': 10.0,
                       'product_uom': product.uom_id.id})

    def _sale(self, product, partner=None, **extra):
        return self.env['sale.order'].sudo(self.salesman).create(dict({
            'partner_id': (partner or self.distributor).id,
            'order_line': [self._line(product)]}, **extra))

    def _purchase_line(self, product):
        return (0, 0, {'product_id': product.id, 'name': product.name,
                       'product_qty': 1, 'price_unit': 10.0,
                       'product_uom': product.uom_id.id,
                       'date_planned': '2026-03-01 09:00:00'})

    def _purchase(self, product):
        return self.env['purchase.order'].sudo(self.buyer).create({
            'partner_id': self.supplier.id,
            'order_line': [self._purchase_line(product)]})

    # Orders

    def test_every_way_to_a_confirmed_sale_is_gated(self):
        order = self._sale(self.product_xray)
        # Lock and Unlock write the state whatever the order's state.
        for method in ('action_done', 'action_unlock'):
            with self.assertRaisesRegex(UserError, REFUSED_XRAY):
                self._button(order, method, self.salesman)
            self.assertEqual(order.state, 'draft')
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            order.sudo(self.salesman).write({'state': 'sale'})
        self.assertEqual(order.state, 'draft')
        with self.assertRaisesRegex(UserError, REFUSED_XRAY), \
                self.cr.savepoint():
            self._sale(self.product_xray, state='sale')
        # Unregulated goods and licensed customers are not held up.
        plain = self._sale(self.product_plain)
        self._button(plain, 'action_done', self.salesman)
        self.assertEqual(plain.state, 'done')
        licensed = self._sale(self.product_xray, self.licensed)
        licensed.sudo(self.salesman).write({'state': 'sale'})
        self.assertEqual(licensed.state, 'sale')

    def test_regulated_line_added_after_confirmation(self):
        order = self._sale(self.product_plain)
        order.sudo(self.salesman).action_confirm()
        self.assertEqual(order.state, 'sale')
        with self.assertRaisesRegex(
                UserError, '%s cannot be changed:.{1,4}- %s' % (
                    order.name, REFUSED_XRAY)):
            order.sudo(self.salesman).write(
                {'order_line': [self._line(self.product_xray)]})
        with self.assertRaisesRegex(UserError, REFUSED_XRAY):
            self.env['sale.order.line'].sudo(self.salesman).create(dict(
                self._line(self.product_xray)[2], order_id=order.id))
        with self.assertRaisesRegex(UserError, REFUSED_XRAY):
            order.order_line.sudo(self.salesman).write(
                {'product_id': self.product_xray.id})
        # Nor moved in from a quotation.
        quotation = self._sale(self.product_xray)
        with self.assertRaisesRegex(UserError, REFUSED_XRAY):
            quotation.order_line.sudo(self.salesman).write(
                {'order_id': order.id})
        self.assertEqual(order.order_line.product_id, self.product_plain)
        self.assertFalse(order.picking_ids.move_lines.filtered(
            lambda move: move.product_id == self.product_xray))
        # Unregulated lines are still added freely.
        order.sudo(self.salesman).write(
            {'order_line': [self._line(self.product_plain)]})
        self.assertEqual(len(order.order_line), 2)

    def test_confirmed_order_not_handed_to_another_customer(self):
        order = self._sale(self.product_xray, self.licensed)
        order.sudo(self.salesman).action_confirm()
        with self.assertRaisesRegex(UserError, '%s cannot be changed:.{1,4}- '
                                    '%s' % (order.name, REFUSED_XRAY)):
            order.sudo(self.salesman).write(
                {'partner_id': self.distributor.id})
        self.assertEqual(order.partner_id, self.licensed)
        # Another licensed company, or an unregulated order, may change.
        other = self._create_partner('Ruikang Trading', 'distributor')
        self._create_licence(
            other, self.type_trading, '沪食药监械经营许20190013号',
            valid_to='2099-12-31', scope=self.cat_imaging)
        order.sudo(self.salesman).write({'partner_id': other.id})
        self.assertEqual(order.partner_id, other)

    def test_every_way_to_a_confirmed_purchase_is_gated(self):
        order = self._purchase(self.product_ii)
        refused = 'BP Monitor: Maikang Devices holds no approved licence'
        # Approve confirms without looking at the order's state.
        with self.assertRaisesRegex(UserError, refused):
            self._button(order, 'button_approve', self.buyer)
        with self.assertRaisesRegex(UserError, 'cannot be confirmed'):
            order.sudo(self.buyer).write({'state': 'purchase'})
        self.assertEqual(order.state, 'draft')
        self.assertFalse(order.picking_ids)
        plain = self._purchase(self.product_plain)
        self._button(plain, 'button_confirm', self.buyer)
        self.assertEqual(plain.state, 'purchase')
        with self.assertRaisesRegex(UserError, 'cannot be changed:.{1,4}- %s' % (
                refused)):
            plain.sudo(self.buyer).write(
                {'order_line': [self._purchase_line(self.product_ii)]})
        self.assertEqual(len(plain.order_line), 1)

    # Transfers

    def _transfer(self, picking_type, product, partner, source, dest):
        """Return a confirmed transfer of one ``product`` with its quantity
        done, ready to validate."""
        picking = self.env['stock.picking'].sudo(self.stock_user).create({
            'picking_type_id': self.env.ref(picking_type).id,
            'partner_id': partner.id,
            'location_id': source.id, 'location_dest_id': dest.id,
            'move_lines': [(0, 0, {
                'name': product.name, 'product_id': product.id,
                'product_uom_qty': 1, 'product_uom': product.uom_id.id,
                'location_id': source.id, 'location_dest_id': dest.id})],
        })
        picking.action_confirm()
        picking.move_lines.write({'quantity_done': 1})
        return picking

    def test_transfer_to_a_customer_whatever_its_type(self):
        # An internal transfer that ends at the customer is a delivery.
        picking = self._transfer('stock.picking_type_internal',
                                 self.product_xray, self.distributor,
                                 self.stock, self.customers)
        with self.assertRaisesRegex(
                UserError, '%s cannot be delivered:.{1,4}- %s' % (
                    picking.name, REFUSED_XRAY)):
            self._button(picking, 'button_validate', self.stock_user)
        self.assertNotEqual(picking.state, 'done')
        # So is a receipt-typed one from a supplier.
        picking = self._transfer('stock.picking_type_internal',
                                 self.product_ii, self.supplier,
                                 self.suppliers, self.stock)
        with self.assertRaisesRegex(
                UserError, 'cannot be received:.{1,4}- BP Monitor: Maikang '
                'Devices holds no approved licence'):
            picking.sudo(self.stock_user).action_done()
        self.assertNotEqual(picking.state, 'done')

    def test_consignment_to_a_transit_location_is_gated(self):
        """Goods sent from stock to a transit location (consignment stock
        at the customer, goods on their way) for a customer are delivered
        to that customer: the customer named on the transfer, or the owner
        of the location; between the company's own sites they are not."""
        locations = self.env['stock.location']
        parent = self.env.ref('stock.stock_location_locations_partner')
        transit = locations.create({
            'name': 'Consignment stock', 'usage': 'transit',
            'location_id': parent.id})
        picking = self._transfer('stock.picking_type_internal',
                                 self.product_xray, self.distributor,
                                 self.stock, transit)
        with self.assertRaisesRegex(
                UserError, '%s cannot be delivered:.{1,4}- %s' % (
                    picking.name, REFUSED_XRAY)):
            self._button(picking, 'button_validate', self.stock_user)
        self.assertNotEqual(picking.state, 'done')
        # A location of the unlicensed customer, whoever the transfer names.
        owned = locations.create({
            'name': 'Kangda consignment', 'usage': 'transit',
            'location_id': parent.id, 'partner_id': self.distributor.id})
        own_partner = self.env.user.company_id.partner_id
        picking = self._transfer('stock.picking_type_internal',
                                 self.product_xray, own_partner,
                                 self.stock, owned)
        with self.assertRaisesRegex(UserError, REFUSED_XRAY):
            self._button(picking, 'button_validate', self.stock_user)
        self.assertNotEqual(picking.state, 'done')
        # A licensed customer's consignment, and a transfer between the
        # company's own sites, go through.
        for partner in self.licensed | own_partner:
            picking = self._transfer('stock.picking_type_internal',
                                     self.product_xray, partner,
                                     self.stock, transit)
            self._button(picking, 'button_validate', self.stock_user)
            self.assertEqual(picking.state, 'done', partner.name)

    def test_done_consignment_edited_is_gated(self):
        """More units written on a done consignment reach the customer
        too: checked again, as on a done delivery."""
        transit = self.env['stock.location'].create({
            'name': 'Consignment stock', 'usage': 'transit',
            'location_id': self.env.ref(
                'stock.stock_location_locations_partner').id})
        picking = self._transfer('stock.picking_type_internal',
                                 self.product_xray, self.licensed,
                                 self.stock, transit)
        self._button(picking, 'button_validate', self.stock_user)
        self.assertEqual(picking.state, 'done')
        self.licensed.write({'meddev_watchlist': True,
                             'meddev_watchlist_reason': 'Unlicensed resale'})
        line = picking.move_line_ids
        with self.assertRaisesRegex(UserError, 'Ruikang Medical is on the '
                                    'watchlist'):
            api.call_kw(line.sudo(self.stock_user), 'write',
                        [line.ids, {'qty_done': 2}],
                        {'context': dict(WEB_CONTEXT,
                                         uid=self.stock_user.id)})

    def test_delivery_without_partner_refused(self):
        picking = self._transfer('stock.picking_type_out', self.product_xray,
                                 self.licensed, self.stock, self.customers)
        picking.sudo(self.stock_user).write({'partner_id': False})
        with self.assertRaisesRegex(
                UserError, 'X-ray Unit: no partner is named whose licences '
                'could be checked'):
            picking.sudo(self.stock_user).action_done()
        picking.sudo(self.stock_user).write({'partner_id': self.licensed.id})
        picking.sudo(self.stock_user).action_done()
        self.assertEqual(picking.state, 'done')

    def test_line_added_on_the_transfer_is_gated(self):
        order = self._sale(self.product_plain)
        order.action_confirm()
        picking = order.picking_ids.sudo(self.stock_user)
        picking.move_lines.write({'quantity_done': 1})
        # A detailed operation without a move: Odoo creates its move while
        # validating.
        self.env['stock.move.line'].sudo(self.stock_user).create({
            'picking_id': picking.id, 'product_id': self.product_xray.id,
            'product_uom_id': self.product_xray.uom_id.id, 'qty_done': 1,
            'location_id': picking.location_id.id,
            'location_dest_id': picking.location_dest_id.id})
        with self.assertRaisesRegex(UserError, REFUSED_XRAY):
            picking.action_done()
        self.assertNotEqual(picking.state, 'done')

    def test_consignee_and_buyer_both_checked(self):
        order = self._sale(self.product_xray, self.licensed)
        order.action_confirm()
        picking = order.picking_ids.sudo(self.stock_user)
        picking.move_lines.write({'quantity_done': 1})
        picking.write({'partner_id': self.distributor.id})
        with self.assertRaisesRegex(UserError, REFUSED_XRAY):
            picking.action_done()
        self.assertNotEqual(picking.state, 'done')

    def test_move_without_transfer_is_gated(self):
        move = self.env['stock.move'].create({
            'name': 'Loose move', 'product_id': self.product_xray.id,
            'product_uom_qty': 1, 'product_uom': self.product_xray.uom_id.id,
            'location_id': self.stock.id,
            'location_dest_id': self.customers.id,
            'partner_id': self.distributor.id})
        move._action_confirm()
        move.quantity_done = 1
        with self.assertRaisesRegex(
                UserError, 'Stock>Customers cannot be delivered:.{1,4}- %s' % (
                    REFUSED_XRAY)):
            move._action_done()
        self.assertNotEqual(move.state, 'done')

    def test_customer_return_not_gated(self):
        order = self._sale(self.product_xray, self.licensed)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_lines.write({'quantity_done': 1})
        picking.action_done()
        self.licensed.meddev_watchlist = True
        wizard = self.env['stock.return.picking'].with_context(
            active_id=picking.id, active_ids=picking.ids).create({})
        wizard.product_return_moves.write({'quantity': 1})
        returned = self.env['stock.picking'].browse(
            wizard._create_returns()[0])
        returned.move_lines.write({'quantity_done': 1})
        returned.action_done()
        self.assertEqual(returned.state, 'done')

    def test_done_delivery_edited_is_gated(self):
        order = self._sale(self.product_xray, self.licensed)
        order.order_line.product_uom_qty = 2
        order.action_confirm()
        picking = order.picking_ids
        picking.move_lines.write({'quantity_done': 2})
        picking.action_done()
        self.assertEqual(picking.state, 'done')
        self.licensed.write({'meddev_watchlist': True,
                             'meddev_watchlist_reason': 'Unlicensed resale'})
        line = picking.move_line_ids.sudo(self.stock_user)
        # Unlocked and edited: more units reach the customer.
        with self.assertRaisesRegex(UserError, 'Ruikang Medical is on the '
                                    'watchlist'), self.cr.savepoint():
            line.write({'qty_done': 3})
        with self.assertRaisesRegex(UserError, 'Ruikang Medical is on the '
                                    'watchlist'), self.cr.savepoint():
            self.env['stock.move.line'].sudo(self.stock_user).create({
                'picking_id': picking.id, 'product_id': self.product_xray.id,
                'product_uom_id': self.product_xray.uom_id.id, 'qty_done': 1,
                'location_id': picking.location_id.id,
                'location_dest_id': picking.location_dest_id.id})
        line.invalidate_cache()
        self.assertEqual(line.qty_done, 2)
        self.assertEqual(len(picking.move_line_ids), 1)
        # A correction downwards is never held up.
        line.write({'qty_done': 1})
        self.assertEqual(line.qty_done, 1)
