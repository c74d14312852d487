from odoo.exceptions import AccessError, UserError

from .common import MeddevCapaCase, call_button, frozen_now


class TestReporting(MeddevCapaCase):
    """PDF layouts (checked as HTML: tests render without wkhtmltopdf's
    server), the dashboard figures, trends and rates."""

    @classmethod
    def setUpClass(cls):
        super(TestReporting, cls).setUpClass()
        # A company of its own keeps the figures apart from demo data.
        cls.company = cls.env['res.company'].create({
            'name': 'MedDev 仪表盘测试', 'meddev_quality_manager_id':
            cls.manager.id})
        cls.company.partner_id.tz = 'UTC'
        for user in (cls.user, cls.regulatory, cls.manager, cls.owner,
                     cls.verifier):
            user.write({'company_ids': [(4, cls.company.id)],
                        'company_id': cls.company.id})

    def _complaint(self, **vals):
        vals.setdefault('company_id', self.company.id)
        if 'received_date' in vals:
            # Known to the company when received.
            vals.setdefault('awareness_date', vals['received_date'])
        return self._create_complaint(**vals)

    def _board(self, date_from, date_to):
        return self.env['meddev.quality.dashboard'].sudo(self.user).create({
            'date_from': date_from, 'date_to': date_to,
            'company_id': self.company.id})

    def _html(self, xmlid, records):
        report = self.env.ref(xmlid)
        return report.sudo(self.user).render_qweb_html(records.ids)[0].decode()

    def test_nmpa_form_in_chinese(self):
        complaint = self._complaint()
        self._decide(complaint, self.china)
        html = self._html('meddev_quality_capa.meddev_complaint_nmpa_report',
                          complaint)
        for text in ('可疑医疗器械不良事件报告表', '严重伤害', 'IP300-0001',
                     '输液泵 IP-300', '个例不良事件', complaint.name):
            self.assertIn(text, html)

    def test_mir_and_3500a_summaries(self):
        complaint = self._complaint()
        self._decide(complaint, self.germany)
        html = self._html('meddev_quality_capa.meddev_complaint_mir_report',
                          complaint)
        for text in ('Manufacturer Incident Report', 'IP300-0001',
                     'EU: unanticipated serious deterioration'):
            self.assertIn(text, html)
        html = self._html(
            'meddev_quality_capa.meddev_complaint_3500a_report', complaint)
        for text in ('MedWatch FDA 3500A', 'IP300-0001', complaint.name):
            self.assertIn(text, html)

    def test_complaint_file_and_capa_report(self):
        complaint = self._complaint(
            closure_note='已更换报警模块并回复医院')
        self._decide(complaint, self.china)
        html = self._html('meddev_quality_capa.meddev_complaint_file_report',
                          complaint)
        for text in ('Complaint File', 'China: serious injury (20 days)',
                     '已更换报警模块并回复医院', '上海瑞金医院'):
            self.assertIn(text, html)
        action = call_button(complaint.sudo(self.user), 'action_open_capa')
        capa = self.env['meddev.capa'].browse(action['res_id'])
        capa.write({'action_ids': [(0, 0, {
            'name': '更换报警模块', 'owner_id': self.user.id,
            'due_date': '2026-04-30'})]})
        html = self._html('meddev_quality_capa.meddev_capa_report', capa)
        for text in (capa.name, '更换报警模块', complaint.name):
            self.assertIn(text, html)

    def test_trend_review_once_at_threshold(self):
        self.company.meddev_trend_threshold = 2
        self.company.meddev_cluster_threshold = 0
        first = self._complaint(received_date='2026-03-01 08:00:00')
        second = self._complaint(received_date='2026-03-02 08:00:00')
        third = self._complaint(received_date='2026-03-02 09:00:00')
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', 'in', (first | second | third).ids)])
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.res_id, second.id)
        self.assertEqual(activities.user_id, self.manager)
        self.assertIn('Trend review', activities.summary)

    def test_trend_review_opens_a_trend_capa(self):
        self.company.meddev_trend_threshold = 2
        self.company.meddev_cluster_threshold = 0
        first = self._complaint(received_date='2026-03-01 08:00:00')
        with self.assertRaisesRegex(UserError, 'raised no trend review'):
            call_button(first.sudo(self.user), 'action_open_trend_capa')
        second = self._complaint(received_date='2026-03-02 08:00:00')
        self.assertTrue(second.trend_alert)
        with self.assertRaises(AccessError):
            call_button(second.sudo(self.employee), 'action_open_trend_capa')
        action = call_button(second.sudo(self.user), 'action_open_trend_capa')
        capa = self.env['meddev.capa'].browse(action['res_id'])
        self.assertEqual(capa.source, 'trend')
        self.assertEqual(capa.product_id, self.pump)
        self.assertEqual(capa.complaint_ids, first | second)
        self.assertIn(second.name, capa.problem)
        # Clicking again shows the same CAPA, from either complaint.
        again = call_button(second.sudo(self.user), 'action_open_trend_capa')
        self.assertEqual(again['res_id'], capa.id)

    def test_trend_review_when_several_pass_the_threshold_at_once(self):
        self.company.meddev_trend_threshold = 2
        self.company.meddev_cluster_threshold = 0
        first = self._complaint(received_date='2026-03-01 08:00:00')
        # Two complaints of the same hour get their product together: the
        # count jumps from 1 to 3.
        pair = self._complaint(product_id=False, lot_id=False,
                               received_date='2026-03-02 08:00:00') | \
            self._complaint(product_id=False, lot_id=False,
                            received_date='2026-03-02 08:00:00')
        pair.sudo(self.user).write({'product_id': self.pump.id})
        activities = self.env['mail.activity'].search([
            ('res_model', '=', 'meddev.complaint'),
            ('res_id', 'in', (first | pair).ids),
            ('summary', 'like', 'Trend review')])
        self.assertEqual(len(activities), 1)
        self.assertIn(activities.res_id, pair.ids)
        with self.assertRaisesRegex(UserError, 'cannot be set'):
            first.sudo(self.user).write({'trend_alert': True})

    def test_dashboard_figures(self):
        self.company.meddev_cluster_threshold = 0
        # One report submitted within its 20 days, one after them.
        on_time = self._complaint(received_date='2026-03-01 08:00:00')
        late = self._complaint(received_date='2026-03-01 09:00:00')
        with frozen_now('2026-03-02 08:00:00'):
            self._decide(on_time, self.china)
            self._decide(late, self.china)
        for complaint, reference, when in (
                (on_time, 'NMPA-1', '2026-03-10 08:00:00'),
                (late, 'NMPA-2', '2026-04-30 08:00:00')):
            report = complaint.report_ids
            report.sudo(self.regulatory).write({'reference': reference})
            with frozen_now(when):
                report.sudo(self.regulatory).action_submit()
        self.assertEqual((on_time.report_ids.on_time,
                          late.report_ids.on_time), (True, False))
        shanghai = self.env['res.country.state'].create({
            'name': '上海市', 'code': 'QSH', 'country_id': self.china.id})
        self._complaint(received_date='2026-03-02 08:00:00',
                        state_id=shanghai.id)
        board = self._board('2026-01-01', '2026-12-31')
        self.assertEqual(board.complaint_count, 3)
        self.assertEqual(board.complaint_open, 3)
        self.assertEqual(board.report_count, 2)
        self.assertEqual(board.report_on_time_pct, 50.0)
        self.assertIn('输液泵 IP-300: 3', board.hot_spots_html)
        self.assertIn('上海市: 1', board.hot_spots_html)
        with self.assertRaises(AccessError):
            self.env['meddev.quality.dashboard'].sudo(self.employee).create(
                {'date_from': '2026-01-01', 'date_to': '2026-12-31'}
            ).complaint_count

    def test_rate_per_thousand_delivered(self):
        stock = self.env.ref('stock.stock_location_stock')
        customers = self.env.ref('stock.stock_location_customers')
        board = self.env['product.product'].create({
            'name': '血糖试纸', 'type': 'product'})
        self.env['stock.quant']._update_available_quantity(
            board, stock, 2000)
        move = self.env['stock.move'].create({
            'name': 'delivery', 'product_id': board.id,
            'product_uom': board.uom_id.id, 'product_uom_qty': 2000,
            'location_id': stock.id, 'location_dest_id': customers.id})
        move._action_confirm()
        move._action_assign()
        move.move_line_ids.qty_done = 2000
        move._action_done()
        month = move.date[:7] + '-01'
        for _index in range(3):
            self._complaint(product_id=board.id, lot_id=False,
                            received_date=move.date,
                            company_id=move.company_id.id)
        rate = self.env['meddev.complaint.rate'].search([
            ('product_id', '=', board.id), ('month', '=', month)])
        self.assertEqual(rate.complaint_count, 3)
        self.assertEqual(rate.delivered_qty, 2000)
        self.assertAlmostEqual(rate.rate, 1.5)

    def test_rate_totals_are_rates_of_the_sums(self):
        stock = self.env.ref('stock.stock_location_stock')
        customers = self.env.ref('stock.stock_location_customers')
        strips = self.env['product.product'].create({
            'name': '血糖试纸 B', 'type': 'product'})
        lancets = self.env['product.product'].create({
            'name': '采血针', 'type': 'product'})
        dates = {}
        for product, qty in ((strips, 1000), (lancets, 3000)):
            self.env['stock.quant']._update_available_quantity(
                product, stock, qty)
            move = self.env['stock.move'].create({
                'name': 'delivery', 'product_id': product.id,
                'product_uom': product.uom_id.id, 'product_uom_qty': qty,
                'location_id': stock.id, 'location_dest_id': customers.id})
            move._action_confirm()
            move._action_assign()
            move.move_line_ids.qty_done = qty
            move._action_done()
            dates[product] = move
        # 3 complaints per 1000 strips (rate 3), 3 per 3000 lancets (1).
        for product in (strips, lancets):
            for _index in range(3):
                self._complaint(product_id=product.id, lot_id=False,
                                received_date=dates[product].date,
                                company_id=dates[product].company_id.id)
        rates = self.env['meddev.complaint.rate']
        domain = [('product_id', 'in', (strips | lancets).ids)]
        by_product = dict(
            (group['product_id'][0], group['rate'])
            for group in rates.read_group(
                domain, ['rate', 'product_id'], ['product_id']))
        self.assertAlmostEqual(by_product[strips.id], 3.0)
        self.assertAlmostEqual(by_product[lancets.id], 1.0)
        # The pivot's total: 6 complaints per 4000 delivered, not the
        # maximum (3) nor the sum (4) of the rates.
        total = rates.read_group(domain, ['rate', 'complaint_count'], [])
        self.assertEqual(len(total), 1)
        self.assertAlmostEqual(total[0]['rate'], 1.5)
        self.assertEqual(total[0]['complaint_count'], 6)
        self.assertNotIn('delivered_qty', total[0])

    def test_fault_code_dimension_from_the_ticket(self):
        fault = self.env['meddev.fault.code'].create({
            'name': '报警失灵', 'code': 'ALM-02'})
        ticket = self.env['meddev.service.ticket'].create({
            'title': '报警失灵', 'partner_id': self.hospital.id,
            'lot_id': self.serial.id, 'product_id': self.pump.id,
            'fault_code_ids': [(6, 0, fault.ids)]})
        action = call_button(ticket.sudo(self.service_user),
                             'action_open_complaint')
        complaint = self.env['meddev.complaint'].browse(action['res_id'])
        self.assertEqual(complaint.fault_code_id, fault)
        groups = self.env['meddev.complaint'].read_group(
            [('id', '=', complaint.id)], ['fault_code_id'],
            ['fault_code_id'])
        self.assertEqual(groups[0]['fault_code_id'][0], fault.id)
        # The figure is the complaint's: not written by a client.
        with self.assertRaisesRegex(UserError, 'cannot be set directly'):
            complaint.sudo(self._create_user(
                'qa_manager_main', self.group_manager)).write(
                {'fault_code_id': False})

    def test_recurrence_after_closed_capa(self):
        fault = self.env['meddev.fault.code'].create({
            'name': '报警失灵', 'code': 'ALM-01'})
        first = self._complaint(
            fault_code_ids=[(6, 0, fault.ids)],
            received_date='2026-01-10 08:00:00')
        # Taken to closure through its buttons as the web client calls
        # them (owner's evidence, verifier's verdict, signatures), closed
        # on 1 February.
        capa = self._to_approval(self._capa(first))
        self._sign(self.manager, capa, 'action_request_approval_signature',
                   'approval')
        with frozen_now('2026-02-01 00:00:00'):
            self._sign(self.manager, capa,
                       'action_request_closure_signature', 'closure')
        self.assertEqual(capa.state, 'closed')
        self.assertEqual(capa.closed_date, '2026-02-01 00:00:00')
        self._complaint(fault_code_ids=[(6, 0, fault.ids)],
                        received_date='2026-03-10 08:00:00')
        # Not recurrences: another company's complaint on the same product
        # and fault, a cancelled one, one before the closure, one on
        # another fault.
        other_company = self.env['res.company'].create(
            {'name': 'MedDev 其他公司'})
        self._complaint(fault_code_ids=[(6, 0, fault.ids)],
                        received_date='2026-03-11 08:00:00',
                        company_id=other_company.id)
        cancelled = self._complaint(fault_code_ids=[(6, 0, fault.ids)],
                                    received_date='2026-03-12 08:00:00')
        cancelled.sudo(self.manager).cancel_reason = '重复投诉，已并入另一投诉'
        call_button(cancelled.sudo(self.manager), 'action_cancel')
        self._complaint(fault_code_ids=[(6, 0, fault.ids)],
                        received_date='2026-01-20 08:00:00')
        other_fault = self.env['meddev.fault.code'].create({
            'name': '屏幕闪烁', 'code': 'SCR-01'})
        self._complaint(fault_code_ids=[(6, 0, other_fault.ids)],
                        received_date='2026-03-13 08:00:00')
        board = self._board('2026-01-01', '2026-12-31')
        self.assertEqual(board.recurrence_count, 1)
        self.assertEqual(board.capa_completion_pct, 100.0)

    def test_effectiveness_pass_rate_from_verdicts_only(self):
        """The counters as the workflow leaves them: the first CAPA passed
        after a rejected approval reopened it; the second passed after
        one ineffective verdict."""
        self.company.meddev_cluster_threshold = 0
        self.company.meddev_trend_threshold = 0
        first = self._to_approval(self._capa(self._complaint()))
        call_button(first.sudo(self.manager), 'reject_tier')
        call_button(first.sudo(self.manager), 'action_reopen')
        call_button(first, 'action_check_implementation')
        call_button(first, 'action_to_verification')
        call_button(first.sudo(self.verifier), 'action_effective')
        second = self._capa(self._complaint())
        self._implement(second)
        verified = second.sudo(self.verifier)
        verified.effectiveness_note = '同批次再次投诉'
        call_button(verified, 'action_ineffective')
        call_button(second, 'action_check_implementation')
        call_button(second, 'action_to_verification')
        verified.effectiveness_note = '整改后三个月无复发'
        call_button(verified, 'action_effective')
        self.assertEqual(
            [(capa.effectiveness_result, capa.reopen_count,
              capa.ineffective_count) for capa in (first, second)],
            [('effective', 1, 0), ('effective', 1, 1)])
        self.assertEqual((first | second).mapped('company_id'), self.company)
        board = self._board('2000-01-01', '2099-12-31')
        # Two passes, one failure: 2 / 3.
        self.assertEqual(board.effectiveness_pass_pct, 66.7)
