"""Wizards (transient models) are open to every user in Odoo: access rows
do not apply to them. Their buttons must check the group on the server;
each is called here over RPC by users without it, and nothing changes."""

import base64

from odoo.exceptions import AccessError

from .common import MeddevSuiteCase, call_button


class TestWizardButtons(MeddevSuiteCase):

    @classmethod
    def setUpClass(cls):
        super(TestWizardButtons, cls).setUpClass()
        user = cls._create_user
        cls.employee = user('suite_wiz_employee', ['base.group_user'])
        cls.salesman = user('suite_wiz_salesman', [
            'sales_team.group_sale_salesman'])
        cls.credit_user = user('suite_wiz_credit_user', [
            'meddev_credit.group_meddev_credit_user'])
        cls.qual_user = user('suite_wiz_qual_user', [
            'meddev_qualification.group_meddev_qualification_user'])
        cls.trace_user = user('suite_wiz_trace_user', [
            'meddev_traceability.group_meddev_traceability_user'])
        cls.quality_user = user('suite_wiz_quality_user', [
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        cls.partner = cls.env['res.partner'].create({
            'name': 'Suite Wizard Customer', 'is_company': True,
            'customer': True, 'meddev_partner_kind': 'distributor'})

    def assertButtonRefused(self, model, vals, method, users):
        """Each of ``users`` creates the wizard with ``vals`` (Odoo lets
        them) and calls ``method`` over RPC: refused with AccessError."""
        for user in users:
            wizard = self.env[model].sudo(user).create(dict(vals))
            with self.assertRaises(AccessError, msg=user.login):
                call_button(wizard, method)

    def test_credit_hold(self):
        """Only credit managers set or lift a credit hold."""
        self.assertButtonRefused('meddev.credit.hold.wizard', {
            'partner_id': self.partner.id, 'company_id': self.company.id,
            'action': 'set', 'reason': 'Unpaid for months'},
            'action_apply', [self.employee, self.salesman, self.credit_user])
        self.assertFalse(self.partner.with_context(
            force_company=self.company.id).credit_hold)

    def test_licence_rejection(self):
        """The reason wizard rejects a licence for reviewers only."""
        licence = self._create_licence(
            self.partner, 'SUITE-WIZ-1', self.company)
        self.assertButtonRefused('meddev.decision.reason.wizard', {
            'res_model': 'meddev.partner.licence',
            'res_ids': str(licence.id), 'decision': 'reject',
            'reason': 'Scan unreadable'}, 'action_confirm',
            [self.employee, self.qual_user])
        self.assertEqual(licence.state, 'submitted')

    def test_watchlist_import(self):
        """Only qualification reviewers import a watchlist."""
        data = base64.b64encode(
            'name,reason\nSuite Wizard Customer,Forged licences\n'
            .encode('utf-8'))
        self.assertButtonRefused('meddev.watchlist.import', {
            'data_file': data, 'filename': 'watchlist.csv'},
            'action_import', [self.employee, self.qual_user])
        self.assertFalse(self.partner.meddev_watchlist)

    def test_lot_link_retire(self):
        """Only recall managers retire genealogy links."""
        parent = self._create_lot('SUITE-WIZ-P', self.company)
        child = self._create_lot('SUITE-WIZ-C', self.company)
        link = self.env['meddev.lot.link'].create({
            'parent_lot_id': parent.id, 'child_lot_id': child.id,
            'company_id': self.company.id})
        self.assertButtonRefused('meddev.lot.link.retire', {
            'link_ids': [(6, 0, link.ids)], 'reason': 'Wrong scan'},
            'action_confirm', [self.employee, self.trace_user,
                               self.quality_user])
        self.assertFalse(link.date_removed)
