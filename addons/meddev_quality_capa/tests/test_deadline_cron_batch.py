"""The reporting-deadline cron is set-based: its queries do not grow with
the reports it warns of or marks missed, it keeps the trail (activities,
digest mail, followers, chatter note, audit log) a per-record run left, and
a deadline with nobody to warn waits until someone can be warned."""

from odoo.tests.common import at_install, post_install

from .common import MeddevQualityCapaCase, frozen_now

CRON_LOGGER = 'odoo.addons.meddev_quality_capa.models.' \
    'meddev_regulatory_report_cron'

# Complaints aware on 2026-03-03 (serious injury, China, 20 days): warned
# from 2026-03-20 23:59:59, due 2026-03-23 23:59:59. Those aware ten days
# later are warned and due ten days later.
FIRST_AWARE = '2026-03-03 10:30:00'
LATER_AWARE = '2026-03-13 10:30:00'
FIRST_WARN = '2026-03-21 09:00:00'
FIRST_MISSED = '2026-03-24 00:00:00'
LATER_WARN = '2026-03-31 09:00:00'
LATER_MISSED = '2026-04-03 00:00:00'
# Queries a run may send beyond those of the tenfold smaller run: the
# counts differ by a few between Odoo's runner and pytest-odoo, never by
# one per report.
SLACK = 5


