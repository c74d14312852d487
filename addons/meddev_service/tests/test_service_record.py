from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import call_button
from .test_parts import PartsCase
from .test_workflow_context import rpc


class ServiceRecordCase(PartsCase):

    @classmethod
    def setUpClass(cls):
        super(ServiceRecordCase, cls).setUpClass()
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'REC', 'name': 'Power supply'})
        cls.other_fault = cls.env['meddev.fault.code'].create(
            {'code': 'OTH', 'name': 'Other'})

    def _closed(self, **vals):
        values = {'title': 'Power failure', 'team_id': self.team.id,
                  'equipment_id': self.equipment.id, 'triage_done': True,
                  'fault_code_ids': [(6, 0, self.fault.ids)],
                  'work_done': '<p>Replaced the fuse.</p>',
                  'labour_hours': 1}
        values.update(vals)
        model = self.env['meddev.service.ticket'].sudo(self.user)
        ticket = model.browse(api.call_kw(model, 'create', [values],
                                          {'context': {}}))
        rpc(ticket.sudo(self.user), 'write',
            [{'stage_id': self.stage_done.id}], {})
        self.assertTrue(ticket.is_closed)
        return ticket


class TestClosedServiceRecord(ServiceRecordCase):
    """A closed ticket is a service record: an engineer changes its work,
    hours, codes or triage only after a dispatcher reopens it; the
    chatter stays open and the customer signs (N-5)."""

    def test_engineer_cannot_edit_a_closed_record(self):
        ticket = self._closed()
        for vals in ({'work_done': '<p>Nothing</p>'}, {'labour_hours': 9},
                     {'travel_hours': 3},
                     {'fault_code_ids': [(6, 0, self.other_fault.ids)]},
                     {'test_results': 'all fine'},
                     {'description': 'rewritten'}):
            with self.subTest(vals=vals), \
                    self.assertRaises(AccessError) as caught, \
                    self.env.cr.savepoint():
                rpc(ticket.sudo(self.user), 'write', [vals], {})
            self.assertIn('closed', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.labour_hours, 1)
        self.assertEqual(ticket.fault_code_ids, self.fault)
        # Sent back unchanged: accepted; the chatter stays open.
        rpc(ticket.sudo(self.user), 'write', [{'labour_hours': 1}], {})
        ticket.sudo(self.user).message_post(body='Called the customer')
        # The customer signs the closed report, once.
        rpc(ticket.sudo(self.user), 'write',
            [{'signature': 'aGVsbG8=', 'signed_by': 'Head Nurse'}], {})
        call_button(ticket.sudo(self.user), 'action_sign')
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            rpc(ticket.sudo(self.user), 'write',
                [{'signed_by': 'Somebody else'}], {})
        # Reopened by a dispatcher (the button), the engineer edits again.
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        rpc(ticket.sudo(self.user), 'write', [{'labour_hours': 2}], {})
        self.assertEqual(ticket.labour_hours, 2)

    def test_triage_frozen_once_marked_for_quality(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        ticket = model.browse(api.call_kw(model, 'create', [{
            'title': 'Shock', 'team_id': self.team.id,
            'equipment_id': self.equipment.id, 'triage_done': True,
            'triage_complaint': True}], {'context': {}}))
        self.assertTrue(ticket.quality_flag)
        for user in (self.user, self.dispatcher):
            for vals in ({'triage_complaint': False},
                         {'triage_done': False}):
                with self.subTest(user=user.login, vals=vals), \
                        self.assertRaises(AccessError) as caught, \
                        self.env.cr.savepoint():
                    rpc(ticket.sudo(user), 'write', [vals], {})
                self.assertIn('quality', caught.exception.name)
        ticket.invalidate_cache()
        self.assertTrue(ticket.quality_flag)
        # More is learnt: an answer goes from no to yes.
        rpc(ticket.sudo(self.user), 'write',
            [{'triage_adverse_event': True}], {})
        self.assertTrue(ticket.triage_adverse_event)
        # A service manager corrects an answer.
        rpc(ticket.sudo(self.manager), 'write',
            [{'triage_complaint': False}], {})
        self.assertFalse(ticket.triage_complaint)
        self.assertTrue(ticket.quality_flag)


class TestEquipmentStateAndMaintenance(ServiceRecordCase):
    """An engineer does not scrap equipment (the crons skip it) nor move
    its maintenance date with a hand-made maintenance ticket (N-6)."""

    def test_engineer_cannot_change_the_equipment_state(self):
        for state in ('scrapped', 'returned'):
            with self.subTest(state=state), \
                    self.assertRaises(AccessError), \
                    self.env.cr.savepoint():
                rpc(self.equipment.sudo(self.user), 'write',
                    [{'state': state}], {})
        self.assertEqual(self.equipment.state, 'installed')
        rpc(self.equipment.sudo(self.manager), 'write',
            [{'state': 'returned'}], {})
        self.assertEqual(self.equipment.state, 'returned')

    def test_hand_made_pm_ticket_keeps_the_maintenance_date(self):
        before = self.equipment.last_maintenance_date
        ticket = self._closed(ticket_type='pm', fault_code_ids=[],
                              labour_hours=0)
        self.assertFalse(ticket.pm_plan_id)
        self.equipment.invalidate_cache()
        self.assertEqual(self.equipment.last_maintenance_date, before)
        # Closed by a dispatcher, it records the maintenance.
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        rpc(ticket.sudo(self.dispatcher), 'write',
            [{'stage_id': self.stage_done.id}], {})
        self.equipment.invalidate_cache()
        self.assertEqual(self.equipment.last_maintenance_date,
                         ticket.close_date[:10])


class TestWarrantyTerms(ServiceRecordCase):
    """The warranty and maintenance interval of a product decide every
    installed serial's coverage: service managers set them, tracked
    (N-8)."""

    def test_sales_and_stock_managers_cannot_change_the_warranty(self):
        sales = self._create_user('srv_sales_mgr', self.env.ref(
            'sales_team.group_sale_manager'))
        stock = self._create_user('srv_stock_mgr', self.env.ref(
            'stock.group_stock_manager'))
        for user in (sales, stock):
            for model, record in (
                    ('product.template', self.monitor.product_tmpl_id),
                    ('product.product', self.monitor)):
                for name in ('service_warranty_months',
                             'service_pm_interval_months'):
                    with self.subTest(user=user.login, model=model,
                                      field=name), \
                            self.assertRaises(AccessError), \
                            self.env.cr.savepoint():
                        rpc(record.sudo(user), 'write', [{name: 60}], {})
        self.monitor.invalidate_cache()
        self.assertEqual(self.monitor.service_warranty_months, 12)
        # Other product fields stay theirs.
        rpc(self.monitor.sudo(sales), 'write',
            [{'name': 'Monitor X1 Plus'}], {})
        # A service manager who edits products sets them.
        manager = self._create_user('srv_product_mgr', (
            self.group_manager | self.env.ref(
                'sales_team.group_sale_manager')))
        template = self.monitor.product_tmpl_id
        rpc(template.sudo(manager), 'write',
            [{'service_warranty_months': 24}], {})
        self.assertEqual(self.monitor.service_warranty_months, 24)
        self.assertTrue(template.message_ids.filtered(
            lambda message: message.tracking_value_ids.filtered(
                lambda value: value.field == 'service_warranty_months')))


class TestPartOrigin(ServiceRecordCase):
    """A part comes from the crew's van or the team's warehouse, and the
    removed lot is a component of the serial (N-9)."""

    @classmethod
    def setUpClass(cls):
        super(TestPartOrigin, cls).setUpClass()
        cls.other_van = cls.env['stock.location'].create({
            'name': 'Van of another team', 'usage': 'internal',
            'location_id': cls.env.ref('stock.stock_location_locations').id})
        cls.env['stock.quant']._update_available_quantity(
            cls.board, cls.other_van, 1, lot_id=cls.new_board)

    def test_part_from_another_location_refused(self):
        part = self._part(self.new_board, location_id=self.other_van.id)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            rpc(part.sudo(self.user), 'action_use', [], {})
        self.assertIn(self.other_van.name, caught.exception.name)
        part.invalidate_cache()
        self.assertEqual(part.state, 'draft')
        # A stock user may take it from there.
        stock_user = self._create_user('srv_stock_user', (
            self.group_user | self.env.ref('stock.group_stock_user')))
        self.team.member_ids = [(4, stock_user.id)]
        rpc(part.sudo(stock_user), 'action_use', [], {})
        self.assertEqual(part.state, 'done')

    def test_removed_lot_outside_the_genealogy_refused(self):
        part = self._part(self.new_board, removed_lot_id=self.bad_board.id)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            rpc(part.sudo(self.user), 'action_use', [], {})
        self.assertIn(self.bad_board.name, caught.exception.name)
        part.invalidate_cache()
        self.assertEqual(part.state, 'draft')
        self.assertFalse(part.sudo().return_move_id)
        part.write({'removed_lot_id': self.old_board.id})
        rpc(part.sudo(self.user), 'action_use', [], {})
        self.assertEqual(part.state, 'done')


class TestSatisfaction(ServiceRecordCase):
    """The satisfaction is recorded on a closed ticket, once, by a
    dispatcher or team leader who did not work on it (N-10)."""

    def _rate(self, ticket, user, rate=10):
        return ticket.sudo(user)._record_satisfaction(rate, 'ok')

    def test_satisfaction_rules(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        ticket = model.browse(api.call_kw(model, 'create', [{
            'title': 'Noise', 'team_id': self.team.id,
            'equipment_id': self.equipment.id, 'triage_done': True,
            'fault_code_ids': [(6, 0, self.fault.ids)]}], {'context': {}}))
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._rate(ticket, self.dispatcher)
        ticket.sudo(self.dispatcher).write(
            {'engineer_ids': [(6, 0, self.engineer.ids)]})
        rpc(ticket.sudo(self.user), 'write',
            [{'stage_id': self.stage_done.id}], {})
        # The engineer who did the work does not rate it.
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._rate(ticket, self.user, 1)
        self.assertFalse(ticket.sudo().rating_ids.filtered('consumed'))
        self._rate(ticket, self.dispatcher, 5)
        self.assertEqual(ticket.rating_last_value, 5)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._rate(ticket, self.dispatcher, 10)
        ticket.invalidate_cache()
        self.assertEqual(ticket.rating_last_value, 5)
