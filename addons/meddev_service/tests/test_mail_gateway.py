from .common import MeddevServiceTicketCase

NEW_MAIL = """Return-Path: <nurse@hospital.example.com>
To: east-service-test@example.com
From: Head Nurse <nurse@hospital.example.com>
Subject: Monitor in ICU keeps resetting
Message-ID: <first-call-001@hospital.example.com>
Date: Mon, 30 Nov 2026 09:00:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

The monitor in bed 3 resets every hour.
"""

REPLY_MAIL = """Return-Path: <nurse@hospital.example.com>
To: east-service-test@example.com
From: Head Nurse <nurse@hospital.example.com>
Subject: Re: Monitor in ICU keeps resetting
Message-ID: <first-call-002@hospital.example.com>
In-Reply-To: <first-call-001@hospital.example.com>
References: <first-call-001@hospital.example.com>
Date: Mon, 30 Nov 2026 10:00:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

It happened again at 10:00.
"""


# Headers that mark a mail sent by a machine (auto-reply, out-of-office).
AUTO_HEADERS = ('Auto-Submitted: auto-replied\n', 'X-Autoreply: yes\n',
                'Precedence: auto_reply\n')


def automatic_mails(mail, message_id):
    """Yield (header, ``mail`` with that header and its own message id)
    for each of AUTO_HEADERS."""
    for number, header in enumerate(AUTO_HEADERS):
        yield header, mail.replace(
            'MIME-Version', header + 'MIME-Version').replace(
            message_id, 'ooo-%s-%s' % (number, message_id))


class TestMailGateway(MeddevServiceTicketCase):

    @classmethod
    def setUpClass(cls):
        super(TestMailGateway, cls).setUpClass()
        cls.env['ir.config_parameter'].set_param(
            'mail.catchall.domain', 'example.com')

    def _process(self, text):
        return self.env['mail.thread'].message_process(
            'meddev.service.ticket', text)

    def test_new_mail_opens_ticket_and_acknowledges(self):
        ticket_id = self._process(NEW_MAIL)
        ticket = self.env['meddev.service.ticket'].browse(ticket_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, 'email')
        self.assertEqual(ticket.contact_id, self.nurse)
        self.assertEqual(ticket.partner_id, self.hospital)
        self.assertEqual(ticket.title, 'Monitor in ICU keeps resetting')
        self.assertIn('resets every hour', ticket.description)
        self.assertTrue(ticket.name.startswith('SRV/'))
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertTrue(ticket.sla_line_ids)
        acknowledgements = ticket.message_ids.filtered(
            lambda message: ticket.name in (message.subject or '')
            and self.nurse in message.partner_ids)
        self.assertEqual(len(acknowledgements), 1)
        self.assertIn(ticket.name, acknowledgements.body)
        # The automatic acknowledgement is no first response.
        self.assertFalse(ticket.first_response_date)
        self.assertEqual(self._line(ticket, 'response').status, 'running')

    def test_unknown_sender_gets_a_contact_and_the_number(self):
        mail = NEW_MAIL.replace(
            'nurse@hospital.example.com', 'it@clinic.example.com').replace(
            'first-call-001', 'clinic-001')
        ticket = self.env['meddev.service.ticket'].browse(
            self._process(mail))
        self.assertEqual(ticket.contact_id.email, 'it@clinic.example.com')
        self.assertTrue(ticket.message_ids.filtered(
            lambda message: ticket.contact_id in message.partner_ids
            and ticket.name in (message.subject or '')))

    def test_reply_adds_to_the_open_ticket(self):
        ticket_id = self._process(NEW_MAIL)
        tickets = self.env['meddev.service.ticket']
        count = tickets.search_count([])
        reply_id = self._process(REPLY_MAIL)
        self.assertEqual(reply_id, ticket_id)
        self.assertEqual(tickets.search_count([]), count)
        ticket = tickets.browse(ticket_id)
        self.assertTrue(any('happened again' in (message.body or '')
                            for message in ticket.message_ids))

    def test_sender_with_a_chinese_name_opens_a_ticket(self):
        """A raw UTF-8 name in From comes as an email Header object: the
        gateway must still read it (it raised TypeError for every alias)."""
        mail = NEW_MAIL.replace(
            'From: Head Nurse', 'From: \u62a4\u58eb\u957f').replace(
            'first-call-001', 'chinese-name-001')
        ticket = self.env['meddev.service.ticket'].browse(
            self._process(mail))
        self.assertTrue(ticket.exists())
        self.assertEqual(ticket.contact_id, self.nurse)
        self.assertEqual(ticket.title, 'Monitor in ICU keeps resetting')

    def test_reply_on_a_closed_ticket_opens_a_new_one(self):
        old = self.env['meddev.service.ticket'].browse(
            self._process(NEW_MAIL))
        fault = self.env['meddev.fault.code'].create(
            {'code': 'RST', 'name': 'Reset'})
        old.write({'triage_done': True, 'fault_code_ids': [(6, 0, fault.ids)],
                   'stage_id': self.stage_done.id})
        self._process(REPLY_MAIL)
        new = self.env['meddev.service.ticket'].search(
            [('contact_id', '=', self.nurse.id), ('id', '!=', old.id)])
        self.assertEqual(len(new), 1)
        self.assertFalse(new.is_closed)
        self.assertEqual(new.team_id, self.team)
        self.assertIn('happened again', new.description)
        self.assertTrue(any(new.name in (body or '')
                            for body in old.message_ids.mapped('body')))
        # The reply itself stays in the old thread, as history.
        self.assertIn('happened again', old.message_ids[0].body)
        self.assertTrue(new.message_ids.filtered(
            lambda message: new.name in (message.subject or '')
            and self.nurse in message.partner_ids))

    def test_alias_defaults_give_the_team_only(self):
        """A service manager's alias defaults (employees may not edit a
        service alias since R-1b): the gateway keeps the team (and its
        company) and nothing else of them (N-2)."""
        other = self.env['res.company'].create({'name': 'Alias Co'})
        alias = self.team.alias_id.sudo(self.manager)
        alias.write({'alias_defaults': repr({
            'team_id': self.team.id, 'company_id': other.id,
            'credit_approved_by': self.employee.id,
            'credit_approval_date': '2026-11-30 00:00:00',
            'patient_safety': True, 'billed_labour_hours': 9999,
            'first_response_date': '2026-11-30 01:00:00',
            'onsite_date': '2026-11-30 01:00:00',
            'date_open': '2020-01-01 00:00:00',
            'user_id': self.employee.id, 'triage_done': True,
            'channel': 'portal', 'priority': '3', 'labour_hours': 5,
            'title': 'Forged title'})})
        ticket = self.env['meddev.service.ticket'].browse(
            self._process(NEW_MAIL)).sudo()
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.company_id, self.team.company_id)
        self.assertEqual(ticket.channel, 'email')
        self.assertEqual(ticket.title, 'Monitor in ICU keeps resetting')
        self.assertEqual(ticket.priority, '1')
        for name in ('credit_approved_by', 'credit_approval_date',
                     'patient_safety', 'billed_labour_hours',
                     'first_response_date', 'onsite_date', 'user_id',
                     'triage_done', 'labour_hours'):
            with self.subTest(field=name):
                self.assertFalse(ticket[name])
        self.assertGreater(ticket.date_open, '2026-01-01')
        self.assertEqual(self._line(ticket, 'response').status, 'running')


