from unittest.mock import patch

from odoo.addons.meddev_base.tools import batch as batch_module

from .common import MeddevCreditFlowCase, count_queries, days_ago


class TestRatingBatch(MeddevCreditFlowCase):
    """The rating job works on its batch as a set: rating 40 customers
    costs the queries of rating 10, not four times as many."""

    @classmethod
    def setUpClass(cls):
        super(TestRatingBatch, cls).setUpClass()
        cls.customers = cls.env['res.partner']
        for index in range(50):
            partner = cls.env['res.partner'].create({
                'name': 'Batch Clinic %s' % index, 'is_company': True,
                'customer': True})
            # Invoiced, not due yet: rated A, no hold.
            cls._create_invoice(partner, 100.0 + index,
                                date_invoice=days_ago(5),
                                date_due=days_ago(-25))
            cls.customers |= partner

    def _rate(self, partners):
        """Rate ``partners`` as one queued batch does; return the number
        of queries it ran."""
        partners.invalidate_cache()
        with count_queries() as queries:
            partners._credit_rate_batch(self.company.id, self.today)
        return len(queries)

    def test_queries_do_not_grow_with_the_batch(self):
        few, many = self.customers[:10], self.customers[10:]
        # First rating: a state, a grade and a history line for each.
        first_few = self._rate(few)
        first_many = self._rate(many)
        self.assertLessEqual(
            first_many, first_few + 5,
            'rating 40 customers ran %s queries, 10 ran %s'
            % (first_many, first_few))
        history = self.env['meddev.credit.rating.history'].search(
            [('partner_id', 'in', self.customers.ids)])
        self.assertEqual(len(history), 50)
        self.assertEqual(set(history.mapped('rating')), {'A'})
        self.assertEqual(history.mapped('company_id'), self.company)
        self.customers.invalidate_cache()
        for partner in self.customers:
            self.assertEqual(partner.credit_rating, 'A')
            self.assertEqual(partner.credit_rating_date, self.today)
            self.assertEqual(partner.credit_score, 100.0)
            self.assertFalse(partner.credit_hold)
        # Nothing changed: the next night reads and writes nothing more.
        again_few = self._rate(few)
        again_many = self._rate(many)
        self.assertLessEqual(again_many, again_few + 5)
        self.assertEqual(self.env['meddev.credit.rating.history'].search_count(
            [('partner_id', 'in', self.customers.ids)]), 50)

    def test_cron_commits_per_batch(self):
        """The scheduled action commits after each batch it queues; called
        without ``commit`` (tests, demo), nothing is committed. The commit
        goes through meddev_base's commit_batch, which never commits under
        a test runner: the runner is taken out of the picture here."""
        cron = self.env.ref('meddev_credit.ir_cron_meddev_credit_rating')
        self.assertIn('commit=True', cron.code)
        engine = self.env['meddev.credit.rating.engine']
        batches = sum(
            -(-len(engine._partners_to_rate(company, self.today)) // 200)
            for company in self.env['res.company'].search([]))
        self.assertGreaterEqual(batches, 1)
        jobs = self.env['queue.job'].search_count([])
        with patch.object(self.env.cr, 'commit') as commit, \
                patch.object(batch_module, 'may_commit', return_value=True):
            cron.method_direct_trigger()
        self.assertEqual(commit.call_count, batches)
        self.assertEqual(self.env['queue.job'].search_count([]),
                         jobs + batches)
        with patch.object(self.env.cr, 'commit') as commit, \
                patch.object(batch_module, 'may_commit', return_value=True):
            self.env['res.partner']._cron_rate_customers(
                batch_size=20, today=self.today)
        commit.assert_not_called()
        self.assertEqual(self.env['meddev.credit.rating.history'].search_count(
            [('partner_id', 'in', self.customers.ids)]), 50)


class TestRatingBatchChanges(MeddevCreditFlowCase):
    """Grades and holds that change cost the batch no more queries either,
    with the chatter on as in the scheduled action: each credit state
    still shows its changes as tracking, and each new automatic hold its
    to-do for the credit manager."""

    @classmethod
    def setUpClass(cls):
        super(TestRatingBatchChanges, cls).setUpClass()
        cls.customers = cls.env['res.partner']
        for index in range(9):
            partner = cls.env['res.partner'].create({
                'name': 'Forgetful Clinic %s' % index, 'is_company': True,
                'customer': True})
            # Paid on time, but one small invoice left overdue by more
            # than the company's 90 days, by a different number of days
            # each: rated A, held with a reason of its own.
            invoice = cls._create_invoice(
                partner, 9000.0, date_invoice=days_ago(130),
                date_due=days_ago(100))
            cls._pay(invoice, 9000.0, days_ago(100))
            cls._create_invoice(partner, 100.0, date_invoice=days_ago(130),
                                date_due=days_ago(91 + index))
            cls.customers |= partner

    def _rate(self, partners, today=None):
        """Rate ``partners`` as one queued batch does, tracking on; return
        the number of queries it ran."""
        partners = partners.with_context(tracking_disable=False)
        partners.invalidate_cache()
        with count_queries() as queries:
            partners._credit_rate_batch(self.company.id, today or self.today)
        return len(queries)

    def _states(self, partners):
        return self.env['meddev.credit.partner.state'].search([
            ('partner_id', 'in', partners.ids),
            ('company_id', '=', self.company.id)])

    def _tracked(self, state, field):
        """The (old, new) values of ``field`` in the state's chatter, the
        oldest change first (an empty text shown as False)."""
        values = state.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == field).sorted('id')
        return [(value.get_old_display_value()[0] or False,
                 value.get_new_display_value()[0] or False)
                for value in values]

    def test_grades_and_holds_cost_no_query_per_partner(self):
        # The first batch pays the one-off lookups (the to-do type, the
        # subtypes, the field descriptions).
        warm, few, many = (self.customers[:1], self.customers[1:3],
                           self.customers[3:])
        self._rate(warm)
        first_few = self._rate(few)
        first_many = self._rate(many)
        self.assertLessEqual(
            first_many, first_few,
            'holding 6 customers ran %s queries, 2 ran %s'
            % (first_many, first_few))
        self.customers.invalidate_cache()
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.credit.partner.state'),
            ('res_id', 'in', self._states(self.customers).ids)])
        self.assertEqual(len(activities), 9)
        self.assertEqual(activities.mapped('user_id'), self.manager)
        for index, partner in enumerate(self.customers):
            reason = 'Invoices overdue by %s days (more than 90)' % (
                91 + index)
            self.assertEqual(partner.credit_rating, 'A')
            self.assertTrue(partner.credit_hold)
            self.assertEqual(partner.credit_hold_origin, 'automatic')
            self.assertEqual(partner.credit_hold_reason, reason)
            state = self._states(partner)
            # What a credit user reads in the state's chatter.
            self.assertEqual(self._tracked(state, 'rating'),
                             [(False, 'A - Low risk')])
            self.assertEqual(self._tracked(state, 'hold'), [(False, True)])
            self.assertEqual(self._tracked(state, 'hold_reason'),
                             [(False, reason)])
            self.assertEqual(self._tracked(state, 'hold_origin'),
                             [(False, 'Automatic')])
            self.assertEqual(
                state.message_ids.filtered('tracking_value_ids').mapped(
                    'author_id'), self.env.user.partner_id)
            todo = activities.filtered(lambda act: act.res_id == state.id)
            self.assertEqual(todo.summary, 'Automatic credit hold: ' + reason)
            self.assertEqual(todo.date_deadline, self.today)
            self.assertIn(self.manager.partner_id,
                          state.message_partner_ids)
        # A day later every hold is one day older: each reason re-worded,
        # tracked, no second to-do.
        tomorrow = days_ago(-1)
        self._rate(warm, tomorrow)
        again_few = self._rate(few, tomorrow)
        again_many = self._rate(many, tomorrow)
        self.assertLessEqual(again_many, again_few)
        self.customers.invalidate_cache()
        for index, partner in enumerate(self.customers):
            reason = 'Invoices overdue by %s days (more than 90)' % (
                92 + index)
            self.assertEqual(partner.credit_hold_reason, reason)
            self.assertEqual(
                self._tracked(self._states(partner), 'hold_reason')[-1],
                (reason.replace(str(92 + index), str(91 + index)), reason))
        self.assertEqual(self.env['mail.activity'].search_count([
            ('res_model', '=', 'meddev.credit.partner.state'),
            ('res_id', 'in', self._states(self.customers).ids)]), 9)
