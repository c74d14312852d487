"""The nightly credit rating: both companies in one run, each rating and
holding on its own figures and telling its own credit manager; a crash
while queuing the batches, a rerun and jobs run twice leave one history
line per customer and one hold activity."""

from unittest.mock import patch

from odoo.tests.common import at_install, post_install

from odoo.addons.meddev_base.tests.common import (
    crash_on_call, scheduled_run)
from odoo.addons.meddev_credit.tests.common import (
    MeddevCreditFlowCase, days_ago)
from odoo.addons.queue_job.job import Job


@at_install(False)
@post_install(True)
class TestCreditRatingCron(MeddevCreditFlowCase):

    @classmethod
    def setUpClass(cls):
        super(TestCreditRatingCron, cls).setUpClass()
        cls.company_b = cls.env['res.company'].create({
            'name': 'Suite Credit South', 'currency_id': cls.currency.id})
        cls.manager_b = cls._create_user(
            'suite_credit_manager_b', cls.group_manager, cls.company_b)
        cls.company_b.credit_manager_id = cls.manager_b
        cls.late = cls.env['res.partner']
        for index in range(3):
            partner = cls.env['res.partner'].create({
                'name': 'Suite Late Clinic %s' % index, 'is_company': True,
                'customer': True})
            # Four months overdue: grade D and an automatic hold here.
            cls._create_invoice(partner, 500.0, date_invoice=days_ago(150),
                                date_due=days_ago(120))
            cls.late |= partner
        # Rated D in the southern company (no invoice there): held there
        # for its rating, by its own rules.
        cls.rated_b = cls.env['res.partner'].create({
            'name': 'Suite South Distributor', 'is_company': True,
            'customer': True, 'company_id': False})
        cls.rated_b.sudo(cls.manager_b).credit_rating = 'D'
        cls.partners = cls.late | cls.rated_b

    def _only_ours(self):
        """Keep the run to this test's customers (demo data has its own)."""
        engine = type(self.env['meddev.credit.rating.engine'])
        original = engine._partners_to_rate
        ours = set(self.partners.ids)

        def partners_to_rate(model, company, today):
            return [partner_id for partner_id in original(
                model, company, today) if partner_id in ours]
        return patch.object(engine, '_partners_to_rate', partners_to_rate)

    def _cron(self, batch_size=200, use_jobs=True):
        cron = self.env.ref('meddev_credit.ir_cron_meddev_credit_rating')
        self.env['res.partner'].sudo(cron.user_id)._cron_rate_customers(
            batch_size=batch_size, today=self.today, use_jobs=use_jobs,
            commit=True)

    def _run_jobs(self):
        """Run the queued rating jobs as the job runner does."""
        jobs = self.env['queue.job'].search([
            ('state', '=', 'pending'),
            ('method_name', '=', '_credit_rate_batch')])
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            job.perform()
            job.set_done()
            job.store()
        return len(jobs)

    def _in(self, company, partner):
        return partner.with_context(force_company=company.id)

    def assertRatedOnce(self):
        history = self.env['meddev.credit.rating.history'].search(
            [('partner_id', 'in', self.partners.ids)])
        self.assertEqual(sorted(history.mapped('partner_id.name')),
                         sorted(self.late.mapped('name')))
        self.assertEqual(set(history.mapped('company_id')), {self.company})
        for partner in self.late:
            held = self._in(self.company, partner)
            self.assertEqual(held.credit_rating, 'D')
            self.assertTrue(held.credit_hold)
            self.assertFalse(self._in(self.company_b, partner).credit_hold)
        self.assertTrue(self._in(self.company_b, self.rated_b).credit_hold)
        self.assertEqual(
            self._in(self.company_b, self.rated_b).credit_hold_reason,
            'Credit rating D')
        self.assertFalse(self._in(self.company, self.rated_b).credit_hold)
        # One hold activity per customer, to its company's credit manager.
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.credit.partner.state'),
            ('res_id', 'in', self.partners.mapped('credit_state_ids').ids)])
        self.assertEqual(len(activities), len(self.partners))
        for activity in activities:
            state = self.env['meddev.credit.partner.state'].browse(
                activity.res_id)
            self.assertEqual(activity.user_id, state.company_id.
                             credit_manager_id, state.partner_id.name)

    def test_both_companies_in_one_run(self):
        with self._only_ours(), scheduled_run(self.env) as run:
            self._cron(use_jobs=False)
        self.assertEqual(run['commits'], 2)
        self.assertRatedOnce()
        with self._only_ours(), scheduled_run(self.env):
            self._cron(use_jobs=False)
        self.assertRatedOnce()

    def test_crash_while_queuing_then_rerun_and_jobs_twice(self):
        partners = self.env['res.partner']
        with self._only_ours(), scheduled_run(self.env) as run, \
                crash_on_call(partners, 'with_delay', 2):
            self._cron(batch_size=1)
        self.assertTrue(run['crashed'])
        self.assertEqual(run['commits'], 2)
        # The rerun queues every batch again: the two kept jobs of the
        # first run and the rerun's rate the same customers twice.
        with self._only_ours(), scheduled_run(self.env):
            self._cron(batch_size=1)
        self.assertEqual(self._run_jobs(), 6)
        self.assertRatedOnce()
        # The next night, nothing new.
        with self._only_ours(), scheduled_run(self.env):
            self._cron(batch_size=1)
        self._run_jobs()
        self.assertRatedOnce()
