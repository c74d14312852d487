"""Flow 2: an order over the customer's credit limit is refused with the
figures; the salesperson asks for an override, the credit manager approves
it from the activity, the order confirms."""
import re

from browser.harness import BrowserCase

CUSTOMER = 'Chengdu West China Hospital Supplies'


def digits(text):
    """The text with thousands separators removed."""
    return re.sub(r'(?<=\d)[,\u00a0 ](?=\d{3})', '', text)


class Flow2Credit(BrowserCase):

    flow = 'flow2-credit'

    @classmethod
    def setUpClass(cls):
        super(Flow2Credit, cls).setUpClass()
        rpc = cls.rpc
        # Marc Demo sells; the administrator is the company's credit
        # manager in the demo data (Credit Control / Manager).
        cls.seller = rpc.set_user('base.user_demo')
        cls.manager = rpc.set_user('base.user_root', password=None)
        cls.partner_id = rpc.ref('meddev_credit.partner_near_limit_demo')
        cls.product = rpc.name('product.product',
                               'meddev_credit.product_credit_demo')

    def test_flow2_credit(self):
        # The salesperson enters the customer's order: 4 x 5 000 on top of
        # 85 000 already confirmed, with a limit of 100 000.
        self.login(self.seller)
        self.open_action('sale.action_quotations')
        self.create()
        self.set_many2one('partner_id', CUSTOMER)
        self.click('.o_field_widget[name="order_line"] '
                   '.o_field_x2many_list_row_add a')
        row = '.o_field_widget[name="order_line"] .o_data_row.o_selected_row'
        self.set_many2one('product_id', self.product, scope=row)
        self.set_char('product_uom_qty', '4', scope=row)
        self.save()
        self.step('quotation')
        order_id = int(re.search(r'[#&]id=(\d+)',
                                 self.driver.current_url).group(1))

        # Confirm: refused, with the figures.
        self.expect_refusal()
        self.button('action_confirm')
        text = digits(self.dialog_text())
        # The figures, whatever the language: the limit, and an exposure
        # above it with the excess (exposure - limit).
        limit = self.rpc.read('res.partner', self.partner_id,
                              ['credit_limit'])['credit_limit']
        figures = [float(f) for f in re.findall(r'\d+\.\d\d', text)]
        self.assertIn(limit, figures, text)
        self.assertTrue(any(
            exposure > limit and any(abs(exposure - limit - excess) < 0.01
                                     for excess in figures)
            for exposure in figures), text)
        self.step('refused-with-figures')
        self.close_dialog()

        # The salesperson requests an override in the wizard.
        self.button('action_request_credit_override')
        self.set_char('reason', '省级招标项目，医院由招标资金在30天内付款。',
                      scope='.modal.in')
        self.step('override-request')
        self.dialog_button('action_request', 'meddev.credit.override.request')
        self.absent('.modal.in')
        self.find('.o_form_view .o_field_widget[name="state"]')
        override_id = self.rpc('meddev.credit.override', 'search', [
            ('order_id', '=', order_id)])[0]
        self.step('override-requested')

        # The credit manager finds it among their activities and approves.
        self.login(self.manager, 'admin')
        self.click('.o_mail_navbar_item > a.dropdown-toggle .fa-clock-o')
        preview = ('.o_mail_navbar_item .o_mail_channel_preview'
                   '[data-res_model="meddev.credit.override"]')
        self.find(preview)
        self.step('activity')
        self.click(preview)
        self.click('.o_kanban_view .o_kanban_record, .o_list_view .o_data_row')
        self.find('.o_form_view')
        self.step('override-to-approve')
        self.button('action_approve')
        self.wait_record('meddev.credit.override', override_id, 'state',
                         'approved', 'the override to be approved')
        self.step('override-approved')

        # The salesperson confirms the order.
        self.login(self.seller)
        self.open_record('sale.order', order_id)
        self.button('action_confirm')
        self.wait_record('sale.order', order_id, 'state', 'sale',
                         'the order to be confirmed')
        self.absent('.modal.in')
        self.step('order-confirmed')
