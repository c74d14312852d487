import base64

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import MeddevCapaCase, call_button, rpc


class TestDefaultBypasses(MeddevCapaCase):
    """What an XML-RPC client sends as ``default_*`` context keys (or
    saves as its own defaults) meets the same checks as the values: closed
    records stay closed, evidence is only the user's own upload (review
    issue 9 cold, S2-1 and S2-2)."""

    def _upload(self, user, name='pending.pdf'):
        return self.env['ir.attachment'].sudo(user).create({
            'name': name, 'datas_fname': name,
            'datas': base64.b64encode(b'%PDF pending')})

    def _action_vals(self, **vals):
        return dict({'name': '补充措施', 'owner_id': self.owner.id,
                     'due_date': '2026-04-30'}, **vals)

    def test_no_action_added_by_default_to_a_capa_past_implementation(self):
        capa = self._to_approval(self._capa())
        actions = self.env['meddev.capa.action'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'no new action'):
            rpc(actions, 'create', [self._action_vals()],
                {'default_capa_id': capa.id})
        # Nor by a default the user saved for themselves.
        self.env['ir.default'].sudo(self.user).set(
            'meddev.capa.action', 'capa_id', capa.id, user_id=self.user.id)
        with self.assertRaisesRegex(UserError, 'no new action'):
            rpc(actions, 'create', [self._action_vals()])
        self.assertEqual(len(capa.action_ids), 2)

    def test_no_decision_by_default_on_a_cancelled_complaint(self):
        complaint = self._create_complaint(patient_outcome='no_harm')
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        decisions = self.env['meddev.reportability.decision'].sudo(
            self.regulatory)
        with self.assertRaisesRegex(UserError, 'closed or cancelled'):
            rpc(decisions, 'create', [{
                'country_id': self.china.id, 'decision': 'not_reportable',
                'rationale': '无伤害'}],
                {'default_complaint_id': complaint.id})
        self.assertFalse(complaint.decision_ids)

    def test_no_new_complaint_linked_by_default_to_a_cancelled_capa(self):
        capa = self._capa()
        call_button(capa.sudo(self.manager), 'action_cancel')
        complaints = self.env['meddev.complaint'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'closed or cancelled'):
            rpc(complaints, 'create', [{
                'description': '同类报警失效', 'partner_id': self.hospital.id}],
                {'default_capa_ids': [[6, 0, capa.ids]]})
        self.assertEqual(capa.complaint_ids, self.complaint)

    def test_default_evidence_is_only_the_users_own_upload(self):
        foreign = self._upload(self.manager)
        complaints = self.env['meddev.complaint'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'cannot be linked'):
            rpc(complaints, 'create', [{'description': '面板裂开'}],
                {'default_evidence_ids': [[6, 0, foreign.ids]]})
        capa = self._capa()
        actions = self.env['meddev.capa.action'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'cannot be linked'):
            rpc(actions, 'create', [self._action_vals(capa_id=capa.id)],
                {'default_attachment_ids': [[6, 0, foreign.ids]]})
        self.assertFalse(foreign.res_id)
        # The user's own upload still becomes the new complaint's evidence.
        own = self._upload(self.user, 'photo.jpg')
        complaint_id = rpc(complaints, 'create', [{'description': '面板裂开'}],
                           {'default_evidence_ids': [[6, 0, own.ids]]})
        self.assertEqual((own.res_model, own.res_id),
                         ('meddev.complaint', complaint_id))

    def test_rehome_leaves_another_users_pending_upload(self):
        # The last line behind the link check: the move runs as the
        # superuser, it takes only the user's own uploads.
        foreign = self._upload(self.manager)
        own = self._upload(self.user, 'own.pdf')
        self.env['ir.attachment'].sudo(self.user)._meddev_rehome_evidence(
            self.complaint.sudo(self.user), foreign | own)
        self.assertFalse(foreign.res_id)
        self.assertEqual(own.res_id, self.complaint.id)


