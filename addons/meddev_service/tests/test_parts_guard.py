from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import call_button
from .test_parts import PartsCase


class TestPartsGuard(PartsCase):
    """A used part comes only from _use() (stock moves and genealogy);
    part lines follow the ticket's team rule; using one is work on the
    ticket (S1-5); only used parts cost (S2-11)."""

    @classmethod
    def setUpClass(cls):
        super(TestPartsGuard, cls).setUpClass()
        cls.west_user = cls._create_user('srv_west', cls.group_user)
        cls.west = cls.env['meddev.service.team'].create({
            'name': 'West Team', 'calendar_id': cls.calendar.id,
            'tz': 'Asia/Shanghai',
            'member_ids': [(6, 0, cls.west_user.ids)]})

    def test_forged_used_part_refused(self):
        for vals in ({'state': 'done'}, {'billed': True},
                     {'link_id': self.env['meddev.lot.link'].search(
                         [], limit=1).id}):
            with self.subTest(vals=vals), \
                    self.assertRaises(UserError) as caught, \
                    self.env.cr.savepoint():
                self._part(self.new_board, **vals)
            self.assertIn('cannot be set directly', caught.exception.name)
        # Through the context of a create over RPC, too.
        model = self.env['meddev.service.ticket.part'].sudo(self.user)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            api.call_kw(model, 'create', [{
                'ticket_id': self.ticket.id, 'product_id': self.board.id,
                'lot_id': self.new_board.id}],
                {'context': {'default_state': 'done'}})
        self.assertFalse(self.ticket.part_ids)
        self.assertFalse(self.ticket._prepare_sale_lines())

    def test_other_team_cannot_touch_the_parts(self):
        part = self._part(self.new_board)
        model = self.env['meddev.service.ticket.part'].sudo(self.west_user)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            model.create({'ticket_id': self.ticket.id,
                          'product_id': self.board.id, 'quantity': 3})
        for action in (lambda line: line.write({'quantity': 9}),
                       lambda line: line.unlink(),
                       lambda line: call_button(line, 'action_use')):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                action(part.sudo(self.west_user))
        part.invalidate_cache()
        self.assertEqual(part.quantity, 1)
        self.assertEqual(part.state, 'draft')

    def test_use_needs_the_triage_and_the_credit_approval(self):
        ticket = self.env['meddev.service.ticket'].create({
            'title': 'No triage yet', 'team_id': self.team.id,
            'equipment_id': self.equipment.id})
        part = self._part(self.new_board, ticket_id=ticket.id)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            call_button(part, 'action_use')
        self.assertIn('triage', caught.exception.name)
        self.assertEqual(part.state, 'draft')
        # Answered, but billable for a customer on hold.
        ticket.sudo(self.user).action_confirm_triage()
        self.equipment.sudo().write({'install_date': '2019-01-01'})
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Unpaid since June'})
        self.assertTrue(ticket.billable)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            call_button(part, 'action_use')
        self.assertIn('Unpaid since June', caught.exception.name)
        self.assertEqual(part.state, 'draft')

    def test_only_used_parts_cost(self):
        part = self._part(self.new_board, unit_cost=5000.0)
        self.assertEqual(self.ticket.parts_cost, 0.0)
        self.assertEqual(self.ticket.total_cost, 0.0)
        call_button(part, 'action_use')
        self.assertEqual(part.unit_cost, 400.0)
        self.assertEqual(self.ticket.parts_cost, 400.0)
