import base64

from odoo import api
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import (
    PASSWORD, MeddevQualityCapaCase, call_button, frozen_now, rpc_write)


class TestComplaintBypasses(MeddevQualityCapaCase):
    """Every way around the complaint and report rules, as the user who
    would try it."""

    def _missed_report(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids
        with frozen_now('2026-03-24 00:00:00'):
            self.env['meddev.regulatory.report']._cron_check_deadlines()
        self.assertEqual(report.state, 'missed')
        return complaint, report

    def test_guarded_complaint_fields(self):
        complaint = self._create_complaint().sudo(self.user)
        for vals in ({'state': 'closed'}, {'name': 'CMP/FAKE'},
                     {'closed_date': '2026-03-04 00:00:00'},
                     {'report_overdue': True},
                     {'next_due_date': '2027-01-01 00:00:00'},
                     {'handling_days': 1.0}, {'cluster_alert': True}):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                rpc_write(complaint, vals,
                          {'meddev_complaint_transition': True})
        # Values that change nothing pass (the web client sends them).
        rpc_write(complaint, {'state': 'intake', 'cluster_alert': False})
        complaints = self.env['meddev.complaint'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            complaints.create({'description': 'x', 'state': 'closed'})
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            complaints.with_context(default_state='closed').create(
                {'description': 'x'})
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            complaints.sudo(self.service_user).create(
                {'description': 'x', 'ticket_id': 1})

    def test_awareness_not_in_future(self):
        with frozen_now('2026-03-03 10:00:00'):
            with self.assertRaisesRegex(ValidationError, 'future'):
                self._create_complaint(user=self.service_user)

    def test_missed_report_stays_missed(self):
        complaint, report = self._missed_report()
        # Moving the awareness date later does not undo the miss.
        with frozen_now('2026-03-25 00:00:00'):
            complaint.sudo(self.regulatory).write(
                {'awareness_date': '2026-03-20 10:30:00',
                 'clock_change_reason': '医院补充说明：3月20日才得知'})
        self.assertEqual(report.state, 'missed')
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        self.assertIn('stays overdue', complaint.message_ids[0].body)
        # Nor does lowering the event.
        complaint.sudo(self.regulatory).write({'patient_outcome': 'no_harm'})
        self.assertEqual(report.state, 'missed')
        self.assertIn('stays overdue until', complaint.message_ids[0].body)
        # Submitted late: not on time.
        report.sudo(self.regulatory).write({'reference': 'NMPA-late'})
        report.sudo(self.regulatory).action_submit()
        self.assertFalse(report.on_time)

    def test_complaint_cancel_and_close_by_managers_only(self):
        complaint, report = self._missed_report()
        for method in ('action_cancel', 'action_close'):
            with self.assertRaisesRegex(AccessError, 'quality manager'):
                call_button(complaint.sudo(self.user), method)
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        self.assertEqual(complaint.state, 'cancel')
        # The missed deadline stays on record.
        self.assertEqual(report.state, 'missed')

    def test_missed_report_cancelled_with_reason(self):
        _complaint, report = self._missed_report()
        with self.assertRaises(AccessError):
            call_button(report.sudo(self.regulatory), 'action_cancel')
        with self.assertRaisesRegex(UserError, 'why'):
            call_button(report.sudo(self.manager), 'action_cancel')
        report.sudo(self.manager).write(
            {'cancel_reason': '经调查与器械无关，监管部门确认无需报告'})
        call_button(report.sudo(self.manager), 'action_cancel')
        self.assertEqual(report.state, 'cancel')
        self.assertIn('经调查与器械无关', report.complaint_id.message_ids[0].body)

    def test_cancelled_missed_report_stays_cancelled(self):
        complaint, report = self._missed_report()
        report.sudo(self.manager).write({'cancel_reason': '监管部门确认无需报告'})
        call_button(report.sudo(self.manager), 'action_cancel')
        # Regulatory affairs moves the awareness date afterwards: no fresh
        # report (and deadline) for the same rule.
        with frozen_now('2026-03-25 00:00:00'):
            complaint.sudo(self.regulatory).write(
                {'awareness_date': '2026-03-20 10:30:00',
                 'clock_change_reason': '医院补充说明'})
        reports = complaint.sudo().report_ids
        self.assertEqual(reports, report)
        self.assertEqual(report.state, 'cancel')
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        self.assertIn('stays cancelled', complaint.message_ids[0].body)
        # Nor the manager-cancelled flag is set by a client.
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            rpc_write(report.sudo(self.manager), {'cancelled_missed': False})

    def test_awareness_moves_with_a_reason(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        regulatory = complaint.sudo(self.regulatory)
        # Earlier or later, once reports are due: the reason first.
        for date in ('2026-03-02 10:30:00', '2026-03-04 10:30:00'):
            with frozen_now('2026-03-05 00:00:00'), \
                    self.assertRaisesRegex(UserError, 'reason'):
                rpc_write(regulatory, {'awareness_date': date})
            with frozen_now('2026-03-05 00:00:00'), \
                    self.assertRaisesRegex(UserError, 'reason'):
                rpc_write(regulatory, {'awareness_date': date,
                                       'clock_change_reason': '  '})
        self.assertEqual(complaint.awareness_date, '2026-03-03 10:30:00')
        with frozen_now('2026-03-05 00:00:00'):
            rpc_write(regulatory, {
                'awareness_date': '2026-03-04 10:30:00',
                'clock_change_reason': '经销商3月4日才转达投诉'},
                {'tracking_disable': False})
        self.assertEqual(complaint.report_ids.due_date,
                         '2026-03-24 23:59:59')
        self.assertEqual(complaint.clock_change_reason, '经销商3月4日才转达投诉')
        # The reason is in the chatter's tracking.
        tracked = complaint.message_ids.mapped('tracking_value_ids')
        self.assertIn('经销商3月4日才转达投诉',
                      tracked.mapped('new_value_text'))

    def test_later_awareness_of_assessed_complaint_by_regulatory(self):
        complaint = self._create_complaint(patient_outcome='no_harm')
        self._decide(complaint, self.china, 'not_reportable',
                     rationale='无伤害')
        self.assertFalse(complaint.report_ids)
        # A quality user may not postpone the clocks of an assessed
        # complaint (a raised outcome would start them later)...
        with frozen_now('2026-03-05 00:00:00'), \
                self.assertRaisesRegex(AccessError, 'later'):
            rpc_write(complaint.sudo(self.user), {
                'awareness_date': '2026-03-04 10:30:00',
                'clock_change_reason': '晚一天'})
        # ...but may correct it earlier; regulatory affairs later, with a
        # reason.
        rpc_write(complaint.sudo(self.user),
                  {'awareness_date': '2026-03-03 09:00:00'})
        with frozen_now('2026-03-05 00:00:00'):
            with self.assertRaisesRegex(UserError, 'reason'):
                rpc_write(complaint.sudo(self.regulatory),
                          {'awareness_date': '2026-03-04 10:30:00'})
            rpc_write(complaint.sudo(self.regulatory), {
                'awareness_date': '2026-03-04 10:30:00',
                'clock_change_reason': '医院3月4日才确认与器械相关'})
        self.assertEqual(complaint.awareness_date, '2026-03-04 10:30:00')

    def test_decision_restamped_when_answers_change(self):
        other_ra = self._create_user('qa_ra_2', self.group_regulatory)
        complaint = self._create_complaint()
        decision = self._decide(complaint, self.china, q_serious=True,
                                q_device_involved=True)
        self.assertEqual(decision.decided_by_id, self.regulatory)
        with frozen_now('2026-03-06 09:00:00'):
            rpc_write(decision.sudo(other_ra), {'q_serious': False})
        self.assertEqual(decision.decided_by_id, other_ra)
        self.assertEqual(decision.decided_on, '2026-03-06 09:00:00')
        self.assertIn(other_ra.name, complaint.message_ids[0].body)

    def test_reports_written_only_by_the_clocks(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids.sudo(self.regulatory)
        for vals in ({'state': 'submitted'}, {'due_date': '2027-01-01'},
                     {'submitted_date': '2026-03-04 00:00:00'},
                     {'on_time': True}, {'warned_date': '2026-03-04'},
                     {'snapshot': '<p>x</p>'}):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                rpc_write(report, vals)
        with self.assertRaisesRegex(UserError, 'not by hand'):
            self.env['meddev.regulatory.report'].sudo(self.regulatory).create({
                'complaint_id': complaint.id, 'due_date': '2027-01-01',
                'state': 'submitted', 'submitted_date': '2026-03-04'})
        rpc_write(report, {'reference': 'NMPA-1'})
        self.assertEqual(report.reference, 'NMPA-1')

    def test_client_defaults_do_not_reach_server_creates(self):
        # The decision's create runs the clocks, which create the reports
        # as the server: defaults the caller put in the context must not
        # give them a state or a submission date.
        complaint = self._create_complaint()
        decisions = self.env['meddev.reportability.decision'].sudo(
            self.regulatory)
        # In the keyword arguments, as XML-RPC sends them (call_kw replaces
        # the records' context by this one).
        api.call_kw(decisions, 'create', [{
            'complaint_id': complaint.id, 'country_id': self.china.id,
            'decision': 'reportable'}], {'context': {
                'default_state': 'submitted',
                'default_submitted_date': '2026-03-04 00:00:00',
                'default_on_time': True}})
        reports = complaint.report_ids
        self.assertTrue(reports)
        self.assertEqual(set(reports.mapped('state')), {'open'})
        self.assertFalse(any(reports.mapped('submitted_date')))

    def test_decision_who_and_when_from_the_server(self):
        complaint = self._create_complaint()
        decision = self._decide(complaint, self.china,
                                decided_by_id=self.manager.id,
                                decided_on='2026-01-01 00:00:00')
        self.assertEqual(decision.decided_by_id, self.regulatory)
        self.assertNotEqual(decision.decided_on, '2026-01-01 00:00:00')
        other = self._create_complaint()
        for vals in ({'decided_by_id': self.manager.id},
                     {'decided_on': '2026-01-01 00:00:00'},
                     {'complaint_id': other.id}):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                rpc_write(decision.sudo(self.regulatory), vals)

    def test_no_decision_on_a_closed_complaint(self):
        complaint = self._create_complaint(patient_outcome='no_harm')
        complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(complaint.sudo(self.manager), 'action_cancel')
        with self.assertRaisesRegex(UserError, 'closed or cancelled'):
            self._decide(complaint, self.china)

    def test_company_kept(self):
        other = self.env['res.company'].create({'name': 'MedDev 其他公司'})
        complaint = self._create_complaint().sudo(self.user)
        with self.assertRaisesRegex(UserError, 'stays in the company'):
            rpc_write(complaint, {'company_id': other.id})

    def test_clock_time_zone_is_the_companys(self):
        # Without a time zone on the company, its country's counts, not
        # the user's: everyone gets the same deadline.
        self.company.partner_id.tz = False
        self.company.partner_id.country_id = self.china
        self.user.tz = 'America/New_York'
        complaint = self._create_complaint()
        complaint.sudo(self.user).write({'description': '补充'})
        self._decide(complaint, self.china)
        # 2026-03-23 23:59:59 in Shanghai.
        self.assertEqual(complaint.report_ids.due_date, '2026-03-23 15:59:59')


class TestCapaBypasses(MeddevQualityCapaCase):

    @classmethod
    def setUpClass(cls):
        super(TestCapaBypasses, cls).setUpClass()
        cls.owner = cls._create_user('qa_owner', cls.group_user)
        cls.verifier = cls._create_user('qa_verifier', cls.group_user)

    def _capa(self):
        capa = self.env['meddev.capa'].sudo(self.user).create({
            'problem': '报警失灵', 'verifier_id': self.verifier.id,
            'effectiveness_criteria': '三个月无复发'})
        attachment = self.env['ir.attachment'].sudo(self.user).create({
            'name': 'e.pdf', 'datas_fname': 'e.pdf',
            'datas': base64.b64encode(b'%PDF')})
        self.env['meddev.capa.action'].sudo(self.user).create({
            'capa_id': capa.id, 'name': '更换供应商', 'owner_id': self.owner.id,
            'due_date': '2026-04-30',
            'attachment_ids': [(6, 0, attachment.ids)]})
        return capa

    def _to_approval(self, capa):
        call_button(capa, 'action_open')
        call_button(capa.action_ids.sudo(self.owner), 'action_done')
        capa.implementation_note = '整改已落实'
        call_button(capa, 'action_check_implementation')
        call_button(capa, 'action_to_verification')
        capa.sudo(self.verifier).effectiveness_note = '无复发'
        call_button(capa.sudo(self.verifier), 'action_effective')
        self.assertEqual(capa.state, 'approval')
        return capa

    def test_guarded_capa_fields(self):
        capa = self._capa()
        for vals in ({'state': 'closed'}, {'effectiveness_result': 'effective'},
                     {'closed_date': '2026-03-04 00:00:00'},
                     {'reopen_count': 0 + 3}, {'risk_level': 'low'},
                     {'name': 'CAPA/FAKE'}):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                rpc_write(capa, vals, {'meddev_capa_transition': True})
        capas = self.env['meddev.capa'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            capas.create({'problem': 'x', 'state': 'approval',
                          'effectiveness_result': 'effective'})

    def test_forged_tier_approval_does_not_close(self):
        capa = self._to_approval(self._capa())
        # A quality user may not write the tier reviews (see
        # test_approval_rows); a manager's forged approval...
        capa.sudo().review_ids.sudo(self.manager).write({
            'status': 'approved', 'done_by': self.manager.id})
        capa.invalidate_cache()
        self.assertTrue(capa.validated)
        # ...does not let a quality user close...
        with self.assertRaisesRegex(AccessError, 'quality manager'):
            call_button(capa, 'action_request_closure_signature')
        # ...nor a manager without the approver's signature.
        with self.assertRaisesRegex(UserError, 'no approval signed'):
            call_button(capa.sudo(self.manager),
                        'action_request_closure_signature')
        self.assertEqual(capa.state, 'approval')

    def test_restart_validation_by_quality_user_refused(self):
        # Review 3, N4: restarting discards every review, approved ones
        # too, and unlocks the verdict: not for a quality user.
        capa = self._to_approval(self._capa())
        reviews = capa.sudo().review_ids
        self.assertTrue(reviews)
        with self.assertRaisesRegex(AccessError, 'restart the approval'):
            call_button(capa.sudo(self.user), 'restart_validation')
        self.assertEqual(capa.sudo().review_ids, reviews)

    def test_approval_signed_for_another_action_does_not_count(self):
        capa = self._to_approval(self._capa())
        # The manager signs the CAPA with the meaning 'approval' but for
        # another action (the wizard lets the client choose it)...
        self.env['meddev.esignature.wizard'].sudo(self.manager).with_context(
            default_res_model='meddev.capa', default_res_id=capa.id,
            default_method='action_view_signatures',
            default_meaning='approval').create(
            {'password': PASSWORD}).action_sign()
        # ...and the tier row is forged in their name.
        capa.sudo().review_ids.sudo(self.manager).write({
            'status': 'approved', 'done_by': self.manager.id})
        capa.invalidate_cache()
        self.assertTrue(capa.validated)
        with self.assertRaisesRegex(UserError, 'no approval signed'):
            call_button(capa.sudo(self.manager),
                        'action_request_closure_signature')
        self.assertEqual(capa.state, 'approval')

    def test_verifier_does_not_complete_actions(self):
        capa = self._capa()
        call_button(capa, 'action_open')
        action = capa.action_ids
        # Not the owner: refused.
        for user in (self.verifier, self.user):
            with self.assertRaisesRegex(AccessError, 'owner'):
                call_button(action.sudo(user), 'action_done')
        # A manager who is the verifier may not complete it either.
        capa.sudo(self.manager).write({'verifier_id': self.manager.id})
        with self.assertRaisesRegex(ValidationError, 'independent'), \
                self.cr.savepoint():
            call_button(action.sudo(self.manager), 'action_done')
        self.assertEqual(action.state, 'open')
        call_button(action.sudo(self.owner), 'action_done')
        self.assertEqual(action.done_by_id, self.owner)
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            rpc_write(action.sudo(self.user), {'done_by_id': self.user.id})

    def test_actions_fixed_once_implementation_is_checked(self):
        capa = self._to_approval(self._capa())
        actions = self.env['meddev.capa.action'].sudo(self.user)
        with self.assertRaisesRegex(UserError, 'no new action'):
            actions.create({'capa_id': capa.id, 'name': '补充',
                            'owner_id': self.owner.id,
                            'due_date': '2026-04-30'})
        other = self._capa()
        with self.assertRaisesRegex(UserError, 'stays on its CAPA'):
            rpc_write(other.action_ids, {'capa_id': capa.id})
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            rpc_write(other.action_ids, {'state': 'done'})
        # The verifier is changed by a quality manager only now.
        with self.assertRaisesRegex(AccessError, 'verifier'):
            rpc_write(capa, {'verifier_id': self.user.id})
        with self.assertRaisesRegex(AccessError, 'quality manager'):
            call_button(capa, 'action_cancel')

    def test_change_record_state_and_signed_content(self):
        record = self.env['meddev.change.record'].sudo(self.user).create({
            'title': '报警模块更换供应商', 'change_type': 'supplier',
            'product_ids': [(6, 0, self.pump.ids)], 'description': '变更'})
        for vals in ({'state': 'approved'},
                     {'approved_by_id': self.manager.id}):
            with self.assertRaisesRegex(UserError, 'cannot be set'):
                rpc_write(record, vals)
        self._sign(self.manager, record, 'action_request_approval_signature',
                   'approval')
        self.assertEqual(record.state, 'approved')
        with self.assertRaisesRegex(UserError, 'what was signed'):
            rpc_write(record, {'description': '另一项变更'})
        with self.assertRaisesRegex(AccessError, 'quality manager'):
            call_button(record, 'action_cancel')
        record.write({'first_lot_id': self.serial.id,
                      'effective_date': '2026-04-01'})
        call_button(record, 'action_make_effective')
        with self.assertRaisesRegex(UserError, 'cannot be cancelled'):
            call_button(record.sudo(self.manager), 'action_cancel')

    def test_concluded_investigation_kept(self):
        complaint = self._create_complaint()
        investigation = self.env['meddev.complaint.investigation'].sudo(
            self.user).create({'name': '调查', 'complaint_id': complaint.id,
                               'findings': '虚焊', 'root_cause': '工艺'})
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            rpc_write(investigation, {'state': 'done'})
        call_button(investigation, 'action_conclude')
        with self.assertRaisesRegex(UserError, 'concluded'):
            rpc_write(investigation, {'root_cause': '另一个原因'})

    def test_dashboard_of_another_company_refused(self):
        other = self.env['res.company'].create({'name': 'MedDev 外部公司'})
        board = self.env['meddev.quality.dashboard'].sudo(self.user).create({
            'date_from': '2026-01-01', 'date_to': '2026-12-31',
            'company_id': other.id})
        with self.assertRaisesRegex(AccessError, 'do not work for'):
            board.read(['complaint_count'])
        # Allowed to switch to it but working in the main company: refused
        # too (the record rules follow the current company)...
        self.user.write({'company_ids': [(4, other.id)]})
        board.invalidate_cache()
        with self.assertRaisesRegex(AccessError, 'do not work for'):
            board.read(['complaint_count'])
        # ...while a child of the current company is shown.
        child = self.env['res.company'].create({
            'name': 'MedDev 子公司', 'parent_id': self.company.id})
        board.sudo().write({'company_id': child.id})
        board.invalidate_cache()
        self.assertEqual(board.complaint_count, 0)
