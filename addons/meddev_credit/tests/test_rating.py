from unittest.mock import patch

from odoo.addons.queue_job.job import Job

from .common import MeddevCreditFlowCase, call_button, days_ago

WEIGHTS = {'days_late': 40, 'late_share': 25, 'overdue_ratio': 25,
           'returns': 10}


class TestRating(MeddevCreditFlowCase):

    @classmethod
    def setUpClass(cls):
        super(TestRating, cls).setUpClass()
        signals = cls.env['meddev.credit.signal']
        for code, weight in WEIGHTS.items():
            signal = signals.search([('code', '=', code),
                                     ('company_id', '=', cls.company.id)])
            if signal:
                signal.weight = weight
            else:
                signals.create({'code': code, 'name': code, 'weight': weight,
                                'company_id': cls.company.id})
        # Paid on the due date.
        cls.good = cls.customer
        invoice = cls._create_invoice(
            cls.good, 1000.0, date_invoice=days_ago(100), date_due=days_ago(70))
        cls._pay(invoice, 1000.0, days_ago(70))
        # Paid 30 days late.
        cls.late = cls._create_customer('Slow Payer Clinic')
        invoice = cls._create_invoice(
            cls.late, 1000.0, date_invoice=days_ago(100), date_due=days_ago(70))
        cls._pay(invoice, 1000.0, days_ago(40))
        # Never paid, 120 days overdue.
        cls.bad = cls._create_customer('Defaulting Distributor')
        cls._create_invoice(
            cls.bad, 1000.0, date_invoice=days_ago(150), date_due=days_ago(120))
        # Pays well but left one small invoice 100 days overdue.
        cls.overdue = cls._create_customer('Forgetful Hospital')
        invoice = cls._create_invoice(
            cls.overdue, 9000.0, date_invoice=days_ago(130), date_due=days_ago(100))
        cls._pay(invoice, 9000.0, days_ago(100))
        cls.small = cls._create_invoice(
            cls.overdue, 100.0, date_invoice=days_ago(130), date_due=days_ago(100))
        cls.rated = cls.good | cls.late | cls.bad | cls.overdue

    @classmethod
    def _create_customer(cls, name):
        return cls.env['res.partner'].create({
            'name': name, 'is_company': True, 'customer': True,
            'credit_limit': 10000.0})

    def _run(self):
        self.env['res.partner']._cron_rate_customers(
            batch_size=2, today=self.today)

    def _histories(self):
        return self.env['meddev.credit.rating.history'].search(
            [('partner_id', 'in', self.rated.ids)])

    def _activities(self):
        """The hold activities, on the customers' credit states: their
        summary names the cause, for credit users only."""
        states = self.env['meddev.credit.partner.state'].search([
            ('partner_id', 'in', self.rated.ids)])
        self.assertFalse(self.env['mail.activity'].search([
            ('res_model', '=', 'res.partner'),
            ('res_id', 'in', self.rated.ids)]))
        return self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.credit.partner.state'),
            ('res_id', 'in', states.ids)])

    def test_scores_and_grades(self):
        self._run()
        self.assertEqual((self.good.credit_rating, self.good.credit_score),
                         ('A', 100.0))
        # 30 days late: half the days risk, all invoices late.
        self.assertEqual((self.late.credit_rating, self.late.credit_score),
                         ('C', 55.0))
        self.assertEqual((self.bad.credit_rating, self.bad.credit_score),
                         ('D', 10.0))
        self.assertEqual(self.overdue.credit_rating, 'A')
        self.assertEqual(self.good.credit_rating_date, self.today)
        history = self._histories().filtered(
            lambda h: h.partner_id == self.late)
        self.assertEqual((history.rating, history.score), ('C', 55.0))
        self.assertIn('Average days late: 0.50', history.note)
        self.assertIn('Share of invoices paid late: 1.00', history.note)

    def test_thresholds_are_configuration(self):
        self.policies['C'].min_score = 56
        self._run()
        self.assertEqual(self.late.credit_rating, 'D')

    def test_cron_is_idempotent(self):
        self._run()
        histories = self._histories()
        activities = self._activities()
        self.assertEqual(len(histories), 4)
        self._run()
        self.assertEqual(self._histories(), histories)
        self.assertEqual(self._activities(), activities)
        # A small change of behaviour updates the score, without a line.
        score = self.overdue.credit_score
        self._pay(self.small, 100.0)
        self._run()
        self.assertNotEqual(self.overdue.credit_score, score)
        self.assertEqual(self._histories(), histories)

    def test_history_only_when_grade_or_score_moves(self):
        """An open overdue invoice raises the days-late risk every night:
        one history line per grade change or move of the score step."""
        clinic = self._create_customer('Late Night Clinic')
        self._create_invoice(clinic, 1000.0, date_invoice=days_ago(40),
                             date_due=days_ago(10))
        self.company.credit_history_score_step = 5.0
        history = self.env['meddev.credit.rating.history']

        def run(day):
            self.env['res.partner']._cron_rate_customers(
                today=days_ago(-day))
            clinic.invalidate_cache()
            return history.search([('partner_id', '=', clinic.id)])

        first = run(0)
        self.assertEqual(len(first), 1)
        self.assertEqual(run(1), first, 'one more day late: no new line')
        self.assertEqual(run(2), first)
        self.assertLess(clinic.credit_score, first.score)
        # Twenty days later the score moved by more than the step.
        later = run(20)
        self.assertEqual(len(later), 2)
        self.assertGreaterEqual(first.score - later[0].score, 5.0)

    def test_every_company_is_rated(self):
        other = self.env['res.company'].create({
            'name': 'MedDev North', 'currency_id': self.currency.id})
        signals = self.env['meddev.credit.signal']
        self.assertEqual(set(signals._weights(other)),
                         set(signals._weights(self.company)))
        self.assertEqual(set(self.env['meddev.credit.policy']
                             ._policies_by_rating(other)), set('ABCD'))
        partners = type(self.env['res.partner'])
        original = partners._credit_rating_signals
        good = self.good

        def late_everywhere(self):
            signals = original(self)
            signals[0] = dict(signals[0], compute=lambda ids, company,
                              date_from, today: {good.id: 1.0})
            return signals

        with patch.object(partners, '_credit_rating_signals',
                          late_everywhere):
            self.env['meddev.credit.rating.engine']._rate(
                good, other, self.today)
        in_other = good.with_context(force_company=other.id)
        self.assertEqual((in_other.credit_rating, in_other.credit_score),
                         ('D', 0.0))
        self.assertFalse(good.credit_rating, 'not rated in the main company')

    def test_automatic_hold_and_release(self):
        self.good.sudo(self.manager).write({
            'credit_hold': True, 'credit_hold_reason': 'Audit pending'})
        self._run()
        self.assertTrue(self.bad.credit_hold)
        self.assertEqual(self.bad.credit_hold_origin, 'automatic')
        self.assertEqual(self.bad.credit_hold_reason, 'Credit rating D')
        self.assertTrue(self.overdue.credit_hold)
        self.assertEqual(self.overdue.credit_hold_reason,
                         'Invoices overdue by 100 days (more than 90)')
        self.assertFalse(self.late.credit_hold)
        activities = self._activities()
        self.assertEqual(
            self.env['meddev.credit.partner.state'].browse(
                activities.mapped('res_id')).mapped('partner_id'),
            self.bad | self.overdue)
        self.assertEqual(activities.mapped('user_id'), self.manager)
        # The cause is gone: the automatic hold is lifted, the manual one
        # stays.
        self._pay(self.small, 100.0)
        self._run()
        self.assertFalse(self.overdue.credit_hold)
        self.assertTrue(self.good.credit_hold)
        self.assertEqual(self.good.credit_hold_origin, 'manual')
        self.assertTrue(self.bad.credit_hold)

    def test_released_hold_returns_only_for_a_new_cause(self):
        self._run()
        self.assertTrue(self.overdue.credit_hold)
        wizard = self.env['meddev.credit.hold.wizard'].sudo(
            self.manager).create({
                'partner_id': self.overdue.id, 'action': 'lift',
                'reason': 'Promised to pay at month end'})
        call_button(wizard, 'action_apply')
        self.assertFalse(self.overdue.credit_hold)
        # The next nights, the same overdue invoice is no new cause.
        for day in (0, 1, 5):
            self.env['res.partner']._cron_rate_customers(
                today=days_ago(-day))
            self.overdue.invalidate_cache()
            self.assertFalse(self.overdue.credit_hold)
        # Another invoice goes beyond 90 days after the release: held.
        self._create_invoice(self.overdue, 50.0, date_invoice=days_ago(115),
                             date_due=days_ago(85))
        self.env['res.partner']._cron_rate_customers(today=days_ago(-5))
        self.overdue.invalidate_cache()
        self.assertFalse(self.overdue.credit_hold, '90 days, not more')
        self.env['res.partner']._cron_rate_customers(today=days_ago(-6))
        self.overdue.invalidate_cache()
        self.assertTrue(self.overdue.credit_hold)
        self.assertEqual(self.overdue.credit_hold_origin, 'automatic')
        self.assertEqual(self.overdue.credit_hold_reason,
                         'Invoices overdue by 106 days (more than 90)')

    def test_signal_hook(self):
        partners = type(self.env['res.partner'])
        original = partners._credit_rating_signals
        codes = [signal['code']
                 for signal in self.env['res.partner']._credit_rating_signals()]
        own = ['days_late', 'late_share', 'overdue_ratio', 'returns']
        # Credit's own signals come first; other modules (service) append.
        self.assertEqual(codes[:4], own)
        # Only credit's signals and the patched one weigh in this test.
        self.env['meddev.credit.signal'].search(
            [('code', 'not in', own)]).write({'weight': 0})
        good = self.good

        def with_complaints(self):
            return original(self) + [{
                'code': 'complaints', 'name': 'Complaint rate',
                'compute': lambda ids, company, date_from, today: {
                    good.id: 1.0}}]

        self.env['meddev.credit.signal'].create({
            'code': 'complaints', 'name': 'Complaint rate', 'weight': 100})
        with patch.object(partners, '_credit_rating_signals',
                          with_complaints):
            self._run()
        self.assertEqual(self.good.credit_score, 50.0)
        self.assertIn('Complaint rate: 1.00',
                      self.good.credit_rating_history_ids[:1].note)

    def test_returns_signal(self):
        self._create_invoice(self.good, 250.0, kind='out_refund',
                             date_invoice=days_ago(60))
        order = self._create_order(self.good, [(self.product, 5, 50.0)])
        order.action_confirm()
        order.action_cancel()
        # A quotation cancelled before confirmation is no cancellation.
        quotation = self._create_order(self.good, [(self.product, 9, 50.0)])
        quotation.action_cancel()
        risks = self.env['meddev.credit.rating.engine']._signal_returns(
            (self.good.id,), self.company, days_ago(365), self.today)
        # Returned and cancelled over all that was sold or ordered:
        # (250 + 250) / (1000 + 250).
        self.assertEqual(risks[self.good.id], 0.4)

    def test_cron_enqueues_one_job_per_batch(self):
        jobs = self.env['queue.job']
        before = jobs.search([])
        self.env['res.partner']._cron_rate_customers(
            batch_size=2, today=self.today, use_jobs=True)
        new_jobs = jobs.search([]) - before
        self.assertTrue(new_jobs)
        self.assertEqual(set(new_jobs.mapped('method_name')),
                         {'_credit_rate_batch'})
        self.assertTrue(all(len(job_.record_ids) <= 2 for job_ in new_jobs))
        self.assertEqual(set(new_jobs.mapped('channel')), {'root.credit'})
        self.assertFalse(self.late.credit_rating, 'nothing done yet')
        for job_ in new_jobs:
            Job.load(self.env, job_.uuid).perform()
        self.assertEqual(self.late.credit_rating, 'C')
        self.assertEqual(self.bad.credit_rating, 'D')
        self.assertTrue(self.bad.credit_hold)
