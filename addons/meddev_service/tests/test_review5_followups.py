from odoo.exceptions import AccessError, UserError

from .common import MeddevServiceTicketCase
from .test_parts import PartsCase
from .test_workflow_context import rpc


class TestReview5Followups(MeddevServiceTicketCase):
    """S3 of review 5: the equipment's site is a service manager's; a
    product's warranty months are guarded on create and copy too."""

    @classmethod
    def setUpClass(cls):
        super(TestReview5Followups, cls).setUpClass()
        cls.sales = cls._create_user('srv_s3_sales', cls.env.ref(
            'sales_team.group_sale_manager'))
        cls.product_manager = cls._create_user('srv_s3_product_mgr', (
            cls.group_manager | cls.env.ref(
                'sales_team.group_sale_manager')))

    def test_engineer_cannot_move_the_equipment_site(self):
        ward = self.env['res.partner'].create(
            {'name': 'Ward 3', 'parent_id': self.hospital.id,
             'type': 'delivery'})
        with self.assertRaisesRegex(AccessError, 'Site'), \
                self.env.cr.savepoint():
            rpc(self.equipment.sudo(self.user), 'write',
                [{'site_id': ward.id}], {})
        self.equipment.invalidate_cache()
        self.assertEqual(self.equipment.site_id, self.hospital)
        # The same value sent back (a saved form) passes.
        rpc(self.equipment.sudo(self.user), 'write',
            [{'site_id': self.hospital.id}], {})
        rpc(self.equipment.sudo(self.manager), 'write',
            [{'site_id': ward.id}], {})
        self.assertEqual(self.equipment.site_id, ward)

    def test_warranty_months_on_product_create(self):
        for model in ('product.template', 'product.product'):
            for name in ('service_warranty_months',
                         'service_pm_interval_months'):
                with self.subTest(model=model, field=name), \
                        self.assertRaisesRegex(AccessError,
                                               'Only a service manager'), \
                        self.env.cr.savepoint():
                    self.env[model].sudo(self.sales).create(
                        {'name': 'Monitor Z', name: 36})
        self.assertFalse(self.env['product.template'].search(
            [('name', '=', 'Monitor Z')]))
        # Without service terms, or by a service manager: created.
        plain = self.env['product.template'].sudo(self.sales).create(
            {'name': 'Monitor Z'})
        self.assertFalse(plain.service_warranty_months)
        self.env['product.template'].sudo(self.product_manager).create(
            {'name': 'Monitor Z2', 'service_warranty_months': 36})

    def test_warranty_months_on_product_copy(self):
        template = self.monitor.product_tmpl_id
        # A copy keeps the original's terms, whoever copies it...
        copied = self.env['product.template'].browse(
            rpc(template.sudo(self.sales), 'copy', [], {}))
        self.assertEqual(copied.service_warranty_months, 12)
        self.assertEqual(copied.service_pm_interval_months, 6)
        # ... but other terms are a service manager's.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rpc(template.sudo(self.sales), 'copy',
                [{'service_warranty_months': 60}], {})
        copied = rpc(self.monitor.sudo(self.sales), 'copy', [], {})
        self.assertTrue(copied)


class TestPartSourceFollowups(PartsCase):
    """S3 of review 5 (N-9): the responsible engineer takes parts from his
    own van; a stock user takes them only from his companies'
    locations."""

    def test_responsible_engineer_uses_his_own_van(self):
        ticket = self.env['meddev.service.ticket'].create({
            'title': 'Board failure', 'team_id': self.team.id,
            'equipment_id': self.equipment.id, 'triage_done': True,
            'user_id': self.user.id})
        self.assertFalse(ticket.engineer_ids)
        part = self._part(self.new_board, ticket_id=ticket.id,
                          location_id=self.van.id)
        rpc(part.sudo(self.user), 'action_use', [], {})
        self.assertEqual(part.state, 'done')

    def test_stock_user_not_from_another_company(self):
        other = self.env['res.company'].create({'name': 'Parts Other Ltd'})
        foreign = self.env['stock.location'].create({
            'name': 'Foreign van', 'usage': 'internal',
            'company_id': other.id,
            'location_id': self.env.ref('stock.stock_location_locations').id})
        self.env['stock.quant']._update_available_quantity(
            self.board, foreign, 1, lot_id=self.new_board)
        stock_user = self._create_user('srv_s3_stock_user', (
            self.group_user | self.env.ref('stock.group_stock_user')))
        self.team.member_ids = [(4, stock_user.id)]
        part = self._part(self.new_board, location_id=foreign.id)
        with self.assertRaisesRegex(UserError, 'Foreign van'), \
                self.env.cr.savepoint():
            rpc(part.sudo(stock_user), 'action_use', [], {})
        part.invalidate_cache()
        self.assertEqual(part.state, 'draft')


class TestLeaderRecordsSatisfaction(PartsCase):
    """S3 of review 5 (N-10): the team leader who gets the follow-up call
    records the satisfaction through the wizard, dispatcher or not; the
    engineer who worked on the ticket does not."""

    def test_leader_without_dispatcher_group(self):
        leader = self._create_user('srv_s3_leader', self.group_user)
        self.team.write({'leader_id': leader.id,
                         'member_ids': [(4, leader.id)]})
        fault = self.env['meddev.fault.code'].create(
            {'code': 'S3L', 'name': 'Loose cable'})
        self.ticket.write({'fault_code_ids': [(6, 0, fault.ids)],
                           'stage_id': self.stage_done.id})

        def rate(user):
            action = self.ticket.sudo(user).action_record_satisfaction()
            wizard = self.env['meddev.service.satisfaction'].sudo(
                user).with_context(**action['context']).create(
                    {'rating': '5', 'feedback': 'ok'})
            return wizard.action_confirm()

        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rate(self.user)
        rate(leader)
        self.ticket.invalidate_cache()
        self.assertEqual(self.ticket.rating_last_value, 5)
