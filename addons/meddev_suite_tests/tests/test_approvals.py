"""The suite's approvals, called over RPC as a client would (call_kw with
the context as positional argument): refused to users without the group,
and to the requester where the rule is four eyes."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase, call_button, rpc_write


# Sale orders and tier reviews want the chart of accounts, which installs
# after the suite on a fresh database.
@at_install(False)
@post_install(True)
class TestApprovals(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestApprovals, cls).setUpClass()
        user = cls._create_user
        cls.employee = user('suite_employee', ['base.group_user'])
        cls.portal = user('suite_portal', ['base.group_portal'])
        cls.qual_user = user('suite_qual_user', [
            'meddev_qualification.group_meddev_qualification_user'])
        cls.qual_reviewer = user('suite_qual_reviewer', [
            'meddev_qualification.group_meddev_qualification_reviewer'])
        cls.salesman = user('suite_salesman', [
            'sales_team.group_sale_salesman'])
        cls.credit_user = user('suite_credit_user', [
            'meddev_credit.group_meddev_credit_user'])
        cls.credit_manager = user('suite_credit_manager', [
            'meddev_credit.group_meddev_credit_manager'])
        cls.credit_manager_2 = user('suite_credit_manager_2', [
            'meddev_credit.group_meddev_credit_manager'])
        cls.quality_user = user('suite_quality_user', [
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        cls.regulatory = user('suite_regulatory', [
            'meddev_quality_capa.group_meddev_quality_capa_regulatory'])
        cls.quality_manager = user('suite_quality_manager', [
            'meddev_quality_capa.group_meddev_quality_capa_manager'])
        cls.trace_user = user('suite_trace_user', [
            'meddev_traceability.group_meddev_traceability_user'])
        cls.stock_user = user('suite_stock_user', ['stock.group_stock_user'])
        cls.recall_manager = user('suite_recall_manager', [
            'meddev_traceability.group_meddev_traceability_manager'])
        cls.distributor = cls.env['res.partner'].create({
            'name': 'Suite Distributor', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor',
            'credit_limit': 100.0})
        cls.licence = cls._create_licence(
            cls.distributor, 'SUITE-APPROVAL-1', cls.company)
        # Tiers configured in the database (demo, implementers) would add
        # reviewers to the approvals tested here.
        cls.env['tier.definition'].search([
            ('model', 'in', ('meddev.credit.override', 'meddev.capa'))]) \
            .write({'active': False})
        cls.lot = cls._create_lot('SUITE-L-001', cls.company)
        cls.recall = cls._create_recall(cls.lot, cls.company)
        cls.capa = cls._create_capa(cls.company)

    def assertRefused(self, records, method, users, exception=AccessError):
        """Each of ``users`` calling ``method`` on ``records`` over RPC is
        refused with ``exception`` (exactly: a UserError from a later state
        check would mean the group was not checked)."""
        for user in users:
            with self.assertRaises(exception) as caught:
                call_button(records.sudo(user), method)
            self.assertIs(type(caught.exception), exception,
                          '%s by %s: %r' % (method, user.login,
                                            caught.exception))

    def _request_override(self, requester):
        """Return the override that ``requester`` asks for a refused order
        of theirs, through the request wizard as the web client does."""
        order = self._create_order(self.distributor, requester, self.company)
        wizard = self.env['meddev.credit.override.request'].sudo(
            requester).create({'order_id': order.id,
                               'reason': 'Tender deadline'})
        action = call_button(wizard, 'action_request')
        return self.env['meddev.credit.override'].browse(action['res_id'])

    def test_licence_approval(self):
        """Only qualification reviewers approve a licence."""
        self.assertRefused(self.licence, 'action_approve', [
            self.portal, self.employee, self.qual_user, self.salesman,
            self.quality_manager])
        self.assertEqual(self.licence.state, 'submitted')
        call_button(self.licence.sudo(self.qual_reviewer), 'action_approve')
        self.assertEqual(self.licence.state, 'approved')
        self.assertEqual(self.licence.reviewer_id, self.qual_reviewer)

    def test_licence_approval_by_write(self):
        """The approval cannot be written as a bare state either, over
        XML-RPC: a user is refused by the group check, a reviewer by the
        workflow's own guard (no reviewer, date or reason would be
        recorded). The messages are the guards' own: a refusal from
        elsewhere (a rule, a later state check) would not prove them."""
        refusals = (
            (self.qual_user, 'Only qualification reviewers may approve'),
            (self.qual_reviewer, 'through its buttons, which record who '
                                 'decided'))
        for user, message in refusals:
            with self.assertRaises(AccessError) as caught:
                rpc_write(self.licence.sudo(user), {'state': 'approved'})
            self.assertIn(message, str(caught.exception), user.login)
        self.assertEqual(self.licence.state, 'submitted')

    def test_credit_override_approval(self):
        """Only credit managers decide on overrides, and never on their
        own request (four eyes)."""
        override = self._request_override(self.salesman)
        self.assertEqual(override.state, 'requested')
        self.assertEqual(override.requester_id, self.salesman)
        for method in ('action_approve', 'action_reject'):
            self.assertRefused(override, method, [
                self.portal, self.employee, self.salesman, self.credit_user,
                self.quality_manager])
        own = self._request_override(self.credit_manager)
        self.assertRefused(own, 'action_approve', [self.credit_manager])
        self.assertEqual(own.state, 'requested')
        call_button(own.sudo(self.credit_manager_2), 'action_approve')
        self.assertEqual(own.state, 'approved')
        self.assertEqual(own.approver_id, self.credit_manager_2)

    def test_credit_override_not_written_directly(self):
        """The decision cannot be written as a bare state."""
        override = self._request_override(self.salesman)
        for user in (self.salesman, self.credit_manager):
            with self.assertRaises(AccessError):
                override.sudo(user).write({'state': 'approved'})
        self.assertEqual(override.state, 'requested')

    def test_capa_closure(self):
        """Only quality managers close (or cancel) a CAPA."""
        for method in ('action_request_closure_signature',
                       'action_close_signed', 'action_cancel'):
            self.assertRefused(self.capa, method, [
                self.portal, self.employee, self.quality_user,
                self.regulatory])
        # A manager passes the group check; the CAPA is not ready to close.
        self.assertRefused(self.capa, 'action_request_closure_signature',
                           [self.quality_manager], UserError)
        self.assertEqual(self.capa.state, 'draft')

    def test_capa_closure_not_written_directly(self):
        """Closing by writing the state over XML-RPC is refused to
        everyone, by the guarded mixin (a state or closed-record check
        refusing for another reason would not prove it)."""
        for user in (self.quality_user, self.quality_manager):
            with self.assertRaises(UserError) as caught:
                rpc_write(self.capa.sudo(user), {'state': 'closed'})
            self.assertIs(type(caught.exception), UserError)
            self.assertIn('cannot be set directly',
                          str(caught.exception), user.login)
        self.assertEqual(self.capa.state, 'draft')

    def test_capa_verifier_four_eyes(self):
        """The owner of a CAPA action cannot verify its effectiveness."""
        capa = self._create_capa(self.company, 'Label misprint')
        self.env['meddev.capa.action'].create({
            'capa_id': capa.id, 'name': 'Reprint the labels',
            'owner_id': self.quality_user.id, 'due_date': '2030-01-01'})
        with self.assertRaises(ValidationError) as caught:
            capa.sudo(self.quality_user).write(
                {'verifier_id': self.quality_user.id})
        self.assertIn('independent verifier', str(caught.exception))

    def test_recall_launch(self):
        """Only recall managers launch a recall, from the recall or from a
        CAPA."""
        self.assertRefused(self.recall, 'action_launch', [
            self.portal, self.employee, self.trace_user, self.stock_user,
            self.quality_user, self.quality_manager])
        self.assertEqual(self.recall.state, 'draft')
        capa = self._create_capa(self.company, 'Bad board lot')
        capa.root_cause_lot_ids = self.lot
        self.assertRefused(capa, 'action_launch_recall',
                           [self.quality_manager], UserError)
        self.assertFalse(capa.recall_ids)
        call_button(self.recall.sudo(self.recall_manager), 'action_launch')
        self.assertEqual(self.recall.state, 'open')
