from odoo.exceptions import AccessError, UserError

from .common import MeddevQualityCapaCase, call_button, frozen_now


class TestClusterActions(MeddevQualityCapaCase):
    """What the group-event alert starts and proposes: the 12-hour clock
    before any decision, stopping sales of the lot through the
    traceability module's quarantine, the cluster's trend report; and the
    complaint's lot buttons."""

    @classmethod
    def setUpClass(cls):
        super(TestClusterActions, cls).setUpClass()
        cls.recall_manager = cls._create_user(
            'qa_recall', cls.group_user | cls.env.ref(
                'meddev_traceability.group_meddev_traceability_manager'))
        cls.company.meddev_cluster_threshold = 3
        cls.company.meddev_product_cluster_threshold = 0

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def _cluster(self):
        first = self._create_complaint(received_date='2026-03-01 08:00:00')
        second = self._create_complaint(received_date='2026-03-02 08:00:00')
        with frozen_now('2026-03-03 11:00:00'):
            third = self._create_complaint()
        self.assertTrue(third.cluster_alert)
        return first, second, third

    def _group_reports(self, complaint):
        return complaint.sudo().report_ids.filtered(
            lambda report: report.event_kind == 'group')

    def test_cluster_alert_starts_the_12_hour_clock(self):
        first, second, third = self._cluster()
        for complaint in (first, second, third):
            dues = dict((report.rule_id, report.due_date)
                        for report in self._group_reports(complaint))
            self.assertEqual(dues, {
                self._rule('cn_group'): '2026-03-03 23:00:00',
                self._rule('cn_group_individual'): '2026-03-04 11:00:00'})
            self.assertFalse(
                self._group_reports(complaint).mapped('decision_id'))
            self.assertEqual(complaint.next_due_date, '2026-03-03 23:00:00')
        # The decision taken afterwards answers for the reports already
        # running: no second report, the same deadline.
        with frozen_now('2026-03-03 12:00:00'):
            decision = self._decide(third, self.china)
        group = self._group_reports(third)
        self.assertEqual(len(group), 2)
        self.assertEqual(group.mapped('decision_id'), decision)
        self.assertEqual(group.filtered(
            lambda r: r.rule_id == self._rule('cn_group')).due_date,
            '2026-03-03 23:00:00')
        # Judged not reportable in China (with its rationale): cancelled.
        with frozen_now('2026-03-03 12:00:00'):
            self._decide(first, self.china, decision='not_reportable',
                         rationale='同批次投诉为包装破损，无患者伤害')
        self.assertEqual(set(self._group_reports(first).mapped('state')),
                         {'cancel'})

    def test_group_event_abroad_waits_for_a_decision(self):
        complaint = self._create_complaint(
            country_id=self.germany.id, group_event=True)
        self.assertFalse(complaint.sudo().report_ids)

    def test_group_event_at_intake_starts_its_clock(self):
        with frozen_now('2026-03-03 11:00:00'):
            complaint = self._create_complaint(group_event=True)
        self.assertEqual(
            self._group_reports(complaint).mapped('rule_id'),
            self._rule('cn_group') | self._rule('cn_group_individual'))
        self.assertEqual(complaint.next_due_date, '2026-03-03 22:30:00')

    def test_stop_sales_quarantines_the_lot(self):
        self.company.recall_auto_quarantine = False
        _first, _second, third = self._cluster()
        with self.assertRaisesRegex(AccessError, 'recall managers'):
            call_button(third.sudo(self.user), 'action_stop_sales_lot')
        self.assertFalse(self.serial.recall_quarantine)
        action = call_button(third.sudo(self.recall_manager),
                             'action_stop_sales_lot')
        recall = self.env['meddev.recall'].browse(action['res_id'])
        self.assertEqual(recall.state, 'open')
        self.assertTrue(recall.quarantined)
        self.assertEqual(recall.lot_ids, self.serial)
        self.assertEqual(recall.source_ref, third.name)
        self.serial.invalidate_cache()
        self.assertTrue(self.serial.recall_quarantine)
        self.assertIn('Sales of lot IP300-0001 stopped',
                      third.sudo().message_ids[0].body)
        with self.assertRaisesRegex(UserError, 'already quarantined'):
            call_button(third.sudo(self.recall_manager),
                        'action_stop_sales_lot')

    def test_cluster_trend_lists_the_cluster(self):
        first, second, third = self._cluster()
        other = self.env['stock.production.lot'].create({
            'name': 'IP300-0002', 'product_id': self.pump.id})
        elsewhere = self._create_complaint(
            lot_id=other.id, received_date='2026-03-02 09:00:00')
        old = self._create_complaint(received_date='2025-06-01 08:00:00')
        action = call_button(third.sudo(self.user),
                             'action_view_cluster_trend')
        self.assertEqual(action['res_model'], 'meddev.complaint')
        self.assertEqual(action['views'][0][1], 'pivot')
        self.assertEqual(action['views'][0][0], self.env.ref(
            'meddev_quality_capa.meddev_complaint_cluster_view_pivot').id)
        found = self.env['meddev.complaint'].sudo(self.user).search(
            action['domain'])
        self.assertEqual(found, first | second | third)
        self.assertNotIn(elsewhere, found)
        self.assertNotIn(old, found)
        groups = self.env['meddev.complaint'].sudo(self.user).read_group(
            action['domain'], ['lot_id'], ['lot_id'])
        self.assertEqual([(g['lot_id'][0], g['lot_id_count'])
                          for g in groups], [(self.serial.id, 3)])

    def test_quarantine_proposal_drafts_a_recall(self):
        complaint = self._create_complaint()
        action = call_button(complaint.sudo(self.recall_manager),
                             'action_quarantine_lot')
        recall = self.env['meddev.recall'].browse(action['res_id'])
        self.assertEqual(recall.state, 'draft')
        self.assertEqual(recall.lot_ids, self.serial)
        self.assertEqual(recall.source_ref, complaint.name)
        no_lot = self._create_complaint(lot_id=False)
        with self.assertRaisesRegex(UserError, 'names no lot'):
            call_button(no_lot.sudo(self.recall_manager),
                        'action_quarantine_lot')

    def test_trace_and_lot_tickets_buttons(self):
        component = self.env['stock.production.lot'].create({
            'name': 'BOARD-01', 'product_id': self.env[
                'product.product'].create({'name': '主板', 'type': 'product',
                                           'tracking': 'lot'}).id})
        self.env['meddev.lot.link'].create({
            'parent_lot_id': self.serial.id,
            'child_lot_id': component.id})
        on_component = self._create_complaint(lot_id=component.id)
        action = call_button(on_component.sudo(self.recall_manager),
                             'action_trace_lot')
        lines = self.env[action['res_model']].search(action['domain'])
        self.assertIn(self.serial, lines.mapped('lot_id'))
        self.assertIn(component, lines.mapped('lot_id'))
        ticket = self.env['meddev.service.ticket'].create({
            'title': '报警失灵', 'partner_id': self.hospital.id,
            'lot_id': self.serial.id, 'product_id': self.pump.id})
        self.env['meddev.service.ticket'].create({
            'title': '其他', 'partner_id': self.hospital.id,
            'lot_id': component.id,
            'product_id': component.product_id.id})
        complaint = self._create_complaint()
        action = call_button(complaint.sudo(self.user),
                             'action_view_lot_tickets')
        self.assertEqual(
            self.env['meddev.service.ticket'].search(action['domain']),
            ticket)
