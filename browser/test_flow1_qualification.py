"""Flow 1: a distributor's licence scan read by OCR, accepted, approved;
the Class III order it blocked now confirms."""
import os

from browser.harness import LANG, OUT, BrowserCase
from browser.scans import trading_licence

NEW_NUMBER = '闽食药监械经营许20260031号'
OLD_NUMBER = '闽食药监械经营许20200021号'


class Flow1Qualification(BrowserCase):

    flow = 'flow1-qualification'

    @classmethod
    def setUpClass(cls):
        super(Flow1Qualification, cls).setUpClass()
        rpc = cls.rpc
        # Quality reviews licences (no reviewer in the demo data: one is
        # made here).
        # Marc Demo, the salesperson of the demo distributors, records
        # their licences (Qualification / User, which the demo user lacks).
        cls.seller = rpc.set_user(
            'base.user_demo',
            groups=['meddev_qualification.group_meddev_qualification_user'])
        cls.reviewer = rpc.ensure_user(
            'qualification.li.browser', '李娜(资质审核)',
            ['meddev_qualification.group_meddev_qualification_reviewer',
             'sales_team.group_sale_salesman'])
        cls.order_id = rpc.ref('meddev_qualification.sale_order_kangning_demo')
        cls.product = rpc.name(
            'product.product', 'meddev_qualification.product_stent_demo')
        cls.licence_type = rpc.name(
            'meddev.licence.type', 'meddev_qualification.licence_type_operation')
        cls.scan = os.path.join(OUT, LANG, 'scans', 'kangning-opl.png')
        cls.lines, cls.valid_from, cls.valid_to = trading_licence(
            cls.scan, NEW_NUMBER, '福州康宁医疗器械有限公司',
            '91350100M000100Y43', 'Ⅲ类：06 医用成像器械，13 无源植入器械')

    def test_flow1_qualification(self):
        # The salesperson confirms the stent order: refused, and the
        # message says which product and which licence.
        self.login(self.seller)
        self.open_record('sale.order', self.order_id)
        self.step('quotation')
        self.expect_refusal()
        self.button('action_confirm')
        text = self.dialog_text()
        self.assertIn(self.product, text)
        self.assertIn(OLD_NUMBER, text)
        self.step('refused-names-product-and-licence')
        self.close_dialog()

        # The distributor sends the scan of its new trading licence: the
        # salesperson records it with the scan attached.
        self.open_action('meddev_qualification.meddev_partner_licence_action')
        self.create()
        self.set_many2one('partner_id', '福州康宁')
        self.set_many2one('licence_type_id', self.licence_type)
        self.set_char('number', NEW_NUMBER)
        self.tab_of('attachment_ids')
        upload = self.find('.o_field_widget[name="attachment_ids"] '
                           'input[type="file"]', visible=False)
        upload.send_keys(self.scan)
        self.find('.o_field_widget[name="attachment_ids"] .o_attachment, '
                  '.o_field_widget[name="attachment_ids"] a[href*="/web/content"]')
        self.step('scan-attached')
        self.save()
        licence_id = self.rpc('meddev.partner.licence', 'search',
                              [('number', '=', NEW_NUMBER)])[0]

        # OCR runs as a background job; its proposals show in the OCR tab.
        self.wait_record('meddev.partner.licence', licence_id, 'ocr_state',
                         'done', 'the OCR job to read the scan')
        self.tab_of('proposal_ids')
        proposals = '.o_field_widget[name="proposal_ids"] '
        self.find(proposals + '.o_data_row')
        self.step('ocr-proposals')
        self.assertTrue(self.buttons('action_accept', scope=proposals),
                        'no proposal to accept')
        for _attempt in range(20):
            left = len(self.buttons('action_accept', scope=proposals))
            if not left:
                break
            self.button('action_accept', scope=proposals)
            self.wait(lambda d: len(self.buttons(
                'action_accept', scope=proposals)) < left,
                'the proposal to be accepted')
        licence = self.rpc.read('meddev.partner.licence', licence_id, [
            'valid_to', 'scope_category_ids', 'credit_code'])
        self.assertEqual(licence['valid_to'], str(self.valid_to))
        self.assertEqual(licence['credit_code'], '91350100M000100Y43')
        self.assertEqual(len(licence['scope_category_ids']), 2)
        self.tab_of('scope_category_ids')
        self.step('proposals-accepted')
        self.button('action_submit')
        self.wait_record('meddev.partner.licence', licence_id, 'state',
                         'submitted', 'the licence to be submitted')
        self.step('submitted')

        # Quality approves it.
        self.login(self.reviewer)
        self.open_action('meddev_qualification.meddev_partner_licence_action_review')
        self.click_row(NEW_NUMBER)
        self.button('action_approve')
        self.wait_record('meddev.partner.licence', licence_id, 'state',
                         'approved', 'the licence to be approved')
        self.step('approved')

        # The salesperson confirms the order again: it goes through.
        self.login(self.seller)
        self.open_record('sale.order', self.order_id)
        self.button('action_confirm')
        self.wait_record('sale.order', self.order_id, 'state', 'sale',
                         'the order to be confirmed')
        self.absent('.modal.in')
        self.step('order-confirmed')
