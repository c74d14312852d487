import base64
from datetime import timedelta

from odoo import api, fields, models


class MeddevQualityDemo(models.AbstractModel):
    """Builds the quality demo with dates relative to today, which XML
    records cannot do: reporting clocks running, met and missed."""

    _name = 'meddev.quality.demo'
    _description = 'Quality Demo Builder'

    def _ago(self, days):
        return fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            - timedelta(days=days))

    def _evidence(self, name):
        return self.env['ir.attachment'].create({
            'name': name, 'datas_fname': name,
            'datas': base64.b64encode(b'%PDF-1.4 demo evidence')}).ids

    @api.model
    def _build_demo(self):
        """Create the demo complaints, CAPA, change record and supplier
        action. Does nothing the second time."""
        ref = self.env.ref
        complaints = self.env['meddev.complaint']
        if complaints.search_count([('description', 'like', '【演示】')]):
            return False
        self.env.user.company_id.meddev_quality_manager_id = ref(
            'base.user_root')
        china = ref('base.cn')
        renji = ref('meddev_traceability.res_partner_hospital_a_demo')
        pumch = ref('meddev_quality_capa.res_partner_hospital_beijing_demo')
        monitor = ref('meddev_traceability.product_monitor_demo')
        serial_2 = ref('meddev_traceability.lot_monitor_0002_demo')
        serial_3 = ref('meddev_traceability.lot_monitor_0003_demo')
        decisions = self.env['meddev.reportability.decision']

        # 1. A ticket that became a complaint: serious injury in China, the
        # 20-day clock running.
        ticket = self.env['meddev.service.ticket'].create({
            'title': '监护仪血氧报警未触发',
            'partner_id': renji.id,
            'product_id': monitor.id,
            'lot_id': serial_2.id,
            'description': '【演示】ICU 护士报告：患者血氧降至 82% 时监护仪未报警，'
                           '患者出现缺氧，经抢救后转危为安。',
            'triage_adverse_event': True,
            'triage_patient_involved': True,
        })
        running = ticket.complaint_ids
        running.write({'patient_outcome': 'serious_injury',
                       'awareness_date': self._ago(3),
                       'received_date': self._ago(3)})
        decisions.create({
            'complaint_id': running.id, 'country_id': china.id,
            'q_device_involved': True, 'q_serious': True,
            'decision': 'reportable',
            'rationale': '报警失效导致患者缺氧，属严重伤害，需在 20 日内报告。'})
        running._set_state('investigation')

        # 2. Reported on time, then closed.
        on_time = complaints.create({
            'channel': 'distributor', 'partner_id': pumch.id,
            'product_id': monitor.id, 'lot_id': serial_3.id,
            'description': '【演示】经销商反馈：监护仪屏幕闪烁后黑屏，'
                           '可能导致漏报警，未造成伤害。',
            'patient_outcome': 'malfunction',
            'received_date': self._ago(40), 'awareness_date': self._ago(40),
        })
        decisions.create({
            'complaint_id': on_time.id, 'country_id': china.id,
            'q_device_involved': True, 'q_serious': True,
            'decision': 'reportable',
            'rationale': '故障若再次发生可能导致严重伤害。'})
        report = on_time.report_ids
        report.write({'reference': 'NMPA-ADR-2026-000815'})
        report.action_submit()
        # Submitted twelve days after awareness (the demo compresses time).
        report.write({'submitted_date': self._ago(28)})
        on_time._set_state('investigation')

        # 3. Overdue: decided reportable, never submitted.
        overdue = complaints.create({
            'channel': 'phone', 'partner_id': renji.id,
            'product_id': monitor.id, 'lot_id': serial_3.id,
            'description': '【演示】电话投诉：除颤同步信号延迟，患者皮肤轻度灼伤。',
            'patient_involved': True, 'patient_outcome': 'serious_injury',
            'received_date': self._ago(30), 'awareness_date': self._ago(30),
        })
        decisions.create({
            'complaint_id': overdue.id, 'country_id': china.id,
            'q_device_involved': True, 'q_serious': True,
            'decision': 'reportable', 'rationale': '皮肤灼伤属严重伤害。'})
        overdue.report_ids._mark_missed()

        # 4. A CAPA from the on-time complaint: actions done, effectiveness
        # check pending with an independent verifier; one supplier action.
        board_lot = ref('meddev_traceability.lot_board_l043_demo')
        capa = self.env['meddev.capa'].create({
            'source': 'complaint',
            'complaint_ids': [(6, 0, (on_time | running).ids)],
            'product_id': monitor.id,
            'problem': '监护仪报警及显示异常，涉及主板批次 MB2-L043。',
            'severity': '4', 'occurrence': '3',
            'containment': '冻结库存中同批次主板，通知医院加强巡视。',
            'root_cause_method': 'fishbone',
            'root_cause_category': 'material',
            'root_cause': '供应商主板蜂鸣器焊点虚焊（来料）。',
            'root_cause_lot_ids': [(6, 0, board_lot.ids)],
            'verifier_id': ref('meddev_quality_capa.res_users_verifier_demo').id,
            'effectiveness_criteria': '整改后 3 个月内同类投诉为零。',
            'effectiveness_planned_date': fields.Date.to_string(
                fields.Date.from_string(fields.Date.today())
                + timedelta(days=60)),
        })
        owner = ref('meddev_quality_capa.res_users_quality_demo')
        actions = self.env['meddev.capa.action']
        for name, kind in (('更新主板来料检验规程（增加焊点 X 光抽检）',
                            'corrective'),
                           ('报警功能出厂全检', 'preventive')):
            actions.create({
                'capa_id': capa.id, 'name': name, 'action_type': kind,
                'owner_id': owner.id,
                'due_date': fields.Date.to_string(
                    fields.Date.from_string(fields.Date.today())
                    - timedelta(days=5)),
                'attachment_ids': [(6, 0, self._evidence('证据-%s.pdf' % kind))],
            })
        capa.action_open()
        capa.action_ids.action_done()
        capa.action_to_verification()
        supplier_capa = self.env['meddev.capa'].create({
            'source': 'supplier', 'product_id': monitor.id,
            'problem': '主板批次 MB2-L043 蜂鸣器焊点虚焊。',
            'severity': '4', 'occurrence': '2',
        })
        supplier_action = actions.create({
            'capa_id': supplier_capa.id,
            'name': '供应商纠正措施：焊接工艺整改',
            'owner_id': owner.id,
            'supplier_id': ref(
                'meddev_quality_capa.res_partner_supplier_demo').id,
            'supplier_lot_ids': [(6, 0, board_lot.ids)],
            'due_date': fields.Date.to_string(
                fields.Date.from_string(fields.Date.today())
                + timedelta(days=14)),
            'description': '请提交 8D 报告、焊接工艺参数及整改后检测报告。',
        })
        supplier_action.action_send_to_supplier()

        # 5. A change record following the CAPA.
        self.env['meddev.change.record'].create({
            'title': '主板蜂鸣器焊接改为选择性波峰焊',
            'change_type': 'process',
            'product_ids': [(6, 0, monitor.ids)],
            'capa_id': capa.id,
            'description': '供应商焊接工艺变更，并增加来料 X 光抽检。',
        })
        return True
