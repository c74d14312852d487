from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from .common import MeddevQualityCapaCase, frozen_now, rpc, rpc_write

AWARE = '2026-03-03 10:30:00'   # a Tuesday
# Every shipped rule and the deadline it gives for AWARE (clocks in UTC,
# Monday to Friday worked, no holiday).
SHIPPED = {
    'cn_death': '2026-03-10 23:59:59',
    'cn_serious_injury': '2026-03-23 23:59:59',
    'cn_malfunction': '2026-03-23 23:59:59',
    'cn_group': '2026-03-03 22:30:00',
    'cn_group_individual': '2026-03-04 10:30:00',
    'cn_overseas_death': '2026-04-02 23:59:59',
    'cn_overseas_serious_injury': '2026-04-02 23:59:59',
    'cn_overseas_malfunction': '2026-04-02 23:59:59',
    'eu_public_threat': '2026-03-05 23:59:59',
    'eu_death': '2026-03-13 23:59:59',
    'eu_serious_injury': '2026-03-13 23:59:59',
    'eu_malfunction': '2026-03-18 23:59:59',
    'us_death': '2026-04-02 23:59:59',
    'us_serious_injury': '2026-04-02 23:59:59',
    'us_malfunction': '2026-04-02 23:59:59',
    'us_remedial': '2026-03-10 23:59:59',
    'us_supplemental': '2026-04-02 23:59:59',
    'us_facility_death': '2026-03-17 23:59:59',
    'us_facility_serious_injury': '2026-03-17 23:59:59',
    'eu_serious_injury_anticipated': '2026-03-18 23:59:59',
    'cn_distributor_death': '2026-03-10 23:59:59',
    'cn_distributor_serious_injury': '2026-03-23 23:59:59',
    'cn_distributor_malfunction': '2026-03-23 23:59:59',
    'cn_distributor_group': '2026-03-03 22:30:00',
    'cn_distributor_group_individual': '2026-03-04 10:30:00',
    'cn_facility_death': '2026-03-10 23:59:59',
    'cn_facility_serious_injury': '2026-03-23 23:59:59',
    'cn_facility_malfunction': '2026-03-23 23:59:59',
    'cn_facility_group': '2026-03-03 22:30:00',
    'cn_facility_group_individual': '2026-03-04 10:30:00',
    'cn_agent_death': '2026-03-10 23:59:59',
    'cn_agent_serious_injury': '2026-03-23 23:59:59',
    'cn_agent_malfunction': '2026-03-23 23:59:59',
    'cn_agent_group': '2026-03-03 22:30:00',
    'cn_agent_group_individual': '2026-03-04 10:30:00',
    'cn_agent_overseas_death': '2026-04-02 23:59:59',
    'cn_agent_overseas_serious_injury': '2026-04-02 23:59:59',
    'cn_agent_overseas_malfunction': '2026-04-02 23:59:59',
    'eu_distributor_death': '2026-03-04 10:30:00',
    'eu_distributor_serious_injury': '2026-03-04 10:30:00',
    'eu_distributor_malfunction': '2026-03-04 10:30:00',
    'eu_importer_death': '2026-03-04 10:30:00',
    'eu_importer_serious_injury': '2026-03-04 10:30:00',
    'eu_importer_malfunction': '2026-03-04 10:30:00',
    'us_importer_death': '2026-04-02 23:59:59',
    'us_importer_serious_injury': '2026-04-02 23:59:59',
    'us_importer_malfunction': '2026-04-02 23:59:59',
}


