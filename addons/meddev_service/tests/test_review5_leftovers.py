from odoo import api
from odoo.exceptions import UserError, ValidationError

from .common import MeddevServiceTicketCase, call_button, frozen_now, shanghai
from .test_mail_gateway import NEW_MAIL, automatic_mails


class TestTicketTeam(MeddevServiceTicketCase):
    """S3 of review 5: engineers created tickets without a team (seen by
    every engineer, planned by no dispatcher). A user's ticket takes his
    team, else the company's default service team; an engineer's ticket
    without a team is refused once a team is known."""

    @classmethod
    def setUpClass(cls):
        super(TestTicketTeam, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.west = cls.env['meddev.service.team'].create({
            'name': 'West Team', 'calendar_id': cls.calendar.id,
            'tz': 'Asia/Shanghai', 'sequence': 50})
        group = cls.group_user
        cls.loner = cls._create_user('srv_loner', group)

    def _create(self, user, **vals):
        values = {'title': 'No picture', 'equipment_id': self.equipment.id,
                  'contact_id': self.nurse.id}
        values.update(vals)
        # As the web client creates: call_kw with the user's context.
        tickets = self.env['meddev.service.ticket'].sudo(user)
        return tickets.browse(api.call_kw(
            tickets, 'create', [values], {'context': {}}))

    def test_engineer_ticket_takes_his_team(self):
        ticket = self._create(self.user)
        self.assertEqual(ticket.team_id, self.team)
        # The team's clocks and first stage follow.
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_form_default_is_the_users_team(self):
        tickets = self.env['meddev.service.ticket']
        self.assertEqual(
            tickets.sudo(self.user).default_get(['team_id'])['team_id'],
            self.team.id)

    def test_engineer_cannot_clear_the_team(self):
        with self.assertRaises(UserError) as caught:
            self._create(self.user, team_id=False)
        self.assertIn('No picture', caught.exception.name)
        self.assertIn(self.team.name, caught.exception.name)

    def test_company_default_team_for_a_manager_outside_teams(self):
        self.assertFalse(self._create(self.manager).team_id)
        self.company.service_default_team_id = self.west
        self.assertEqual(self._create(self.manager).team_id, self.west)
        # A dispatcher outside every team: the default team too (he sees
        # and plans its tickets: test_ticket_team_outsiders).
        outsider = self._create_user('srv_outside_dispatcher',
                                     self.group_dispatcher)
        self.assertEqual(self._create(outsider).team_id, self.west)

    def test_engineer_without_team_refused_once_a_default_exists(self):
        # A company that does not work in teams: allowed, as before.
        self.assertFalse(self._create(self.loner).team_id)
        self.company.service_default_team_id = self.west
        with self.assertRaises(UserError) as caught:
            self._create(self.loner)
        message = caught.exception.name
        self.assertIn('No picture', message)
        self.assertIn(self.company.name, message)
        self.assertIn(self.west.name, message)

    def test_default_team_is_one_of_the_companys(self):
        other = self.env['res.company'].create({'name': 'Other Service Co'})
        team = self.env['meddev.service.team'].create({
            'name': 'Other Team', 'company_id': other.id,
            'calendar_id': self.calendar.id})
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self.company.service_default_team_id = team
        self.company.service_default_team_id = self.west
        self.assertEqual(self.company.service_default_team_id, self.west)


class TestAutoReplyToAlias(MeddevServiceTicketCase):
    """S3 of review 5: an automatic mail (out-of-office, auto-reply,
    bounce) to a team's alias opens no ticket (nor an acknowledgement
    that would answer the robot)."""

    @classmethod
    def setUpClass(cls):
        super(TestAutoReplyToAlias, cls).setUpClass()
        cls.env['ir.config_parameter'].set_param(
            'mail.catchall.domain', 'example.com')

    def _count(self):
        return self.env['meddev.service.ticket'].search_count([])

    def test_automatic_mails_open_no_ticket(self):
        count = self._count()
        mails = self.env['mail.mail'].search_count([])
        for header, mail in automatic_mails(NEW_MAIL, 'first-call-001'):
            with self.subTest(header=header):
                self.env['mail.thread'].message_process(
                    'meddev.service.ticket', mail)
                self.assertEqual(self._count(), count)
        bounce = NEW_MAIL.replace(
            'Head Nurse <nurse@hospital.example.com>',
            'Mail Delivery System <MAILER-DAEMON@hospital.example.com>'
        ).replace('first-call-001', 'bounce-new-1')
        self.env['mail.thread'].message_process(
            'meddev.service.ticket', bounce)
        self.assertEqual(self._count(), count)
        self.assertEqual(self.env['mail.mail'].search_count([]), mails)
        # A person's mail still opens one.
        self.env['mail.thread'].message_process(
            'meddev.service.ticket', NEW_MAIL)
        self.assertEqual(self._count(), count + 1)


class TestFirstResponseIsAResponse(MeddevServiceTicketCase):
    """S3 of review 5 (S2-3): the first-response clock stops on a response
    the customer receives (a message to the customer, a site visit), not
    on a button or on a message only colleagues get."""

    def _ticket_opened(self):
        return self._ticket(self.user, date_open=shanghai('2026-11-30 08:30'))

    def test_respond_button_opens_the_composer_only(self):
        ticket = self._ticket_opened()
        with frozen_now(shanghai('2026-11-30 09:00')):
            action = call_button(ticket.sudo(self.user), 'action_respond')
        self.assertFalse(ticket.first_response_date)
        self.assertEqual(self._line(ticket, 'response').status, 'running')
        self.assertEqual(action['res_model'], 'mail.compose.message')
        context = action['context']
        self.assertEqual(context['default_partner_ids'],
                         [(6, 0, self.nurse.ids)])
        # Sending the composed reply is the response.
        composer = self.env['mail.compose.message'].sudo(
            self.user).with_context(**context).create(
                {'body': '<p>We call you back at 10:00.</p>'})
        with frozen_now(shanghai('2026-11-30 09:10')):
            composer.send_mail()
        self.assertEqual(ticket.first_response_date,
                         shanghai('2026-11-30 09:10'))
        self.assertEqual(self._line(ticket, 'response').status, 'met')

    def test_message_to_colleagues_only_is_no_response(self):
        ticket = self._ticket_opened()
        with frozen_now(shanghai('2026-11-30 09:00')):
            ticket.sudo(self.user).message_post(
                body='Who takes this one?', message_type='comment',
                subtype='mail.mt_comment',
                partner_ids=self.dispatcher.partner_id.ids)
        self.assertFalse(ticket.first_response_date)
        # The customer following the ticket receives the next one.
        ticket.message_subscribe(partner_ids=self.nurse.ids)
        with frozen_now(shanghai('2026-11-30 09:20')):
            ticket.sudo(self.user).message_post(
                body='We are on it.', message_type='comment',
                subtype='mail.mt_comment')
        self.assertEqual(ticket.first_response_date,
                         shanghai('2026-11-30 09:20'))

    def test_site_visit_is_a_response(self):
        ticket = self._ticket(self.user, triage_done=True,
                              date_open=shanghai('2026-11-30 08:30'))
        with frozen_now(shanghai('2026-11-30 10:00')):
            ticket.sudo(self.user).action_arrive_on_site()
        self.assertEqual(ticket.first_response_date,
                         shanghai('2026-11-30 10:00'))
        self.assertEqual(self._line(ticket, 'response').status, 'met')
