import re

from odoo.exceptions import AccessError, UserError

from .common import MeddevCreditFlowCase, call_button, call_kw


class TestComputedFields(MeddevCreditFlowCase):
    """The figures of orders and their lines that the exposure and the gate
    read are Odoo's (recomputation, deliveries, invoices): a salesperson
    who writes them over RPC would take their confirmed lines out of the
    exposure and pass the next order over the limit. The normal flows
    (confirm, deliver, invoice, pay) still set them."""

    @classmethod
    def setUpClass(cls):
        super(TestComputedFields, cls).setUpClass()
        cls.seller = cls._create_user(
            'computed_seller', cls.env.ref('sales_team.group_sale_salesman')
            | cls.group_user)
        cls.storekeeper = cls._create_user(
            'computed_storekeeper', cls.env.ref('stock.group_stock_user'))
        cls.biller = cls._create_user(
            'computed_biller', cls.env.ref('account.group_account_invoice')
            | cls.env.ref('sales_team.group_sale_salesman_all_leads'))
        cls.goods = cls.env['product.product'].create({
            'name': 'Infusion Set (box)', 'type': 'consu',
            'invoice_policy': 'delivery', 'taxes_id': [(6, 0, [])]})
        cls.other = cls.env['res.partner'].create({
            'name': 'Other Clinic', 'is_company': True, 'customer': True})
        # 9000 invoiced of a limit of 10000: room for 1000.
        cls._create_invoice(cls.customer, 9000.0)

    def _refused(self, records, method, *args, **kwargs):
        """Assert the call over call_kw is refused as a computed figure;
        roll back what it did; return the message."""
        with self.assertRaisesRegex(AccessError,
                                    'cannot be set directly') as refusal:
            with self.env.cr.savepoint():
                call_kw(records, method, *args, **kwargs)
        records.invalidate_cache()
        return refusal.exception.name

    def _confirmed(self, lines):
        order = call_kw(self.env['sale.order'].sudo(self.seller), 'create', {
            'partner_id': self.customer.id,
            'order_line': [(0, 0, {
                'product_id': product.id, 'product_uom_qty': quantity,
                'price_unit': price, 'tax_id': [(6, 0, [])]})
                for product, quantity, price in lines]})
        order = self.env['sale.order'].sudo(self.seller).browse(order)
        call_button(order, 'action_confirm')
        self.assertEqual(order.state, 'sale')
        return order

    def _figures_read(self):
        """Return the (model, field) pairs the credit reads: the line
        columns of the exposure's SQL and the order total the gate
        compares, with what their computations depend on, through the
        order and its lines."""
        query = self.env['meddev.credit.exposure']._sql_sale_order(
            self.company, self.today)[0]
        todo = [('sale.order.line', name)
                for name in set(re.findall(r'\bline\.(\w+)', query))]
        todo.append(('sale.order', 'amount_total'))
        seen = set()
        while todo:
            model, name = todo.pop()
            field = self.env[model]._fields.get(name)
            if (model, name) in seen or field is None:
                continue
            seen.add((model, name))
            for path in field.depends or ():
                first, _dot, rest = path.partition('.')
                hop = self.env[model]._fields.get(first)
                if not rest:
                    todo.append((model, first))
                elif hop and hop.comodel_name in ('sale.order',
                                                  'sale.order.line'):
                    todo.append((hop.comodel_name, rest.split('.')[0]))
        return seen

    def test_every_stored_figure_read_is_guarded(self):
        """The guard lists its fields (other modules' stored figures, a
        margin say, are none of the credit's business): the lists hold
        every stored computed field without an inverse that the exposure
        or the gate reads, so a column added to the SQL or to a total's
        computation cannot stay writable by a user."""
        unguarded = sorted(
            '%s.%s' % (model, name) for model, name in self._figures_read()
            if self.env[model]._fields[name].store
            and self.env[model]._fields[name].compute
            and not self.env[model]._fields[name].inverse
            and name not in self.env[model]._credit_computed_fields
            and (model, name) != ('sale.order.line', 'credit_open'))
        self.assertEqual(unguarded, [])
        # The walk reaches the figures through the order and its lines.
        self.assertLessEqual({
            ('sale.order.line', 'price_reduce_taxinc'),
            ('sale.order.line', 'price_total'),
            ('sale.order.line', 'qty_to_invoice'),
            ('sale.order.line', 'order_partner_id'),
        }, self._figures_read())

    def test_line_figures_not_written_by_the_salesperson(self):
        order = self._confirmed([(self.goods, 5, 100.0),
                                 (self.service, 2, 100.0),
                                 (self.product, 1, 100.0)])
        goods, visits, ordered = order.order_line
        self.assertTrue(goods.credit_open)
        self._refused(ordered, 'write', {'qty_to_invoice': 0})
        for vals in ({'qty_invoiced': 5},
                     {'invoice_status': 'invoiced'}, {'state': 'cancel'},
                     {'price_total': 0.0, 'price_subtotal': 0.0},
                     {'price_reduce_taxinc': 0.0},
                     {'order_partner_id': self.other.id},
                     {'currency_id': self.foreign.id},
                     {'qty_delivered': 5}):
            message = self._refused(goods, 'write', vals)
            self.assertIn(order.name, message)
        # Through the order's form (one2many commands) too.
        self._refused(order, 'write', {'order_line': [
            (1, goods.id, {'qty_invoiced': 5})]})
        self.env['ir.translation'].load_module_terms(
            ['meddev_credit'], ['zh_CN'])
        with self.assertRaisesRegex(AccessError, '不能直接设置'):
            call_kw(goods, 'write', {'state': 'cancel'},
                    context={'lang': 'zh_CN'})
        # The line still counts: a quotation beyond the room is refused.
        self.assertTrue(goods.credit_open and ordered.credit_open)
        self.assertEqual(self._figures(self.customer)['credit_sale_order'],
                         800.0)
        with self.assertRaisesRegex(UserError, 'would exceed its credit'):
            self._confirmed([(self.product, 4, 100.0)])
        # A value that changes nothing passes (a client sending the form
        # back); the delivered quantity of a service is entered by hand.
        call_kw(goods, 'write', {'qty_invoiced': 0.0, 'state': 'sale'})
        call_kw(visits, 'write', {'qty_delivered': 1})
        self.assertEqual(visits.qty_delivered, 1)

    def test_new_lines_and_orders_not_born_with_figures(self):
        order = self._confirmed([(self.goods, 5, 100.0)])
        lines = self.env['sale.order.line'].sudo(self.seller)
        vals = {'order_id': order.id, 'product_id': self.product.id,
                'product_uom_qty': 1, 'price_unit': 100.0,
                'tax_id': [(6, 0, [])]}
        self._refused(lines, 'create', dict(vals, qty_invoiced=1))
        self._refused(lines, 'create', vals,
                      context={'default_qty_to_invoice': 0.0,
                               'default_state': 'cancel'})
        self._refused(order, 'write', {'order_line': [
            (0, 0, dict(vals, invoice_status='invoiced'))]})
        # A quotation's amount is its lines': not written to pass the gate.
        quotation = self.env['sale.order'].sudo(self.seller).browse(
            call_kw(self.env['sale.order'].sudo(self.seller), 'create', {
                'partner_id': self.customer.id,
                'order_line': [(0, 0, dict(vals, order_id=False,
                                           product_uom_qty=20))]}))
        self._refused(quotation, 'write', {'amount_total': 1.0,
                                           'amount_untaxed': 1.0})
        self._refused(self.env['sale.order'].sudo(self.seller), 'create', {
            'partner_id': self.customer.id, 'amount_total': 1.0})
        self.assertEqual(quotation.amount_total, 2000.0)
        with self.assertRaisesRegex(UserError, 'would exceed its credit'):
            call_button(quotation, 'action_confirm')

    def test_confirm_deliver_invoice_and_pay_still_set_them(self):
        order = self._confirmed([(self.goods, 5, 100.0)])
        line = order.order_line
        picking = order.sudo(self.storekeeper).picking_ids
        call_button(picking, 'action_assign')
        call_kw(picking.move_lines, 'write', {'quantity_done': 5})
        call_button(picking, 'button_validate')
        self.assertEqual(picking.state, 'done')
        self.assertEqual(line.qty_delivered, 5)
        self.assertEqual(line.qty_to_invoice, 5)
        self.assertTrue(line.credit_open)
        billed = order.sudo(self.biller)
        invoice_ids = call_kw(billed, 'action_invoice_create')
        invoice = self.env['account.invoice'].sudo(self.biller).browse(
            invoice_ids)
        call_button(invoice, 'action_invoice_open')
        self.assertEqual(line.qty_invoiced, 5)
        self.assertEqual(line.invoice_status, 'invoiced')
        self.assertFalse(line.credit_open)
        payment = self.env['account.payment'].sudo(self.biller)
        payment = payment.browse(call_kw(payment, 'create', {
            'payment_type': 'inbound', 'partner_type': 'customer',
            'partner_id': self.customer.id, 'amount': 500.0,
            'journal_id': self.bank_journal.id,
            'payment_method_id': self.env.ref(
                'account.account_payment_method_manual_in').id,
            'invoice_ids': [(6, 0, invoice.ids)]}))
        call_button(payment, 'post')
        self.assertEqual(invoice.state, 'paid')
        self.assertEqual(self._figures(self.customer)['credit_exposure'],
                         9000.0)
