from odoo.exceptions import AccessError, UserError, ValidationError

from .common import MeddevTradeCase


class TestSettings(MeddevTradeCase):
    """Settings > Qualification: every company option read and written per
    company through ``res.config.settings``, by administrators only; the
    purchase gate switch honoured by purchases and receipts only."""

    @classmethod
    def setUpClass(cls):
        super(TestSettings, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.other_company = cls.env['res.company'].create(
            {'name': 'Qualification Settings Branch'})
        cls.admin = cls._create_user(
            'qset_admin', cls.env.ref('base.group_system') | cls.group_manager)
        cls.admin.write({'company_ids': [(4, cls.other_company.id)]})
        cls.buyer = cls._create_user(
            'qset_buyer', cls.env.ref('purchase.group_purchase_user'))
        cls.salesman = cls._create_user(
            'qset_salesman', cls.env.ref('sales_team.group_sale_salesman'))
        cls.stock_user = cls._create_user(
            'qset_stock_user', cls.env.ref('stock.group_stock_user'))

    def _settings(self, user, vals):
        """Set ``vals`` as the Save button of Settings does."""
        settings = self.env['res.config.settings'].sudo(user).create(vals)
        settings.execute()
        # The next request of the web client starts with an empty cache;
        # the test's environments would otherwise keep values read before.
        self.env['res.company'].invalidate_cache()
        return settings

    def test_options_read_and_written_per_company(self):
        self.company.write({
            'meddev_compliance_user_ids': [(6, 0, [])],
            'meddev_review_required': False,
            'meddev_certificate_alert_days': '180,90,30',
        })
        settings = self.env['res.config.settings'].sudo(self.admin).create({})
        self.assertEqual(settings.company_id, self.company)
        self.assertEqual(settings.meddev_certificate_alert_days, '180,90,30')
        self.assertTrue(settings.meddev_purchase_gate)
        self._settings(self.admin, {
            'meddev_compliance_user_ids': [(6, 0, self.manager.ids)],
            'meddev_review_required': True,
            'meddev_certificate_alert_days': '60,15',
            'meddev_purchase_gate': False,
        })
        self.assertEqual(self.company.meddev_compliance_user_ids, self.manager)
        self.assertTrue(self.company.meddev_review_required)
        self.assertEqual(self.company.meddev_certificate_alert_days_list(),
                         [60, 15])
        self.assertFalse(self.company.meddev_purchase_gate)
        # The other company keeps its own values.
        self.assertFalse(self.other_company.meddev_compliance_user_ids)
        self.assertFalse(self.other_company.meddev_review_required)
        self.assertEqual(self.other_company.meddev_certificate_alert_days,
                         '180,90,30')
        self.assertTrue(self.other_company.meddev_purchase_gate)
        # Switched to the other company, the administrator sets its values.
        self.admin.company_id = self.other_company
        self._settings(self.admin, {'meddev_review_required': True})
        self.assertTrue(self.other_company.meddev_review_required)
        self.assertEqual(self.company.meddev_certificate_alert_days, '60,15')

    def test_bad_thresholds_refused_in_settings(self):
        with self.assertRaisesRegex(ValidationError, 'positive numbers of days'), \
                self.cr.savepoint():
            self._settings(self.admin,
                           {'meddev_certificate_alert_days': '90,soon'})
        self.assertEqual(self.company.meddev_certificate_alert_days,
                         '180,90,30')

    def test_only_administrators_change_the_settings(self):
        self.company.write({'meddev_review_required': False,
                            'meddev_purchase_gate': True})
        for user in (self.user, self.manager):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self._settings(user, {'meddev_review_required': True,
                                      'meddev_purchase_gate': False})
        self.assertFalse(self.company.meddev_review_required)
        self.assertTrue(self.company.meddev_purchase_gate)

    def _purchase(self, product):
        return self.env['purchase.order'].sudo(self.buyer).create({
            'partner_id': self.supplier.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_qty': 1, 'price_unit': 10.0,
                'product_uom': product.uom_id.id,
                'date_planned': '2026-03-01 09:00:00'})]})

    def test_purchase_gate_switched_off(self):
        refused = 'BP Monitor: Maikang Devices holds no approved licence'
        order = self._purchase(self.product_ii)
        with self.assertRaisesRegex(UserError, refused), self.cr.savepoint():
            order.sudo(self.buyer).button_confirm()
        order.invalidate_cache()
        self.assertEqual(order.state, 'draft')
        self._settings(self.admin, {'meddev_purchase_gate': False})
        # The unqualified supplier's goods are bought and received.
        order.sudo(self.buyer).button_confirm()
        # Read back as the next request would (the buyer's environment
        # wrote it).
        order.invalidate_cache()
        self.assertEqual(order.state, 'purchase')
        receipt = order.picking_ids
        receipt.move_lines.write({'quantity_done': 1})
        receipt.sudo(self.stock_user).action_done()
        self.assertEqual(receipt.state, 'done')
        # Sales and deliveries are still checked.
        sale = self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': self.distributor.id,
            'order_line': [(0, 0, {
                'product_id': self.product_ii.id, 'name': 'BP Monitor',
                'product_uom_qty': 1, 'price_unit': 10.0,
                'product_uom': self.product_ii.uom_id.id})]})
        with self.assertRaisesRegex(
                UserError, 'BP Monitor: Kangda Medical holds no approved'):
            sale.sudo(self.salesman).action_confirm()
        customers = self.env.ref('stock.stock_location_customers')
        stock = self.env.ref('stock.stock_location_stock')
        delivery = self.env['stock.picking'].sudo(self.stock_user).create({
            'picking_type_id': self.env.ref('stock.picking_type_out').id,
            'partner_id': self.distributor.id,
            'location_id': stock.id, 'location_dest_id': customers.id,
            'move_lines': [(0, 0, {
                'name': 'BP Monitor', 'product_id': self.product_ii.id,
                'product_uom_qty': 1,
                'product_uom': self.product_ii.uom_id.id,
                'location_id': stock.id, 'location_dest_id': customers.id})],
        })
        delivery.action_confirm()
        delivery.move_lines.write({'quantity_done': 1})
        with self.assertRaisesRegex(UserError, 'cannot be delivered'):
            delivery.sudo(self.stock_user).action_done()
