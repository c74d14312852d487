from odoo import api
from odoo.exceptions import AccessError, UserError

from .common import MeddevServiceTicketCase, call_button


class TestReopenBilling(MeddevServiceTicketCase):
    """A closed service record is reopened by a dispatcher or manager
    only; closing it again bills what was added since (S2-4); the
    first-time fix is the dispatcher's call and a reopening clears it
    (S2-3)."""

    @classmethod
    def setUpClass(cls):
        super(TestReopenBilling, cls).setUpClass()
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-REOPEN').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})
        cls.fault = cls.env['meddev.fault.code'].create(
            {'code': 'REO', 'name': 'Intermittent'})

    def _closed_ticket(self):
        ticket = self._ticket(equipment_id=self.old_equipment.id,
                              triage_done=True)
        as_user = ticket.sudo(self.user)
        as_user.write({'labour_hours': 2,
                       'fault_code_ids': [(6, 0, self.fault.ids)]})
        call_button(as_user, 'action_arrive_on_site')
        as_user.write({'stage_id': self.stage_done.id})
        self.assertTrue(ticket.close_date)
        return ticket

    def test_engineer_cannot_reopen(self):
        ticket = self._closed_ticket()
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            ticket.sudo(self.user).write(
                {'stage_id': self.stage_progress.id})
        self.assertIn(ticket.name, caught.exception.name)
        ticket.invalidate_cache()
        self.assertTrue(ticket.is_closed)

    def test_dispatcher_reopens_with_the_button_only(self):
        """Review 11c S3-4: a closed service record is not reopened by a
        dispatcher's stage write over RPC (its closing date, bill and
        clocks kept); the Reopen button reopens it."""
        ticket = self._closed_ticket()
        order = ticket.sale_order_id
        for stage in (self.stage_progress, self.stage_new,
                      self.env['meddev.service.stage']):
            with self.assertRaisesRegex(
                    UserError, 'The ticket %s is closed or cancelled: use '
                               'the Reopen button' % ticket.name), \
                    self.env.cr.savepoint():
                api.call_kw(
                    self.env['meddev.service.ticket'].sudo(self.dispatcher),
                    'write', [ticket.ids, {'stage_id': stage.id or False}],
                    {'context': {'lang': 'en_US'}})
        ticket.invalidate_cache()
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(ticket.close_date)
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.close_date)
        self.assertEqual(ticket.sale_order_id, order)

    def test_reclose_bills_the_added_work_only(self):
        ticket = self._closed_ticket()
        first = ticket.sale_order_id
        # Labour 2 h x 300.
        self.assertEqual(first.amount_untaxed, 600.0)
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        self.assertFalse(ticket.close_date)
        ticket.sudo(self.user).write({'labour_hours': 3.5,
                                      'travel_hours': 1})
        ticket.sudo(self.user).write({'stage_id': self.stage_done.id})
        second = ticket.sale_order_id
        self.assertNotEqual(second, first)
        # The delta: 1.5 h labour x 300 + 1 h travel x 100.
        self.assertEqual(second.amount_untaxed, 550.0)
        self.assertEqual(first.amount_untaxed, 600.0)
        # Closed again with nothing added: no third order.
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        ticket.sudo(self.user).write({'stage_id': self.stage_done.id})
        self.assertEqual(ticket.sale_order_id, second)

    def test_first_time_fix_by_dispatcher_cleared_on_reopen(self):
        ticket = self._closed_ticket()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            ticket.sudo(self.user).write({'first_time_fix': True})
        ticket.sudo(self.dispatcher).write({'first_time_fix': True})
        self.assertEqual(ticket.first_time_fix_pct, 100.0)
        call_button(ticket.sudo(self.dispatcher), 'action_reopen')
        self.assertFalse(ticket.first_time_fix)
        self.assertEqual(ticket.first_time_fix_pct, 0.0)
