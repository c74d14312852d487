from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.exceptions import AccessError

from .common import MeddevTradeCase


class TestPartnerQualification(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestPartnerQualification, cls).setUpClass()
        cls.bl = cls._create_licence(
            cls.distributor, cls.type_business, '91110105MA01ABCD39',
            long_term=True)
        cls.trading = cls._create_licence(
            cls.distributor, cls.type_trading, '京食药监械经营许20150035号',
            valid_to='2026-12-31', scope=cls.cat_imaging)
        cls.newcomer = cls._create_partner('Newcomer', 'distributor')
        cls.lapsed = cls._create_partner('Lapsed', 'distributor')
        cls._create_licence(
            cls.lapsed, cls.type_business, '91350100M000100Y43',
            valid_to='2025-12-31', state='expired')
        cls.hospital = cls._create_partner('West Lake Hospital', 'hospital')

    def _state(self, partner, today):
        return self.env['res.partner']._meddev_qualification_data(
            partner, today)[partner.id]

    def test_states(self):
        self.assertEqual(
            self._state(self.distributor, '2026-01-01')['state'],
            'qualified')
        self.assertEqual(
            self._state(self.newcomer, '2026-01-01')['state'], 'incomplete')
        self.assertEqual(
            self._state(self.lapsed, '2026-01-01')['state'], 'expired')
        # No licence type is required for hospitals here.
        self.assertEqual(
            self._state(self.hospital, '2026-01-01')['state'], 'qualified')
        no_kind = self.env['res.partner'].create({'name': 'Private person'})
        self.assertFalse(self._state(no_kind, '2026-01-01')['state'])

    def test_expiring_soon_counts_required_types_only(self):
        # The trading licence expires, but it is not required of every
        # distributor: the partner stays qualified.
        self.assertEqual(
            self._state(self.distributor, '2026-12-01')['state'],
            'qualified')
        self.type_trading.for_distributor = True
        self.assertEqual(
            self._state(self.distributor, '2026-12-01')['state'],
            'expiring')
        self.assertEqual(
            self._state(self.distributor, '2027-01-01')['state'], 'expired')

    def test_summary(self):
        data = self._state(self.distributor, '2026-01-01')
        self.assertEqual(data['classes'], 'I, III')
        self.assertEqual(data['categories'], self.cat_imaging)
        self.assertEqual(data['next_expiry'], '2026-12-31')

    def test_watchlist_blocks(self):
        self.distributor.sudo(self.reviewer).write({
            'meddev_watchlist': True,
            'meddev_watchlist_reason': 'Forged licence',
            'meddev_watchlist_source': 'NMPA notice'})
        self.assertEqual(
            self._state(self.distributor, '2026-01-01')['state'], 'blocked')
        # Editing contacts is not enough to keep the watchlist.
        clerk = self._create_user(
            'contact_clerk', self.group_user
            | self.env.ref('base.group_partner_manager'))
        self.newcomer.sudo(clerk).write({'phone': '010-1234'})
        with self.assertRaisesRegex(AccessError, 'Only qualification '
                                    'reviewers may set On Watchlist of '
                                    'Newcomer'):
            self.newcomer.sudo(clerk).write({'meddev_watchlist': True})

    def test_computed_field_and_search(self):
        today = fields.Date.from_string(fields.Date.context_today(
            self.env['res.partner']))
        soon = self._create_partner('Soon', 'distributor')
        self._create_licence(
            soon, self.type_business, '91310115MA1H7Q3P5R',
            valid_to=fields.Date.to_string(today + timedelta(days=10)))
        later = self._create_partner('Later', 'distributor')
        self._create_licence(
            later, self.type_business, '91440300306000012W',
            long_term=True)
        partners = self.env['res.partner'].sudo(self.user)
        self.assertEqual(
            soon.sudo(self.user).qualification_state, 'expiring')
        self.assertEqual(
            later.sudo(self.user).qualification_state, 'qualified')
        self.assertEqual(
            soon.sudo(self.user).meddev_next_expiry,
            fields.Date.to_string(today + timedelta(days=10)))
        found = partners.search([
            ('qualification_state', '=', 'expiring'),
            ('id', 'in', (soon | later | self.newcomer).ids)])
        self.assertEqual(found, soon)
        found = partners.search([
            ('qualification_state', 'in', ('incomplete', 'qualified')),
            ('id', 'in', (soon | later | self.newcomer).ids)])
        self.assertEqual(found, later | self.newcomer)
        # A contact shares its company's qualification.
        contact = self.env['res.partner'].create(
            {'name': 'Buyer', 'parent_id': later.id})
        self.assertEqual(contact.qualification_state, 'qualified')

    def test_licence_count_and_button(self):
        self.assertEqual(self.distributor.meddev_licence_count, 2)
        action = self.distributor.sudo(self.user) \
            .action_view_meddev_licences()
        self.assertEqual(
            self.env['meddev.partner.licence'].search(action['domain']),
            self.bl | self.trading)

    def test_search_in_sql(self):
        """The search runs as a fixed number of queries, whatever the
        number of partners, and agrees with the computed field."""
        partners = self.env['res.partner']
        licence_type = self.type_business

        def count_queries():
            partners.invalidate_cache()
            before = self.env.cr.sql_log_count
            # The partners are never loaded to compute their state in
            # Python: the state is computed in the query.
            with mock.patch.object(
                    type(partners), '_meddev_qualification_data',
                    side_effect=AssertionError('partners read in Python')):
                domain = partners._search_qualification_state(
                    '=', 'qualified')
            return self.env.cr.sql_log_count - before, domain

        count_queries()  # warm the caches of licence types and users
        small, _domain = count_queries()
        for index in range(30):
            partner = self._create_partner('Bulk %s' % index, 'distributor')
            if index % 2:
                self._create_licence(
                    partner, licence_type, '9111%014d' % index,
                    long_term=True, state='draft')
        large, domain = count_queries()
        self.assertEqual(small, large)
        self.assertLessEqual(large, 6)
        everyone = partners.search([('meddev_partner_kind', '!=', False)])
        for state in ('qualified', 'incomplete', 'expired', 'expiring',
                      'blocked'):
            found = partners.search([('qualification_state', '=', state),
                                     ('id', 'in', everyone.ids)])
            self.assertEqual(
                found, everyone.filtered(
                    lambda p, state=state: p.qualification_state == state),
                state)
