import importlib.util
import os
from datetime import timedelta

from odoo import fields

from odoo.addons.meddev_base.tests.common import (
    crash_on_call, scheduled_run)

from .common import MeddevTraceabilityCase


class TestOverdueCron(MeddevTraceabilityCase):
    """The daily check of overdue recall notices (issue 11): both
    companies in one run, one batch committed per company; a crash in the
    middle keeps the batch done, and the rerun flags the rest without a
    second activity or any notice mail; each company's grace applies."""

    @classmethod
    def setUpClass(cls):
        super(TestOverdueCron, cls).setUpClass()
        # Notices of other recalls (demo data) already overdue are flagged
        # first: the runs below see only this test's recalls.
        cls.env['meddev.recall'].with_context(
            tz='UTC')._cron_flag_overdue_notices()
        cls.main = cls.env.user.company_id
        cls.east = cls.env['res.company'].create(
            {'name': 'MedDev Trace East (cron)'})
        cls.manager_east = cls._create_user(
            'trace_cron_manager_east', cls.group_manager, company=cls.east)
        cls.level_3 = cls.env.ref('meddev_traceability.recall_level_cn_3')
        cls.hospital = cls.env['res.partner'].create({
            'name': '华山医院', 'customer': True, 'is_company': True,
            'email': 'equipment@huashan.example.com'})
        cls.today = fields.Date.from_string(fields.Date.today())
        # Level III: due 7 days after the decision; 9 days ago is 2 days
        # past the deadline.
        decision = fields.Date.to_string(cls.today - timedelta(days=9))
        cls.recall_main = cls._open_recall(
            cls.main, cls.manager, cls.serial, decision)
        cls.recall_east = cls._open_recall(
            cls.east, cls.manager_east, cls.board_lot, decision)
        cls.recalls = cls.recall_main | cls.recall_east
        cls.activity_type = cls.env.ref(
            'meddev_traceability.mail_activity_type_recall_overdue')

    @classmethod
    def _open_recall(cls, company, responsible, lot, decision):
        """Return an open recall of ``company`` with one line to notify,
        past its deadline."""
        recall = cls.env['meddev.recall'].create({
            'reason': 'Battery swells (%s).' % company.name,
            'recall_level_id': cls.level_3.id, 'company_id': company.id,
            'decision_date': decision, 'user_id': responsible.id,
            'lot_ids': [(6, 0, lot.ids)]})
        recall.action_launch()
        cls.env['meddev.recall.line'].create({
            'recall_id': recall.id, 'partner_id': cls.hospital.id,
            'lot_id': lot.id, 'product_id': lot.product_id.id,
            'quantity_shipped': 1.0, 'quantity_at_customer': 1.0})
        return recall

    def _activities(self, recall):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.recall'), ('res_id', '=', recall.id),
            ('activity_type_id', '=', self.activity_type.id)])

    def _notice_mails(self):
        return self.env['mail.mail'].search_count([
            ('model', '=', 'meddev.recall'),
            ('res_id', 'in', self.recalls.ids)])

    def _cron(self):
        # The scheduled action's call, as the superuser in UTC.
        return self.env['meddev.recall'].with_context(
            tz='UTC')._cron_flag_overdue_notices(commit=True)

    def test_both_companies_in_one_run_then_rerun(self):
        with scheduled_run(self.env) as run:
            flagged = self._cron()
        self.assertEqual(flagged, self.recalls.mapped('line_ids'))
        self.assertTrue(all(self.recalls.mapped('line_ids.overdue')))
        # One batch per company, each committed on its own.
        self.assertGreaterEqual(run['commits'], 2)
        for recall, user in ((self.recall_main, self.manager),
                             (self.recall_east, self.manager_east)):
            activity = self._activities(recall)
            self.assertEqual(activity.user_id, user)
            self.assertIn(recall.name, activity.note)
        with scheduled_run(self.env):
            self.assertFalse(self._cron())
        for recall in self.recalls:
            self.assertEqual(len(self._activities(recall)), 1)
        self.assertEqual(self._notice_mails(), 0)

    def test_crash_in_the_middle_then_rerun(self):
        recalls = self.env['meddev.recall']
        with scheduled_run(self.env) as run, crash_on_call(
                recalls, '_schedule_overdue_activity', 1) as calls:
            self._cron()
        self.assertTrue(run['crashed'])
        self.assertEqual(len(calls), 2)
        done = recalls.browse(calls[0])
        lost = self.recalls - done
        self.assertEqual(len(done), 1)
        # The first company's batch was committed before the crash; the
        # second one's flags went with the killed transaction.
        self.assertTrue(done.line_ids.overdue)
        self.assertEqual(len(self._activities(done)), 1)
        self.assertFalse(lost.line_ids.overdue)
        self.assertFalse(self._activities(lost))
        with scheduled_run(self.env) as rerun:
            flagged = self._cron()
        self.assertFalse(rerun['crashed'])
        self.assertEqual(flagged, lost.line_ids)
        self.assertTrue(lost.line_ids.overdue)
        for recall in self.recalls:
            self.assertEqual(len(self._activities(recall)), 1,
                             recall.company_id.name)
        self.assertEqual(self._notice_mails(), 0)

    def test_each_company_grace(self):
        self.east.recall_overdue_grace_days = 3
        with scheduled_run(self.env):
            flagged = self._cron()
        self.assertEqual(flagged, self.recall_main.line_ids)
        self.assertFalse(self.recall_east.line_ids.overdue)
        self.assertFalse(self._activities(self.recall_east))
        # A grace shortened later flags it on the next run.
        self.east.recall_overdue_grace_days = 1
        with scheduled_run(self.env):
            self.assertEqual(self._cron(), self.recall_east.line_ids)
        # Lengthened again: no longer overdue.
        self.east.recall_overdue_grace_days = 5
        with scheduled_run(self.env):
            self._cron()
        self.assertFalse(self.recall_east.line_ids.overdue)
        self.assertTrue(self.recall_main.line_ids.overdue)

    def test_one_open_activity_whoever_the_responsible(self):
        with scheduled_run(self.env):
            self._cron()
        self.assertEqual(self._activities(self.recall_main).user_id,
                         self.manager)
        # The responsible changes, a new delivery line is overdue; the
        # open activity of the first responsible still stands for it, in
        # whatever language the next run goes (review S3).
        self.recall_main.user_id = self.manager_east
        self.env['meddev.recall.line'].create({
            'recall_id': self.recall_main.id, 'partner_id': self.hospital.id,
            'lot_id': self.board_lot.id,
            'product_id': self.board_lot.product_id.id,
            'quantity_shipped': 1.0, 'quantity_at_customer': 1.0})
        with scheduled_run(self.env):
            flagged = self.env['meddev.recall'].with_context(
                tz='UTC', lang='zh_CN')._cron_flag_overdue_notices(
                    commit=True)
        self.assertEqual(len(flagged), 1)
        self.assertEqual(len(self._activities(self.recall_main)), 1)
        # Once done (deleted in Odoo 11), the next overdue notice gets one
        # for the new responsible.
        self._activities(self.recall_main).action_feedback('Called them')
        self.recall_main.line_ids._meddev_as_server().write(
            {'overdue': False})
        with scheduled_run(self.env):
            self._cron()
        self.assertEqual(self._activities(self.recall_main).user_id,
                         self.manager_east)


class TestOverdueCronMigration(MeddevTraceabilityCase):
    """11.0.1.3.0 gives the noupdate scheduled action its commit=True,
    leaving a code an implementer changed alone."""

    def _migrate(self):
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)),
                            'migrations', '11.0.1.3.0', 'post-migrate.py')
        spec = importlib.util.spec_from_file_location(
            'meddev_trace_migrate_1_3', path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, '11.0.1.2.0')

    def test_cron_code_migrated(self):
        cron = self.env.ref(
            'meddev_traceability.ir_cron_meddev_recall_overdue')
        cron.code = 'model._cron_flag_overdue_notices()'
        self._migrate()
        cron.invalidate_cache()
        self.assertEqual(cron.code,
                         'model._cron_flag_overdue_notices(commit=True)')
        cron.code = 'model.with_context(lang="zh_CN")' \
            '._cron_flag_overdue_notices()'
        self._migrate()
        cron.invalidate_cache()
        self.assertIn('lang="zh_CN"', cron.code)