# After all modules load: auditlog patches the audited models in its
# registry hook, which Odoo's runner calls only then.
@at_install(False)
@post_install(True)
class TestDeadlineCronBatch(MeddevQualityCapaCase):

    @classmethod
    def setUpClass(cls):
        super(TestDeadlineCronBatch, cls).setUpClass()
        # The test owns the cron's work: the other open reports (demo)
        # count as submitted.
        cls.env.cr.execute(
            "UPDATE meddev_regulatory_report SET warned_date = create_date, "
            "state = 'submitted' WHERE state = 'open'")
        cls.env['meddev.regulatory.report'].invalidate_cache()
        cls.reports = cls.env['meddev.regulatory.report']

    def _reportable(self, count, aware, **vals):
        """``count`` complaints decided reportable in China (one report
        each), aware on ``aware``, on no lot (no cluster alert)."""
        complaints = self.env['meddev.complaint']
        for _number in range(count):
            complaint = self._create_complaint(
                lot_id=False, received_date=aware, awareness_date=aware,
                **vals)
            self._decide(complaint, self.china)
            complaints |= complaint
        self.assertEqual(len(complaints.mapped('report_ids')), count)
        return complaints

    def _cron_queries(self, now):
        """Run the cron at ``now``; return (warned, missed, queries)."""
        cr = self.env.cr
        with frozen_now(now):
            before = cr.sql_log_count
            warned, missed = self.reports._cron_check_deadlines()
            return warned, missed, cr.sql_log_count - before

    def _managers_of(self, company):
        """The active internal quality managers working in ``company``."""
        return self.env['res.users'].search([
            ('groups_id', 'in', self.group_manager.ids),
            ('share', '=', False), ('company_ids', 'in', company.ids)])

    def _activities(self, complaints):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', 'in', complaints.ids)])

    def _digests(self, user):
        return self.env['mail.mail'].search([
            ('recipient_ids', 'in', user.partner_id.ids),
            ('subject', 'like', 'Reporting deadlines approaching')])

    def _missed_notes(self, complaint):
        return complaint.message_ids.filtered(
            lambda message: 'Deadline missed' in (message.body or ''))

    def _audited(self, reports, field, value):
        return self.env['auditlog.log.line'].search([
            ('log_id.model_id.model', '=', 'meddev.regulatory.report'),
            ('log_id.res_id', 'in', reports.ids),
            ('log_id.method', '=', 'write'),
            ('field_id.name', '=', field), ('new_value', '=', value)])

    def test_queries_do_not_grow_with_the_reports(self):
        few = self._reportable(2, FIRST_AWARE)
        many = self._reportable(20, LATER_AWARE)
        warned, missed, few_warn = self._cron_queries(FIRST_WARN)
        self.assertEqual((warned, missed), (few.mapped('report_ids'),
                                            self.reports))
        warned, missed, few_missed = self._cron_queries(FIRST_MISSED)
        self.assertEqual((warned, missed), (self.reports,
                                            few.mapped('report_ids')))
        warned, missed, many_warn = self._cron_queries(LATER_WARN)
        self.assertEqual(warned, many.mapped('report_ids'))
        warned, missed, many_missed = self._cron_queries(LATER_MISSED)
        self.assertEqual(missed, many.mapped('report_ids'))
        # Ten times the reports, not ten times the queries.
        self.assertLessEqual(many_warn, few_warn + SLACK)
        self.assertLessEqual(many_missed, few_missed + SLACK)
        # What a per-record run left, for each report.
        reports = many.mapped('report_ids')
        self.assertEqual(set(reports.mapped('state')), {'missed'})
        self.assertTrue(all(reports.mapped('warned_date')))
        self.assertTrue(all(many.mapped('report_overdue')))
        activities = self._activities(many)
        self.assertEqual(len(activities), 20)
        self.assertEqual(activities.mapped('user_id'), self.manager)
        # One activity per complaint (mail.activity orders by deadline
        # only: the order among equal deadlines is the database's).
        self.assertEqual(sorted(activities.mapped('res_id')),
                         sorted(many.ids))
        for activity in activities:
            complaint = many.browse(activity.res_id)
            self.assertEqual(activity.res_name, complaint.name)
            self.assertIn(complaint.report_ids.name, activity.note)
            self.assertIn(complaint.report_ids.regulation, activity.note)
            self.assertEqual(activity.date_deadline, '2026-04-02')
            # The manager follows the complaint, as Odoo's activity does.
            self.assertIn(self.manager.partner_id,
                          complaint.message_partner_ids)
            self.assertEqual(len(self._missed_notes(complaint)), 1)
        digests = self._digests(self.manager)
        self.assertEqual(len(digests), 2)
        later = digests.filtered(lambda mail: '20 report' in mail.subject)
        for report in reports:
            self.assertIn(report.name, later.body_html)
        self.assertEqual(len(self._audited(reports, 'state', 'missed')), 20)
        self.assertEqual(len(self._audited(
            reports, 'warned_date', LATER_WARN)), 20)
        # Nothing left: a rerun changes nothing and warns nobody again.
        warned, missed, _queries = self._cron_queries(LATER_MISSED)
        self.assertFalse(warned | missed)
        self.assertEqual(len(self._activities(many)), 20)

    def test_without_quality_manager_the_company_managers_are_warned(self):
        self.company.meddev_quality_manager_id = False
        complaint = self._reportable(1, FIRST_AWARE, user_id=False)
        managers = self._managers_of(self.company)
        self.assertIn(self.manager, managers)
        warned, _missed, _queries = self._cron_queries(FIRST_WARN)
        self.assertEqual(warned, complaint.report_ids)
        self.assertEqual(self._activities(complaint).mapped('user_id'),
                         managers)
        self.assertEqual(len(self._digests(self.manager)), 1)

    def test_nobody_to_warn_waits_for_a_quality_manager(self):
        company = self.env['res.company'].create({
            'name': 'Quality Without Manager',
            'currency_id': self.company.currency_id.id})
        company.partner_id.tz = 'UTC'
        regulatory = self._create_user(
            'qa_ra_nomanager', self.group_regulatory, company)
        complaint = self._create_complaint(
            lot_id=False, user_id=False, company_id=company.id)
        self._decide(complaint, self.china, user=regulatory)
        report = complaint.report_ids
        self.assertFalse(self._managers_of(company))
        # The server log says so (captured: a WARNING of the suite in a
        # test run's log fails scripts/test.sh's install checks).
        with self.assertLogs(CRON_LOGGER, 'WARNING') as logged:
            warned, _missed, _queries = self._cron_queries(FIRST_WARN)
        self.assertIn('nobody to warn of 1 report(s)', logged.output[0])
        # Not warned, so not recorded as warned: it waits.
        self.assertFalse(warned)
        self.assertFalse(report.warned_date)
        self.assertFalse(self._activities(complaint))
        manager = self._create_user(
            'qa_manager_later', self.group_manager, company)
        company.meddev_quality_manager_id = manager
        with frozen_now('2026-03-21 10:00:00'):
            warned, _missed = self.reports._cron_check_deadlines()
            warned_again, _missed = self.reports._cron_check_deadlines()
        self.assertEqual(warned, report)
        self.assertFalse(warned_again)
        self.assertEqual(report.warned_date, '2026-03-21 10:00:00')
        self.assertEqual(self._activities(complaint).user_id, manager)
        self.assertEqual(len(self._digests(manager)), 1)
