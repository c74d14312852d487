"""The quality crons (reporting deadlines, overdue CAPA actions): both
companies in one run, each warning its own quality manager; a crash
mid-run resumes without a second warning, mail or reminder."""

from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tests.common import (
    crash_on_call, scheduled_run)
from odoo.addons.meddev_quality_capa.tests.common import (
    MeddevCapaCase, frozen_now)


# The complaints below are aware on 2026-03-03 (serious injury, China):
# their reports are to be warned of on the 21st, missed on the 24th.
WARN_NOW = '2026-03-21 09:00:00'
MISSED_NOW = '2026-03-24 00:00:00'


@at_install(False)
@post_install(True)
class TestQualityCrons(MeddevCapaCase):

    @classmethod
    def setUpClass(cls):
        super(TestQualityCrons, cls).setUpClass()
        # The test owns the crons' work: other open reports and actions
        # (demo) count as warned and reminded.
        cls.env.cr.execute(
            "UPDATE meddev_capa_action SET overdue_notified = TRUE")
        cls.env.cr.execute(
            "UPDATE meddev_regulatory_report SET warned_date = create_date, "
            "state = 'submitted' WHERE state = 'open'")
        cls.env['meddev.capa.action'].invalidate_cache()
        cls.env['meddev.regulatory.report'].invalidate_cache()
        cls.company_b = cls.env['res.company'].create({
            'name': 'Suite Quality South',
            'currency_id': cls.company.currency_id.id})
        cls.company_b.partner_id.tz = 'UTC'
        cls.manager_b = cls._create_user(
            'suite_qa_manager_b', cls.group_manager, cls.company_b)
        cls.owner_b = cls._create_user(
            'suite_qa_owner_b', cls.group_user, cls.company_b)
        cls.company_b.meddev_quality_manager_id = cls.manager_b
        regulatory_b = cls._create_user(
            'suite_qa_ra_b', cls.group_regulatory, cls.company_b)
        cls.complaints = {cls.company: cls.complaint}
        cls.complaints[cls.company] |= cls._create_complaint()
        cls.complaints[cls.company_b] = cls.env['meddev.complaint']
        for _number in range(2):
            cls.complaints[cls.company_b] |= cls._create_complaint(
                company_id=cls.company_b.id)
        for company, complaints in cls.complaints.items():
            for complaint in complaints:
                cls._decide(complaint, cls.china, user=(
                    regulatory_b if company == cls.company_b else None))
        cls.managers = {cls.company: cls.manager,
                        cls.company_b: cls.manager_b}

    # ------------------------------------------------------------------
    # Reporting deadlines
    # ------------------------------------------------------------------

    def _reports(self):
        return (self.complaints[self.company]
                | self.complaints[self.company_b]).mapped('report_ids')

    def _warnings(self, complaint):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', complaint.id)])

    def _deadline_mails(self, manager):
        return self.env['mail.mail'].search([
            ('recipient_ids', 'in', manager.partner_id.ids),
            ('subject', 'like', 'Reporting deadlines approaching')])

    def assertWarnedOnce(self):
        for company, complaints in self.complaints.items():
            for complaint in complaints:
                self.assertTrue(complaint.report_ids.warned_date)
                warnings = self._warnings(complaint)
                self.assertEqual(len(warnings), 1, complaint.name)
                # The quality manager of the complaint's own company.
                self.assertEqual(warnings.user_id, self.managers[company])

    def test_deadlines_both_companies_in_one_run(self):
        reports = self._reports()
        self.assertEqual(len(reports), 4)
        self.assertEqual(
            reports.mapped('company_id'), self.company | self.company_b)
        cron = self.env.ref(
            'meddev_quality_capa.ir_cron_meddev_report_deadlines')
        with scheduled_run(self.env), frozen_now(WARN_NOW):
            cron.method_direct_trigger()
        self.assertWarnedOnce()
        for manager in self.managers.values():
            self.assertEqual(len(self._deadline_mails(manager)), 1)
        with scheduled_run(self.env), frozen_now(MISSED_NOW):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(set(reports.mapped('state')), {'missed'})
        self.assertWarnedOnce()
        for complaint in self._reports().mapped('complaint_id'):
            missed = complaint.message_ids.filtered(
                lambda message: 'Deadline missed' in (message.body or ''))
            self.assertEqual(len(missed), 1, complaint.name)

    def test_deadlines_crash_then_rerun(self):
        reports = self.env['meddev.regulatory.report'].with_context(
            meddev_cron_commit=True)
        with scheduled_run(self.env) as run, frozen_now(WARN_NOW), \
                crash_on_call(reports, '_warn_deadline', 2):
            reports._cron_check_deadlines(batch_size=1)
        self.assertTrue(run['crashed'])
        self.assertEqual(len(self._reports().filtered('warned_date')), 2)
        with scheduled_run(self.env), frozen_now(WARN_NOW):
            reports._cron_check_deadlines(batch_size=1)
        self.assertWarnedOnce()
        # One mail per batch of one report: two per manager, not three.
        for manager in self.managers.values():
            self.assertEqual(len(self._deadline_mails(manager)), 2)

    # ------------------------------------------------------------------
    # Overdue CAPA actions
    # ------------------------------------------------------------------

    def _capa_with_actions(self, company, owner):
        capa = self.env['meddev.capa'].create({
            'source': 'audit', 'problem': 'Alarm module fails',
            'company_id': company.id})
        for name in ('Change supplier', 'Update inspection'):
            self.env['meddev.capa.action'].create({
                'capa_id': capa.id, 'name': name, 'owner_id': owner.id,
                'due_date': '2026-04-30'})
        return capa

    def assertRemindedOnce(self, capas):
        for capa in capas:
            self.assertTrue(all(capa.action_ids.mapped('overdue_notified')))
            reminders = self.env['mail.activity'].search([
                ('res_model', '=', 'meddev.capa.action'),
                ('res_id', 'in', capa.action_ids.ids),
                ('summary', 'like', 'Overdue')])
            self.assertEqual(len(reminders), 2, capa.name)
            self.assertEqual(reminders.mapped('user_id'),
                             capa.action_ids.mapped('owner_id'))
            notes = capa.message_ids.filtered(
                lambda message: 'was due' in (message.body or ''))
            self.assertEqual(len(notes), 1, capa.name)

    def test_overdue_actions_both_companies_in_one_run(self):
        capas = self._capa_with_actions(self.company, self.owner) | \
            self._capa_with_actions(self.company_b, self.owner_b)
        cron = self.env.ref(
            'meddev_quality_capa.ir_cron_meddev_capa_overdue_actions')
        with scheduled_run(self.env):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertRemindedOnce(capas)

    def test_overdue_actions_crash_then_rerun(self):
        capas = self._capa_with_actions(self.company, self.owner) | \
            self._capa_with_actions(self.company_b, self.owner_b)
        actions = self.env['meddev.capa.action'].with_context(
            meddev_cron_commit=True)
        # Batches of two actions: the crash comes in the second batch,
        # after the reminder of its first action.
        with scheduled_run(self.env) as run, crash_on_call(
                actions, '_schedule_owner_activity', 3):
            actions._cron_overdue_actions(batch_size=2)
        self.assertTrue(run['crashed'])
        self.assertEqual(
            len(capas.mapped('action_ids').filtered('overdue_notified')), 2)
        with scheduled_run(self.env):
            actions._cron_overdue_actions(batch_size=2)
        self.assertRemindedOnce(capas)
