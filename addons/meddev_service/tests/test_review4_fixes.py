from odoo import api
from odoo.exceptions import ValidationError

from .common import MeddevServiceTicketCase, call_button
from .test_mail_gateway import NEW_MAIL


class TestAliasTeam(MeddevServiceTicketCase):
    """A mail to a team's alias opens a ticket of that team and its
    company, even after the alias' defaults and parent were rewritten
    (R-1; since R-1b only a service manager may edit them)."""

    @classmethod
    def setUpClass(cls):
        super(TestAliasTeam, cls).setUpClass()
        cls.env['ir.config_parameter'].set_param(
            'mail.catchall.domain', 'example.com')
        cls.other_company = cls.env['res.company'].create(
            {'name': 'Alias Other Co'})
        cls.other_team = cls.env['meddev.service.team'].create({
            'name': 'Other Company Team',
            'company_id': cls.other_company.id,
            'alias_name': 'other-co-service-test'})

    def _tamper(self, alias, values):
        """Write ``values`` on ``alias`` through call_kw as the web client
        does: as a service manager, since employees may no longer edit a
        service alias (R-1b, test_alias_guard); stale or wrong defaults
        still do not move the team's mail."""
        aliases = self.env['mail.alias'].sudo(self.manager)
        api.call_kw(aliases, 'write', [alias.ids, values], {'context': {}})

    def _process(self, text):
        return self.env['meddev.service.ticket'].browse(
            self.env['mail.thread'].message_process(
                'meddev.service.ticket', text)).sudo()

    def test_tampered_alias_keeps_its_own_team(self):
        self._tamper(self.team.alias_id, {
            'alias_defaults': repr({
                'team_id': self.other_team.id,
                'company_id': self.other_company.id}),
            'alias_parent_thread_id': self.other_team.id})
        self.assertIn(str(self.other_team.id),
                      self.team.alias_id.alias_defaults)
        ticket = self._process(NEW_MAIL)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.company_id, self.team.company_id)
        self.assertNotEqual(ticket.company_id, self.other_company)
        self.assertFalse(self.env['meddev.service.ticket'].sudo().search(
            [('team_id', '=', self.other_team.id)]))

    def test_alias_no_team_owns_gives_no_team(self):
        """An alias for tickets that no team owns names no team (a
        service manager's: employees may not create one, R-1b)."""
        aliases = self.env['mail.alias'].sudo(self.manager)
        api.call_kw(aliases, 'create', [{
            'alias_name': 'sneaky-service-test',
            'alias_model_id': self.env.ref(
                'meddev_service.model_meddev_service_ticket').id,
            'alias_defaults': repr({'team_id': self.other_team.id})}],
            {'context': {}})
        ticket = self._process(NEW_MAIL.replace(
            'east-service-test', 'sneaky-service-test').replace(
            'first-call-001', 'sneaky-001'))
        self.assertTrue(ticket.exists())
        self.assertFalse(ticket.team_id)
        self.assertNotEqual(ticket.company_id, self.other_company)


class TestConsultationNoVisit(MeddevServiceTicketCase):
    """A consultation gets no site visit: the engineer's arrival is
    refused, whether the customer is held or not, until a dispatcher
    retypes it (R-2; the hold on the retyped work is tested in
    test_workflow_context)."""

    def _consultation(self):
        model = self.env['meddev.service.ticket'].sudo(self.user)
        return model.browse(api.call_kw(model, 'create', [{
            'title': 'How to calibrate?', 'team_id': self.team.id,
            'equipment_id': self.equipment.id, 'triage_done': True,
            'ticket_type': 'consultation'}], {'context': {}}))

    def _assert_not_visited(self, ticket):
        ticket.invalidate_cache()
        ticket = ticket.sudo()
        self.assertFalse(ticket.onsite_date)
        self.assertFalse(ticket.work_start_date)
        self.assertFalse(ticket.first_response_date)
        self.assertNotIn('met', ticket.sla_line_ids.mapped('status'))

    def test_held_customer_consultation_gets_no_visit(self):
        self.hospital.write({'credit_hold': True,
                             'credit_hold_reason': 'Invoices overdue'})
        ticket = self._consultation()
        self.assertFalse(ticket.billable)
        with self.assertRaises(ValidationError) as caught, \
                self.env.cr.savepoint():
            call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        self.assertIn(ticket.name, caught.exception.name)
        self.assertIn('site visit', caught.exception.name)
        self._assert_not_visited(ticket)

    def test_consultation_visit_refused_without_hold(self):
        ticket = self._consultation()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        self._assert_not_visited(ticket)
        ticket.sudo(self.dispatcher).write({'ticket_type': 'inspection'})
        call_button(ticket.sudo(self.user), 'action_arrive_on_site')
        self.assertTrue(ticket.sudo().onsite_date)
