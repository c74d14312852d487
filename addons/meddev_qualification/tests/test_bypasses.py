from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase


class TestBypasses(MeddevTradeCase):
    """What a user might try to get regulated goods past the gate."""

    @classmethod
    def setUpClass(cls):
        super(TestBypasses, cls).setUpClass()
        gate = cls.env['meddev.trade.gate']
        cls.today = fields.Date.context_today(gate)
        cls.ago_10 = gate.days_later(cls.today, -10)
        cls.ago_20 = gate.days_later(cls.today, -20)
        cls.salesman = cls._create_user(
            'bypass_salesman',
            cls.env.ref('sales_team.group_sale_salesman')
            | cls.env.ref('stock.group_stock_user'))
        cls.buyer = cls._create_user(
            'bypass_buyer', cls.env.ref('purchase.group_purchase_manager')
            | cls.env.ref('stock.group_stock_user'))
        cls.product_manager = cls._create_user(
            'bypass_product_manager',
            cls.env.ref('product.group_product_variant')
            | cls.env.ref('sales_team.group_sale_manager')
            | cls.group_user)
        cls.contact_manager = cls._create_user(
            'bypass_contact_manager',
            cls.env.ref('base.group_partner_manager') | cls.group_user)
        # Approved, but its end date passed ten days ago: the expiry cron
        # has not run yet.
        cls.lapsed = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to=cls.ago_10, scope=cls.cat_imaging)
        cls.supplier_bl = cls._create_licence(
            cls.supplier, cls.type_business, '91440300306000012W',
            long_term=True)
        cls.supplier_filing = cls._create_licence(
            cls.supplier, cls.type_filing, 'F-002', long_term=True,
            scope=cls.cat_monitor)

    def test_backdated_quotation_checked_today(self):
        order = self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': self.distributor.id,
            'date_order': self.ago_20 + ' 09:00:00',
            'order_line': [(0, 0, {
                'product_id': self.product_xray.id, 'product_uom_qty': 1,
                'name': 'X-ray', 'price_unit': 10.0,
                'product_uom': self.product_xray.uom_id.id})],
        })
        with self.assertRaisesRegex(
                UserError, 'not valid on %s \\(valid until %s\\)' % (
                    self.today, self.ago_10)):
            order.action_confirm()
        self.assertEqual(order.state, 'draft')

    def _purchase(self, date):
        return self.env['purchase.order'].sudo(self.buyer).create({
            'partner_id': self.supplier.id,
            'date_order': date + ' 09:00:00',
            'order_line': [(0, 0, {
                'product_id': self.product_ii.id, 'name': 'BP Monitor',
                'product_qty': 1, 'product_uom': self.product_ii.uom_id.id,
                'price_unit': 10.0, 'date_planned': date + ' 09:00:00'})],
        })

    def test_backdated_rfq_checked_today(self):
        self.supplier_filing.revoke('Suspended')
        order = self._purchase(self.ago_20)
        with self.assertRaisesRegex(UserError, 'Maikang Devices holds no '
                                    'approved licence for Class II'):
            order.button_confirm()
        self.assertEqual(order.state, 'draft')

    def test_receipt_checks_the_supplier(self):
        order = self._purchase(self.today)
        order.button_confirm()
        receipt = order.picking_ids.sudo(self.buyer)
        self.supplier_filing.revoke('Suspended by the authority')
        receipt.move_lines.write({'quantity_done': 1})
        with self.assertRaises(UserError) as refusal:
            receipt.action_done()
        self.assertIn('%s cannot be received' % receipt.name,
                      refusal.exception.name)
        self.assertIn('BP Monitor: Maikang Devices holds no approved '
                      'licence for Class II', refusal.exception.name)
        self.assertNotEqual(receipt.state, 'done')

    def test_return_to_supplier_not_gated(self):
        order = self._purchase(self.today)
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_lines.write({'quantity_done': 1})
        receipt.action_done()
        self.supplier_filing.revoke('Suspended by the authority')
        wizard = self.env['stock.return.picking'].with_context(
            active_id=receipt.id, active_ids=receipt.ids).create({})
        wizard.product_return_moves.write({'quantity': 1})
        return_id = wizard._create_returns()[0]
        returned = self.env['stock.picking'].browse(return_id)
        returned.move_lines.write({'quantity_done': 1})
        returned.action_done()
        self.assertEqual(returned.state, 'done')

    def test_product_regulatory_fields_reviewers_only(self):
        template = self.product_xray.product_tmpl_id
        for vals in ({'device_class': 'none'},
                     {'device_category_id': self.cat_implant.id},
                     {'device_certificate_number': 'FORGED'},
                     {'device_certificate_expiry': '2099-12-31'}):
            with self.assertRaisesRegex(AccessError, 'Only qualification '
                                        'reviewers may set'):
                template.sudo(self.product_manager).write(vals)
            with self.assertRaisesRegex(AccessError, 'Only qualification '
                                        'reviewers may set'):
                self.product_xray.sudo(self.product_manager).write(vals)
        self.assertEqual(template.device_class, 'III')
        # Other fields stay open, and so does writing the same value.
        template.sudo(self.product_manager).write(
            {'list_price': 12.0, 'device_class': 'III'})
        with self.assertRaisesRegex(AccessError, 'Device Class'):
            self.env['product.product'].sudo(self.product_manager).create({
                'name': 'Unreviewed stent', 'device_class': 'III',
                'device_category_id': self.cat_implant.id})
        plain = self.env['product.product'].sudo(self.product_manager) \
            .create({'name': 'Leaflet'})
        self.assertEqual(plain.device_class, 'none')
        # A reviewer with product rights may.
        product_reviewer = self._create_user(
            'bypass_product_reviewer',
            self.env.ref('sales_team.group_sale_manager')
            | self.group_reviewer)
        template.sudo(product_reviewer).write(
            {'device_certificate_number': 'CERT-NEW'})
        self.assertEqual(template.device_certificate_number, 'CERT-NEW')

    def test_partner_regulatory_fields_reviewers_only(self):
        self.distributor.meddev_qualification_tier = 'strategic'
        for vals in ({'meddev_partner_kind': 'hospital'},
                     {'meddev_qualification_tier': 'end_user'},
                     {'meddev_watchlist': True}):
            with self.assertRaisesRegex(AccessError, 'Only qualification '
                                        'reviewers may set'):
                self.distributor.sudo(self.contact_manager).write(vals)
        self.assertEqual(self.distributor.meddev_qualification_tier,
                         'strategic')
        with self.assertRaisesRegex(AccessError, 'Qualification Kind'):
            self.env['res.partner'].sudo(self.contact_manager).create({
                'name': 'Self-declared hospital', 'is_company': True,
                'meddev_partner_kind': 'hospital'})
        self.distributor.sudo(self.contact_manager).write(
            {'phone': '010-1234', 'meddev_partner_kind': 'distributor'})
        self.distributor.sudo(self.reviewer).write(
            {'meddev_qualification_tier': 'standard'})
        self.assertEqual(self.distributor.meddev_qualification_tier,
                         'standard')
