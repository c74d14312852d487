from odoo.exceptions import AccessError

from .common import MeddevBaseCase, rpc

REFUSED = 'follows its parent company'


class TestCommercialPartner(MeddevBaseCase):
    """A partner's commercial partner is not given by hand over RPC (review
    issue 11c S1-5): Odoo 11 stores the value sent, and the licence and
    credit gates judge the partner by it. Its parent and company flag
    still move it, as in Odoo."""

    @classmethod
    def setUpClass(cls):
        super(TestCommercialPartner, cls).setUpClass()
        cls.editor = cls._create_user('commercial_editor')
        cls.distributor = cls.env['res.partner'].create(
            {'name': 'Licensed Distributor', 'is_company': True})
        cls.clinic = cls.env['res.partner'].create(
            {'name': 'Unlicensed Clinic', 'is_company': True})

    def test_written_by_hand_refused(self):
        with self.assertRaisesRegex(AccessError, REFUSED):
            rpc(self.editor, 'res.partner', 'write', [
                self.clinic.ids,
                {'commercial_partner_id': self.distributor.id}])
        self.clinic.invalidate_cache()
        self.assertEqual(self.clinic.commercial_partner_id, self.clinic)
        # The value it has already passes (a client sending the record).
        rpc(self.editor, 'res.partner', 'write', [
            self.clinic.ids, {'commercial_partner_id': self.clinic.id,
                              'phone': '021-1234'}])
        self.assertEqual(self.clinic.phone, '021-1234')

    def test_created_with_it_refused(self):
        vals = {'name': 'Clinic Branch', 'is_company': True}
        with self.assertRaisesRegex(AccessError, REFUSED):
            rpc(self.editor, 'res.partner', 'create', [dict(
                vals, commercial_partner_id=self.distributor.id)])
        with self.assertRaisesRegex(AccessError, REFUSED):
            rpc(self.editor, 'res.partner', 'create', [dict(vals)], {
                'default_commercial_partner_id': self.distributor.id})
        partner_id = rpc(self.editor, 'res.partner', 'create', [dict(vals)])
        partner = self.env['res.partner'].browse(partner_id)
        self.assertEqual(partner.commercial_partner_id, partner)

    def test_parent_still_moves_it(self):
        contact_id = rpc(self.editor, 'res.partner', 'create', [{
            'name': 'Dr. Wang', 'parent_id': self.clinic.id}])
        contact = self.env['res.partner'].browse(contact_id)
        self.assertEqual(contact.commercial_partner_id, self.clinic)
        # The superuser (a data migration) still may set it.
        self.clinic.write({'commercial_partner_id': self.distributor.id})
        self.assertEqual(self.clinic.commercial_partner_id, self.distributor)

    def test_refusal_in_chinese(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_base'], ['zh_CN'])
        with self.assertRaisesRegex(AccessError, '的商业伙伴由其上级公司'):
            rpc(self.editor, 'res.partner', 'write', [
                self.clinic.ids,
                {'commercial_partner_id': self.distributor.id}],
                {'lang': 'zh_CN'})
