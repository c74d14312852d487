from odoo.exceptions import AccessError, UserError, ValidationError

from .common import (
    MeddevQualityCapaCase, call_button, frozen_now, rpc, rpc_write)

FUTURE = '2026-09-30 00:00:00'


class TestGroupEventDate(MeddevQualityCapaCase):
    """The group event's clocks start at its date: set by the server,
    changed only by regulatory affairs with a reason, never in the
    future, tracked (review 3, N9)."""

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def test_service_user_cannot_set_group_event_date_on_create(self):
        with frozen_now('2026-03-03 11:00:00'):
            with self.assertRaisesRegex(AccessError, 'group event date'):
                self._create_complaint(
                    user=self.service_user, group_event=True,
                    group_event_date=FUTURE)
            complaints = self.env['meddev.complaint'].sudo(
                self.service_user)
            with self.assertRaisesRegex(AccessError, 'group event date'):
                rpc(complaints, 'create',
                    [{'description': 'x', 'group_event': True}],
                    {'default_group_event_date': FUTURE})
            # Marked at intake: known from the awareness date on.
            complaint = self._create_complaint(
                user=self.service_user, group_event=True)
        self.assertEqual(complaint.sudo().group_event_date,
                         '2026-03-03 10:30:00')

    def test_group_event_date_not_in_future(self):
        complaint = self._create_complaint(group_event=True)
        with frozen_now('2026-03-03 11:00:00'):
            with self.assertRaisesRegex(ValidationError, 'future'):
                rpc_write(complaint.sudo(self.regulatory), {
                    'group_event_date': FUTURE,
                    'clock_change_reason': '推迟'})
            with self.assertRaisesRegex(ValidationError, 'future'):
                self._create_complaint(
                    user=self.regulatory, group_event=True,
                    group_event_date=FUTURE, clock_change_reason='推迟')

    def test_group_event_date_moved_by_regulatory_with_reason(self):
        complaint = self._create_complaint()
        self._decide(complaint, self.china)
        # Ticking the group event (before the reports are due: abroad, no
        # group-event rule starts a clock before a decision) stamps now.
        complaint2 = self._create_complaint(patient_outcome='no_harm',
                                            country_id=self.germany.id)
        with frozen_now('2026-03-04 09:00:00'):
            rpc_write(complaint2.sudo(self.user), {'group_event': True})
        self.assertEqual(complaint2.group_event_date, '2026-03-04 09:00:00')
        # Nor clear the group event once marked (review 3, N6).
        with self.assertRaisesRegex(AccessError, 'group event date'):
            rpc_write(complaint2.sudo(self.user), {'group_event': False})
        self.assertTrue(complaint2.group_event)
        # A quality user may not move it, even before any report.
        with frozen_now('2026-03-05 09:00:00'):
            with self.assertRaisesRegex(AccessError, 'group event date'):
                rpc_write(complaint2.sudo(self.user),
                          {'group_event_date': '2026-03-05 09:00:00'})
        # Reports are due: regulatory affairs marks the group event; moving
        # its date later needs a reason, and the move is tracked.
        with frozen_now('2026-03-03 12:00:00'):
            rpc_write(complaint.sudo(self.regulatory), {'group_event': True})
        self.assertEqual(complaint.group_event_date, '2026-03-03 12:00:00')
        group = complaint.report_ids.filtered(
            lambda report: report.rule_id == self._rule('cn_group'))
        self.assertEqual(group.due_date, '2026-03-04 00:00:00')
        with frozen_now('2026-03-03 20:00:00'):
            with self.assertRaisesRegex(UserError, 'reason'):
                rpc_write(complaint.sudo(self.regulatory),
                          {'group_event_date': '2026-03-03 19:00:00'})
            rpc(complaint.sudo(self.regulatory), 'write', [complaint.ids, {
                'group_event_date': '2026-03-03 19:00:00',
                'clock_change_reason': '第二例于19时确认'}], {})
        self.assertEqual(group.due_date, '2026-03-04 07:00:00')
        tracked = complaint.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == 'group_event_date')
        self.assertIn('2026-03-03 19:00:00',
                      tracked.mapped('new_value_datetime'))

    def test_cluster_keeps_an_earlier_group_event_date(self):
        self.company.meddev_cluster_threshold = 2
        first = self._create_complaint(
            group_event=True, received_date='2026-03-02 08:00:00',
            awareness_date='2026-03-02 08:00:00')
        with frozen_now('2026-03-03 11:00:00'):
            second = self._create_complaint(user=self.service_user)
        self.assertTrue(second.sudo().cluster_alert)
        # The earlier recognition stays; the new one starts at the alert.
        self.assertEqual(first.group_event_date, '2026-03-02 08:00:00')
        self.assertEqual(second.sudo().group_event_date,
                         '2026-03-03 11:00:00')


