"""A user's own saved defaults (``ir.default``, which any internal user
may create for themselves: "Set Default" in the web client, or
``ir.default.set`` over RPC) fill a new record's missing fields like the
context's ``default_*`` keys: a licence or review born approved, a partner
born a qualified distributor, a product born a device of a class. The
creates check them too."""

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tests.common import rpc, save_default

from .common import MeddevTradeCase

REFUSED = (AccessError, UserError)


class TestSavedDefaults(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestSavedDefaults, cls).setUpClass()
        cls.seller = cls._create_user(
            'saved_default_seller', cls.group_user
            | cls.env.ref('sales_team.group_sale_salesman')
            | cls.env.ref('base.group_partner_manager'))
        cls.product_manager = cls._create_user(
            'saved_default_product_manager',
            cls.env.ref('sales_team.group_sale_manager')
            | cls.env.ref('stock.group_stock_manager'))

    def assertSavedDefaultRefused(self, user, model, vals, defaults):
        """``user`` creates ``vals`` on ``model`` over RPC: it passes;
        then, with each of ``defaults`` (field: value) saved as the user's
        own default, it is refused."""
        self.assertTrue(rpc(user, model, 'create', [dict(vals)]))
        for name, value in defaults.items():
            with self.subTest(model=model, field=name):
                save_default(self, user, model, name, value)
                with self.assertRaises(REFUSED):
                    rpc(user, model, 'create', [dict(vals)])
            # One saved default at a time.
            self.env['ir.default'].search(
                [('user_id', '=', user.id)]).unlink()

    def test_licence_born_draft(self):
        vals = {'partner_id': self.distributor.id,
                'licence_type_id': self.type_filing.id,
                'valid_from': '2020-01-01', 'long_term': True,
                'company_id': self.env.user.company_id.id}
        for index, (name, value) in enumerate((
                ('state', 'approved'), ('reviewer_id', self.user.id),
                ('review_date', '2020-01-01 00:00:00'),
                ('decision_note', 'ok'))):
            self.assertSavedDefaultRefused(
                self.user, 'meddev.partner.licence',
                dict(vals, number='SAVED-%d' % index), {name: value})
        self.assertFalse(self.env['meddev.partner.licence'].search(
            [('partner_id', '=', self.distributor.id),
             ('state', '!=', 'draft')]))

    def test_review_born_draft(self):
        self.assertSavedDefaultRefused(
            self.user, 'meddev.qualification.review',
            {'review_type': 'partner', 'partner_id': self.distributor.id},
            {'state': 'approved', 'decided_by_id': self.user.id,
             'decision_note': 'ok'})

    def test_partner_regulatory_fields(self):
        self.assertSavedDefaultRefused(
            self.seller, 'res.partner',
            {'name': 'Saved Default Partner', 'is_company': True},
            {'meddev_partner_kind': 'distributor',
             'meddev_qualification_tier': 'strategic'})

    def test_product_regulatory_fields(self):
        for model in ('product.template', 'product.product'):
            self.assertSavedDefaultRefused(
                self.product_manager, model,
                {'name': 'Saved Default Product', 'type': 'consu'},
                {'device_class': 'II',
                 'device_certificate_number': 'CERT-1'})
