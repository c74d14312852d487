import base64

from odoo.exceptions import ValidationError

from .common import MeddevQualityCapaCase, call_button


class TestSupplierCertificates(MeddevQualityCapaCase):
    """A supplier corrective action request shows, mails and publishes the
    certificates (合格证 / 检测报告) of the supplier's lots: those attached to
    the lots and to the supplier's receipts that brought them."""

    @classmethod
    def setUpClass(cls):
        super(TestSupplierCertificates, cls).setUpClass()
        ref = cls.env.ref
        cls.supplier = cls.env['res.partner'].create({
            'name': '深圳精密电子有限公司', 'is_company': True,
            'supplier': True, 'email': 'qa@jingmi.example.com'})
        cls.other_supplier = cls.env['res.partner'].create({
            'name': '东莞电子', 'is_company': True, 'supplier': True})
        cls.board = cls.env['product.product'].create({
            'name': '报警电路板', 'type': 'product', 'tracking': 'lot'})
        cls.lot = cls.env['stock.production.lot'].create({
            'name': 'AB-2603', 'product_id': cls.board.id})
        cls.stock = ref('stock.stock_location_stock')
        cls.suppliers = ref('stock.stock_location_suppliers')
        cls.receipt = cls._receive(cls.supplier, cls.lot)
        cls.foreign = cls._receive(cls.other_supplier, cls.lot)
        cls.coc = cls._attach('合格证-AB-2603.pdf', cls.receipt)
        cls.test_report = cls._attach('检测报告-AB-2603.pdf', cls.lot)
        cls.foreign_coc = cls._attach('合格证-东莞.pdf', cls.foreign)
        cls.owner = cls._create_user('qa_owner', cls.group_user)
        cls.capa = cls.env['meddev.capa'].create({
            'problem': '报警电路板虚焊', 'source': 'supplier'})

    @classmethod
    def _attach(cls, name, record):
        return cls.env['ir.attachment'].create({
            'name': name, 'datas_fname': name,
            'res_model': record._name, 'res_id': record.id,
            'datas': base64.b64encode(b'%PDF certificate')})

    def test_request_carries_the_lots_certificates(self):
        action = self.env['meddev.capa.action'].sudo(self.user).create({
            'capa_id': self.capa.id, 'name': '供应商纠正措施：报警电路板',
            'owner_id': self.owner.id, 'due_date': '2026-04-15',
            'supplier_id': self.supplier.id,
            'supplier_lot_ids': [(6, 0, self.lot.ids)]})
        # A quality user without stock rights sees what exists.
        self.assertEqual(action.receipt_ids, self.receipt)
        self.assertEqual(action.certificate_ids,
                         self.coc | self.test_report)
        summary = action.certificate_summary
        for text in ('AB-2603', self.receipt.name, '合格证-AB-2603.pdf',
                     '检测报告-AB-2603.pdf'):
            self.assertIn(text, summary)
        # Another supplier's receipt and certificate are not this one's.
        self.assertNotIn(self.foreign.name, summary)
        self.assertNotIn('合格证-东莞.pdf', summary)
        call_button(action, 'action_send_to_supplier')
        body = action.message_ids[0].body
        self.assertIn('合格证-AB-2603.pdf', body)
        self.assertIn(self.receipt.name, body)

    def test_no_supplier_no_certificates(self):
        action = self.env['meddev.capa.action'].create({
            'capa_id': self.capa.id, 'name': '内部纠正', 'owner_id':
            self.owner.id, 'due_date': '2026-04-15',
            'supplier_lot_ids': [(6, 0, self.lot.ids)]})
        self.assertFalse(action.certificate_ids)
        self.assertFalse(action.receipt_ids)

    def test_lots_from_another_supplier_refused(self):
        theirs = self.env['stock.production.lot'].create({
            'name': 'DG-2604', 'product_id': self.board.id})
        self._receive(self.other_supplier, theirs)
        actions = self.env['meddev.capa.action'].sudo(self.user)
        vals = {'capa_id': self.capa.id, 'name': '供应商纠正措施',
                'owner_id': self.owner.id, 'due_date': '2026-04-15',
                'supplier_id': self.supplier.id}
        with self.assertRaisesRegex(ValidationError, 'DG-2604'), \
                self.cr.savepoint():
            actions.create(dict(vals, supplier_lot_ids=[(6, 0, theirs.ids)]))
        action = actions.create(dict(
            vals, supplier_lot_ids=[(6, 0, self.lot.ids)]))
        with self.assertRaisesRegex(ValidationError, 'not received from'), \
                self.cr.savepoint():
            action.write({'supplier_lot_ids': [(4, theirs.id)]})
        # Nor by changing the supplier afterwards.
        third = self.env['res.partner'].create({
            'name': '第三供应商', 'is_company': True, 'supplier': True})
        with self.assertRaisesRegex(ValidationError, 'AB-2603'), \
                self.cr.savepoint():
            action.write({'supplier_id': third.id})
        action.invalidate_cache()
        self.assertEqual(action.supplier_lot_ids, self.lot)
        self.assertEqual(action.supplier_id, self.supplier)