class TestCallerSwitches(MeddevQualityCapaCase):
    """A caller's ``recompute=False`` or tracking switches do not reach
    what the server writes for it (review 3, N10): read from the
    database, not from the cache."""

    def _stored(self, table, record_id, columns):
        self.env.cr.execute('SELECT %s FROM %s WHERE id = %%s' % (
            ', '.join(columns), table), (record_id,))
        return dict(zip(columns, self.env.cr.fetchone()))

    def _assert_report_stored(self, complaint):
        # Nothing from the cache: what the database holds.
        self.env['meddev.complaint'].invalidate_cache()
        self.env.cr.execute(
            'SELECT id FROM meddev_regulatory_report WHERE complaint_id = %s',
            (complaint.id,))
        report_ids = [row[0] for row in self.env.cr.fetchall()]
        self.assertTrue(report_ids)
        for report_id in report_ids:
            stored = self._stored(
                'meddev_regulatory_report', report_id,
                ['warn_date', 'company_id', 'country_id', 'name',
                 'report_kind', 'event_kind'])
            for column, value in stored.items():
                self.assertTrue(value, '%s not stored' % column)
            self.assertEqual(stored['company_id'], self.company.id)
        stored = self._stored('meddev_complaint', complaint.id,
                              ['next_due_date'])
        self.assertTrue(stored['next_due_date'])

    def test_decision_created_with_recompute_false(self):
        complaint = self._create_complaint()
        decisions = self.env['meddev.reportability.decision'].sudo(
            self.regulatory)
        decision = rpc(decisions, 'create', [{
            'complaint_id': complaint.id, 'country_id': self.china.id,
            'decision': 'reportable'}], {'recompute': False})
        self._assert_report_stored(complaint)
        stored = self._stored('meddev_reportability_decision', decision,
                              ['company_id'])
        self.assertEqual(stored['company_id'], self.company.id)

    def test_clock_write_with_recompute_false(self):
        # A 'reportable' decision needs a rule that applies: decided on
        # the serious injury, lowered to no harm (its report cancelled),
        # then raised again by a caller saying recompute=False.
        complaint = self._create_complaint()
        with frozen_now('2026-03-04 09:00:00'):
            self._decide(complaint, self.china)
            complaint.sudo(self.regulatory).write(
                {'patient_outcome': 'no_harm'})
            self.assertEqual(complaint.report_ids.state, 'cancel')
            rpc(complaint.sudo(self.regulatory), 'write',
                [complaint.ids, {'patient_outcome': 'serious_injury'}],
                {'recompute': False})
        self.assertTrue(complaint.report_ids.filtered(
            lambda report: report.state == 'open'))
        self._assert_report_stored(complaint)

    def test_cluster_by_service_user_with_recompute_false(self):
        self.company.meddev_cluster_threshold = 2
        first = self._create_complaint(received_date='2026-03-02 08:00:00')
        with frozen_now('2026-03-03 10:45:00'):
            self._decide(first, self.china)
        before = first.report_ids
        self.assertEqual(before.event_kind, 'serious_injury')
        complaints = self.env['meddev.complaint'].sudo(self.service_user)
        with frozen_now('2026-03-03 11:00:00'):
            rpc(complaints, 'create', [{
                'partner_id': self.hospital.id, 'lot_id': self.serial.id,
                'description': '同批次再次报警失效',
                'received_date': '2026-03-03 10:30:00',
                'awareness_date': '2026-03-03 10:30:00'}],
                {'recompute': False})
        # The group event's reports fell due for the decision taken.
        self.assertIn('group', (first.report_ids - before).mapped(
            'event_kind'))
        self._assert_report_stored(first)

    def test_server_writes_tracked_whatever_the_caller_says(self):
        complaint = self._create_complaint()
        call_button(complaint.sudo(self.user).with_context(
            tracking_disable=True, mail_notrack=True), 'action_start_assessment')
        tracked = complaint.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == 'state')
        self.assertTrue(tracked)

    def test_user_writes_tracked_whatever_the_caller_says(self):
        # Review 4, N11: a user's own creates and writes keep their
        # history too (decisions, actions, investigations and change
        # records have no audit-log rule).
        switches = {'tracking_disable': True, 'mail_notrack': True,
                    'mail_create_nolog': True}
        complaint = self._create_complaint()
        rpc(complaint.sudo(self.user), 'write',
            [complaint.ids, {'closure_note': '已电话回复医院'}], switches)
        tracked = complaint.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == 'closure_note')
        self.assertTrue(tracked)
        capa_id = rpc(self.env['meddev.capa'].sudo(self.user), 'create',
                      [{'problem': '报警失灵'}], switches)
        capa = self.env['meddev.capa'].browse(capa_id)
        self.assertTrue(capa.message_ids)
        action_id = rpc(self.env['meddev.capa.action'].sudo(self.user),
                        'create', [{'capa_id': capa.id, 'name': '更换供应商',
                                    'owner_id': self.user.id,
                                    'due_date': '2026-04-30'}], switches)
        action = self.env['meddev.capa.action'].browse(action_id)
        rpc(action.sudo(self.user), 'write',
            [action.ids, {'due_date': '2026-06-30'}], switches)
        tracked = action.message_ids.mapped('tracking_value_ids').filtered(
            lambda value: value.field == 'due_date')
        self.assertTrue(tracked)


