from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase


class TestDemoGate(SavepointCase):
    """The demo database shows the gate: a confirmed order for the fully
    qualified distributor, a quotation the gate refuses for the one with
    a scope gap. The suite's test command always loads demo data: without
    it these tests fail on the missing records rather than pass silently."""

    def _demo(self, xmlid):
        return self.env.ref('meddev_qualification.%s' % xmlid)

    def test_qualified_distributor_order_confirmed(self):
        order = self._demo('sale_order_kangda_demo')
        self.assertEqual(order.state, 'sale')

    def test_scope_gap_order_refused(self):
        order = self._demo('sale_order_kangning_demo')
        self.assertEqual(order.state, 'draft')
        with self.assertRaisesRegex(UserError, 'does not cover category'):
            order.action_confirm()
        self.assertEqual(order.state, 'draft')


class TestDemoUsers(SavepointCase):
    """The demo shows each role: the salesperson records licences, the
    reviewer decides on them."""

    def test_salesperson_records_licences(self):
        salesperson = self.env.ref('base.user_demo')
        self.assertTrue(salesperson.has_group(
            'meddev_qualification.group_meddev_qualification_user'))
        partner = self.env.ref('meddev_qualification.partner_kangda_demo')
        licence_type = self.env.ref(
            'meddev_qualification.licence_kangda_bl_demo').licence_type_id
        licence = self.env['meddev.partner.licence'].sudo(salesperson).create(
            {'partner_id': partner.id, 'licence_type_id': licence_type.id,
             'number': '91110000100000000R'})
        self.assertEqual(licence.state, 'draft')

    def test_reviewer_decides(self):
        reviewer = self.env.ref(
            'meddev_qualification.user_reviewer_demo')
        self.assertTrue(reviewer.has_group(
            'meddev_qualification.group_meddev_qualification_reviewer'))
        self.assertFalse(reviewer.has_group('base.group_system'))
        self.assertIn(reviewer, reviewer.company_id.meddev_compliance_user_ids)
