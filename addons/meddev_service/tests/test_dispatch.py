from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError

from .common import MeddevServiceTicketCase, call_button, shanghai


class TestDispatch(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestDispatch, cls).setUpClass()
        engineers = cls.env['meddev.service.engineer']
        cls.near = engineers.create({
            'name': 'Zhang Wei', 'user_id': cls.user.id,
            'home_latitude': 31.20, 'home_longitude': 121.45,
            'calendar_id': cls.calendar.id,
            'skill_ids': [(0, 0, {'categ_id': cls.categ.id})]})
        cls.far = engineers.create({
            'name': 'Li Na', 'home_latitude': 30.26,
            'home_longitude': 120.14, 'calendar_id': cls.calendar.id,
            'skill_ids': [(0, 0, {'categ_id': cls.categ.id})]})
        cls.untrained = engineers.create({
            'name': 'Wang Fang', 'home_latitude': 31.23,
            'home_longitude': 121.47, 'calendar_id': cls.calendar.id,
            'skill_ids': [(0, 0, {'categ_id': cls.categ.id,
                                  'date_expiry': '2020-01-01'})]})
        cls.team.engineer_ids = cls.near | cls.far | cls.untrained

    def _suggest(self, ticket):
        action = ticket.sudo(self.dispatcher).action_suggest_engineers()
        return self.env['meddev.service.dispatch'].sudo(
            self.dispatcher).browse(action['res_id'])

    def test_ranking_by_skill_distance_and_why(self):
        ticket = self._ticket(planned_start=shanghai('2026-11-30 09:00'))
        wizard = self._suggest(ticket)
        self.assertEqual(wizard.line_ids.mapped('engineer_id'),
                         self.near | self.far)
        self.assertEqual(wizard.line_ids[0].engineer_id, self.near)
        self.assertIn('km away', wizard.line_ids[0].reason)
        # The expired training is why Wang Fang is left out.
        self.assertIn('Wang Fang', wizard.excluded)

    def test_workload_and_leave_lower_the_rank(self):
        busy = self._ticket(planned_start=shanghai('2026-11-30 13:00'))
        for _index in range(4):
            self._ticket(engineer_ids=[(6, 0, self.near.ids)],
                         planned_start=shanghai('2026-11-30 13:00'),
                         planned_duration=8)
        wizard = self._suggest(busy)
        self.assertEqual(wizard.line_ids[0].engineer_id, self.far)
        near_line = wizard.line_ids.filtered(
            lambda line: line.engineer_id == self.near)
        self.assertEqual(near_line.open_tickets, 4)
        self.assertEqual(near_line.planned_hours, 32)

        ticket = self._ticket(planned_start=shanghai('2026-12-02 09:00'))
        self.env['resource.calendar.leaves'].create({
            'name': 'Training', 'calendar_id': self.calendar.id,
            'resource_id': self.far.resource_id.id,
            'date_from': shanghai('2026-12-02 00:00'),
            'date_to': shanghai('2026-12-03 00:00')})
        wizard = self._suggest(ticket)
        far_line = wizard.line_ids.filtered(
            lambda line: line.engineer_id == self.far)
        self.assertTrue(far_line.on_leave)
        self.assertIn('on leave', far_line.reason)
        self.assertEqual(wizard.line_ids[-1], far_line)

    def test_dispatcher_sees_credit_hold(self):
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Overdue'})
        old = self._create_lot(self.monitor, 'X1-OLD-D')
        equipment = self.env['meddev.service.equipment'].create({
            'lot_id': old.id, 'partner_id': self.hospital.id,
            'install_date': '2020-01-01'})
        ticket = self._ticket(equipment_id=equipment.id)
        # The dispatcher (no credit group) is warned, naming the hold.
        wizard = self._suggest(ticket)
        self.assertEqual(wizard.env.user, self.dispatcher)
        self.assertIn('Overdue', wizard.credit_warning)
        self.assertIn('Overdue', ticket.sudo(self.dispatcher).credit_warning)

    def test_one_click_assign_by_dispatcher_only(self):
        ticket = self._ticket()
        wizard = self._suggest(ticket)
        line = wizard.line_ids[0]
        with self.assertRaises(AccessError):
            ticket.sudo(self.user).write(
                {'engineer_ids': [(4, self.far.id)]})
        # The engineer's own suggestions: assigning is refused.
        action = ticket.sudo(self.user).action_suggest_engineers()
        own = self.env['meddev.service.dispatch'].sudo(self.user).browse(
            action['res_id'])
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            call_button(own.line_ids[0], 'action_assign')
        self.assertIn('dispatcher', caught.exception.name)
        self.assertFalse(ticket.engineer_ids)
        call_button(line, 'action_assign')
        self.assertEqual(ticket.engineer_ids, self.near)
        self.assertEqual(ticket.user_id, self.user)
        self.assertIn('Zhang Wei', ticket.message_ids[0].body)

    def test_skill_by_device_class(self):
        trained = self.env['meddev.service.engineer'].create({
            'name': 'Zhao Lei', 'calendar_id': self.calendar.id,
            'skill_ids': [(0, 0, {'device_class': 'III'})]})
        self.team.engineer_ids = [(4, trained.id)]
        ticket = self._ticket()
        # Without the qualification hook the monitor is unclassified.
        wizard = self._suggest(ticket)
        self.assertNotIn(trained, wizard.line_ids.mapped('engineer_id'))
        self.assertIn('Zhao Lei', wizard.excluded)
        product_model = type(self.env['product.product'])
        with patch.object(
                product_model, '_meddev_device_classes', create=True,
                new=lambda products: {product.id: 'III'
                                      for product in products}):
            wizard = self._suggest(ticket)
        self.assertIn(trained, wizard.line_ids.mapped('engineer_id'))
        # A skill names a category or a class.
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            trained.write({'skill_ids': [(0, 0, {'level': 'basic'})]})
