from datetime import datetime, timedelta

from odoo import api, fields
from odoo.exceptions import AccessError, UserError

from .common import MeddevServiceTicketCase


class TestContextDefaults(MeddevServiceTicketCase):
    """A create over RPC carries a context: its ``default_*`` keys reach
    the record after create() saw the values. Every guard holds against
    them, for an ordinary engineer calling through call_kw."""

    @classmethod
    def setUpClass(cls):
        super(TestContextDefaults, cls).setUpClass()
        cls.old_equipment = cls.env['meddev.service.equipment'].create({
            'lot_id': cls._create_lot(cls.monitor, 'X1-CTX').id,
            'partner_id': cls.hospital.id, 'install_date': '2020-01-15'})
        cls.engineer = cls.env['meddev.service.engineer'].create(
            {'name': 'Li Na', 'user_id': cls.user.id})

    def _create(self, context, user=None, **vals):
        """Create a ticket as the web client does: call_kw with the
        context in the keyword arguments."""
        values = {'title': 'Monitor resets', 'team_id': self.team.id,
                  'equipment_id': self.old_equipment.id}
        values.update(vals)
        model = self.env['meddev.service.ticket'].sudo(user or self.user)
        return model.browse(api.call_kw(
            model, 'create', [values], {'context': context}))

    def _refused(self, context, exception=UserError):
        count = self.env['meddev.service.ticket'].search_count([])
        with self.assertRaises(exception) as caught, \
                self.env.cr.savepoint():
            self._create(context)
        self.assertEqual(
            self.env['meddev.service.ticket'].search_count([]), count)
        return caught.exception.name

    def test_self_approved_credit_refused(self):
        message = self._refused({
            'default_credit_approved_by': self.user.id,
            'default_credit_approval_date': fields.Datetime.now()})
        self.assertIn('Credit Approved by', message)

    def test_forged_visit_times_refused(self):
        now = fields.Datetime.now()
        for name in ('first_response_date', 'onsite_date',
                     'work_start_date', 'close_date', 'sla_status'):
            with self.subTest(field=name):
                value = 'met' if name == 'sla_status' else now
                self._refused({'default_' + name: value})

    def test_dispatch_fields_refused(self):
        for key, value in (
                ('default_patient_safety', True),
                ('default_user_id', self.user.id),
                ('default_engineer_ids', [(6, 0, self.engineer.ids)]),
                ('default_first_time_fix', True)):
            with self.subTest(key=key):
                message = self._refused({key: value}, AccessError)
                self.assertIn('dispatcher', message)
        # A dispatcher may.
        ticket = self._create({'default_patient_safety': True},
                              user=self.dispatcher)
        self.assertTrue(ticket.patient_safety)

    def test_opening_time_default_refused(self):
        past = fields.Datetime.to_string(
            datetime.utcnow() - timedelta(days=30))
        message = self._refused({'default_date_open': past}, AccessError)
        self.assertIn('opening time', message)

    def test_closing_stage_default_refused(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            api.call_kw(model, 'create', [{
                'title': 'Born closed',
                'equipment_id': self.old_equipment.id}],
                {'context': {'default_stage_id': self.stage_done.id}})
        self.assertIn(self.stage_done.name, caught.exception.name)
        self.assertFalse(model.search([('title', '=', 'Born closed')]))

    def test_forged_coverage_without_recompute_refused(self):
        self._refused({'recompute': False, 'default_coverage': 'warranty',
                       'default_billable': True})
        # recompute=False alone: the ticket is still computed billable.
        ticket = self._create({'recompute': False})
        ticket.invalidate_cache()
        self.assertTrue(ticket.billable)
        self.assertEqual(ticket.coverage, 'none')

    def test_web_client_defaults_pass(self):
        # The equipment's "Service History" action sends these defaults.
        model = self.env['meddev.service.ticket'].sudo(self.user)
        ticket = model.browse(api.call_kw(
            model, 'create', [{'title': 'From history'}], {'context': {
                'default_equipment_id': self.old_equipment.id,
                'default_partner_id': self.hospital.id,
                'default_team_id': self.team.id,
                'default_ticket_type': 'repair'}}))
        self.assertEqual(ticket.equipment_id, self.old_equipment)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.credit_approved_by)


class TestServerMark(MeddevServiceTicketCase):
    """The module's own writes carry the per-process mark of
    meddev.guarded.mixin: sudo() alone (the admin in Odoo 11) does not
    write the fields the workflow keeps; number and company are kept."""

    def test_sudo_alone_does_not_write_system_fields(self):
        ticket = self._ticket(triage_done=True)
        for name, value in (('close_date', fields.Datetime.now()),
                            ('credit_approved_by', self.user.id),
                            ('onsite_date', fields.Datetime.now())):
            with self.subTest(field=name), self.assertRaises(UserError), \
                    self.env.cr.savepoint():
                ticket.sudo().write({name: value})
        ticket.invalidate_cache()
        self.assertFalse(ticket.close_date)
        # The button writes them, through the mark.
        ticket.sudo(self.user).action_arrive_on_site()
        self.assertTrue(ticket.onsite_date)

    def test_number_and_company_guarded(self):
        ticket = self._ticket()
        number = ticket.name
        with self.assertRaises(UserError) as caught, \
                self.env.cr.savepoint():
            ticket.sudo(self.user).write({'name': 'SRV-FORGED'})
        self.assertIn(number, caught.exception.name)
        other = self.env['res.company'].create({'name': 'Other Co'})
        self.user.write({'company_ids': [(4, other.id)]})
        with self.assertRaises(AccessError) as caught, \
                self.env.cr.savepoint():
            ticket.sudo(self.user).write({'company_id': other.id})
        self.assertIn('company', caught.exception.name)
        ticket.invalidate_cache()
        self.assertEqual(ticket.name, number)
        self.assertEqual(ticket.company_id, self.env.user.company_id)
        # Sending back what was read passes (the web client may).
        ticket.sudo(self.user).write({'name': number,
                                      'company_id': ticket.company_id.id})
        # A company the user does not belong to is refused on create.
        stranger = self.env['res.company'].create({'name': 'Stranger Co'})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._ticket(user=self.user, company_id=stranger.id)
        # A service manager moves a ticket to one of their companies only.
        self.manager.write({'company_ids': [(4, other.id)]})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            ticket.sudo(self.manager).write({'company_id': stranger.id})
        ticket.invalidate_cache()
        self.assertEqual(ticket.company_id, self.env.user.company_id)
        ticket.sudo(self.manager).write({'company_id': other.id})
        self.assertEqual(ticket.company_id, other)