class TestMailGatewayMachines(MeddevServiceTicketCase):
    """On a closed ticket's thread, an out-of-office reply, a bounce or
    a colleague's mail stay history: no new ticket (S2-9)."""

    @classmethod
    def setUpClass(cls):
        super(TestMailGatewayMachines, cls).setUpClass()
        cls.env['ir.config_parameter'].set_param(
            'mail.catchall.domain', 'example.com')

    def _process(self, text):
        return self.env['mail.thread'].message_process(
            'meddev.service.ticket', text)

    def _closed(self):
        old = self.env['meddev.service.ticket'].browse(
            self._process(NEW_MAIL))
        fault = self.env['meddev.fault.code'].create(
            {'code': 'OOO', 'name': 'Reset'})
        old.write({'triage_done': True, 'fault_code_ids': [(6, 0, fault.ids)],
                   'stage_id': self.stage_done.id})
        return old

    def _count(self):
        return self.env['meddev.service.ticket'].search_count([])

    def test_auto_replies_open_no_ticket(self):
        old = self._closed()
        count = self._count()
        for header, mail in automatic_mails(REPLY_MAIL, 'first-call-002'):
            with self.subTest(header=header):
                self.assertEqual(self._process(mail), old.id)
                self.assertEqual(self._count(), count)
        # The customer writing again still opens one.
        self._process(REPLY_MAIL)
        self.assertEqual(self._count(), count + 1)

    def test_bounce_with_a_chinese_name_opens_no_ticket(self):
        old = self._closed()
        count = self._count()
        mail = REPLY_MAIL.replace(
            'From: Head Nurse <nurse@hospital.example.com>',
            'From: \u90ae\u4ef6\u7cfb\u7edf <MAILER-DAEMON@hospital.example.com>'
        ).replace('first-call-002', 'bounce-zh-1')
        # Odoo's gateway drops a bounce itself; it must not raise on the
        # decoded name, nor open a ticket.
        self.assertIn(self._process(mail), (False, old.id))
        self.assertEqual(self._count(), count)

    def test_colleague_reply_opens_no_ticket(self):
        old = self._closed()
        count = self._count()
        mail = REPLY_MAIL.replace(
            'Head Nurse <nurse@hospital.example.com>',
            'Srv User <srv_user@example.com>').replace(
            'first-call-002', 'colleague-1')
        self.assertEqual(self._process(mail), old.id)
        self.assertEqual(self._count(), count)
