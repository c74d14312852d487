from odoo import fields
from odoo.exceptions import UserError

from .common import MeddevTradeCase


class TestTradeGate(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestTradeGate, cls).setUpClass()
        # The gate checks orders on today's date too: dates are counted
        # from the real today.
        gate = cls.env['meddev.trade.gate']
        cls.today = fields.Date.context_today(gate)
        cls.in_30 = gate.days_later(cls.today, 30)
        cls.in_31 = gate.days_later(cls.today, 31)
        cls.salesman = cls._create_user(
            'gate_salesman',
            cls.env.ref('sales_team.group_sale_salesman')
            | cls.env.ref('stock.group_stock_user'))
        cls.buyer = cls._create_user(
            'gate_buyer', cls.env.ref('purchase.group_purchase_manager')
            | cls.env.ref('stock.group_stock_user'))
        cls.bl = cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls.filing = cls._create_licence(
            cls.distributor, cls.type_filing, 'F-001', long_term=True,
            scope=cls.cat_monitor)
        # The scope names the parent category: it covers X-ray units too.
        cls.trading = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=cls.cat_imaging)
        cls.ruikang = cls._create_partner('Ruikang Medical', 'distributor')
        cls.ruikang_licence = cls._create_licence(
            cls.ruikang, cls.type_trading, '沪食药监械经营许20190012号',
            valid_to=cls.in_30, scope=cls.cat_imaging)
        cls.contact = cls.env['res.partner'].create({
            'name': 'Li Na', 'parent_id': cls.distributor.id})

    def _sale(self, partner, products, date=None):
        return self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': partner.id,
            'date_order': (date or self.today) + ' 09:00:00',
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_uom_qty': 1, 'product_uom': product.uom_id.id,
                'price_unit': 10.0}) for product in products],
        })

    def _purchase(self, partner, products, date=None):
        return self.env['purchase.order'].sudo(self.buyer).create({
            'partner_id': partner.id,
            'date_order': (date or self.today) + ' 09:00:00',
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_qty': 1, 'product_uom': product.uom_id.id,
                'price_unit': 10.0,
                'date_planned': (date or self.today) + ' 09:00:00'})
                for product in products],
        })

    def test_licensed_sale_confirms(self):
        # Ordered through a contact: the company's licences count.
        order = self._sale(self.contact, self.product_i | self.product_ii
                           | self.product_xray | self.product_plain)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')

    def test_scope_gap_refused(self):
        order = self._sale(self.distributor, self.product_stent)
        with self.assertRaisesRegex(
                UserError, 'Stent: the scope of licence 京食药监械经营许20150035号 '
                r'\(Test Trading Licence\) of Kangda Medical does not cover '
                'category Passive implants'):
            order.action_confirm()
        self.assertEqual(order.state, 'draft')

    def test_scope_check_without_nested_set_bounds(self):
        # Odoo 11 leaves the nested-set bounds empty for categories created
        # while the registry loads (installation, Odoo's own test runner).
        self.env.cr.execute(
            "UPDATE meddev_device_category SET parent_left = NULL, "
            "parent_right = NULL WHERE id IN %s",
            (tuple((self.cat_imaging | self.cat_xray
                    | self.cat_implant).ids),))
        self.env['meddev.device.category'].invalidate_cache()
        order = self._sale(self.distributor, self.product_xray)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
        order = self._sale(self.distributor, self.product_stent)
        with self.assertRaisesRegex(UserError, 'does not cover category'):
            order.action_confirm()

    def test_one_message_lists_every_failing_line(self):
        expired_cert = self._create_product(
            'Old Catheter', 'II', self.cat_monitor, expiry='2026-01-31')
        order = self._sale(
            self.distributor, self.product_xray | self.product_stent
            | expired_cert | self.product_plain)
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        message = refusal.exception.name
        self.assertIn('%s cannot be confirmed' % order.name, message)
        self.assertIn('- Stent: the scope of licence', message)
        self.assertIn('- Old Catheter: the product certificate '
                      'CERT-Old Catheter expired on 2026-01-31', message)
        # Only the failing lines are listed.
        self.assertNotIn('X-ray Unit', message)
        self.assertNotIn('Brochure', message)
        self.assertEqual(order.state, 'draft')

    def test_expired_licence_refused(self):
        order = self._sale(self.ruikang, self.product_xray, self.in_31)
        with self.assertRaisesRegex(
                UserError, 'X-ray Unit: licence 沪食药监械经营许20190012号 '
                r'\(Test Trading Licence\) of Ruikang Medical is not valid on '
                r'%s \(valid until %s\)' % (self.in_31, self.in_30)):
            order.action_confirm()

    def test_missing_licence_refused(self):
        order = self._sale(self.ruikang, self.product_ii | self.product_i)
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        message = refusal.exception.name
        self.assertIn(
            'BP Monitor: Ruikang Medical holds no approved licence for '
            'Class II devices (needs: Test Class II Filing', message)
        self.assertIn('Mask: Ruikang Medical holds no approved licence for '
                      'Class I devices', message)

    def test_unapproved_and_revoked_licences_do_not_count(self):
        partner = self._create_partner('Kangning Medical', 'distributor')
        self._create_licence(
            partner, self.type_trading, '闽食药监械经营许20200021号',
            valid_to='2099-12-31', scope=self.cat_imaging, state='submitted')
        revoked = self._create_licence(
            partner, self.type_trading, '闽食药监械经营许20200022号',
            valid_to='2099-12-31', scope=self.cat_imaging, state='revoked')
        self.assertEqual(revoked.state, 'revoked')
        order = self._sale(partner, self.product_xray)
        with self.assertRaisesRegex(UserError, 'holds no approved licence'):
            order.action_confirm()

    def test_watchlist_refused(self):
        self.distributor.write({
            'meddev_watchlist': True,
            'meddev_watchlist_reason': 'Licence forged',
            'meddev_watchlist_source': 'NMPA notice 2026-12'})
        order = self._sale(self.distributor, self.product_i)
        with self.assertRaisesRegex(
                UserError, r'Mask: Kangda Medical is on the watchlist '
                r'\(Licence forged\)'):
            order.action_confirm()

    def test_near_expiry_warns_in_chatter(self):
        order = self._sale(self.ruikang, self.product_xray)
        order.action_confirm()
        self.assertEqual(order.state, 'sale')
        bodies = order.message_ids.mapped('body')
        self.assertTrue(any(
            '沪食药监械经营许20190012号' in body
            and 'expires on %s, in 30 days' % self.in_30 in body
            for body in bodies), bodies)

    def test_delivery_checked_on_delivery_date(self):
        # Ordered while the licence was valid; it has expired since.
        order = self._sale(self.ruikang, self.product_xray)
        order.action_confirm()
        self.env['meddev.partner.licence']._cron_check_expiry(
            today=self.in_31)
        self.assertEqual(self.ruikang_licence.state, 'expired')
        picking = order.picking_ids.sudo(self.salesman)
        picking.move_lines.write({'quantity_done': 1})
        with self.assertRaises(UserError) as refusal:
            picking.action_done()
        self.assertIn(
            '%s cannot be delivered:\n- X-ray Unit: licence '
            '沪食药监械经营许20190012号' % picking.name, refusal.exception.name)
        self.assertNotEqual(picking.state, 'done')

    def test_licensed_delivery_done(self):
        order = self._sale(self.distributor, self.product_xray)
        order.action_confirm()
        picking = order.picking_ids.sudo(self.salesman)
        picking.move_lines.write({'quantity_done': 1})
        picking.action_done()
        self.assertEqual(picking.state, 'done')

    def test_purchase_checks_the_supplier(self):
        self._create_licence(
            self.supplier, self.type_business, '91440300306000012W',
            long_term=True)
        order = self._purchase(self.supplier, self.product_ii)
        with self.assertRaisesRegex(
                UserError, 'BP Monitor: Maikang Devices holds no approved '
                'licence for Class II devices'):
            order.button_confirm()
        self.assertEqual(order.state, 'draft')
        self._create_licence(self.supplier, self.type_filing, 'F-002',
                             long_term=True, scope=self.cat_monitor)
        order.button_confirm()
        self.assertEqual(order.state, 'purchase')

    def test_cost_does_not_grow_with_lines_or_licences(self):
        gate = self.env['meddev.trade.gate']
        company = self.env.user.company_id

        def count_queries(partner, products):
            items = [(partner, partner, product, self.today, company)
                     for product in products]
            self.env['res.partner'].invalidate_cache()
            before = self.env.cr.sql_log_count
            gate.check_items(items)
            return self.env.cr.sql_log_count - before

        small = count_queries(
            self.distributor,
            self.product_i | self.product_ii | self.product_xray)
        products = self.product_i
        for index in range(15):
            products |= self._create_product(
                'Device %s' % index, ('I', 'II', 'III')[index % 3],
                (self.cat_xray, self.cat_monitor, self.cat_implant)[index % 3])
            self._create_licence(
                self.distributor, self.type_trading,
                '京食药监械经营许2016%04d号' % index, valid_to='2099-12-31',
                scope=self.cat_implant)
        large = count_queries(self.distributor, products)
        self.assertEqual(small, large)

    def test_refusal_in_chinese(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_qualification'], ['zh_CN'])
        order = self._sale(self.distributor, self.product_stent)
        with self.assertRaises(UserError) as refusal:
            order.with_context(lang='zh_CN').action_confirm()
        self.assertIn('%s 不能确认' % order.name, refusal.exception.name)
        self.assertIn('的经营范围不涵盖分类 Passive implants',
                      refusal.exception.name)
        # Each line too, not only the heading.
        self.assertIn('- Stent：', refusal.exception.name)

    def test_order_date_in_the_users_time_zone(self):
        gate = self.env['meddev.trade.gate']
        self.assertEqual(
            gate.with_context(tz='Asia/Shanghai').date_of(
                '2026-03-31 23:30:00'), '2026-04-01')
        self.assertEqual(
            gate.with_context(tz='UTC').date_of('2026-03-31 23:30:00'),
            '2026-03-31')