class TestReceivedDate(MeddevQualityCapaCase):
    """The received date counts the handling time and places a complaint
    in the alerts' window: not in the future, not after the awareness
    date, and after intake corrected by a quality manager with a reason
    only (review 3, N14)."""

    def test_received_date_checked(self):
        complaints = self.env['meddev.complaint'].sudo(self.user)
        values = {'partner_id': self.hospital.id, 'description': '报警失灵',
                  'awareness_date': '2026-03-03 10:30:00'}
        with frozen_now('2026-03-05 12:00:00'):
            for received in ('2026-03-06 00:00:00', '2026-03-04 00:00:00'):
                with self.assertRaisesRegex(
                        ValidationError, 'received date'), \
                        self.cr.savepoint():
                    rpc(complaints, 'create', [dict(
                        values, received_date=received)])
            # Not given: received when the company became aware, if
            # earlier than now.
            complaint = complaints.browse(rpc(complaints, 'create', [values]))
        self.assertEqual(complaint.received_date, '2026-03-03 10:30:00')

    def test_received_date_kept_after_intake(self):
        complaint = self._create_complaint(
            user=self.user, received_date='2026-03-02 09:00:00')
        # At intake, quality corrects it.
        rpc_write(complaint.sudo(self.user),
                  {'received_date': '2026-03-02 08:00:00'})
        call_button(complaint.sudo(self.manager), 'action_start_assessment')
        later = {'received_date': '2026-03-03 10:00:00',
                 'clock_change_reason': '更正'}
        for user in (self.user, self.regulatory):
            with self.assertRaisesRegex(AccessError, 'quality manager'):
                rpc_write(complaint.sudo(user), later)
        with self.assertRaisesRegex(UserError, 'reason'):
            rpc_write(complaint.sudo(self.manager),
                      {'received_date': '2026-03-03 10:00:00'})
        self.assertEqual(complaint.received_date, '2026-03-02 08:00:00')
        rpc_write(complaint.sudo(self.manager), later)
        self.assertEqual(complaint.received_date, '2026-03-03 10:00:00')
        # Moving the awareness date before it moves it along (regulatory
        # affairs, with the reason the awareness date needs).
        rpc_write(complaint.sudo(self.regulatory), {
            'awareness_date': '2026-03-01 08:00:00',
            'clock_change_reason': '销售代表3月1日已知悉'})
        self.assertEqual(complaint.received_date, '2026-03-01 08:00:00')

    def test_awareness_postponed_past_intake_only_by_regulatory(self):
        """Before any decision, an assessed complaint's awareness date is
        already the start of the legal clocks: a quality user may not move
        it later (review of issue 9, S1-5); regulatory affairs may, with a
        reason."""
        complaint = self._create_complaint(user=self.user)
        # At intake, quality still corrects it.
        rpc_write(complaint.sudo(self.user),
                  {'awareness_date': '2026-03-03 11:00:00'})
        call_button(complaint.sudo(self.manager), 'action_start_assessment')
        self.assertFalse(complaint.decision_ids)
        postponed = {'awareness_date': '2026-03-05 09:00:00',
                     'clock_change_reason': '更正'}
        with self.assertRaisesRegex(AccessError, 'regulatory affairs'):
            rpc_write(complaint.sudo(self.user), postponed)
        self.assertEqual(complaint.awareness_date, '2026-03-03 11:00:00')
        with self.assertRaisesRegex(UserError, 'reason'):
            rpc_write(complaint.sudo(self.regulatory),
                      {'awareness_date': '2026-03-05 09:00:00'})
        rpc_write(complaint.sudo(self.regulatory), postponed)
        self.assertEqual(complaint.awareness_date, '2026-03-05 09:00:00')
