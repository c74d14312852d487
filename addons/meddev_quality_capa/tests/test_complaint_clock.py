from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import at_install, post_install

from .common import MeddevQualityCapaCase, call_button, frozen_now, rpc


class TestComplaintClock(MeddevQualityCapaCase):

    def _open_reports(self, complaint):
        return complaint.report_ids.filtered(
            lambda report: report.state in ('open', 'missed'))

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def test_reportable_starts_the_clock(self):
        complaint = self._create_complaint(user=self.user)
        self.assertRegex(complaint.name, r'^CMP/')
        self.assertEqual(complaint.country_id, self.china)
        self.assertEqual(complaint.product_id, self.pump)
        self.assertFalse(complaint.report_ids)
        self._decide(complaint, self.china)
        report = complaint.report_ids
        self.assertEqual(report.rule_id, self._rule('cn_serious_injury'))
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        self.assertEqual(report.warn_date, '2026-03-20 23:59:59')
        self.assertEqual(complaint.next_due_date, '2026-03-23 23:59:59')
        with frozen_now('2026-03-20 19:59:59'):
            complaint.invalidate_cache(['time_left'])
            self.assertEqual(complaint.time_left, '3 days 4 hours')

    def test_running_deadline_kept_when_calendar_data_change(self):
        """Holidays and the company's time zone are data any employee may
        edit: a running deadline moves only with its clock (review of
        issue 9, S1-3)."""
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(user=self.user)
            decision = self._decide(complaint, self.china)
            report = complaint.report_ids
            self.assertEqual(report.due_date, '2026-03-23 23:59:59')
            self.company.partner_id.tz = 'Asia/Shanghai'
            decision.sudo(self.regulatory).write({'rationale': '严重伤害'})
            self.assertEqual(report.due_date, '2026-03-23 23:59:59')
            # The clock itself moves (earlier awareness): counted afresh,
            # now in Shanghai time.
            complaint.sudo(self.regulatory).write({
                'awareness_date': '2026-03-02 10:30:00',
                'clock_change_reason': '销售代表3月2日已知悉'})
            self.assertEqual(report.state, 'open')
            self.assertEqual(report.due_date, '2026-03-22 15:59:59')

    def test_not_reportable_needs_rationale(self):
        complaint = self._create_complaint(patient_outcome='no_harm')
        with self.assertRaisesRegex(ValidationError, 'rationale'), \
                self.cr.savepoint():
            self._decide(complaint, self.china, 'not_reportable')
        with self.assertRaisesRegex(ValidationError, 'rationale'), \
                self.cr.savepoint():
            self._decide(complaint, self.china, 'not_reportable',
                         rationale='   ')
        decision = self._decide(
            complaint, self.china, 'not_reportable',
            rationale='外观划痕，无伤害，不可能导致严重伤害')
        self.assertEqual(decision.decided_by_id, self.regulatory)
        self.assertFalse(complaint.report_ids)
        # Clearing the rationale later is refused too.
        with self.assertRaisesRegex(ValidationError, 'rationale'), \
                self.cr.savepoint():
            decision.sudo(self.regulatory).write({'rationale': False})

    def test_only_regulatory_decides(self):
        complaint = self._create_complaint()
        for user in (self.user, self.service_user):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self._decide(complaint, self.china, user=user)
        self.assertFalse(complaint.decision_ids)

    def test_awareness_change_recomputes_and_says_so(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids
        # Reports are due: a quality user no longer moves the clock.
        with self.assertRaisesRegex(AccessError, 'regulatory affairs'):
            complaint.sudo(self.user).write(
                {'awareness_date': '2026-03-01 08:00:00'})
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        # Before the deadline (a passed one stays missed).
        with frozen_now('2026-03-05 12:00:00'):
            complaint.sudo(self.regulatory).write(
                {'awareness_date': '2026-03-01 08:00:00',
                 'clock_change_reason': '回访确认：3月1日已告知销售代表'})
        self.assertEqual(report.due_date, '2026-03-21 23:59:59')
        self.assertEqual(complaint.report_ids, report)
        self.assertIn('recomputed', complaint.message_ids[0].body)
        self.assertIn('2026-03-23', complaint.message_ids[0].body)

    def test_event_kind_change_replaces_reports(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        injury = complaint.report_ids
        with frozen_now('2026-03-05 12:00:00'):
            complaint.sudo(self.regulatory).write(
                {'patient_outcome': 'death'})
        self.assertEqual(injury.state, 'cancel')
        death = self._open_reports(complaint)
        self.assertEqual(death.rule_id, self._rule('cn_death'))
        self.assertEqual(death.due_date, '2026-03-10 23:59:59')
        body = complaint.message_ids[0].body
        self.assertIn('no longer due', body)
        self.assertIn('(new)', body)
        # A submitted report never moves.
        death.sudo(self.regulatory).write({'reference': 'NMPA-2026-001'})
        death.sudo(self.regulatory).action_submit()
        complaint.write({'awareness_date': '2026-03-02 08:00:00',
                         'clock_change_reason': '更正知悉时间'})
        self.assertEqual(death.due_date, '2026-03-10 23:59:59')
        self.assertEqual(death.state, 'submitted')

    def test_group_event_and_several_jurisdictions(self):
        complaint = self._create_complaint(group_event=True)
        self._decide(complaint, self.china)
        self._decide(complaint, self.germany)
        dues = dict((report.rule_id, report.due_date)
                    for report in complaint.report_ids)
        self.assertEqual(dues, {
            self._rule('cn_serious_injury'): '2026-03-23 23:59:59',
            self._rule('cn_group'): '2026-03-03 22:30:00',
            self._rule('cn_group_individual'): '2026-03-04 10:30:00',
            # In Germany the event is foreign: the EU rule applies anyway.
            self._rule('eu_serious_injury'): '2026-03-13 23:59:59',
        })
        self.assertEqual(complaint.next_due_date, '2026-03-03 22:30:00')

    def test_overseas_event(self):
        complaint = self._create_complaint(country_id=self.germany.id)
        self._decide(complaint, self.china)
        self.assertEqual(complaint.report_ids.rule_id,
                         self._rule('cn_overseas_serious_injury'))
        self.assertEqual(complaint.report_ids.due_date, '2026-04-02 23:59:59')

    def test_cron_warns_once_then_marks_missed(self):
        complaint = self._create_complaint(user_id=self.user.id)
        self._decide(complaint, self.china)
        report = complaint.report_ids
        reports = self.env['meddev.regulatory.report']
        activities = self.env['mail.activity']
        with frozen_now('2026-03-19 12:00:00'):
            warned, missed = reports._cron_check_deadlines()
        self.assertFalse((warned | missed) & report)
        with frozen_now('2026-03-21 09:00:00'):
            warned, missed = reports._cron_check_deadlines()
            self.assertEqual(warned & report, report)
            self.assertEqual(report.warned_date, '2026-03-21 09:00:00')
            todo = activities.search([
                ('res_model', '=', 'meddev.complaint'),
                ('res_id', '=', complaint.id),
                ('user_id', '=', self.manager.id)])
            self.assertEqual(len(todo), 1)
            self.assertEqual(todo.date_deadline, '2026-03-23')
            self.assertIn(report.name, todo.note)
            mail = self.env['mail.mail'].search([
                ('recipient_ids', 'in', self.manager.partner_id.ids),
                ('subject', 'like', 'Reporting deadlines approaching')])
            self.assertEqual(len(mail), 1)
            self.assertIn(report.name, mail.body_html)
            # Run again: no second warning.
            warned, missed = reports._cron_check_deadlines()
            self.assertFalse(warned & report)
        self.assertEqual(len(activities.search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', complaint.id)])), 1)
        with frozen_now('2026-03-24 00:00:00'):
            warned, missed = reports._cron_check_deadlines()
            self.assertEqual(missed & report, report)
            self.assertEqual(report.state, 'missed')
            self.assertTrue(complaint.report_overdue)
            self.assertIn('Deadline missed', complaint.message_ids[0].body)
            warned, missed = reports._cron_check_deadlines()
            self.assertFalse(missed & report)
            # Submitted late: recorded as not on time.
            report.sudo(self.regulatory).write({'reference': 'NMPA-late'})
            report.sudo(self.regulatory).action_submit()
        self.assertEqual(report.state, 'submitted')
        self.assertFalse(report.on_time)
        self.assertFalse(complaint.report_overdue)

    def test_submit_on_time_by_regulatory_only(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids
        with self.assertRaises(AccessError):
            report.sudo(self.user).write({'reference': 'X'})
        with self.assertRaisesRegex(UserError, 'regulatory'):
            report.sudo(self.user).action_submit()
        with self.assertRaisesRegex(UserError, 'reference'):
            report.sudo(self.regulatory).action_submit()
        report.sudo(self.regulatory).write({'reference': 'NMPA-2026-0042'})
        with frozen_now('2026-03-10 08:00:00'):
            report.sudo(self.regulatory).action_submit()
        self.assertTrue(report.on_time)
        self.assertIn('IP300-0001', report.snapshot)
        self.assertFalse(complaint.next_due_date)

    def test_udi_scan_finds_the_serial(self):
        self.pump.udi_di = '06901234567892'
        complaint = self._create_complaint(
            lot_id=False, udi='(01)06901234567892(21)IP300-0001')
        self.assertEqual(complaint.product_id, self.pump)
        self.assertEqual(complaint.lot_id, self.serial)
        with self.assertRaisesRegex(UserError, 'cannot be read'):
            self._create_complaint(lot_id=False, udi='(01)123')

    def test_never_deleted_and_status_by_buttons(self):
        complaint = self._create_complaint()
        with self.assertRaisesRegex(UserError, 'Cancel it instead'):
            complaint.sudo().unlink()
        with self.assertRaisesRegex(UserError, 'buttons'):
            complaint.sudo(self.user).write({'state': 'closed'})
        # The context key of the former check opens nothing.
        with self.assertRaisesRegex(UserError, 'buttons'):
            complaint.sudo(self.user).with_context(
                meddev_complaint_transition=True).write({'state': 'closed'})
        self.assertEqual(complaint.state, 'intake')

    def test_close_conditions(self):
        complaint = self._create_complaint()
        call_button(complaint.sudo(self.user), 'action_start_assessment')
        with self.assertRaisesRegex(UserError, 'reportability decision'):
            call_button(complaint.sudo(self.user), 'action_start_investigation')
        self._decide(complaint, self.china)
        call_button(complaint.sudo(self.user), 'action_start_investigation')
        with self.assertRaisesRegex(UserError, 'not submitted'):
            call_button(complaint.sudo(self.manager), 'action_close')
        report = complaint.report_ids
        report.sudo(self.regulatory).write({'reference': 'NMPA-1'})
        report.sudo(self.regulatory).action_submit()
        with self.assertRaisesRegex(UserError, 'closure note'):
            call_button(complaint.sudo(self.manager), 'action_close')
        complaint.closure_note = '已更换报警模块，回复医院'
        call_button(complaint.sudo(self.manager), 'action_close')
        self.assertEqual(complaint.state, 'closed')
        self.assertTrue(complaint.closed_date)
        self.assertGreater(complaint.handling_days, 0)

    def test_reportable_without_any_rule_cannot_close(self):
        """A complaint decided reportable whose reports no rule calls for
        any more (the outcome was corrected to no harm after the decision)
        cannot be closed: closing would bury a reportable event."""
        france = self.env.ref('base.fr')
        complaint = self._create_complaint(
            country_id=france.id, closure_note='已回复医院')
        call_button(complaint.sudo(self.user), 'action_start_assessment')
        with frozen_now('2026-03-04 09:00:00'):
            self._decide(complaint, france)
            complaint.sudo(self.regulatory).write(
                {'patient_outcome': 'no_harm'})
        self.assertEqual(complaint.report_ids.state, 'cancel')
        call_button(complaint.sudo(self.user), 'action_start_investigation')
        with self.assertRaisesRegex(UserError, 'no reporting rule applies'):
            call_button(complaint.sudo(self.manager), 'action_close')
        self.assertEqual(complaint.state, 'investigation')

    def test_cluster_alert(self):
        self.company.meddev_cluster_threshold = 3
        first = self._create_complaint(received_date='2026-03-01 08:00:00')
        second = self._create_complaint(received_date='2026-03-02 08:00:00')
        self.assertFalse(second.cluster_alert)
        self.assertFalse(first.group_event)
        # A complaint on the same lot long before does not count.
        old = self._create_complaint(received_date='2025-01-01 08:00:00')
        with frozen_now('2026-03-03 11:00:00'):
            third = self._create_complaint(user=self.service_user)
        third = third.sudo()
        self.assertTrue(third.cluster_alert)
        for complaint in (first, second, third):
            self.assertTrue(complaint.group_event)
            self.assertEqual(complaint.group_event_date,
                             '2026-03-03 11:00:00')
        self.assertIn('Cluster alert: 3 complaints', third.message_ids[0].body)
        self.assertNotIn(old.name, third.message_ids[0].body)
        self.assertFalse(old.group_event)
        todo = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', third.id)])
        self.assertEqual(todo.user_id, self.manager)
        # A fourth complaint joins the group event without a second alert.
        with frozen_now('2026-03-03 12:00:00'):
            fourth = self._create_complaint(
                received_date='2026-03-03 12:00:00',
                awareness_date='2026-03-03 12:00:00')
        self.assertTrue(fourth.group_event)
        self.assertFalse(fourth.cluster_alert)
        self.assertIn('Joins the cluster', fourth.message_ids[0].body)
        self.assertFalse(self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', fourth.id)]))
        # The 12-hour clock counts from the alert.
        self._decide(third, self.china)
        group = third.report_ids.filtered(
            lambda report: report.rule_id == self._rule('cn_group'))
        self.assertEqual(group.due_date, '2026-03-03 23:00:00')

    def test_cluster_on_the_same_product(self):
        self.company.meddev_cluster_threshold = 3
        self.company.meddev_product_cluster_threshold = 0
        lots = self.env['stock.production.lot']
        other, third_lot = [lots.create({
            'name': name, 'product_id': self.pump.id})
            for name in ('IP300-0002', 'IP300-0003')]
        first = self._create_complaint(received_date='2026-03-01 08:00:00')
        second = self._create_complaint(
            lot_id=other.id, received_date='2026-03-02 08:00:00')
        # Off (0): complaints on other lots of the product raise nothing.
        self.assertFalse(second.cluster_alert)
        self.assertFalse(first.group_event)
        self.company.meddev_product_cluster_threshold = 3
        with frozen_now('2026-03-03 11:00:00'):
            third = self._create_complaint(
                user=self.service_user, lot_id=third_lot.id)
        third = third.sudo()
        self.assertTrue(third.cluster_alert)
        for complaint in (first, second, third):
            self.assertTrue(complaint.group_event)
            self.assertEqual(complaint.group_event_date,
                             '2026-03-03 11:00:00')
        self.assertIn('Cluster alert: 3 complaints on 输液泵 IP-300',
                      third.message_ids[0].body)
        todo = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', third.id)])
        self.assertEqual(todo.user_id, self.manager)
        self.assertEqual(todo.summary, 'Group event on 输液泵 IP-300')
        # The 12-hour clock counts from the alert.
        self._decide(third, self.china)
        group = third.report_ids.filtered(
            lambda report: report.rule_id == self._rule('cn_group'))
        self.assertEqual(group.due_date, '2026-03-03 23:00:00')

    def test_cluster_when_the_lot_is_known_later(self):
        self.company.meddev_cluster_threshold = 2
        first = self._create_complaint(received_date='2026-03-01 08:00:00')
        # A mail or phone complaint: the serial is found after intake.
        second = self._create_complaint(
            lot_id=False, received_date='2026-03-02 08:00:00')
        self.assertFalse(second.cluster_alert)
        second.sudo(self.user).write({'lot_id': self.serial.id})
        self.assertTrue(second.cluster_alert)
        self.assertTrue(first.group_event)
        self.assertIn('Cluster alert: 2 complaints', second.message_ids[0].body)

    def test_several_lots_per_complaint(self):
        self.company.meddev_cluster_threshold = 2
        kit = self.env['stock.production.lot'].create({
            'name': 'SET-2603', 'product_id': self.pump.id})
        on_kit = self._create_complaint(
            lot_id=kit.id, received_date='2026-03-01 08:00:00')
        # The pump's complaint names the infusion set as another lot: the
        # two complaints make a cluster on the set.
        both = self._create_complaint(
            received_date='2026-03-02 08:00:00',
            lot_ids=[(6, 0, kit.ids)])
        self.assertTrue(both.cluster_alert)
        self.assertTrue(on_kit.group_event)
        self.assertIn('lot SET-2603', both.message_ids[0].body)
        # Each lists the other among the complaints on its lots.
        action = call_button(on_kit.sudo(self.user), 'action_view_same_lot')
        self.assertEqual(self.env['meddev.complaint'].search(
            action['domain']), both)
        # Added later by a quality user: detected as well.
        third_lot = self.env['stock.production.lot'].create({
            'name': 'SET-2604', 'product_id': self.pump.id})
        first = self._create_complaint(
            lot_id=third_lot.id, received_date='2026-03-01 09:00:00')
        later = self._create_complaint(
            lot_id=False, received_date='2026-03-02 09:00:00')
        self.assertFalse(later.cluster_alert)
        later.sudo(self.user).write({'lot_ids': [(4, third_lot.id)]})
        self.assertTrue(later.cluster_alert)
        self.assertTrue(first.group_event)

    def test_cron_warns_per_complaint_in_one_message(self):
        for xmlid in ('cn_group', 'cn_group_individual'):
            self._rule(xmlid).warning_hours = 24
        with frozen_now('2026-03-03 10:30:00'):
            # Known as a group event at intake: its clock runs from then.
            complaint = self._create_complaint(group_event=True)
            self._decide(complaint, self.china)
        reports = self.env['meddev.regulatory.report']
        # Both group-event reports (12 h and 24 h) are near their deadline.
        with frozen_now('2026-03-03 12:00:00'):
            warned, _missed = reports._cron_check_deadlines()
        group = complaint.report_ids.filtered(
            lambda report: report.event_kind == 'group')
        self.assertEqual(len(group), 2)
        self.assertEqual(warned & complaint.report_ids, group)
        todo = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', '=', complaint.id)])
        self.assertEqual(len(todo), 1)
        self.assertIn('2 reports due', todo.summary)
        # One mail to the manager for the whole batch, queued.
        mail = self.env['mail.mail'].search([
            ('recipient_ids', 'in', self.manager.partner_id.ids),
            ('subject', 'like', 'Reporting deadlines approaching')])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, 'outgoing')
        for report in group:
            self.assertIn(report.name, todo.note)
            self.assertIn(report.name, mail.body_html)


# After all modules load: auditlog patches the audited models' methods in
# its registry hook, which Odoo's runner calls only then.
@at_install(False)
@post_install(True)
class TestDeadlinePassed(MeddevQualityCapaCase):
    """A deadline that passed before the hourly cron marked it is missed
    all the same: a clock change neither moves nor cancels it (review 3,
    N8)."""

    def test_passed_deadline_not_moved_by_a_later_awareness_date(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        with frozen_now('2026-03-24 00:30:00'):
            rpc(complaint.sudo(self.regulatory), 'write', [complaint.ids, {
                'awareness_date': '2026-03-10 08:00:00',
                'clock_change_reason': '医院3月10日才告知'}])
        self.assertEqual(report.state, 'missed')
        self.assertEqual(report.due_date, '2026-03-23 23:59:59')
        self.assertEqual(complaint.report_ids, report)
        self.assertTrue(complaint.report_overdue)

    def test_passed_deadline_not_cancelled_by_a_new_decision(self):
        complaint = self._create_complaint()
        decision = self._decide(complaint, self.china)
        report = complaint.report_ids
        with frozen_now('2026-03-24 00:30:00'):
            rpc(decision.sudo(self.regulatory), 'write', [decision.ids, {
                'decision': 'not_reportable', 'rationale': '复核：非严重伤害'}])
        self.assertEqual(report.state, 'missed')
        self.assertIn('stays overdue', complaint.message_ids[0].body)

    def test_passed_deadline_not_cancelled_with_the_complaint(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        report = complaint.report_ids
        with frozen_now('2026-03-24 00:30:00'):
            complaint.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
            call_button(complaint.sudo(self.manager), 'action_cancel')
        self.assertEqual(complaint.state, 'cancel')
        self.assertEqual(report.state, 'missed')


class TestAuditLog(MeddevQualityCapaCase):

    def test_field_changes_in_audit_log(self):
        complaint = self._create_complaint()
        complaint.sudo(self.user).write(
            {'awareness_date': '2026-03-02 08:00:00'})
        lines = self.env['auditlog.log.line'].search([
            ('log_id.model_id.model', '=', 'meddev.complaint'),
            ('log_id.res_id', '=', complaint.id),
            ('log_id.method', '=', 'write'),
            ('field_id.name', '=', 'awareness_date')])
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.log_id.user_id, self.user)
        self.assertEqual(lines.new_value, '2026-03-02 08:00:00')


class TestSupplementalReports(MeddevQualityCapaCase):

    def test_new_information_starts_a_supplemental_report(self):
        complaint = self._create_complaint(country_id=self.usa.id)
        self._decide(complaint, self.usa)
        rule = self.env.ref(
            'meddev_quality_capa.reporting_rule_us_supplemental')
        self.assertNotIn(rule, complaint.report_ids.mapped('rule_id'))
        with self.assertRaises(AccessError):
            call_button(complaint.sudo(self.user), 'action_new_information')
        with frozen_now('2026-04-01 09:00:00'):
            call_button(complaint.sudo(self.regulatory),
                        'action_new_information')
        first = complaint.report_ids.filtered(
            lambda report: report.rule_id == rule)
        self.assertEqual(first.clock_start, '2026-04-01 09:00:00')
        self.assertEqual(first.due_date, '2026-05-01 23:59:59')
        first.sudo(self.regulatory).write({'reference': 'FDA-S1'})
        first.sudo(self.regulatory).action_submit()
        # More new information later: another supplemental report.
        with frozen_now('2026-06-01 09:00:00'):
            call_button(complaint.sudo(self.regulatory),
                        'action_new_information')
        second = complaint.report_ids.filtered(
            lambda report: report.rule_id == rule) - first
        self.assertEqual(second.due_date, '2026-07-01 23:59:59')
        self.assertEqual(first.state, 'submitted')

    def test_each_new_information_has_its_own_deadline(self):
        """21 CFR 803.56: a month from the receipt of each piece of
        information; a second one neither postpones the first report nor
        is swallowed by a missed one (review 3, N13)."""
        complaint = self._create_complaint(country_id=self.usa.id)
        self._decide(complaint, self.usa)
        rule = self.env.ref(
            'meddev_quality_capa.reporting_rule_us_supplemental')

        def supplemental():
            return complaint.report_ids.filtered(
                lambda report: report.rule_id == rule).sorted('id')

        regulatory = complaint.sudo(self.regulatory)
        with frozen_now('2026-04-01 09:00:00'):
            call_button(regulatory, 'action_new_information')
        first = supplemental()
        self.assertEqual(first.due_date, '2026-05-01 23:59:59')
        with frozen_now('2026-04-29 09:00:00'):
            call_button(regulatory, 'action_new_information')
        first, second = supplemental()
        self.assertEqual((first.state, first.due_date),
                         ('open', '2026-05-01 23:59:59'))
        self.assertEqual((second.clock_start, second.due_date),
                         ('2026-04-29 09:00:00', '2026-05-29 23:59:59'))
        # The first is missed by the cron, the second passes unmarked: new
        # information in June gets its own report all the same.
        with frozen_now('2026-05-02 00:00:00'):
            self.env['meddev.regulatory.report']._cron_check_deadlines()
        self.assertEqual(first.state, 'missed')
        with frozen_now('2026-06-10 09:00:00'):
            call_button(regulatory, 'action_new_information')
        first, second, third = supplemental()
        self.assertEqual((first.state, first.due_date),
                         ('missed', '2026-05-01 23:59:59'))
        self.assertEqual((second.state, second.due_date),
                         ('missed', '2026-05-29 23:59:59'))
        self.assertEqual((third.state, third.due_date),
                         ('open', '2026-07-10 23:59:59'))
