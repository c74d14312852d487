from datetime import date, timedelta
from unittest.mock import patch

from odoo import api, fields
from odoo.exceptions import AccessError, UserError

from ..models.res_company import MANAGER, SETTING_FIELDS
from .common import MeddevServiceTicketCase, shanghai
from .test_mail_gateway import NEW_MAIL


class TestSettings(MeddevServiceTicketCase):
    """Settings > Field Service: every company-level option is read and
    written per company through the settings; only service managers and
    administrators change them; each option changes what it says."""

    @classmethod
    def setUpClass(cls):
        super(TestSettings, cls).setUpClass()
        cls.main = cls.env.user.company_id
        cls.other = cls.env['res.company'].create(
            {'name': 'Service Settings Client Ltd'})
        cls.admin = cls._create_user(
            'srv_settings_admin', cls.env.ref('base.group_system'))
        cls.admin.write({'company_ids': [(6, 0, (cls.main | cls.other).ids)],
                         'company_id': cls.main.id})
        cls.erp_manager = cls._create_user(
            'srv_settings_erp', cls.env.ref('base.group_erp_manager')
            | cls.group_employee)
        cls.manager_erp = cls._create_user(
            'srv_settings_manager', cls.group_manager
            | cls.env.ref('base.group_erp_manager'))
        cls.escalation = cls._create_user(
            'srv_settings_escalation', cls.group_manager)
        cls.other_calendar = cls.env['resource.calendar'].create(
            {'name': 'Client 24/7'})
        cls.values = {
            cls.main: {
                'service_calendar_id': cls.calendar.id,
                'service_escalation_user_id': cls.escalation.id,
                'service_dispatch_km_per_point': 25.0,
                'service_dispatch_hours_per_point': 2.0,
                'service_dispatch_workload_days': 5,
                'service_warranty_reminder_days': 30,
                'service_follow_up_days': 7,
                'service_channel_email': False,
                'service_channel_portal': True,
                'service_channel_phone': False,
                'service_quality_handoff': False,
            },
            cls.other: {
                'service_calendar_id': cls.other_calendar.id,
                'service_escalation_user_id': cls.manager.id,
                'service_dispatch_km_per_point': 100.0,
                'service_dispatch_hours_per_point': 8.0,
                'service_dispatch_workload_days': 1,
                'service_warranty_reminder_days': 90,
                'service_follow_up_days': 1,
                'service_channel_email': True,
                'service_channel_portal': False,
                'service_channel_phone': True,
                'service_quality_handoff': True,
            },
        }

    def setUp(self):
        super(TestSettings, self).setUp()
        # The users' environments may not share the class environment's
        # cache, which the rollback clears: clear theirs.
        self.env['res.company'].sudo(self.admin).invalidate_cache()
        self._forget_cache()

    def _settings(self, company, values=None):
        """Return the Settings of ``company`` as the administrator sees
        them when working in it."""
        self.admin.company_id = company
        return self.env['res.config.settings'].sudo(self.admin).create(
            dict(values or {}, company_id=company.id))

    def _set(self, **vals):
        """Change the main company's options as its administrator would
        in Settings, and forget what every environment cached."""
        self.main.write(vals)
        self._forget_cache()

    def _forget_cache(self):
        """Clear the record cache of the class's environments and of the
        current ones: under pytest-odoo they may be two sets, each with
        its own cache, and an earlier test's values linger in one."""
        self.env.cache.invalidate()
        api.Environment.envs.cache.invalidate()

    def _read(self, company, name):
        value = self._settings(company)[name]
        return value.id if hasattr(value, 'ids') else value

    # ------------------------------------------------------------------
    # Read, write, who
    # ------------------------------------------------------------------

    def test_every_option_is_a_setting(self):
        settings = self.env['res.config.settings']
        # meddev_base's guard lets only this group change them.
        guarded = self.env['res.company']._meddev_guarded_settings()
        for name in SETTING_FIELDS:
            self.assertEqual(guarded[name], MANAGER, name)
            self.assertEqual(settings._fields[name].related,
                             ('company_id', name))
            self.assertTrue(self.env['res.company']._fields[name].help)

    def test_each_option_read_and_written_per_company(self):
        for company, values in self.values.items():
            self._settings(company, values).execute()
        for company, values in self.values.items():
            for name, value in values.items():
                self.assertEqual(self._read(company, name), value,
                                 '%s of %s' % (name, company.name))
                stored = company[name]
                self.assertEqual(
                    stored.id if hasattr(stored, 'ids') else stored, value)

    def test_one_option_changed_leaves_the_other_company(self):
        before = {name: self._read(self.other, name)
                  for name in SETTING_FIELDS}
        self._settings(self.main, {'service_channel_portal': False}).execute()
        self.assertFalse(self.main.service_channel_portal)
        self.assertEqual({name: self._read(self.other, name)
                          for name in SETTING_FIELDS}, before)

    def test_only_service_managers_and_admins_change_them(self):
        company = self.main.sudo(self.erp_manager)
        with self.assertRaisesRegex(
                AccessError, 'only a member of "Field Service / Manager"'):
            company.write({'service_channel_email': False})
        with self.assertRaisesRegex(AccessError, 'Dispatch: km per Point'):
            company.write({'service_dispatch_km_per_point': 1.0})
        with self.assertRaises(AccessError):
            self.env['res.company'].sudo(self.erp_manager).create(
                {'name': 'Lenient Ltd', 'service_quality_handoff': False})
        # Unchanged values (what a form sends back) and other fields pass.
        company.write({
            'service_channel_email': self.main.service_channel_email,
            'service_dispatch_km_per_point': 50,
            'report_footer': 'Tel. 021-1234'})
        self.main.sudo(self.manager_erp).write(
            {'service_channel_email': False})
        self.main.invalidate_cache()
        self.assertFalse(self.main.service_channel_email)
        # Settings are for administrators (Odoo's own check).
        with self.assertRaises(AccessError):
            self.env['res.config.settings'].sudo(self.manager).create(
                {'service_channel_email': True}).execute()

    # ------------------------------------------------------------------
    # Channels
    # ------------------------------------------------------------------

    def test_email_switch_off_bounces_instead_of_a_ticket(self):
        self.env['ir.config_parameter'].set_param(
            'mail.catchall.domain', 'example.com')
        tickets = self.env['meddev.service.ticket']
        self._set(service_channel_email=False)
        thread_model = type(self.env['mail.thread'])
        with patch.object(thread_model, '_routing_create_bounce_email',
                          autospec=True) as bounce:
            result = self.env['mail.thread'].message_process(
                'meddev.service.ticket', NEW_MAIL)
        self.assertFalse(result)
        self.assertFalse(tickets.search(
            [('title', '=', 'Monitor in ICU keeps resetting')]))
        self.assertEqual(bounce.call_count, 1)
        self.assertEqual(bounce.call_args[0][1],
                         'Head Nurse <nurse@hospital.example.com>')
        self.assertIn('does not open service tickets by email',
                      bounce.call_args[0][2])
        # Switched on again, the same mail opens its ticket.
        self._set(service_channel_email=True)
        ticket = tickets.browse(self.env['mail.thread'].message_process(
            'meddev.service.ticket', NEW_MAIL.replace(
                'first-call-001', 'first-call-009')))
        self.assertEqual(ticket.channel, 'email')
        self.assertEqual(ticket.team_id, self.team)

    def test_portal_switch_off_refuses_portal_tickets(self):
        portal = self.env['res.users'].create({
            'name': 'Portal Nurse', 'login': 'srv_settings_portal',
            'partner_id': self.nurse.id,
            'groups_id': [(6, 0, self.env.ref('base.group_portal').ids)]})
        tickets = self.env['meddev.service.ticket'].sudo(portal)
        self.assertTrue(tickets._portal_channel_open())
        self._set(service_channel_portal=False)
        self.assertFalse(tickets._portal_channel_open())
        with self.assertRaisesRegex(UserError, 'from the portal'):
            tickets._portal_create('Screen dark', 'Since this morning')
        self.assertFalse(self.env['meddev.service.ticket'].search(
            [('title', '=', 'Screen dark')]))
        # Any other path opening a portal ticket is refused as well.
        with self.assertRaisesRegex(UserError, 'by Portal'):
            self._ticket(self.user, channel='portal')

    def test_phone_switch_off_refuses_typed_in_calls(self):
        self.assertEqual(self._ticket(self.user).channel, 'phone')
        self._set(service_channel_phone=False)
        with self.assertRaisesRegex(UserError, 'by Phone'):
            self._ticket(self.user, channel='phone')
        # A ticket typed in is then the company's own work.
        self.assertEqual(self._ticket(self.user).channel, 'internal')
        self.assertEqual(self._ticket(self.user, channel='email').channel,
                         'email')

    # ------------------------------------------------------------------
    # Quality, SLA, dispatch, installed base
    # ------------------------------------------------------------------

    def test_quality_handoff_switch(self):
        model = type(self.env['meddev.service.ticket'])
        with patch.object(model, '_on_quality_flag', autospec=True) as hook:
            self._ticket(self.user, triage_complaint=True)
            self.assertEqual(hook.call_count, 1)
            self._set(service_quality_handoff=False)
            ticket = self._ticket(self.user, triage_complaint=True)
            self.assertEqual(hook.call_count, 1)
        # The leader is asked to evaluate it instead.
        self.assertTrue(ticket.quality_flag_date)
        self.assertEqual(
            ticket.activity_ids.filtered(
                lambda act: 'possible complaint' in act.summary).user_id,
            self.dispatcher)

    def test_default_calendar_of_new_teams_and_teamless_tickets(self):
        team = self.env['meddev.service.team'].create({'name': 'West'})
        self.assertEqual(team.calendar_id,
                         self.main.resource_calendar_id)
        self._set(service_calendar_id=self.other_calendar.id)
        team = self.env['meddev.service.team'].create({'name': 'North'})
        self.assertEqual(team.calendar_id, self.other_calendar)
        ticket = self._ticket(team_id=False)
        sla = self.env['meddev.service.ticket.sla']
        self.assertEqual(
            sla._ticket_calendar(ticket).attendances,
            sla._calendar_data(self.other_calendar, 'UTC').attendances)

    def test_escalation_recipient_of_teams_without_leader(self):
        self.team.leader_id = False
        self._set(service_escalation_user_id=self.escalation.id)
        ticket = self._ticket(priority='3',
                              date_open=shanghai('2026-11-30 08:30'))
        self.assertEqual(self._line(ticket, 'response').policy_id,
                         self.urgent_policy)
        self.env['meddev.service.ticket.sla']._cron_check_sla(
            now=shanghai('2026-11-30 10:31'))
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.ticket'),
            ('res_id', '=', ticket.id), ('summary', 'like', 'SLA failed')])
        self.assertEqual(activities.mapped('user_id'), self.escalation)

    def test_dispatch_weights_and_horizon(self):
        engineer = self.env['meddev.service.engineer'].create({
            'name': 'Zhang Wei', 'user_id': self.user.id,
            'home_latitude': 31.2304, 'home_longitude': 121.4737,
            'calendar_id': self.calendar.id,
            'skill_ids': [(0, 0, {'categ_id': self.categ.id})]})
        self.team.engineer_ids = engineer
        start = shanghai('2026-11-30 09:00')
        # Planned 8 h four days after the visit: outside 3 days, inside 5.
        self._ticket(engineer_ids=[(6, 0, engineer.ids)],
                     planned_start=shanghai('2026-12-04 09:00'),
                     planned_duration=8)
        ticket = self._ticket(planned_start=start)

        def suggestion():
            action = ticket.sudo(self.dispatcher).action_suggest_engineers()
            return self.env['meddev.service.dispatch'].browse(
                action['res_id']).line_ids

        line = suggestion()
        self.assertEqual((line.open_tickets, line.planned_hours), (1, 0.0))
        self.assertEqual(line.score, 1.0)
        self._set(service_dispatch_workload_days=5,
                  service_dispatch_hours_per_point=2.0)
        line = suggestion()
        self.assertEqual(line.planned_hours, 8.0)
        self.assertEqual(line.score, 5.0)

    def test_warranty_reminder_days(self):
        self.monitor.service_warranty_months = 1
        self.equipment.install_date = fields.Date.to_string(
            date.today() - timedelta(days=5))
        cron = self.env['meddev.service.equipment']._cron_warranty_ending
        self._set(service_warranty_reminder_days=10)
        cron()
        self.assertFalse(self.equipment.warranty_reminded)
        self._set(service_warranty_reminder_days=40)
        cron()
        self.assertTrue(self.equipment.warranty_reminded)

    def test_follow_up_days(self):
        self._set(service_follow_up_days=7)
        ticket = self._ticket(triage_done=True, user_id=self.user.id,
                              ticket_type='inspection')
        ticket.write({'stage_id': self.stage_done.id})
        self._forget_cache()
        expected = fields.Date.to_string(fields.Date.from_string(
            fields.Date.context_today(ticket)) + timedelta(days=7))
        self.assertEqual(ticket.follow_up_date, expected)
        activity = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.service.ticket'),
            ('res_id', '=', ticket.id),
            ('activity_type_id', '=', self.env.ref(
                'meddev_service.mail_activity_follow_up').id)])
        self.assertEqual(activity.date_deadline, expected)
