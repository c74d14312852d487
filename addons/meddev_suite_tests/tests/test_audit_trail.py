"""The chatter trail of the regulated records (issue 11 item 6, ISO 13485
§4.2.5, 21 CFR Part 11 audit trail): each document walked through its
life by the users who act on it, with tracking ON (the suite's other tests
turn it off), leaves one tracked state change per step, by whom, from what
to what; and the record cannot be deleted afterwards."""

import base64

from odoo.exceptions import UserError
from odoo.tests.common import at_install, post_install

from .common import MeddevSuiteCase, call_button

PASSWORD = 'Suite-Audit-Pass1'
UNTRACKED = ('tracking_disable', 'mail_notrack', 'mail_create_nolog')


# Sale orders (overrides) want the chart of accounts, which installs after
# the suite on a fresh database.
@at_install(False)
@post_install(True)
class TestAuditTrail(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestAuditTrail, cls).setUpClass()
        user = cls._create_user
        cls.qual_user = user('suite_audit_qual_user', [
            'meddev_qualification.group_meddev_qualification_user'])
        cls.qual_reviewer = user('suite_audit_reviewer', [
            'meddev_qualification.group_meddev_qualification_reviewer'])
        cls.salesman = user('suite_audit_salesman', [
            'sales_team.group_sale_salesman'])
        cls.credit_manager = user('suite_audit_credit_manager', [
            'meddev_credit.group_meddev_credit_manager'])
        cls.recall_manager = user('suite_audit_recall_manager', [
            'meddev_traceability.group_meddev_traceability_manager'])
        cls.quality_user = user('suite_audit_quality_user', [
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        cls.quality_manager = user('suite_audit_quality_manager', [
            'meddev_quality_capa.group_meddev_quality_capa_manager'])
        cls.env['tier.definition'].search([
            ('model', 'in', ('meddev.credit.override', 'meddev.capa'))]) \
            .write({'active': False})
        # From here on, every change is tracked, as in production.
        cls.env = cls.env(context=dict(
            (key, value) for key, value in cls.env.context.items()
            if key not in UNTRACKED))
        cls.partner = cls.env['res.partner'].create({
            'name': 'Suite Audit Distributor', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor',
            'credit_limit': 100.0})

    def _trail(self, record, field='state'):
        """The tracked changes of ``field`` on ``record``, oldest first:
        [(old value, new value, author user)]."""
        messages = self.env['mail.message'].search([
            ('model', '=', record._name), ('res_id', '=', record.id)],
            order='id')
        trail = []
        for message in messages:
            for value in message.sudo().tracking_value_ids:
                if value.field == field:
                    trail.append((value.old_value_char or False,
                                  value.new_value_char or False,
                                  message.author_id))
        return trail

    def assertTrail(self, record, expected):
        """The state trail of ``record`` is ``expected``: [(old label,
        new label, user)]; and nobody deletes the record."""
        got = [(old, new, author) for old, new, author in self._trail(record)]
        self.assertEqual(
            got, [(old, new, user.partner_id) for old, new, user in expected],
            record.display_name)
        with self.assertRaises(UserError):
            record.sudo().unlink()

    def test_licence_life(self):
        licence_type = self.env.ref(
            'meddev_qualification.licence_type_operation')
        licence = self.env['meddev.partner.licence'].sudo(
            self.qual_user).create({
                'partner_id': self.partner.id,
                'licence_type_id': licence_type.id,
                'number': '京食药监械经营许20159999号',
                'valid_from': '2020-01-01', 'valid_to': '2030-12-31',
                'scope_category_ids': [(6, 0, self.env.ref(
                    'meddev_qualification.device_category_06').ids)],
                'company_id': self.company.id})
        call_button(licence, 'action_submit')
        call_button(licence.sudo(self.qual_reviewer), 'action_approve')
        self.assertTrail(licence, [
            (False, 'Draft', self.qual_user),
            ('Draft', 'Submitted', self.qual_user),
            ('Submitted', 'Approved', self.qual_reviewer)])

    def test_override_life(self):
        order = self._create_order(self.partner, self.salesman, self.company)
        wizard = self.env['meddev.credit.override.request'].sudo(
            self.salesman).create({'order_id': order.id,
                                   'reason': 'Tender deadline'})
        action = call_button(wizard, 'action_request')
        override = self.env['meddev.credit.override'].browse(
            action['res_id'])
        call_button(override.sudo(self.credit_manager), 'action_approve')
        # Created by the server for the salesperson's request; decided by
        # the credit manager, whose name the trail must show.
        root = self.env.ref('base.user_root')
        self.assertTrail(override, [
            (False, 'Requested', root),
            ('Requested', 'Approved', self.credit_manager)])
        self.assertEqual(override.requester_id, self.salesman)

    def test_recall_life(self):
        lot = self._create_lot('SUITE-AUDIT-L1', self.company)
        recall = self._create_recall(lot, self.company).sudo(
            self.recall_manager)
        call_button(recall, 'action_launch')
        call_button(recall, 'action_cancel')
        root = self.env.ref('base.user_root')
        self.assertTrail(recall, [
            (False, 'Draft', root),
            ('Draft', 'Open', self.recall_manager),
            ('Open', 'Cancelled', self.recall_manager)])

    def _sign(self, user, record, method):
        """Call the signed ``method`` through the e-signature wizard as
        ``user``, who gives their password, as the web client does."""
        action = call_button(record.sudo(user), method)
        wizard = self.env['meddev.esignature.wizard'].sudo(user).with_context(
            **action['context']).create({'password': PASSWORD})
        return wizard.action_sign()

    def test_capa_life(self):
        """A CAPA from its draft to its signed closure: opened and checked
        by a quality user who owns its action, found effective by another
        quality user (the independent verifier), approved on its tier and
        closed by a quality manager. Each state change names who made it,
        the action's too."""
        verifier = self._create_user('suite_audit_verifier', [
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        manager = self.quality_manager
        manager.password = PASSWORD
        self.env['tier.definition'].create({
            'name': 'Suite audit approval',
            'model_id': self.env['ir.model']._get('meddev.capa').id,
            'review_type': 'individual', 'reviewer_id': manager.id,
            'definition_domain': '[]'})
        capa = self.env['meddev.capa'].sudo(self.quality_user).create({
            'source': 'audit', 'problem': 'Audit finding: labels',
            'company_id': self.company.id})
        action = self.env['meddev.capa.action'].sudo(
            self.quality_user).create({
                'capa_id': capa.id, 'name': 'Reprint the labels',
                'owner_id': self.quality_user.id, 'due_date': '2030-01-01'})
        capa.write({'verifier_id': verifier.id,
                    'effectiveness_criteria': 'No label complaint in 90 days'})
        call_button(capa, 'action_open')
        evidence = self.env['ir.attachment'].sudo(self.quality_user).create({
            'name': 'labels.pdf', 'datas_fname': 'labels.pdf',
            'datas': base64.b64encode(b'%PDF reprinted labels')})
        action.write({'attachment_ids': [(4, evidence.id)]})
        call_button(action, 'action_done')
        capa.implementation_note = 'Reprinted labels checked on the line'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        verified = capa.sudo(verifier)
        verified.effectiveness_note = 'No label complaint in 90 days'
        call_button(verified, 'action_effective')
        self._sign(manager, capa, 'action_request_approval_signature')
        self.assertTrue(capa.validated)
        self.assertEqual(capa.sudo().review_ids.mapped('done_by'), manager)
        self._sign(manager, capa, 'action_request_closure_signature')
        self.assertEqual(capa.state, 'closed')
        self.assertEqual(capa.implementation_checked_by_id, self.quality_user)
        self.assertEqual(action.done_by_id, self.quality_user)
        self.assertTrail(action, [
            (False, 'Open', self.quality_user),
            ('Open', 'Done', self.quality_user)])
        self.assertTrail(capa, [
            (False, 'Draft', self.quality_user),
            ('Draft', 'Implementation', self.quality_user),
            ('Implementation', 'Effectiveness Check', self.quality_user),
            ('Effectiveness Check', 'Approval', verifier),
            ('Approval', 'Closed', manager)])

    def test_complaint_life(self):
        complaint = self.env['meddev.complaint'].sudo(
            self.quality_user).create({
                'partner_id': self.partner.id,
                'description': 'Display flickers during use',
                'company_id': self.company.id})
        call_button(complaint, 'action_start_assessment')
        self.assertTrail(complaint, [
            (False, 'Intake', self.quality_user),
            ('Intake', 'Assessment', self.quality_user)])
