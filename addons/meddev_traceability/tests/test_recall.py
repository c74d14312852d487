import base64

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import at_install, post_install

from odoo.addons.queue_job.job import Job

from .common import MeddevManufacturingCase


class TestRecall(MeddevManufacturingCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecall, cls).setUpClass()
        cls.picking_a = cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.level_1 = cls.env.ref('meddev_traceability.recall_level_cn_1')
        cls.level_3 = cls.env.ref('meddev_traceability.recall_level_cn_3')
        cls.recall = cls.env['meddev.recall'].sudo(cls.manager).create({
            'reason': 'Main board capacitor fails under heat.',
            'recall_level_id': cls.level_3.id,
            'source': 'capa',
            'decision_date': '2026-11-02',
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })

    def test_levels_and_deadline(self):
        self.assertEqual(
            [self.env.ref('meddev_traceability.recall_level_cn_%d' % level)
             .notice_days for level in (1, 2, 3)], [1, 3, 7])
        self.assertEqual(self.recall.notice_deadline, '2026-11-09')
        self.level_3.notice_days = 5
        self.assertEqual(self.recall.notice_deadline, '2026-11-07')
        self.assertTrue(self.recall.name.startswith('RCL/'))

    def test_launch_computes_lines(self):
        self.recall.action_launch()
        self.assertEqual(self.recall.state, 'open')
        self.assertEqual(
            set(self.recall.reached_lot_ids.mapped('name')),
            {'MB2-L042', 'MM1-A', 'PM9-0001', 'PM9-0002'})
        line = self.recall.line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(
            (line.partner_id, line.lot_id, line.picking_id,
             line.quantity_shipped, line.state),
            (self.hospital_a, self.serial, self.picking_a, 1.0, 'to_notify'))
        self.assertEqual(
            (self.recall.customer_count, self.recall.quantity_shipped,
             self.recall.progress), (1, 1.0, 0.0))

    def test_launch_through_a_cycle_takes_every_lot_and_tells(self):
        # Bad data from an old import: the board lot said to contain the
        # first serial, which contains it. The recall is not stopped.
        self._insert_link_sql(self.board_lot, self.serial)
        with self.assertRaisesRegex(UserError, 'cycle'):
            self.board_lot.sudo(self.user).trace_forward()
        self.recall.sudo(self.manager).action_launch()
        self.assertEqual(self.recall.state, 'open')
        self.assertEqual(
            set(self.recall.reached_lot_ids.mapped('name')),
            {'MB2-L042', 'MM1-A', 'PM9-0001', 'PM9-0002'})
        self.assertEqual(self.recall.line_ids.lot_id, self.serial)
        activity = self.recall.activity_ids
        self.assertEqual((len(activity), activity.user_id),
                         (1, self.manager))
        self.assertIn('PM9-0001', activity.note)
        self.assertIn('MB2-L042', activity.note)
        self.assertTrue(any('bad lot links' in message.body
                            for message in self.recall.message_ids))
        # A re-trace through the same bad links: the open to-do stands,
        # no second one.
        self.recall.sudo(self.manager).action_retrace()
        self.assertEqual(self.recall.activity_ids, activity)

    def test_launch_needs_lots_and_manager(self):
        with self.assertRaises(AccessError):
            self.recall.sudo(self.user).action_launch()
        # Refused before anything was written.
        self.assertFalse(self.recall.reached_lot_ids)
        self.assertFalse(self.recall.line_ids)
        empty = self.env['meddev.recall'].sudo(self.manager).create({
            'reason': 'Label misprint.', 'recall_level_id': self.level_3.id})
        with self.assertRaisesRegex(UserError, 'names no lot'):
            empty.action_launch()

    def test_quarantine_blocks_delivery_and_reservation(self):
        self.recall.action_launch()
        # Automatic reservation passes over the recalled serial.
        picking = self._deliver(
            self.hospital_b, [(self.serial_2, 1)], user=self.stock_user,
            validate=False)
        self.assertFalse(picking.move_line_ids)
        # Switching a reservation to the recalled serial by hand reserves
        # nothing, and delivering it is refused, naming the recall.
        spare = self._create_lot(self.monitor, 'PM9-0003')
        self._stock(spare, 1)
        picking.sudo(self.stock_user).action_assign()
        line = picking.move_line_ids
        self.assertEqual((line.lot_id, line.product_uom_qty), (spare, 1.0))
        # Picking the recalled serial by hand on the line is refused at
        # once (Odoo would swallow the reservation error), naming the
        # recall; the spare stays on the line.
        with self.assertRaisesRegex(
                UserError, 'Delivery refused: the lot PM9-0002 .* open '
                           'recall %s' % self.recall.name):
            line.sudo(self.stock_user).write({'lot_id': self.serial_2.id})
        self.assertEqual(line.lot_id, spare)
        with self.assertRaisesRegex(
                UserError, 'Reservation refused: .*PM9-0002.*%s'
                % self.recall.name):
            self.env['stock.quant'].sudo(
                self.stock_user)._update_reserved_quantity(
                    self.monitor, self.stock_location, 1,
                    lot_id=self.serial_2, strict=True)
        # Closing the recall lifts the quarantine.
        self.recall.action_close()
        line.sudo(self.stock_user).write(
            {'lot_id': self.serial_2.id, 'qty_done': 1})
        picking.sudo(self.stock_user).action_done()
        self.assertEqual(picking.state, 'done')

    def test_quarantine_blocks_consumption(self):
        self.recall.action_launch()
        spare_module = self._create_lot(self.module, 'MM1-B')
        # The recalled board lot picked by hand on the order is refused
        # when the order consumes it, naming the recall.
        with self.assertRaisesRegex(
                UserError, 'Consumption in manufacturing refused: the lot '
                           'MB2-L042 .* open recall %s' % self.recall.name):
            self._manufacture(self.module_bom, 1, [
                (spare_module, 1, [(self.board_lot, 1), (self.cable_lot, 1)]),
            ], user=self.stock_user)
        self.assertFalse(self.env['meddev.lot.link'].search(
            [('parent_lot_id', '=', spare_module.id)]))
        # Once the recall closes, the same lot may be consumed again.
        self.recall.action_close()
        production = self._manufacture(self.module_bom, 1, [
            (spare_module, 1, [(self.board_lot, 1), (self.cable_lot, 1)]),
        ], user=self.stock_user)
        self.assertEqual(production.state, 'done')
        self.assertEqual(
            sorted(spare_module.trace_backward(), key=lambda row: row[
                'lot_id']), sorted([
                    {'lot_id': self.board_lot.id, 'via_lot_id':
                     spare_module.id, 'level': 1, 'quantity': 1.0},
                    {'lot_id': self.cable_lot.id, 'via_lot_id':
                     spare_module.id, 'level': 1, 'quantity': 1.0}],
                key=lambda row: row['lot_id']))

    def test_other_lots_still_delivered(self):
        self.recall.action_launch()
        other = self._create_lot(self.monitor, 'PM9-0099')
        self._stock(other, 1)
        picking = self._deliver(
            self.hospital_b, [(other, 1)], user=self.stock_user)
        self.assertEqual(picking.state, 'done')

    def test_cancel_lifts_quarantine(self):
        self.recall.action_launch()
        self.recall.action_cancel()
        picking = self._deliver(
            self.hospital_b, [(self.serial_2, 1)], user=self.stock_user)
        self.assertEqual(picking.state, 'done')

    def test_notice_tracking_and_progress(self):
        self.recall.action_launch()
        line = self.recall.line_ids.sudo(self.manager)
        with self.assertRaisesRegex(UserError, 'Renji Hospital'):
            line.action_mark_acknowledged()
        line.action_mark_notified()
        self.assertEqual(line.state, 'notified')
        line.action_mark_acknowledged()
        self.assertEqual(line.state, 'acknowledged')
        self.assertEqual(self.recall.progress, 100.0)
        line.quantity_returned = 1
        self.assertEqual(line.state, 'done')
        self.assertEqual(self.recall.quantity_returned, 1.0)
        with self.assertRaises(AccessError):
            line.sudo(self.user).write({'quantity_returned': 0})
        self.recall.action_close()
        with self.assertRaisesRegex(UserError, 'not open'):
            line.quantity_returned = 0

    def test_cron_flags_overdue(self):
        self.recall.action_launch()
        line = self.recall.line_ids
        recalls = self.env['meddev.recall']
        # Decision 2 Nov, level III: due 9 Nov.
        recalls.with_context(tz='UTC').sudo()._cron_flag_overdue_notices()
        today = fields.Date.today()
        self.assertEqual(line.overdue, today > '2026-11-09')
        self.recall.sudo().write({'decision_date': fields.Date.today()})
        recalls._cron_flag_overdue_notices()
        self.assertFalse(line.overdue)
        self.recall.sudo().write({'decision_date': '2020-01-01'})
        flagged = recalls._cron_flag_overdue_notices()
        self.assertEqual(flagged, line)
        self.assertTrue(line.overdue)
        self.assertEqual(self.recall.overdue_count, 1)
        line.action_mark_notified()
        self.assertFalse(line.overdue)

    def test_never_deleted(self):
        self.recall.action_launch()
        for recall in (self.recall.sudo(self.manager), self.recall):
            with self.assertRaisesRegex(UserError, 'regulated record'):
                recall.unlink()
        # A draft too is kept: it is cancelled, never deleted.
        draft = self.recall.sudo(self.manager).copy()
        with self.assertRaisesRegex(
                UserError, '%s cannot be deleted: a Recall is a regulated '
                           'record' % draft.name):
            draft.unlink()
        draft.action_cancel()
        self.assertEqual(draft.state, 'cancel')
        # In the user's language.
        self.env['ir.translation'].load_module_terms(
            ['meddev_base', 'meddev_traceability'], ['zh_CN'])
        with self.assertRaisesRegex(
                UserError, '%s 不能删除：召回 是必须保存的受监管记录'
                % draft.name):
            draft.with_context(lang='zh_CN').unlink()

    def test_notices_as_jobs(self):
        self._deliver(self.hospital_b, [(self.serial_2, 1)])
        recall = self.recall
        recall.action_launch()
        self.assertEqual(recall.customer_count, 2)
        # Odoo registers job functions (and their channels) once every
        # module is loaded; Odoo's runner runs at-install tests before that.
        self.env['meddev.recall']._register_hook()
        jobs = self.env['queue.job']
        before = jobs.search([])
        # A user who may only read the recall queues nothing.
        with self.assertRaises(AccessError):
            recall.sudo(self.user).action_send_notices()
        self.assertFalse(jobs.search([]) - before)
        recall.sudo(self.manager).action_send_notices()
        queued = jobs.search([]) - before
        self.assertEqual(len(queued), 2)
        self.assertEqual(set(queued.mapped('channel')), {'root.recall'})
        self.assertFalse(recall.line_ids.filtered('notice_sent_date'))
        # What the job runner does: run each job.
        mail_id = recall.send_partner_notice(self.hospital_a.id)
        line_a = recall.line_ids.filtered(
            lambda line: line.partner_id == self.hospital_a)
        mail = self.env['mail.mail'].browse(mail_id)
        self.assertEqual(line_a.notice_mail_id, mail)
        # Queued is not sent: the line counts as notified once it leaves.
        self.assertEqual((line_a.notice_status, line_a.state),
                         ('queued', 'to_notify'))
        self._send_mails(mail)
        self.assertEqual((mail.state, line_a.notice_status, line_a.state),
                         ('sent', 'sent', 'notified'))
        self.assertTrue(line_a.notice_sent_date)
        self.assertIn('PM9-0001', mail.body_html)
        self.assertNotIn('PM9-0002', mail.body_html)
        self.assertEqual(mail.recipient_ids, self.hospital_a)
        # The letter goes with the mail (HTML under test, PDF in service).
        letter = mail.attachment_ids
        self.assertEqual(len(letter), 1)
        self.assertIn('Renji Hospital.pdf', letter.name)
        content = base64.b64decode(letter.datas).decode('utf-8')
        self.assertIn('PM9-0001', content)
        self.assertIn('Recall Notice', content)
        # Run twice, the job sends nothing more.
        self.assertFalse(recall.send_partner_notice(self.hospital_a.id))

    def test_many_notices_queued_by_one_job(self):
        # Above the threshold, the click queues one job, which queues the
        # notice of each customer: the click does not wait on thousands
        # of job records.
        self._deliver(self.hospital_b, [(self.serial_2, 1)])
        recall = self.recall
        recall.action_launch()
        self.env['meddev.recall']._register_hook()
        jobs = self.env['queue.job']
        before = jobs.search([])
        recall_class = type(self.env['meddev.recall'])
        threshold = recall_class._NOTICE_QUEUE_INLINE
        recall_class._NOTICE_QUEUE_INLINE = 1
        try:
            recall.sudo(self.manager).action_send_notices()
        finally:
            recall_class._NOTICE_QUEUE_INLINE = threshold
        dispatch = jobs.search([]) - before
        self.assertEqual(
            (len(dispatch), dispatch.method_name, dispatch.channel,
             dispatch.user_id),
            (1, '_queue_partner_notices', 'root.recall', self.manager))
        self.assertIn('2 customers', dispatch.name)
        # Nothing queued yet: the chatter does not say it is (review S3).
        bodies = recall.message_ids.mapped('body')
        self.assertTrue(any('A job will queue the recall notices to 2 '
                            'customers' in body for body in bodies))
        self.assertFalse(any('recall notices queued' in body
                             for body in bodies))
        # What the job runner does: run the job.
        Job.load(self.env, dispatch.uuid).perform()
        recall.invalidate_cache()
        self.assertIn('2 recall notices queued.', recall.message_ids[0].body)
        notices = jobs.search([]) - before - dispatch
        self.assertEqual(
            (len(notices), set(notices.mapped('method_name')),
             set(notices.mapped('channel'))),
            (2, {'send_partner_notice'}, {'root.recall'}))
        self.assertEqual(
            sorted(job.args[0] for job in notices),
            sorted((self.hospital_a | self.hospital_b).ids))

    def test_lines_xlsx(self):
        self.recall.action_launch()
        report = self.env['report.meddev_traceability.recall_lines_xlsx']
        content, kind = report.with_context(
            active_model='meddev.recall').create_xlsx_report(
                self.recall.ids, {})
        self.assertEqual(kind, 'xlsx')
        self.assertEqual(content[:2], b'PK')

    def test_summary_report(self):
        self.recall.action_launch()
        report = self.env.ref(
            'meddev_traceability.meddev_recall_summary_report')
        html = report.sudo(self.user).render_qweb_html(self.recall.ids)[0]
        html = html.decode('utf-8') if isinstance(html, bytes) else html
        for text in (self.recall.name, 'Renji Hospital', 'PM9-0001',
                     self.level_3.name):
            self.assertIn(text, html)

    def test_return_from_line(self):
        self.recall.action_launch()
        line = self.recall.line_ids.sudo(self.manager)
        action = line.action_create_return()
        ret = self.env['stock.picking'].browse(action['res_id'])
        self.assertEqual(line.return_picking_id, ret)
        # Recalled units come back into quarantine, not into stock.
        quarantine = self.env.ref(
            'meddev_traceability.stock_location_recall_quarantine')
        self.assertEqual(ret.location_dest_id, quarantine)
        self.assertEqual(ret.move_lines.product_id, self.monitor)
        # The same return is reopened, not doubled.
        self.assertEqual(line.action_create_return()['res_id'], ret.id)
        ret = ret.sudo(self.stock_user)
        if not ret.move_line_ids:
            ret.move_lines.move_line_ids = [(0, 0, {
                'product_id': self.monitor.id,
                'product_uom_id': self.monitor.uom_id.id,
                'location_id': self.customer_location.id,
                'location_dest_id': quarantine.id,
                'picking_id': ret.id})]
        ret.move_line_ids.write({'lot_id': self.serial.id, 'qty_done': 1})
        ret.action_done()
        self.assertEqual(line.quantity_returned, 1.0)
        self.assertEqual(line.state, 'done')

    def _return_from(self, partner, lot, quantity):
        """Receive back ``quantity`` of ``lot`` from ``partner`` (a
        customer return done before any recall) and return the picking."""
        picking = self.env['stock.picking'].create({
            'partner_id': partner.id,
            'picking_type_id': self.env.ref('stock.picking_type_in').id,
            'location_id': self.customer_location.id,
            'location_dest_id': self.stock_location.id,
            'move_lines': [(0, 0, {
                'name': lot.product_id.name,
                'product_id': lot.product_id.id,
                'product_uom_qty': quantity,
                'product_uom': lot.product_id.uom_id.id,
                'location_id': self.customer_location.id,
                'location_dest_id': self.stock_location.id,
            })],
        })
        picking.action_confirm()
        picking.move_line_ids.unlink()
        picking.move_lines.move_line_ids = [(0, 0, {
            'product_id': lot.product_id.id,
            'product_uom_id': lot.product_id.uom_id.id,
            'location_id': self.customer_location.id,
            'location_dest_id': self.stock_location.id,
            'picking_id': picking.id,
            'lot_id': lot.id,
            'qty_done': quantity})]
        picking.action_done()
        self.assertEqual(picking.state, 'done')
        return picking

    def test_returns_before_launch_reduce_quantity_at_customer(self):
        # Two deliveries of the board lot itself to Ruijin, then Ruijin
        # sends back 2 (set against the oldest delivery) and Renji, which
        # never had that lot, sends back nothing that counts.
        first = self._deliver(self.hospital_b, [(self.board_lot, 2)])
        second = self._deliver(self.hospital_b, [(self.board_lot, 1)])
        self._return_from(self.hospital_b, self.board_lot, 2)
        self._return_from(self.hospital_a, self.board_lot, 1)
        self.recall.action_launch()
        found = sorted(
            (line.picking_id.id, line.quantity_shipped,
             line.quantity_at_customer, line.state)
            for line in self.recall.line_ids
            if line.lot_id == self.board_lot)
        self.assertEqual(found, sorted([
            (first.id, 2.0, 0.0, 'done'),
            (second.id, 1.0, 1.0, 'to_notify')]))
        serial_line = self.recall.line_ids.filtered(
            lambda line: line.lot_id == self.serial)
        self.assertEqual(
            (serial_line.quantity_shipped, serial_line.quantity_at_customer),
            (1.0, 1.0))
        # A return after launch is the recall's own, not a prior one.
        self.assertEqual(
            self.recall.line_ids.filtered(
                lambda line: line.picking_id == second
            ).sudo()._create_return_picking().move_lines.product_uom_qty,
            1.0)
        # The fully returned delivery is neither overdue nor notified.
        returned = self.recall.line_ids.filtered(
            lambda line: line.picking_id == first)
        self.recall.sudo().write({'decision_date': '2020-01-01'})
        flagged = self.env['meddev.recall']._cron_flag_overdue_notices()
        self.assertNotIn(returned, flagged)
        self.assertEqual(len(flagged & self.recall.line_ids), 2)
        mail = self.env['mail.mail'].browse(
            self.recall.send_partner_notice(self.hospital_b.id))
        self._send_mails(mail)
        self.assertFalse(returned.notice_sent_date)
        self.assertTrue(self.recall.line_ids.filtered(
            lambda line: line.picking_id == second).notice_sent_date)

    def test_user_cannot_create_return(self):
        self.recall.action_launch()
        with self.assertRaises(AccessError):
            self.recall.line_ids.sudo(self.user).action_create_return()
        self.assertFalse(self.recall.line_ids.return_picking_id)

    def test_lot_shows_quarantine(self):
        lots = self.env['stock.production.lot'].sudo(self.stock_user)
        self.assertFalse(self.serial_2.sudo(self.stock_user).recall_quarantine)
        self.recall.action_launch()
        self.serial_2.invalidate_cache()
        self.assertTrue(self.serial_2.sudo(self.stock_user).recall_quarantine)
        self.assertEqual(
            lots.search([('recall_quarantine', '=', True),
                         ('product_id', '=', self.monitor.id)]),
            self.serial | self.serial_2)
        self.assertNotIn(
            self.serial, lots.search([('recall_quarantine', '=', False)]))
        self.recall.action_close()
        self.serial_2.invalidate_cache()
        self.assertFalse(self.serial_2.recall_quarantine)
        self.assertIn(
            self.serial, lots.search([('recall_quarantine', '=', False)]))


