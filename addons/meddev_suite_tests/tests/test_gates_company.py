"""The licence and credit gates judge an order by the order's company, and
the delivery gate a transfer by its moves' company, not by the company the
confirming or validating user has switched to."""

from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase, call_button


@at_install(False)
@post_install(True)
class TestGatesUseOrderCompany(MeddevSuiteCase):
    """A parent company and its subsidiary; the sales manager works in the
    parent and sees the subsidiary's orders (record rules: child_of)."""

    @classmethod
    def setUpClass(cls):
        super(TestGatesUseOrderCompany, cls).setUpClass()
        cls.parent = cls.company
        cls.child = cls.env['res.company'].create({
            'name': 'Suite Subsidiary', 'parent_id': cls.parent.id,
            'currency_id': cls.parent.currency_id.id})
        companies = cls.parent | cls.child
        companies.write({'meddev_review_required': False,
                         'credit_no_limit_policy': 'unlimited'})
        cls.manager = cls._create_user('suite_gate_manager', [
            'sales_team.group_sale_manager',
            'meddev_qualification.group_meddev_qualification_user',
            'stock.group_stock_user'], cls.parent)
        cls.manager.company_ids = companies
        cls.category = cls.env['meddev.device.category'].create({
            'name': 'Suite Monitors', 'code': 'SUITE-07'})
        cls.device = cls.env['product.product'].create({
            'name': 'Suite Class I Thermometer', 'type': 'consu',
            'list_price': 50.0, 'device_class': 'I',
            'device_category_id': cls.category.id,
            'device_certificate_number': 'SUITE-CERT-1',
            'device_certificate_expiry': '2099-12-31'})
        cls.hospital = cls.env['res.partner'].create({
            'name': 'Suite Gate Hospital', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor'})

    def _order(self, company, product, price):
        warehouse = self.env['stock.warehouse'].search(
            [('company_id', '=', company.id)], limit=1)
        return self.env['sale.order'].create({
            'partner_id': self.hospital.id,
            'user_id': self.manager.id,
            'company_id': company.id,
            'warehouse_id': warehouse.id,
            'order_line': [(0, 0, {'product_id': product.id,
                                   'product_uom_qty': 1.0,
                                   'price_unit': price})],
        })

    def test_licence_gate(self):
        """A licence recorded for the parent does not let the subsidiary
        sell the device; the subsidiary's own licence does."""
        licence = self._create_licence(
            self.hospital, 'SUITE-GATE-PARENT', self.parent)
        licence.action_approve()
        order = self._order(self.child, self.device, 50.0)
        with self.assertRaises(UserError) as caught:
            call_button(order.sudo(self.manager), 'action_confirm')
        self.assertIn(self.device.name, str(caught.exception))
        self.assertEqual(order.state, 'draft')
        own = self._create_licence(
            self.hospital, 'SUITE-GATE-CHILD', self.child)
        own.action_approve()
        call_button(order.sudo(self.manager), 'action_confirm')
        self.assertEqual(order.state, 'sale')

    def test_credit_gate(self):
        """The subsidiary's credit limit applies to its orders, even when
        the user works in the parent, which sets no limit."""
        self.hospital.with_context(
            force_company=self.child.id).credit_limit = 100.0
        product = self.env['product.product'].create({
            'name': 'Suite Drape', 'type': 'consu', 'list_price': 500.0})
        order = self._order(self.child, product, 500.0)
        with self.assertRaises(UserError) as caught:
            call_button(order.sudo(self.manager), 'action_confirm')
        self.assertIn(order.name, str(caught.exception))
        self.assertEqual(order.state, 'draft')
        parent_order = self._order(self.parent, product, 500.0)
        call_button(parent_order.sudo(self.manager), 'action_confirm')
        self.assertEqual(parent_order.state, 'sale')

    def _delivery(self, company):
        """Return a delivery of ``company`` of one device to the hospital,
        its quantity done, ready to validate."""
        warehouse = self.env['stock.warehouse'].search(
            [('company_id', '=', company.id)], limit=1)
        self.assertTrue(warehouse, company.name)
        source = warehouse.lot_stock_id
        customers = self.env.ref('stock.stock_location_customers')
        picking = self.env['stock.picking'].create({
            'picking_type_id': warehouse.out_type_id.id,
            'partner_id': self.hospital.id,
            'company_id': company.id,
            'location_id': source.id,
            'location_dest_id': customers.id,
            'move_lines': [(0, 0, {
                'name': self.device.name, 'product_id': self.device.id,
                'product_uom': self.device.uom_id.id,
                'product_uom_qty': 1.0, 'company_id': company.id,
                'location_id': source.id,
                'location_dest_id': customers.id})],
        })
        picking.action_confirm()
        picking.move_lines.write({'quantity_done': 1.0})
        self.assertEqual(picking.move_lines.company_id, company)
        return picking

    def test_delivery_gate(self):
        """The manager works in the parent, whose licence the hospital
        holds; the subsidiary's delivery of the device is refused all the
        same (the gate reads the move's company), until the hospital's
        licence in the subsidiary is approved."""
        self.assertEqual(self.manager.company_id, self.parent)
        licence = self._create_licence(
            self.hospital, 'SUITE-DELIVERY-PARENT', self.parent)
        licence.action_approve()
        picking = self._delivery(self.child)
        with self.assertRaises(UserError) as caught:
            call_button(picking.sudo(self.manager), 'button_validate')
        self.assertIn('%s cannot be delivered' % picking.name,
                      str(caught.exception))
        self.assertIn(self.device.name, str(caught.exception))
        self.assertNotEqual(picking.state, 'done')
        own = self._create_licence(
            self.hospital, 'SUITE-DELIVERY-CHILD', self.child)
        own.action_approve()
        call_button(picking.sudo(self.manager), 'button_validate')
        self.assertEqual(picking.state, 'done')

    def test_delivery_gate_own_licence(self):
        """The other way round: the hospital's only licence is the
        subsidiary's; the manager, working in the parent, delivers the
        subsidiary's device under it."""
        licence = self._create_licence(
            self.hospital, 'SUITE-DELIVERY-ONLY-CHILD', self.child)
        licence.action_approve()
        picking = self._delivery(self.child)
        call_button(picking.sudo(self.manager), 'button_validate')
        self.assertEqual(picking.state, 'done')
