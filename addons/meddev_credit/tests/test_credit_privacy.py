from odoo.exceptions import AccessError

from .common import MeddevCreditFlowCase

# Domains that would tell an employee a customer's limit, usage, rating or
# hold: bisecting on the limit with search_count, listing held customers.
REVEALING_DOMAINS = [
    [('credit_limit', '>', 5000.0)],
    [('credit_limit', '=', 10000.0)],
    [('credit_hold', '=', True)],
    [('credit_hold_origin', '=', 'manual')],
    [('credit_rating', 'in', ['C', 'D'])],
    [('credit_usage', '>=', 50)],
    [('credit_state_ids.hold', '=', True)],
    [('credit_rating_history_ids.rating', '=', 'D')],
]


class TestCreditPrivacy(MeddevCreditFlowCase):
    """What the credit fields' groups hide from a plain employee is not
    revealed another way: by searching on the fields (search,
    search_count, read_group), by the partner's chatter (tracking values
    and hold notes) or by asking for another company's figures
    (force_company)."""

    @classmethod
    def setUpClass(cls):
        super(TestCreditPrivacy, cls).setUpClass()
        cls.partner_manager = cls._create_user(
            'credit_partner_editor',
            cls.group_employee | cls.env.ref('base.group_partner_manager'))
        cls.other = cls.env['res.company'].create({
            'name': 'MedDev South', 'currency_id': cls.currency.id})
        cls.customer.with_context(force_company=cls.other.id).write(
            {'credit_limit': 777.0})
        cls.customer.write({'credit_hold': True,
                            'credit_hold_reason': 'Bounced cheque'})
        cls.partners = cls.env['res.partner']

    def test_search_refused_without_credit_group(self):
        for user in self.employee | self.partner_manager:
            partners = self.partners.sudo(user)
            for domain in REVEALING_DOMAINS:
                for call in (partners.search, partners.search_count):
                    with self.assertRaises(AccessError, msg='%s: %s %s' % (
                            user.login, call.__name__, domain)):
                        call(domain)
                with self.assertRaises(AccessError, msg='%s: read_group %s'
                                       % (user.login, domain)):
                    partners.read_group(domain, ['country_id'],
                                        ['country_id'])
            # The partner itself is still found by its name.
            self.assertEqual(partners.search(
                [('name', '=', 'Eastern Hospital Supplies')]), self.customer)

    def test_search_allowed_to_salespeople(self):
        partners = self.partners.sudo(self.salesman)
        self.assertIn(self.customer, partners.search(
            [('credit_limit', '>', 5000.0)]))
        self.assertIn(self.customer, partners.search(
            [('credit_hold', '=', True)]))
        self.assertGreaterEqual(
            partners.search_count([('credit_hold', '=', True)]), 1)

    def test_changes_tracked_on_the_credit_log_not_the_partner(self):
        manager_env = self.customer.sudo(self.manager).with_context(
            tracking_disable=False)
        manager_env.write({'credit_limit': 25000.0})
        manager_env.write({'credit_hold': False})
        manager_env.write({'credit_hold': True,
                           'credit_hold_reason': 'Unpaid penalties'})
        # As the chatter widget reads it, an employee finds nothing of
        # the limit or the hold on the partner.
        messages = self.env['mail.message'].sudo(self.employee).search([
            ('model', '=', 'res.partner'), ('res_id', '=', self.customer.id)])
        shown = repr(messages.message_format())
        for secret in ('25000', '25,000', 'Unpaid penalties', 'credit_limit',
                       'credit_hold', 'Credit Limit', 'Credit Hold'):
            self.assertNotIn(secret, shown)
        # The credit log tracks them, signed by the manager.
        state = self.customer.credit_state_ids.filtered(
            lambda s: s.company_id == self.company)
        tracked = state.message_ids.mapped('tracking_value_ids')
        self.assertIn('credit_limit', tracked.mapped('field'))
        limit = tracked.filtered(lambda value: value.field == 'credit_limit')
        self.assertEqual(limit.new_value_float, 25000.0)
        self.assertIn('Unpaid penalties', tracked.mapped('new_value_char'))
        self.assertEqual(state.message_ids.filtered('tracking_value_ids')
                         .mapped('author_id'), self.manager.partner_id)
        # Credit users read the log; an employee neither the log, nor its
        # messages, nor the tracking values.
        self.assertTrue(state.sudo(self.user).message_ids)
        with self.assertRaises(AccessError):
            state.sudo(self.employee).read(['hold_reason'])
        self.assertFalse(self.env['mail.message'].sudo(self.employee).search(
            [('model', '=', 'meddev.credit.partner.state')]))
        with self.assertRaises(AccessError):
            state.message_ids.sudo(self.employee).read(['body'])
        with self.assertRaises(AccessError):
            self.env['mail.tracking.value'].sudo(self.employee).search(
                [('field', '=', 'credit_limit')])

    def test_other_company_refused_through_force_company(self):
        """A salesperson of the main company only: another company's
        limits are neither read nor searched nor written by passing
        force_company."""
        in_other = self.customer.sudo(self.salesman).with_context(
            force_company=self.other.id)
        with self.assertRaises(AccessError):
            in_other.read(['credit_limit'])
        with self.assertRaises(AccessError):
            in_other.search_count([('credit_limit', '=', 777.0)])
        with self.assertRaises(AccessError):
            in_other.search_count([('credit_usage', '>=', 0)])
        with self.assertRaises(AccessError):
            self.customer.sudo(self.manager).with_context(
                force_company=self.other.id).write({'credit_limit': 1.0})
        # Its own company is fine, and a user of both companies sees both.
        self.assertEqual(self.customer.sudo(self.salesman).read(
            ['credit_limit'])[0]['credit_limit'], 10000.0)
        self.salesman.sudo().write({'company_ids': [(4, self.other.id)]})
        self.assertEqual(in_other.read(['credit_limit'])[0]['credit_limit'],
                         777.0)
        self.assertEqual(self.customer.with_context(
            force_company=self.other.id).credit_limit, 777.0)
