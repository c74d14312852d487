"""Every wizard (transient model) of the suite, every button of it: called
over RPC by an employee without a suite group and by a portal user, the
way the web client and XML-RPC call them, each is refused (AccessError or
UserError, at the wizard's creation or at the button), unless ALLOWED
below says why a user without the group may use it.

Wizards are open to every user in Odoo (access rows do not apply to
transient models): their buttons must check the group on the server.
The list of wizards and buttons is read from the registry, so a new
wizard or button is checked as soon as it exists."""

import base64

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase, call_button, suite_models

BUTTON_PREFIXES = ('action_', 'button_')
REFUSALS = (AccessError, UserError, ValidationError)
PASSWORD = 'suite-wizard-pw'
# (model, method): why a user without the suite's groups may call it.
# Nothing else is let through.
ALLOWED = {
    ('meddev.udi.scan', 'action_scan'):
        'reads a barcode: names the product and lot the user may read '
        'anyway (product and lot reads go through their own rights); '
        'writes nothing but the wizard',
    ('meddev.udi.scan', 'action_open_lot'):
        'returns the action opening the lot found: the lot form reads it '
        'with the lot\'s own rights',
}
# Wizards without a button whose privileged work runs when their fields
# are read (a dashboard's figures): the read is checked as a button is.
READ_CHECKED = ('meddev.quality.dashboard',)


