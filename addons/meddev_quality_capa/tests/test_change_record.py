from odoo.exceptions import UserError

from .common import MeddevQualityCapaCase, call_button


class TestChangeRecord(MeddevQualityCapaCase):

    @classmethod
    def setUpClass(cls):
        super(TestChangeRecord, cls).setUpClass()
        lots = cls.env['stock.production.lot']
        cls.old_serial = cls.serial
        cls.old_serial.production_date = '2026-01-15'
        # Recorded out of the order they were made: the last one recorded
        # was made before the change.
        cls.later = lots.create({'name': 'IP300-0101',
                                 'product_id': cls.pump.id,
                                 'production_date': '2026-04-10'})
        cls.first_after = lots.create({'name': 'IP300-0100',
                                       'product_id': cls.pump.id,
                                       'production_date': '2026-04-02'})
        cls.made_before = lots.create({'name': 'IP300-0099',
                                       'product_id': cls.pump.id,
                                       'production_date': '2026-03-28'})

    def test_signed_approval_then_lots_before_and_after(self):
        record = self.env['meddev.change.record'].sudo(self.user).create({
            'title': '报警模块更换供应商', 'change_type': 'supplier',
            'product_ids': [(6, 0, self.pump.ids)],
            'description': '由深圳精密电子改为苏州华芯'})
        self.assertRegex(record.name, r'^CHG/')
        with self.assertRaisesRegex(UserError, 'not approved'):
            call_button(record, 'action_make_effective')
        # A quality user cannot approve, with or without a password.
        with self.assertRaisesRegex(UserError, 'quality managers'), \
                self.cr.savepoint():
            self._sign(self.user, record,
                       'action_request_approval_signature', 'approval')
        with self.assertRaisesRegex(UserError, 'Wrong password'):
            self._sign(self.manager, record,
                       'action_request_approval_signature', 'approval',
                       password='nope')
        self.assertEqual(record.state, 'draft')
        # Without the wizard's signature the approval is refused.
        with self.assertRaisesRegex(UserError, 'electronic signature'):
            call_button(record.sudo(self.manager), 'action_approve_signed')
        self._sign(self.manager, record, 'action_request_approval_signature',
                   'approval')
        self.assertEqual(record.state, 'approved')
        self.assertEqual(record.approved_by_id, self.manager)
        with self.assertRaisesRegex(UserError, 'first lot'):
            call_button(record, 'action_make_effective')
        record.write({'first_lot_id': self.first_after.id,
                      'effective_date': '2026-04-01'})
        call_button(record, 'action_make_effective')
        self.assertEqual(record.state, 'effective')
        lots = self.env['stock.production.lot']
        after = lots.search(
            call_button(record, 'action_view_lots_after')['domain'])
        before = lots.search(
            call_button(record, 'action_view_lots_before')['domain'])
        self.assertEqual(after, self.first_after | self.later)
        self.assertEqual(before, self.old_serial | self.made_before)
        with self.assertRaisesRegex(UserError, 'Cancel it instead'):
            record.sudo().unlink()

    def _effective_change(self):
        record = self.env['meddev.change.record'].sudo(self.user).create({
            'title': '报警模块更换供应商', 'change_type': 'supplier',
            'product_ids': [(6, 0, self.pump.ids)],
            'description': '由深圳精密电子改为苏州华芯'})
        self._sign(self.manager, record, 'action_request_approval_signature',
                   'approval')
        record.write({'first_lot_id': self.first_after.id,
                      'effective_date': '2026-04-01'})
        call_button(record, 'action_make_effective')
        return record

    def test_lot_shows_before_or_after_each_change(self):
        record = self._effective_change()
        # A draft change record of the product is not shown on its lots.
        self.env['meddev.change.record'].sudo(self.user).create({
            'title': '草稿变更', 'change_type': 'labelling',
            'product_ids': [(6, 0, self.pump.ids)], 'description': '标签'})
        lots = self.env['stock.production.lot'].sudo(self.user)
        for lot, position in ((self.made_before, 'Before the change'),
                              (self.old_serial, 'Before the change'),
                              (self.first_after, 'After the change'),
                              (self.later, 'After the change')):
            lot = lots.browse(lot.id)
            self.assertEqual(lot.meddev_change_record_ids, record)
            self.assertEqual(lot.meddev_change_count, 1)
            html = lot.meddev_change_position_html
            self.assertIn(record.name, html)
            self.assertIn(position, html)
            action = call_button(lot, 'action_view_change_records')
            self.assertEqual(
                self.env['meddev.change.record'].search(action['domain']),
                record)
        # Outside the quality groups the lot shows no change record.
        stock_user = self._create_user(
            'qa_stock', self.env.ref('stock.group_stock_user'))
        lot = self.made_before.sudo(stock_user)
        self.assertEqual(lot.meddev_change_count, 0)
        self.assertFalse(lot.meddev_change_position_html)