class TestEffectivenessCheckIsTheVerifiers(MeddevCapaCase):
    """Handed over to its effectiveness check, the CAPA's criteria and
    evidence are the independent verifier's (or a quality manager's who
    owns no action), never an action owner's, and every change shows in
    the chatter (review issue 9 cold, S2-5)."""

    def _in_verification(self, owner=None):
        capa = self._capa()
        if owner:
            capa.action_ids[:1].write({'owner_id': owner.id})
        call_button(capa, 'action_open')
        for action in capa.action_ids:
            action = action.sudo(action.owner_id)
            self._evidence(action)
            call_button(action, 'action_done')
        capa.implementation_note = '现场核查：整改已落实'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        self.assertEqual(capa.state, 'verification')
        return capa

    def test_action_owner_and_others_do_not_touch_the_check(self):
        capa = self._in_verification()
        for user in (self.owner, self.user):
            for vals in ({'effectiveness_note': '无复发'},
                         {'effectiveness_criteria': '一个月内无投诉'},
                         {'effectiveness_planned_date': '2026-05-01'}):
                with self.assertRaisesRegex(AccessError, 'verifier'):
                    rpc(capa.sudo(user), 'write', [capa.ids, vals])
        self.assertEqual(capa.effectiveness_criteria, '三个月内同类投诉为零')
        rpc(capa.sudo(self.verifier), 'write', [capa.ids, {
            'effectiveness_note': '90 天内无复发投诉'}])
        rpc(capa.sudo(self.manager), 'write', [capa.ids, {
            'effectiveness_planned_date': '2026-08-31'}])
        self.assertEqual(capa.effectiveness_note, '90 天内无复发投诉')

    def test_manager_who_owns_an_action_does_not_touch_the_check(self):
        capa = self._in_verification(owner=self.manager)
        with self.assertRaisesRegex(AccessError, 'verifier'):
            rpc(capa.sudo(self.manager), 'write', [capa.ids, {
                'effectiveness_note': '无复发'}])
        self.assertFalse(capa.effectiveness_note)

    def test_check_changes_are_tracked(self):
        capa = self._in_verification()
        rpc(capa.sudo(self.verifier), 'write', [capa.ids, {
            'effectiveness_criteria': '六个月内同类投诉为零',
            'effectiveness_note': '90 天内无复发投诉'}])
        # Read as the superuser (the tracking values are technical).
        tracked = self.env['meddev.capa'].browse(capa.id).message_ids \
            .mapped('tracking_value_ids')
        self.assertIn('effectiveness_criteria', tracked.mapped('field'))
        self.assertIn('90 天内无复发投诉', tracked.mapped('new_value_text'))
        self.assertIn('三个月内同类投诉为零', tracked.mapped('old_value_text'))


class TestKeptRecordsKeepTheirPartners(MeddevCapaCase):
    """A partner, lot or user named on a kept quality record cannot be
    deleted (archive it instead): the record would silently lose its
    customer, reporter or supplier (review issue 11 d, S2-1)."""

    def test_partner_of_a_complaint_is_not_deleted(self):
        nurse = self.env['res.partner'].create({'name': '护士 王芳'})
        complaint = self._create_complaint(reporter_id=nurse.id)
        contacts = self._create_user(
            'qa_contacts', self.group_employee
            | self.env.ref('base.group_partner_manager'))
        for partner in (nurse, self.hospital):
            with self.assertRaises(IntegrityError), \
                    mute_logger('odoo.sql_db'), self.cr.savepoint():
                rpc(partner.sudo(contacts), 'unlink', [partner.ids])
        self.assertEqual(complaint.reporter_id, nurse)
        self.assertEqual(complaint.partner_id, self.hospital)
        # Archiving stays possible.
        rpc(nurse.sudo(contacts), 'write', [nurse.ids, {'active': False}])

    def test_supplier_of_an_action_is_not_deleted(self):
        supplier = self.env['res.partner'].create({
            'name': '深圳报警模块有限公司', 'supplier': True})
        capa = self._capa()
        action = capa.action_ids[:1]
        action.write({'supplier_id': supplier.id})
        contacts = self._create_user(
            'qa_contacts', self.group_employee
            | self.env.ref('base.group_partner_manager'))
        with self.assertRaises(IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            rpc(supplier.sudo(contacts), 'unlink', [supplier.ids])
        self.assertEqual(action.supplier_id, supplier)


class TestCompanyHolidays(MeddevCapaCase):
    """A company's public holidays (leaves without a resource) move the
    working-day reporting deadlines: no employee changes them, quality
    manager included (Odoo's rule "employee modifies own"; review issue 9
    cold, S2-4, checked: not open)."""

    def test_employees_do_not_change_company_holidays(self):
        calendar = self.company.resource_calendar_id
        leaves = self.env['resource.calendar.leaves']
        vals = {'name': '假节日', 'calendar_id': calendar.id,
                'date_from': '2026-03-05 00:00:00',
                'date_to': '2026-03-05 23:59:59'}
        holiday = leaves.create(dict(vals, name='清明节'))
        for user in (self.employee, self.user, self.service_user,
                     self.manager):
            with self.assertRaises(AccessError), self.cr.savepoint():
                rpc(leaves.sudo(user), 'create', [vals])
            with self.assertRaises(AccessError), self.cr.savepoint():
                rpc(holiday.sudo(user), 'write', [holiday.ids, {
                    'date_to': '2026-03-20 23:59:59'}])
            with self.assertRaises(AccessError), self.cr.savepoint():
                rpc(holiday.sudo(user), 'unlink', [holiday.ids])
        self.assertEqual(holiday.date_to, '2026-03-05 23:59:59')
        self.assertEqual(leaves.search_count([
            ('calendar_id', '=', calendar.id), ('name', '=', '假节日')]), 0)
