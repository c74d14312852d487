import json

from lxml import etree

from odoo.exceptions import AccessError

from .common import MeddevCreditFlowCase

CREDIT_FIELDS = ['credit_limit', 'credit_exposure', 'credit_available',
                 'credit_usage', 'credit_rating', 'credit_score',
                 'credit_hold', 'credit_hold_reason', 'credit_hold_origin',
                 'credit_overdue_amount', 'credit_override_ids']


class TestFieldAccess(MeddevCreditFlowCase):
    """Credit fields of partners are read by credit users and salespeople
    only, over RPC as in the views; partner screens and edits keep working
    for those who may not read them."""

    @classmethod
    def setUpClass(cls):
        super(TestFieldAccess, cls).setUpClass()
        cls.customer.write({'credit_hold': True,
                            'credit_hold_reason': 'Disputed invoices'})
        cls.seller = cls._create_user(
            'credit_seller', cls.env.ref('sales_team.group_sale_salesman'))
        cls.partner_manager = cls._create_user(
            'credit_partner_manager',
            cls.group_employee | cls.env.ref('base.group_partner_manager'))
        cls.portal = cls.env['res.users'].create({
            'name': 'Hospital Buyer', 'login': 'credit_portal',
            'email': 'buyer@example.com',
            'partner_id': cls.contact.id,
            'groups_id': [(6, 0, cls.env.ref('base.group_portal').ids)]})

    def test_read_refused_without_credit_group(self):
        for user in self.employee | self.portal | self.partner_manager:
            customer = self.customer.sudo(user)
            # The partner itself is readable: the fields are refused.
            self.assertEqual(customer.read(['name'])[0]['name'],
                             'Eastern Hospital Supplies')
            for name in CREDIT_FIELDS:
                with self.assertRaises(AccessError, msg='%s reads %s' % (
                        user.login, name)):
                    customer.read([name])
            # Reading every field (read() without names) leaves them out.
            self.assertFalse(set(CREDIT_FIELDS) & set(
                customer.check_field_access_rights('read', None)))
            self.assertFalse(
                set(CREDIT_FIELDS) & set(customer.fields_get()))

    def test_salespeople_read_hold_and_available_credit(self):
        self.assertFalse(self.seller.has_group(
            'meddev_credit.group_meddev_credit_manager'))
        for user in self.seller | self.salesman | self.user:
            values = self.customer.sudo(user).read(CREDIT_FIELDS)[0]
            self.assertTrue(values['credit_hold'])
            self.assertEqual(values['credit_hold_reason'],
                             'Disputed invoices')
            self.assertEqual(values['credit_available'], 10000.0)
            self.assertEqual(values['credit_limit'], 10000.0)

    def _view_fields_consistent(self, user, model, view_type, view=None):
        """Return the fields of ``user``'s view after Odoo stripped those
        the user may not read, checking that no modifier (attrs, states)
        refers to a stripped field: the web client fails on such a view."""
        result = self.env[model].sudo(user).fields_view_get(
            view_id=view and view.id, view_type=view_type)
        arch = etree.fromstring(result['arch'])
        for node in arch.iter():
            modifiers = json.loads(node.get('modifiers') or '{}')
            for domain in modifiers.values():
                if not isinstance(domain, list):
                    continue
                for leaf in domain:
                    if isinstance(leaf, list) and len(leaf) == 3:
                        self.assertIn(leaf[0], result['fields'], '%s: %s '
                                      'refers to %s, not in its %s view' % (
                                          user.login, node.tag, leaf[0],
                                          model))
        return result['fields']

    def test_partner_screens_for_every_user(self):
        tree = self.env.ref('meddev_credit.res_partner_view_tree_credit')
        for user in (self.employee | self.partner_manager | self.seller
                     | self.manager):
            may_read = user.has_group(
                'meddev_credit.group_meddev_credit_user')
            fields = self._view_fields_consistent(user, 'res.partner', 'form')
            self.assertEqual('credit_hold' in fields, may_read, user.login)
            self._view_fields_consistent(user, 'res.partner', 'tree', tree)
            self._view_fields_consistent(user, 'res.partner', 'search')
            if user.has_group('sales_team.group_sale_salesman'):
                self._view_fields_consistent(user, 'sale.order', 'form')

    def test_partners_edited_without_credit_group(self):
        """Contacts and tax ids are synchronised from the company to its
        contacts: the credit limit no longer is, so that whoever edits
        partners without reading credit fields still may."""
        partners = self.env['res.partner'].sudo(self.partner_manager)
        contact = partners.create({'name': 'Dr. Sun, wards',
                                   'parent_id': self.customer.id})
        self.customer.sudo(self.partner_manager).write({'vat': 'CN1234'})
        self.assertEqual(contact.vat, 'CN1234')
        self.assertEqual(contact.credit_limit, 10000.0,
                         'shown from its company')
        company = partners.create({'name': 'New Dental Clinic',
                                   'is_company': True})
        partners.create({'name': 'Dr. Ma', 'parent_id': company.id})
        self.assertEqual(company.credit_limit, 0.0)

    def test_other_modules_ask_before_showing(self):
        """A module that shows credit fields through sudo (a customer
        summary) asks whether the user may read them."""
        partners = self.env['res.partner']
        for user, may_read in ((self.employee, False), (self.portal, False),
                               (self.partner_manager, False),
                               (self.seller, True), (self.user, True)):
            self.assertEqual(partners.sudo(user)._credit_may_read(),
                             may_read, user.login)