# After all modules load: the company created here needs their columns.
@at_install(False)
@post_install(True)
class TestRecallAccess(MeddevManufacturingCase):

    @classmethod
    def setUpClass(cls):
        super(TestRecallAccess, cls).setUpClass()
        cls._deliver(cls.hospital_a, [(cls.serial, 1)])
        cls.level_1 = cls.env.ref('meddev_traceability.recall_level_cn_1')
        cls.recall = cls.env['meddev.recall'].create({
            'reason': 'Main board capacitor fails under heat.',
            'recall_level_id': cls.level_1.id,
            'lot_ids': [(6, 0, cls.board_lot.ids)],
        })

    def test_access(self):
        self.recall.action_launch()
        recalls = self.env['meddev.recall']
        # A traceability user follows recalls but cannot run them.
        self.assertEqual(
            recalls.sudo(self.user).search([('id', '=', self.recall.id)]),
            self.recall)
        self.assertEqual(self.recall.sudo(self.user).line_count, 1)
        with self.assertRaises(AccessError):
            recalls.sudo(self.user).create({
                'reason': 'x', 'recall_level_id': self.level_1.id})
        with self.assertRaises(AccessError):
            self.recall.line_ids.sudo(self.user).action_mark_notified()
        with self.assertRaises(AccessError):
            recalls.sudo(self.employee).search([])
        with self.assertRaises(AccessError):
            self.level_1.sudo(self.user).write({'notice_days': 2})
        # Each company sees its own recalls.
        other = self.env['res.company'].create({'name': 'Recall Test Co'})
        foreign = recalls.create({
            'reason': 'x', 'recall_level_id': self.level_1.id,
            'company_id': other.id})
        with self.assertRaises(AccessError):
            foreign.sudo(self.manager).read(['name'])

    def test_zh_cn_translation(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_traceability'], ['zh_CN'])
        fields = self.env['meddev.recall'].with_context(
            lang='zh_CN').fields_get(['state', 'recall_level_id'])
        self.assertIn(('open', '进行中'), fields['state']['selection'])
        self.assertEqual(fields['recall_level_id']['string'], '级别')
        self.recall.action_launch()
        self.env['stock.production.lot'].invalidate_cache()
        with self.assertRaisesRegex(UserError, '已被进行中的召回'):
            self.env['meddev.recall'].with_context(
                lang='zh_CN')._check_lots_not_recalled(
                    self.serial, 'Delivery')
