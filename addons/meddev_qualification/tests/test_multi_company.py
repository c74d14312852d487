import re

from odoo import api
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from ..missing_company import fill_licence_companies, \
    fill_review_companies
from .common import MeddevTradeCase


# Companies created here need the columns that later modules add.
@at_install(False)
@post_install(True)
class TestMultiCompany(MeddevTradeCase):
    """The partner's figures, the review checklist and the gate count the
    same licences: those of the company the user works in; a licence
    always has a company."""

    @classmethod
    def setUpClass(cls):
        super(TestMultiCompany, cls).setUpClass()
        cls.main = cls.env.user.company_id
        cls.other = cls.env['res.company'].create(
            {'name': 'Shanghai Branch Co.'})
        cls.salesman = cls._create_user(
            'mc_salesman', cls.env.ref('sales_team.group_sale_salesman')
            | cls.group_user)
        cls.salesman.write({
            'company_ids': [(6, 0, (cls.main | cls.other).ids)]})
        cls.other_reviewer = cls._create_user(
            'mc_other_reviewer', cls.group_reviewer)
        cls.other_reviewer.write({'company_ids': [(6, 0, cls.other.ids)],
                                  'company_id': cls.other.id})
        # Both companies recorded the business licence; the trading
        # licence was recorded and approved by the branch only.
        cls.bl = cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True, company=cls.main)
        cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True, company=cls.other)
        cls.type_trading.for_distributor = True
        cls.trading = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2099-12-31', scope=cls.cat_imaging, company=cls.other)

    def _as(self, company):
        self.salesman.company_id = company
        self.env['res.partner'].invalidate_cache()
        return self.distributor.sudo(self.salesman)

    def test_figures_follow_the_company(self):
        partner = self._as(self.main)
        self.assertEqual(partner.qualification_state, 'incomplete')
        self.assertEqual(partner.meddev_licence_count, 1)
        self.assertEqual(partner.meddev_qualified_classes, 'I')
        found = self.env['res.partner'].sudo(self.salesman).search([
            ('qualification_state', '=', 'qualified'),
            ('id', '=', self.distributor.id)])
        self.assertFalse(found)
        order = self.env['sale.order'].sudo(self.salesman).create({
            'partner_id': self.distributor.id,
            'order_line': [(0, 0, {
                'product_id': self.product_xray.id, 'name': 'X-ray',
                'product_uom_qty': 1, 'price_unit': 10.0,
                'product_uom': self.product_xray.uom_id.id})]})
        with self.assertRaisesRegex(UserError, 'holds no approved licence '
                                    'for Class III'):
            order.action_confirm()
        partner = self._as(self.other)
        self.assertEqual(partner.qualification_state, 'qualified')
        self.assertEqual(partner.meddev_licence_count, 2)
        self.assertEqual(partner.meddev_qualified_classes, 'I, III')

    def test_forced_company_must_be_the_users(self):
        # A user of the main company only asks for the branch's figures.
        partner = self.distributor.sudo(self.user).with_context(
            force_company=self.other.id)
        self.assertEqual(partner.qualification_state, 'incomplete')
        self.assertEqual(partner.meddev_licence_count, 1)
        # A user of both companies gets them.
        partner = self._as(self.main).with_context(
            force_company=self.other.id)
        self.assertEqual(partner.qualification_state, 'qualified')
        self.assertEqual(partner.meddev_licence_count, 2)

    def test_checklist_follows_the_company(self):
        reviews = self.env['meddev.qualification.review']
        main_review = reviews.create({
            'review_type': 'partner', 'partner_id': self.distributor.id,
            'category_ids': [(6, 0, self.cat_xray.ids)],
            'company_id': self.main.id})
        other_review = reviews.create({
            'review_type': 'partner', 'partner_id': self.distributor.id,
            'category_ids': [(6, 0, self.cat_xray.ids)],
            'company_id': self.other.id})
        item = 'Scope covers Imaging devices / X-ray equipment'

        def passed(review):
            return {line.name: line.passed for line in review.line_ids}

        self.assertFalse(passed(main_review)[item])
        self.assertFalse(
            passed(main_review)['Test Trading Licence approved and in date'])
        self.assertTrue(passed(other_review)[item])

    def test_proposals_and_review_items_kept_apart(self):
        licence = self._create_licence(
            self.distributor, self.type_business, '91110105MA01ABCD39',
            long_term=True, state='draft')
        proposal = self.env['meddev.licence.proposal'].create({
            'licence_id': licence.id, 'field': 'number',
            'value': '91110105MA01ABCD39'})
        review = self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.distributor.id,
            'company_id': self.main.id})
        proposals = self.env['meddev.licence.proposal'].sudo(
            self.other_reviewer)
        self.assertFalse(proposals.search([('id', '=', proposal.id)]))
        with self.assertRaises(AccessError):
            proposal.sudo(self.other_reviewer).read(['value'])
        lines = self.env['meddev.qualification.review.line'].sudo(
            self.other_reviewer)
        self.assertFalse(lines.search([('id', 'in', review.line_ids.ids)]))
        self.assertTrue(self.env['meddev.qualification.review.line'].sudo(
            self.reviewer).search([('id', 'in', review.line_ids.ids)]))

    # Through the user's path: XML-RPC's context kwarg, buttons as the web
    # client calls them.

    def _context(self, user, lang='en_US', **extra):
        return dict(extra, lang=lang, tz='Asia/Shanghai', uid=user.id)

    def _create_over_rpc(self, user, model, vals, **context):
        records = self.env[model].sudo(user)
        return records.browse(api.call_kw(
            records, 'create', [vals],
            {'context': self._context(user, **context)}))

    def _call_over_rpc(self, records, user, method, *args, **context):
        """Call ``method`` on ``records`` as ``user`` over XML-RPC."""
        return api.call_kw(records.sudo(user), method, list(args),
                           {'context': self._context(user, **context)})

    def _confirm_over_rpc(self, company, product=None):
        """Create and confirm an order of ``company`` (for an X-ray unit
        unless another ``product`` is given) as the salesman working in
        it."""
        product = product or self.product_xray
        self._as(company)
        order = self._create_over_rpc(self.salesman, 'sale.order', {
            'partner_id': self.distributor.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'name': product.name,
                'product_uom_qty': 1, 'price_unit': 10.0,
                'product_uom': product.uom_id.id})]})
        self.assertEqual(order.company_id, company)
        context = self._context(self.salesman)
        api.call_kw(order.with_context(**context), 'action_confirm',
                    [order.ids, context], {})
        return order

    def test_licence_needs_a_company(self):
        """A licence sent without a company, or with a context that
        empties it, is refused; one left without gets the company the user
        works in."""
        vals = {'partner_id': self.distributor.id,
                'licence_type_id': self.type_business.id,
                'number': '91110105MA01ABCD39'}
        with self.assertRaisesRegex(
                UserError, 'Licence 91110105MA01ABCD39 needs a company'):
            self._create_over_rpc(self.salesman, 'meddev.partner.licence',
                                  dict(vals, company_id=False))
        # Not the column's NOT NULL error, which does not say why.
        with self.assertRaisesRegex(
                UserError, 'Licence 91110105MA01ABCD39 needs a company'):
            self._create_over_rpc(self.salesman, 'meddev.partner.licence',
                                  vals, default_company_id=False)
        self._as(self.other)
        licence = self._create_over_rpc(
            self.salesman, 'meddev.partner.licence', vals)
        self.assertEqual(licence.company_id, self.other)
        with self.assertRaisesRegex(
                UserError, 'Licence 91110105MA01ABCD39 needs a company'):
            api.call_kw(licence.sudo(self.salesman), 'write',
                        [licence.ids, {'company_id': False}],
                        {'context': self._context(self.salesman)})
        self.assertEqual(licence.company_id, self.other)

    def test_licence_of_one_company_does_not_authorise_another(self):
        """A licence left without a company before the company was required
        (emptied here as the old version allowed) authorises no company's
        order; the migration gives it the company of its reviewer, whose
        orders it then authorises, and only those."""
        cr = self.env.cr
        cr.execute('ALTER TABLE meddev_partner_licence '
                   'ALTER COLUMN company_id DROP NOT NULL')
        cr.execute('UPDATE meddev_partner_licence SET company_id = NULL, '
                   'reviewer_id = %s WHERE id = %s',
                   [self.other_reviewer.id, self.trading.id])
        self.trading.invalidate_cache()
        for company in self.main | self.other:
            with self.assertRaisesRegex(
                    UserError, 'X-ray Unit: Kangda Medical holds no approved '
                    'licence for Class III'):
                self._confirm_over_rpc(company)
        self.assertEqual(fill_licence_companies(cr), [
            (self.trading.id, self.trading.number, self.other.id)])
        self.trading.invalidate_cache()
        with self.assertRaisesRegex(
                UserError, 'X-ray Unit: Kangda Medical holds no approved '
                'licence for Class III'):
            self._confirm_over_rpc(self.main)
        self.assertEqual(self._confirm_over_rpc(self.other).state, 'sale')

    # First-business reviews have a company too.

    def _empty_company_the_old_way(self, review, **columns):
        """Take the company off ``review`` (and set ``columns``) as the
        version that allowed it left it."""
        cr = self.env.cr
        cr.execute('ALTER TABLE meddev_qualification_review '
                   'ALTER COLUMN company_id DROP NOT NULL')
        columns['company_id'] = None
        cr.execute('UPDATE meddev_qualification_review SET %s WHERE id = %%s'
                   % ', '.join('%s = %%s' % name for name in sorted(columns)),
                   [columns[name] for name in sorted(columns)] + [review.id])
        review.invalidate_cache()

    def test_review_needs_a_company(self):
        """A review sent without a company, or with a context that empties
        it, is refused in the user's language; one left without gets the
        company the user works in, and nobody empties it afterwards."""
        self.env['ir.translation'].load_module_terms(
            ['meddev_qualification'], ['zh_CN'])
        vals = {'review_type': 'partner', 'partner_id': self.distributor.id}
        refusal = (r'A first-business review needs a company '
                   r'\(First-business review: Kangda Medical\): its '
                   r'decision counts only for the trade of the company that '
                   r'made it\.')
        reviews = self.env['meddev.qualification.review']
        with self.assertRaisesRegex(UserError, refusal):
            self._create_over_rpc(self.salesman, reviews._name,
                                  dict(vals, company_id=False))
        with self.assertRaisesRegex(
                UserError, r'首营审核必须指定公司（首营审核：Kangda Medical）：'
                r'其决定仅对作出该决定的公司的交易有效。'):
            self._create_over_rpc(self.salesman, reviews._name, vals,
                                  lang='zh_CN', default_company_id=False)
        self._as(self.other)
        review = self._create_over_rpc(self.salesman, reviews._name, vals)
        self.assertEqual(review.company_id, self.other)
        with self.assertRaisesRegex(UserError, refusal):
            self._call_over_rpc(review, self.salesman, 'write', review.ids,
                                {'company_id': False})
        with self.assertRaisesRegex(
                UserError, r'首营审核必须指定公司（First-business review: '
                r'Kangda Medical）'):
            self._call_over_rpc(review, self.other_reviewer, 'write',
                                review.ids, {'company_id': False},
                                lang='zh_CN')
        self.assertEqual(review.company_id, self.other)

    def test_review_of_one_company_does_not_authorise_another(self):
        """An approved review left without a company before the company was
        required (emptied here as the old version allowed) authorises no
        company's trade, and nobody reads it; the migration gives it the
        company of who decided it (not of its creator), whose trade it
        then authorises, and only that company's."""
        (self.main | self.other).write({'meddev_review_required': True})
        review = self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.distributor.id,
            'company_id': self.other.id})
        review.write({'state': 'approved',
                      'decided_by_id': self.other_reviewer.id,
                      'decision_date': '2026-02-01 08:00:00'})
        self.assertEqual(self._as(self.other).qualification_state,
                         'qualified')
        self._empty_company_the_old_way(review)
        users = self.salesman | self.reviewer | self.other_reviewer

        def readers():
            """Who finds the review, and who its checklist, over
            XML-RPC."""
            found = {}
            for model, ids in ((review._name, review.ids),
                               (review.line_ids._name, review.line_ids.ids)):
                found[model] = users.filtered(
                    lambda user: self._call_over_rpc(
                        self.env[model], user, 'search',
                        [('id', 'in', ids)]))
            return found

        def refusal(company):
            return ('Kangda Medical has no approved first-business review '
                    r'\(required by %s\)' % re.escape(company.name))

        for company in self.main | self.other:
            with self.assertRaisesRegex(UserError, refusal(company)):
                self._confirm_over_rpc(company, self.product_i)
        self.assertEqual(self._as(self.other).qualification_state,
                         'incomplete')
        self.assertEqual(readers(), {
            review._name: users.browse(),
            review.line_ids._name: users.browse()})
        self.assertEqual(fill_review_companies(self.env.cr), [
            (review.id, review.name, self.other.id)])
        review.invalidate_cache()
        with self.assertRaisesRegex(UserError, refusal(self.main)):
            self._confirm_over_rpc(self.main, self.product_i)
        self.assertEqual(
            self._confirm_over_rpc(self.other, self.product_i).state, 'sale')
        self.assertEqual(self._as(self.other).qualification_state,
                         'qualified')
        # The salesman works in the other company now.
        self.assertEqual(readers(), {
            review._name: self.salesman | self.other_reviewer,
            review.line_ids._name: self.salesman | self.other_reviewer})

    def test_review_without_company_checks_no_licences(self):
        """A draft left without a company counts nobody's licences in its
        checklist, not those of the company of who refreshes it; given its
        creator's company, it counts that company's."""
        review = self.env['meddev.qualification.review'].create({
            'review_type': 'partner', 'partner_id': self.distributor.id,
            'company_id': self.other.id})
        self._empty_company_the_old_way(
            review, create_uid=self.other_reviewer.id)
        item = 'Test Business Licence present'

        def passed():
            review.invalidate_cache()
            return {line.name: line.passed for line in review.line_ids}

        with self.assertRaises(AccessError):
            self._call_over_rpc(review, self.reviewer,
                                'action_compute_checklist', review.ids)
        # The superuser (a server action, a cron) works in the main
        # company, which holds a business licence of the distributor.
        review.action_compute_checklist()
        self.assertFalse(passed()[item])
        self.assertEqual(fill_review_companies(self.env.cr), [
            (review.id, review.name, self.other.id)])
        self._call_over_rpc(review, self.other_reviewer,
                            'action_compute_checklist', review.ids)
        self.assertTrue(passed()[item])

    def test_review_company_of_who_answered_for_it(self):
        """The migration gives a review without a company the company of
        who decided it, else of who requested its approval, else of who
        created it, else the main company."""
        self._as(self.other)
        reviews = self.env['meddev.qualification.review']
        for _i in range(4):
            reviews |= reviews.create({
                'review_type': 'partner', 'partner_id': self.distributor.id,
                'company_id': self.other.id})
        decided, requested, created, unknown = reviews
        # Asked by the salesman of the other company, who created none.
        self._call_over_rpc(requested, self.salesman, 'request_validation',
                            requested.ids)
        self.assertTrue(requested.review_ids)
        self._empty_company_the_old_way(
            decided, decided_by_id=self.other_reviewer.id)
        self._empty_company_the_old_way(requested)
        self._empty_company_the_old_way(
            created, create_uid=self.other_reviewer.id)
        self._empty_company_the_old_way(unknown, create_uid=None)
        self.assertEqual(sorted(fill_review_companies(self.env.cr)), sorted([
            (decided.id, decided.name, self.other.id),
            (requested.id, requested.name, self.other.id),
            (created.id, created.name, self.other.id),
            (unknown.id, unknown.name,
             self.env.ref('base.main_company').id)]))
