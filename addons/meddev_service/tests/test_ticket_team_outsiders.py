"""Tickets of users outside the teams (review 5 S3 leftovers).

A dispatcher outside every team of the company: his ticket takes the
company's Default Service Team, the intake queue every dispatcher of the
company sees and plans (record rule), so he still assigns it. An engineer
without a team in a company that names no default team: his ticket is
created without a team, which every engineer and dispatcher of the company
sees (nothing is lost, nothing crashes); once a default exists it is
refused with a clear error (test_review5_leftovers)."""

from odoo import api

from .common import MeddevServiceTicketCase


class TestTeamOutsiders(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestTeamOutsiders, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.intake = cls.env['meddev.service.team'].create({
            'name': 'Intake Team', 'calendar_id': cls.calendar.id,
            'tz': 'Asia/Shanghai', 'sequence': 60,
            'sla_policy_ids': [(6, 0, cls.policy.ids)]})
        cls.outsider = cls._create_user('srv_outsider_dispatcher',
                                        cls.group_dispatcher)
        cls.loner = cls._create_user('srv_teamless_engineer',
                                     cls.group_user)

    def _rpc(self, user, method, args):
        tickets = self.env['meddev.service.ticket'].sudo(user)
        return api.call_kw(tickets, method, args, {'context': {}})

    def _create(self, user):
        return self.env['meddev.service.ticket'].browse(self._rpc(
            user, 'create', [{'title': 'Display flickers',
                              'equipment_id': self.equipment.id,
                              'contact_id': self.nurse.id}]))

    def _visible(self, user, ticket):
        return self._rpc(user, 'search', [[('id', '=', ticket.id)]])

    def test_dispatcher_outside_teams_opens_in_the_default_team(self):
        self.company.service_default_team_id = self.intake
        ticket = self._create(self.outsider)
        self.assertEqual(ticket.team_id, self.intake)
        # He sees it, its clocks, and assigns it.
        self.assertEqual(self._visible(self.outsider, ticket), ticket.ids)
        self.assertTrue(ticket.sla_line_ids)
        self.assertEqual(
            self.env['meddev.service.ticket.sla'].sudo(self.outsider).search(
                [('ticket_id', '=', ticket.id)]), ticket.sla_line_ids)
        self._rpc(self.outsider, 'write',
                  [ticket.ids, {'user_id': self.user.id}])
        self.assertEqual(ticket.user_id, self.user)
        # The default team's tickets are every dispatcher's, not every
        # engineer's: the East engineer does not see it until assigned.
        other = self._create(self.outsider)
        self.assertFalse(self._visible(self.user, other))
        self.assertEqual(self._visible(self.user, ticket), ticket.ids)

    def test_dispatcher_of_another_team_plans_the_default_team(self):
        self.company.service_default_team_id = self.intake
        ticket = self._create(self.manager)
        self.assertEqual(ticket.team_id, self.intake)
        # The East leader is no member of the intake team.
        self.assertEqual(self._visible(self.dispatcher, ticket), ticket.ids)
        # No longer once another team is the default.
        self.company.service_default_team_id = self.team
        self.assertFalse(self._visible(self.dispatcher, ticket))

    def test_dispatcher_without_default_team_keeps_a_teamless_ticket(self):
        self.assertFalse(self.company.service_default_team_id)
        ticket = self._create(self.outsider)
        self.assertFalse(ticket.team_id)
        self.assertEqual(self._visible(self.outsider, ticket), ticket.ids)

    def test_teamless_engineer_without_default_team(self):
        """Allowed, without a team: the company works without teams for
        him; every dispatcher and engineer of the company sees the
        ticket."""
        self.assertFalse(self.company.service_default_team_id)
        ticket = self._create(self.loner)
        self.assertFalse(ticket.team_id)
        self.assertEqual(ticket.stage_id, self.stage_new)
        for user in (self.loner, self.user, self.dispatcher, self.outsider,
                     self.manager):
            self.assertEqual(self._visible(user, ticket), ticket.ids,
                             user.login)
        self._rpc(self.dispatcher, 'write',
                  [ticket.ids, {'user_id': self.loner.id}])
        self.assertEqual(ticket.user_id, self.loner)
