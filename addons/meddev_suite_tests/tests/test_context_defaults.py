"""Fields set by the workflow or by a group only, asked as the caller's
``default_*`` context keys on create: Odoo's ``default_get`` fills a new
record's missing fields from them, so a create that checked its ``vals``
only let a user create what it refuses them to write.

The context goes as XML-RPC's ``execute_kw`` sends it: the ``context``
keyword of ``call_kw`` (``call_button`` passes it positionally, which
drops the keys a caller crafts)."""

from odoo import api
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase

REFUSED = (AccessError, UserError)


def rpc(user, model, method, args, context):
    """Call ``method`` of ``model`` as ``user`` the way XML-RPC's
    ``execute_kw`` does, with ``context`` as its keyword."""
    env = api.Environment(user.env.cr, user.id, {})
    return api.call_kw(env[model], method, args, {'context': context})


# Sale orders want the chart of accounts, which installs after the suite
# on a fresh database.
@at_install(False)
@post_install(True)
class TestContextDefaults(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestContextDefaults, cls).setUpClass()
        user = cls._create_user
        cls.salesman = user('ctx_salesman', [
            'sales_team.group_sale_salesman', 'base.group_partner_manager'])
        cls.qual_user = user('ctx_qual_user', [
            'meddev_qualification.group_meddev_qualification_user'])
        cls.product_manager = user('ctx_product_manager', [
            'sales_team.group_sale_manager', 'stock.group_stock_manager'])
        cls.recall_manager = user('ctx_recall_manager', [
            'meddev_traceability.group_meddev_traceability_manager'])
        cls.distributor = cls.env['res.partner'].create({
            'name': 'Ctx Distributor', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor',
            'credit_limit': 100.0})
        cls.unlimited = cls.env['res.partner'].create({
            'name': 'Ctx Unlimited Customer', 'is_company': True,
            'customer': True})
        cls.product = cls.env['product.product'].create({
            'name': 'Ctx Consumable', 'type': 'consu', 'list_price': 1000.0})
        cls.licence_type = cls.env['meddev.licence.type'].create({
            'code': 'CTX-T', 'name': 'Ctx Licence Type',
            'for_distributor': True, 'authorises_class_i': True,
            'allow_long_term': True})
        cls.category = cls.env['meddev.device.category'].create(
            {'name': 'Ctx Category'})
        cls.lot = cls._create_lot('CTX-L-001', cls.company)
        # Tiers configured in the database would add reviewers.
        cls.env['tier.definition'].search([
            ('model', '=', 'meddev.credit.override')]).write(
                {'active': False})

    def assertCreateRefused(self, user, model, vals, defaults):
        """``user`` creates ``vals`` on ``model`` over RPC; each of
        ``defaults`` (field: value), sent as the context's
        ``default_<field>``, is refused. The plain create passes first: a
        refusal is the default's, not the user's rights."""
        record_id = rpc(user, model, 'create', [dict(vals)], {})
        self.assertTrue(record_id)
        for name, value in defaults.items():
            with self.assertRaises(REFUSED, msg='%s default_%s by %s' % (
                    model, name, user.login)):
                with self.env.cr.savepoint():
                    rpc(user, model, 'create', [dict(vals)],
                        {'default_' + name: value})

    def _order_vals(self, partner):
        return {'partner_id': partner.id, 'user_id': self.salesman.id,
                'order_line': [(0, 0, {'product_id': self.product.id,
                                       'product_uom_qty': 1.0,
                                       'price_unit': 1000.0})]}

    # S1-1 -------------------------------------------------------------

    def test_credit_override_request_defaults_ignored(self):
        """The requester's defaults never decide their override."""
        order_id = rpc(self.salesman, 'sale.order', 'create',
                       [self._order_vals(self.distributor)], {})
        wizard_id = rpc(self.salesman, 'meddev.credit.override.request',
                        'create', [{'order_id': order_id,
                                    'reason': 'Tender deadline'}], {})
        action = rpc(
            self.salesman, 'meddev.credit.override.request',
            'action_request', [[wizard_id]], {
                'default_state': 'approved',
                'default_approver_id': self.salesman.id,
                'default_expiry_date': '2099-01-01',
                'default_decision_date': '2020-01-01 00:00:00'})
        override = self.env['meddev.credit.override'].browse(
            action['res_id'])
        self.assertEqual(override.state, 'requested')
        self.assertFalse(override.approver_id)
        self.assertFalse(override.expiry_date)
        self.assertEqual(override.requester_id, self.salesman)
        # And the order is still refused by the gate.
        with self.assertRaises(UserError):
            rpc(self.salesman, 'sale.order', 'action_confirm',
                [[order_id]], {})
        self.assertEqual(
            self.env['sale.order'].browse(order_id).state, 'draft')

    # S1-2 -------------------------------------------------------------

    def test_order_born_confirmed_passes_the_credit_gate(self):
        """default_state='sale' is a confirmation: refused over the
        limit, with or without a confirmation date; a clear answer, never
        a traceback."""
        for defaults in (
                {'default_state': 'sale',
                 'default_confirmation_date': '2026-12-01 10:00:00'},
                {'default_state': 'sale'},
                {'default_state': 'done'}):
            with self.assertRaises(UserError, msg=str(defaults)) as caught:
                with self.env.cr.savepoint():
                    rpc(self.salesman, 'sale.order', 'create',
                        [self._order_vals(self.distributor)], defaults)
            self.assertIn(self.distributor.name, str(caught.exception))
        self.assertFalse(self.env['sale.order'].search(
            [('partner_id', '=', self.distributor.id),
             ('state', 'in', ('sale', 'done'))]))

    def test_order_born_confirmed_within_the_gate(self):
        """A customer without a limit: the order born confirmed just works,
        with its confirmation date."""
        order_id = rpc(self.salesman, 'sale.order', 'create',
                       [self._order_vals(self.unlimited)],
                       {'default_state': 'sale'})
        order = self.env['sale.order'].browse(order_id)
        self.assertEqual(order.state, 'sale')
        self.assertTrue(order.confirmation_date)

    # S1-3 -------------------------------------------------------------

    def test_licence_born_draft(self):
        """A qualification user's licence is a draft, whatever the
        defaults: approval and review fields are the reviewer's."""
        vals = {'partner_id': self.distributor.id,
                'licence_type_id': self.licence_type.id,
                'valid_from': '2020-01-01', 'long_term': True,
                'company_id': self.company.id}
        for index, (name, value) in enumerate((
                ('state', 'approved'),
                ('reviewer_id', self.qual_user.id),
                ('review_date', '2020-01-01 00:00:00'),
                ('submitted_by_id', self.qual_user.id),
                ('decision_note', 'ok'))):
            self.assertCreateRefused(
                self.qual_user, 'meddev.partner.licence',
                dict(vals, number='CTX-LIC-%d' % index), {name: value})
        self.assertFalse(self.env['meddev.partner.licence'].search(
            [('partner_id', '=', self.distributor.id),
             ('state', '!=', 'draft')]))

    def test_review_born_draft(self):
        """A first-business review is born a draft, undecided."""
        self.assertCreateRefused(
            self.qual_user, 'meddev.qualification.review',
            {'review_type': 'partner', 'partner_id': self.distributor.id},
            {'state': 'approved', 'decided_by_id': self.qual_user.id,
             'decision_date': '2020-01-01 00:00:00',
             'decision_note': 'ok'})

    # S1-4 -------------------------------------------------------------

    def test_partner_credit_fields(self):
        """Only credit managers give a customer a limit, hold or rating."""
        self.assertCreateRefused(
            self.salesman, 'res.partner',
            {'name': 'Ctx New Customer', 'is_company': True,
             'customer': True},
            {'credit_limit': 999999999.0, 'credit_rating': 'A',
             'credit_hold': True, 'credit_score': 99})

    def test_partner_regulatory_fields(self):
        """Only qualification reviewers set a partner's kind, tier and
        watchlist entry."""
        self.assertCreateRefused(
            self.salesman, 'res.partner',
            {'name': 'Ctx New Partner', 'is_company': True},
            {'meddev_partner_kind': 'distributor',
             'meddev_qualification_tier': 'strategic',
             'meddev_watchlist': True,
             'meddev_watchlist_reason': 'Notice 12'})

    def test_product_regulatory_fields(self):
        """Only qualification reviewers set a product's device class,
        category and certificate (on the template and the variant)."""
        defaults = {'device_class': 'II',
                    'device_category_id': self.category.id,
                    'device_certificate_number': 'CERT-1',
                    'device_certificate_expiry': '2099-01-01'}
        for model in ('product.template', 'product.product'):
            self.assertCreateRefused(
                self.product_manager, model,
                {'name': 'Ctx Product', 'type': 'consu'}, defaults)

    # S2-10 ------------------------------------------------------------

    def test_recall_born_draft(self):
        """A recall is born a draft: never closed without launch, lines
        or notices."""
        self.assertCreateRefused(
            self.recall_manager, 'meddev.recall',
            {'reason': 'Ctx recall',
             'recall_level_id': self.env['meddev.recall.level'].search(
                 [], limit=1).id,
             'lot_ids': [(6, 0, self.lot.ids)],
             'company_id': self.company.id},
            {'state': 'closed', 'launch_date': '2020-01-01 00:00:00',
             'close_date': '2020-01-01 00:00:00'})
