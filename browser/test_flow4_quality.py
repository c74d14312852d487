"""Flow 4: a service ticket reveals a patient injury; it becomes a
complaint whose reporting deadline shows; a CAPA opens and names the
defective component lot; a recall launched from it traces every serial and
customer; the notices go out as jobs; the recall lines show the
acknowledgements.

The notices leave through a local mail server (SmtpSink) that the test
makes Odoo's outgoing server: the notice jobs run in the server's queue_job
runner, the mail queue's scheduled action is triggered as the cron thread
would (the test server runs none)."""
from browser.harness import TIMEOUT, BrowserCase, SmtpSink

TICKET_TITLE = '监护仪屏幕闪烁'  # demo ticket on PM9-0002 (meddev_service)


class Flow4Quality(BrowserCase):

    flow = 'flow4-quality'

    @classmethod
    def setUpClass(cls):
        super(Flow4Quality, cls).setUpClass()
        rpc = cls.rpc
        cls.dispatcher = rpc.set_user('meddev_service.res_users_dispatcher_demo')
        cls.quality = rpc.set_user('meddev_quality_capa.res_users_regulatory_demo')
        cls.manager = rpc.set_user('base.user_root', password=None)
        cls.ticket_id = rpc('meddev.service.ticket', 'search',
                            [('title', '=', TICKET_TITLE)])[0]
        cls.board_lot = 'MB2-L042'
        cls.china = rpc.name('res.country', 'base.cn')
        cls.sink = SmtpSink()
        cls.mail_server_id = cls.sink.install(rpc)

    @classmethod
    def tearDownClass(cls):
        cls.rpc('ir.mail_server', 'unlink', [cls.mail_server_id])
        cls.sink.stop()
        super(Flow4Quality, cls).tearDownClass()

    def notice_jobs(self, recall_id):
        """The notice jobs of the recall (queue.job rows)."""
        jobs = self.rpc('queue.job', 'search_read', [
            ('model_name', '=', 'meddev.recall'),
            ('method_name', '=', 'send_partner_notice')],
            fields=['state', 'record_ids', 'exc_info', 'name'])
        return [job for job in jobs if recall_id in (job['record_ids'] or [])]

    def test_flow4_quality(self):
        # The dispatcher learns that the patient was injured: the ticket
        # becomes a complaint.
        self.login(self.dispatcher)
        self.open_record('meddev.service.ticket', self.ticket_id)
        self.step('ticket')
        self.button('action_open_complaint', model='meddev.service.ticket',
                    scope='.o_form_statusbar')
        complaint_id = self.wait(lambda d: self.rpc(
            'meddev.complaint', 'search',
            [('ticket_id', '=', self.ticket_id)]), 'the complaint')[0]
        self.find('.o_form_view .o_field_widget[name="awareness_date"]')
        self.step('complaint-opened')

        # Regulatory affairs assesses it: a serious injury in China, a
        # reportable event; the reporting deadline shows.
        self.login(self.quality)
        self.open_record('meddev.complaint', complaint_id)
        self.edit()
        self.set_selection('patient_outcome', 'serious_injury')
        self.set_many2one('country_id', self.china)
        self.save()
        self.button('action_start_assessment', model='meddev.complaint',
                    scope='.o_form_statusbar')
        self.wait_record('meddev.complaint', complaint_id, 'state',
                         'assessment', 'the complaint under assessment')
        self.edit()
        self.tab_of('decision_ids')
        self.click('.o_field_widget[name="decision_ids"] '
                   '.o_field_x2many_list_row_add a')
        self.find('.modal.in .o_form_view')
        self.set_many2one('country_id', self.china, scope='.modal.in')
        self.set_selection('decision', 'reportable', scope='.modal.in')
        self.step('reportability-decision')
        self.click('.modal.in .modal-footer .btn-primary')
        self.absent('.modal.in')
        self.save()
        complaint = self.rpc.read('meddev.complaint', complaint_id,
                                  ['next_due_date'])
        self.assertTrue(complaint['next_due_date'], 'no reporting deadline')
        self.assertTrue(self.field_text('next_due_date'))
        self.step('reporting-deadline')

        # Investigation names the defective board lot: a CAPA opens.
        self.button('action_open_capa', model='meddev.complaint',
                    scope='.o_form_statusbar')
        capa_id = self.wait(lambda d: self.rpc(
            'meddev.capa', 'search',
            [('complaint_ids', 'in', [complaint_id])]), 'the CAPA')[0]
        self.find('.o_form_view')
        self.edit()
        self.tab_of('root_cause_lot_ids')
        self.set_many2many_tag('root_cause_lot_ids', self.board_lot)
        self.save()
        self.step('capa')

        # The recall manager launches the recall from the CAPA.
        self.login(self.manager, 'admin')
        self.open_record('meddev.capa', capa_id)
        self.button('action_launch_recall', model='meddev.capa',
                    scope='.o_form_statusbar')
        recall_id = self.wait(lambda d: self.rpc(
            'meddev.recall', 'search', [('capa_id', '=', capa_id)]),
            'the recall')[0]
        self.find('.o_form_view')
        self.step('recall-draft')
        self.button('action_launch', model='meddev.recall',
                    scope='.o_form_statusbar')
        # The button asks for confirmation first.
        self.click('.modal.in .modal-footer .btn-primary')
        self.wait_record('meddev.recall', recall_id, 'state', 'open',
                         'the recall to open')
        self.tab_of('line_ids')
        self.scroll_to('.o_field_widget[name="line_ids"]')
        self.find('.o_field_widget[name="line_ids"] .o_data_row')
        self.step('recall-launched')

        # Notices go out as background jobs, one per customer.
        self.button('action_send_notices', model='meddev.recall',
                    scope='.o_form_statusbar')

        def notice_jobs_done(_driver):
            jobs = self.notice_jobs(recall_id)
            failed = [job for job in jobs if job['state'] == 'failed']
            if failed:
                raise AssertionError('a notice job failed: %s\n%s' % (
                    failed[0]['name'], failed[0]['exc_info']))
            return jobs and all(job['state'] == 'done' for job in jobs)
        self.wait(notice_jobs_done, 'the notice jobs to run',
                  timeout=TIMEOUT * 3)
        lines = self.rpc('meddev.recall.line', 'search_read',
                         [('recall_id', '=', recall_id),
                          ('state', '!=', 'done')],
                         fields=['notice_status', 'partner_id'])
        self.assertTrue(lines)
        self.assertTrue(all(line['notice_status'] in ('queued', 'no_email')
                            for line in lines), lines)
        # The mail queue's scheduled action sends them (no cron thread in
        # the test server).
        self.rpc('ir.cron', 'method_direct_trigger',
                 [self.rpc.ref('mail.ir_cron_mail_scheduler_action')])
        lines = self.rpc('meddev.recall.line', 'search_read',
                         [('recall_id', '=', recall_id),
                          ('notice_status', '!=', 'no_email'),
                          ('state', '!=', 'done')],
                         fields=['notice_status', 'notice_sent_date'])
        self.assertTrue(lines, 'every customer lacks an email address')
        self.assertTrue(all(line['notice_status'] == 'sent' and
                            line['notice_sent_date'] for line in lines),
                        lines)
        self.assertTrue(self.sink.mails, 'no notice reached the mail server')
        self.reload()
        self.tab_of('line_ids')
        self.scroll_to('.o_field_widget[name="line_ids"]')
        self.step('notices-sent')

        # Customers acknowledge: the recall manager records it per line.
        # The lines' list is wider than the window: its buttons would be
        # out of sight.
        self.driver.set_window_size(1920, 800)
        self.button('action_view_lines', model='meddev.recall',
                    scope='.oe_button_box')
        # The recall's form has a list of its lines too: wait for the
        # lines' own list view.
        self.wait(lambda d: self.current_model() == 'meddev.recall.line',
                  'the recall lines list')
        self.find('.o_list_view .o_data_row')
        for _attempt in range(20):
            left = len(self.buttons(
                'action_mark_acknowledged', model='meddev.recall.line',
                scope='.o_list_view', view_type='tree'))
            if not left:
                break
            self.button('action_mark_acknowledged', model='meddev.recall.line',
                        scope='.o_list_view', view_type='tree')
            self.wait(lambda d: len(self.buttons(
                'action_mark_acknowledged', model='meddev.recall.line',
                scope='.o_list_view', view_type='tree')) < left,
                'the acknowledgement')
        lines = self.rpc('meddev.recall.line', 'search_read',
                         [('recall_id', '=', recall_id)],
                         fields=['acknowledged_date', 'notice_sent_date'])
        # Every customer notified has acknowledged (one without an email
        # address is reached another way first).
        notified = [line for line in lines if line['notice_sent_date']]
        self.assertTrue(notified, 'no notice went out')
        self.assertTrue(all(line['acknowledged_date'] for line in notified))
        self.step('acknowledged')