@at_install(False)
@post_install(True)
class TestWizardRefusals(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestWizardRefusals, cls).setUpClass()
        cls.employee = cls._create_user(
            'suite_wizref_employee', ['base.group_user'])
        cls.portal = cls._create_user(
            'suite_wizref_portal', ['base.group_portal'])
        (cls.employee | cls.portal).write({'password': PASSWORD})
        cls.partner = cls.env['res.partner'].create({
            'name': 'Suite Wizard Refusal Customer', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor'})
        cls.licence = cls._create_licence(
            cls.partner, 'SUITE-WIZREF-1', cls.company)
        cls.order = cls._create_order(cls.partner, cls.env.user, cls.company)
        cls.lot = cls._create_lot('SUITE-WIZREF-L1', cls.company)
        component = cls._create_lot('SUITE-WIZREF-L2', cls.company)
        cls.link = cls.env['meddev.lot.link'].create({
            'parent_lot_id': cls.lot.id, 'child_lot_id': component.id,
            'company_id': cls.company.id})
        cls.engineer = cls.env['meddev.service.engineer'].create({
            'name': 'Suite Wizard Engineer'})
        cls.team = cls.env['meddev.service.team'].create({
            'name': 'Suite Wizard Team', 'company_id': cls.company.id,
            'engineer_ids': [(6, 0, cls.engineer.ids)]})
        cls.ticket = cls.env['meddev.service.ticket'].create({
            'title': 'Suite wizard pump alarm', 'partner_id': cls.partner.id,
            'team_id': cls.team.id, 'company_id': cls.company.id})
        cls.udi_product = cls.env['product.product'].create({
            'name': 'Suite Wizard UDI Device', 'type': 'product',
            'tracking': 'lot', 'udi_di': '09506000134352'})
        cls.udi_lot = cls.env['stock.production.lot'].create({
            'name': 'SUITE-WIZREF-UDI', 'product_id': cls.udi_product.id})
        picking_type = cls.env.ref('stock.picking_type_in')
        cls.receipt = cls.env['stock.picking'].create({
            'picking_type_id': picking_type.id,
            'location_id': cls.env.ref('stock.stock_location_suppliers').id,
            'location_dest_id': picking_type.default_location_dest_id.id,
            'move_lines': [(0, 0, {
                'name': 'Suite UDI receipt',
                'product_id': cls.udi_product.id, 'product_uom_qty': 5.0,
                'product_uom': cls.udi_product.uom_id.id,
                'location_id': cls.env.ref(
                    'stock.stock_location_suppliers').id,
                'location_dest_id':
                    picking_type.default_location_dest_id.id})]})
        cls.receipt.action_confirm()
        cls.templates = {}
        for model in suite_models(cls.env):
            wizards = cls.env[model]
            if wizards.is_transient() and hasattr(
                    wizards, '_import_template_content'):
                cls.templates[model] = base64.b64encode(
                    wizards.create({})._import_template_content())

    def _vals(self, model, user):
        """Values of a wizard of ``model`` as ``user`` would open it, on
        the test's documents."""
        if model in self.templates:
            return {'data_file': self.templates[model],
                    'filename': 'template.xlsx'}
        as_user = self.env[model].sudo(user)
        return {
            'meddev.esignature.wizard': lambda: {
                'res_model': 'meddev.partner.licence',
                'res_id': self.licence.id, 'method': 'action_approve',
                'meaning': 'approval',
                'password': 'admin' if user.id == SUPERUSER_ID
                else PASSWORD},
            'meddev.credit.hold.wizard': lambda: {
                'partner_id': self.partner.id,
                'company_id': self.company.id, 'action': 'set',
                'reason': 'Unpaid for months'},
            'meddev.credit.override.request': lambda: {
                'order_id': self.order.id, 'reason': 'Tender'},
            'meddev.decision.reason.wizard': lambda: {
                'res_model': 'meddev.partner.licence',
                'res_ids': str(self.licence.id), 'decision': 'reject',
                'reason': 'Scan unreadable'},
            'meddev.watchlist.import': lambda: {
                'data_file': base64.b64encode((
                    'name,reason\n%s,Forged licences\n' % self.partner.name
                ).encode('utf-8')), 'filename': 'watchlist.csv'},
            'meddev.quality.dashboard': lambda: {},
            'meddev.service.dispatch': lambda: {'ticket_id': self.ticket.id},
            'meddev.service.dispatch.line': lambda: {
                'wizard_id': as_user.env['meddev.service.dispatch'].create(
                    {'ticket_id': self.ticket.id}).id,
                'engineer_id': self.engineer.id, 'reason': 'Nearest'},
            'meddev.service.satisfaction': lambda: {
                'ticket_id': self.ticket.id, 'rating': '10'},
            'meddev.service.cancellation': lambda: {
                'ticket_ids': [(6, 0, self.ticket.ids)],
                'reason': 'Duplicate request'},
            'meddev.lot.link.retire': lambda: {
                'link_ids': [(6, 0, self.link.ids)], 'reason': 'Wrong scan'},
            'meddev.trace': lambda: {
                'lot_id': self.lot.id, 'direction': 'forward'},
            'meddev.trace.line': lambda: {
                'trace_id': as_user.env['meddev.trace'].create({
                    'lot_id': self.lot.id, 'direction': 'forward'}).id,
                'kind': 'lot', 'lot_id': self.lot.id},
            'meddev.udi.scan': lambda: {
                'barcode': '(01)09506000134352(10)SUITE-WIZREF-NEW',
                'picking_id': self.receipt.id,
                'product_id': self.udi_product.id,
                'lot_name': 'SUITE-WIZREF-NEW'},
        }[model]()

    def _wizards(self):
        """{transient model of the suite: its button methods}."""
        result = {}
        for model in suite_models(self.env):
            records = self.env[model]
            if not records.is_transient():
                continue
            cls = type(records)
            result[model] = sorted(
                name for name in dir(cls)
                if name.startswith(BUTTON_PREFIXES)
                and callable(getattr(cls, name)))
        return result

    def _try(self, model, method, user):
        """Create the wizard as ``user`` over RPC and call ``method`` on
        it (None: read its fields); return the exception raised, or
        None. Always rolled back."""
        self.env.cr.execute('SAVEPOINT suite_wizard_refusal')
        try:
            wizards = self.env[model].sudo(user)
            try:
                vals = self._vals(model, user)
                wizard_id = api.call_kw(wizards, 'create', [vals],
                                        {'context': {}})
                wizard = wizards.browse(wizard_id)
                if method:
                    call_button(wizard, method)
                else:
                    api.call_kw(wizard, 'read', [wizard.ids], {})
            except REFUSALS as error:
                return error
            return None
        finally:
            self.env.cr.execute(
                'ROLLBACK TO SAVEPOINT suite_wizard_refusal')
            self.env.cache.invalidate()

    def test_every_wizard_has_values(self):
        """A new wizard needs its values here: the test names it."""
        missing = []
        for model in self._wizards():
            try:
                self._vals(model, self.env.user)
            except KeyError:
                missing.append(model)
        self.assertFalse(missing, 'Wizards without values in '
                         'test_wizard_refusals._vals: %s' % missing)

    def test_buttons_refused_without_group(self):
        """Each button of each wizard, as an employee without a suite
        group and as a portal user: refused. A refusal that is a
        UserError counts only when the superuser's same call goes
        through (else the error may be the test's data, not the
        group): otherwise the refusal must be an AccessError."""
        problems = []
        checked = 0
        for model, methods in sorted(self._wizards().items()):
            calls = list(methods)
            if model in READ_CHECKED:
                calls.append(None)
            for method in calls:
                if (model, method) in ALLOWED:
                    continue
                control = self._try(model, method, self.env.user)
                for user in (self.employee, self.portal):
                    checked += 1
                    error = self._try(model, method, user)
                    label = '%s.%s as %s' % (
                        model, method or 'read', user.login)
                    if error is None:
                        problems.append('%s: not refused' % label)
                    elif not isinstance(error, AccessError) and \
                            control is not None:
                        problems.append(
                            '%s: refused with %r, but the superuser is '
                            'refused too (%r): the test data does not '
                            'reach the group check' % (
                                label, error.name, control.name))
        self.assertGreater(checked, 30)
        self.assertFalse(problems, '\n'.join(problems))
