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