class TestReportingRule(MeddevQualityCapaCase):

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def test_every_shipped_rule_deadline(self):
        for xmlid, expected in SHIPPED.items():
            rule = self._rule(xmlid)
            self.assertTrue(rule.regulation, xmlid)
            self.assertEqual(rule._compute_due(AWARE, self.company), expected,
                             xmlid)
        shipped = self.env['meddev.reporting.rule'].search([
            ('company_id', '=', False)])
        self.assertEqual(len(shipped), len(SHIPPED))

    def test_working_days_skip_company_holiday(self):
        calendar = self.company.resource_calendar_id
        self.env['resource.calendar.leaves'].create({
            'name': '清明节', 'calendar_id': calendar.id,
            'date_from': '2026-03-05 00:00:00',
            'date_to': '2026-03-05 23:59:59'})
        # 5 working days from Tuesday, Thursday off: Wednesday next week.
        self.assertEqual(
            self._rule('us_remedial')._compute_due(AWARE, self.company),
            '2026-03-11 23:59:59')
        # Calendar days and hours ignore holidays.
        self.assertEqual(
            self._rule('cn_death')._compute_due(AWARE, self.company),
            SHIPPED['cn_death'])

    def test_holiday_taken_in_company_time_zone(self):
        # A day off entered in Shanghai (Thursday 5 March, local midnight to
        # midnight) is stored from 16:00 UTC on Wednesday: only Thursday is
        # off, so 5 working days from Tuesday still end next Wednesday.
        self.company.partner_id.tz = 'Asia/Shanghai'
        self.env['resource.calendar.leaves'].create({
            'name': '清明节', 'calendar_id': self.company.resource_calendar_id.id,
            'date_from': '2026-03-04 16:00:00',
            'date_to': '2026-03-05 16:00:00'})
        holidays, _workdays = self.company._meddev_working_days(
            fields.Date.from_string('2026-03-01'),
            fields.Date.from_string('2026-03-31'))
        self.assertEqual(holidays, {fields.Date.from_string('2026-03-05')})
        # 2026-03-03 02:30 UTC is Tuesday 10:30 in Shanghai; Wednesday
        # 11 March ends at 15:59:59 UTC.
        self.assertEqual(
            self._rule('us_remedial')._compute_due(
                '2026-03-03 02:30:00', self.company),
            '2026-03-11 15:59:59')

    def test_counted_in_company_time_zone(self):
        self.company.partner_id.tz = 'Asia/Shanghai'
        # 2026-03-03 20:00 UTC is already Wednesday 04:00 in Shanghai: the
        # 7 days end at midnight Shanghai time on 11 March.
        self.assertEqual(
            self._rule('cn_death')._compute_due(
                '2026-03-03 20:00:00', self.company),
            '2026-03-11 15:59:59')
        self.assertEqual(
            self._rule('cn_group')._compute_due(
                '2026-03-03 20:00:00', self.company),
            '2026-03-04 08:00:00')

    def test_versions_do_not_rewrite_the_past(self):
        rules = self.env['meddev.reporting.rule']
        old = self._rule('cn_death')
        old.valid_to = '2026-06-30'
        new = old.copy({'name': 'China: death (5 days, new rule)',
                        'deadline_amount': 5, 'valid_from': '2026-07-01',
                        'valid_to': False})
        found = rules._applicable(self.china, 'registrant', ['death'],
                                  'domestic', '2026-03-03', self.company)
        self.assertEqual(found, old)
        found = rules._applicable(self.china, 'registrant', ['death'],
                                  'domestic', '2026-07-01', self.company)
        self.assertEqual(found, new)

    def test_rule_with_reports_is_versioned_not_rewritten(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids
        rule = report.rule_id.sudo(self.manager)
        self.assertEqual(rule, self._rule('cn_serious_injury'))
        for vals in ({'deadline_amount': 30},
                     {'deadline_unit': 'working_days'},
                     {'active': False},
                     {'event_kind': 'death'},
                     {'valid_from': '2026-03-04'}):
            with self.assertRaisesRegex(UserError, 'has reports'), \
                    self.cr.savepoint():
                rpc(rule, 'write', [rule.ids, vals])
        # Ended before the complaint it applies to: refused too.
        with self.assertRaisesRegex(UserError, 'cannot end before'), \
                self.cr.savepoint():
            rpc(rule, 'write', [rule.ids, {'valid_to': '2026-03-02'}])
        # The proper way: end this version (today: no awareness date is
        # later), copy the next one.
        today = fields.Date.from_string(fields.Date.today())
        rpc(rule, 'write', [rule.ids, {
            'valid_to': fields.Date.to_string(today), 'warning_hours': 72}])
        new = rule.copy({
            'valid_from': fields.Date.to_string(today + timedelta(days=1)),
            'valid_to': False, 'deadline_amount': 15})
        rpc(new, 'write', [new.ids, {'deadline_amount': 10}])
        with frozen_now('2026-03-05 12:00:00'):
            complaint._sync_reports()
        self.assertEqual(complaint.report_ids, report)
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        self.assertEqual(report.state, 'open')

    def test_remedial_action_gives_the_us_five_working_day_report(self):
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(
                country_id=self.usa.id, patient_outcome='malfunction')
            self._decide(complaint, self.usa)
            remedial = self._rule('us_remedial')
            self.assertEqual(complaint.report_ids.mapped('rule_id'),
                             self._rule('us_malfunction'))
            # Regulatory affairs learns that a remedial action is needed:
            # the 5-working-day report falls due from the awareness date.
            rpc_write(complaint.sudo(self.regulatory),
                      {'remedial_action': True})
        report = complaint.report_ids.filtered(
            lambda report: report.rule_id == remedial)
        self.assertEqual(len(report), 1)
        self.assertEqual(report.due_date, SHIPPED['us_remedial'])
        self.assertEqual(report.state, 'open')
        self.assertEqual(complaint.next_due_date, SHIPPED['us_remedial'])

    def test_applicable_by_role_location_company(self):
        rules = self.env['meddev.reporting.rule']
        found = rules._applicable(self.china, 'registrant', ['death'],
                                  'overseas', '2026-03-03', self.company)
        self.assertEqual(found, self._rule('cn_overseas_death'))
        found = rules._applicable(self.usa, 'user_facility', ['death'],
                                  'domestic', '2026-03-03', self.company)
        self.assertEqual(found, self._rule('us_facility_death'))
        other = self.env['res.company'].create({'name': 'MedDev QA Sub'})
        private = self._rule('cn_death').copy({
            'name': 'Sub only', 'company_id': other.id})
        self.assertNotIn(private, rules._applicable(
            self.china, 'registrant', ['death'], 'domestic', '2026-03-03',
            self.company))

    def test_bad_rules_refused(self):
        rules = self.env['meddev.reporting.rule'].sudo(self.manager)
        rule = self._rule('cn_death').sudo(self.manager)
        for amount in (0, -7):
            with self.assertRaisesRegex(ValidationError, 'China: death'), \
                    self.cr.savepoint():
                rule.write({'deadline_amount': amount})
        rule.invalidate_cache()
        with self.assertRaisesRegex(ValidationError, 'ends'), \
                self.cr.savepoint():
            rule.write({'valid_to': '2018-01-01'})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            rules.create({
                'name': 'Test', 'country_id': self.china.id,
                'regulation': 'X', 'event_kind': 'death',
                'deadline_amount': 0})
