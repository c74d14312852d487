from odoo import _, api, fields, models

from odoo.addons.meddev_base.tools import create_values, without_keys

# States of a confirmed order: reaching one from a quotation passes the gate.
CONFIRMED_STATES = ('sale', 'done')
# Order fields whose change may raise a confirmed order's amount in its
# company's currency: its lines, and its currency (through the pricelist)
# and the date whose rate converts it.
CREDIT_AMOUNT_FIELDS = {'order_line', 'pricelist_id', 'currency_id',
                        'date_order'}
# Stored computed fields of an order that the gate reads (its amount) or
# that tell what is left to invoice: set by Odoo's recomputation only
# (meddev.credit.computed.guard).
ORDER_COMPUTED_FIELDS = ('amount_untaxed', 'amount_tax', 'amount_total',
                         'invoice_status')


class SaleOrder(models.Model):
    _inherit = ['sale.order', 'meddev.credit.computed.guard']
    _name = 'sale.order'

    _credit_computed_fields = ORDER_COMPUTED_FIELDS

    credit_override_ids = fields.One2many(
        'meddev.credit.override', 'order_id', string='Credit Overrides')
    credit_override_count = fields.Integer(
        compute='_compute_credit_override_count')

    def _compute_credit_override_count(self):
        counts = self.env['meddev.credit.override'].read_group(
            [('order_id', 'in', self.ids)], ['order_id'], ['order_id'])
        by_order = {row['order_id'][0]: row['order_id_count']
                    for row in counts}
        for order in self:
            order.credit_override_count = by_order.get(order.id, 0)

    @api.model
    def create(self, vals):
        """An order created straight into a confirmed state (XML-RPC,
        imports) passes the credit gate like a confirmation, the state
        asked in ``vals``, as the caller's ``default_state`` or as the
        user's saved default."""
        orders = self._credit_recomputed()
        orders._credit_check_computed(vals, create=True)
        state = create_values(orders, vals, ('state',)).get('state')
        if state not in CONFIRMED_STATES:
            return super(SaleOrder, orders).create(vals).with_env(self.env)
        order = super(SaleOrder, without_keys(orders, ['default_state'])) \
            .create(dict(vals, state='draft'))
        confirmed = {'state': state}
        if not order.confirmation_date:
            confirmed['confirmation_date'] = fields.Datetime.now()
        order.write(confirmed)
        return order.with_env(self.env)

    @api.multi
    def write(self, vals):
        """Every way from a quotation into a confirmed state passes the
        credit gate: the Confirm button (through _action_confirm), Lock and
        Unlock, and the state written over XML-RPC. An override stays with
        the customer and company it was approved for, and a confirmed order
        is not raised beyond what the gate allows, nor moved to a company
        whose gate refuses it."""
        orders = self._credit_recomputed()
        orders._credit_check_computed(vals)
        if vals.get('state') in CONFIRMED_STATES:
            orders._check_credit_gate()
        moved = orders._credit_moved_orders(vals)
        amounts = (orders._credit_confirmed_amounts()
                   if CREDIT_AMOUNT_FIELDS & set(vals) else {})
        # A moved order's amounts were in the old company's currency: the
        # move is checked on its own, whatever the amount.
        for order_id in moved.ids:
            amounts.pop(order_id, None)
        result = super(SaleOrder, orders).write(vals)
        if 'pricelist_id' in vals or 'currency_id' in vals:
            orders._credit_sync_line_currency()
        # A confirmed order raised through its lines, its currency or its
        # date passes the gate too; so does one moved to another company,
        # where it now counts in the exposure against that company's limit.
        orders._credit_check_raised(
            amounts, repriced=bool(set(vals) & (CREDIT_AMOUNT_FIELDS
                                                - {'order_line'})))
        if moved:
            orders.env['meddev.credit.gate']._check_moved_orders(
                moved, customer='partner_id' in vals)
        if 'partner_id' in vals or 'company_id' in vals:
            orders._credit_void_moved_overrides()
        return result

    def _credit_moved_orders(self, vals):
        """Return the confirmed orders among these that ``vals`` moves to
        another company or another customer (commercial partner): they then
        count in that one's exposure, against its limit."""
        if 'company_id' not in vals and 'partner_id' not in vals:
            return self.browse()
        customer = self.env['res.partner'].browse(
            vals.get('partner_id')).commercial_partner_id
        return self.filtered(
            lambda order: order.state in CONFIRMED_STATES and (
                ('company_id' in vals
                 and order.company_id.id != vals['company_id'])
                or ('partner_id' in vals
                    and order.partner_id.commercial_partner_id
                    != customer)))

    @api.multi
    def action_request_credit_override(self):
        """Open the override request for this order."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Request Credit Override'),
            'res_model': 'meddev.credit.override.request',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_order_id': self.id},
        }

    @api.multi
    def action_view_credit_overrides(self):
        """Open the credit overrides of this order."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_credit.meddev_credit_override_action').read()[0]
        action['domain'] = [('order_id', '=', self.id)]
        action['context'] = {}
        return action

    # ------------------------------------------------------------------
    # Credit gate (meddev.credit.gate decides)
    # ------------------------------------------------------------------

    def _check_credit_gate(self, today=None):
        """Refuse the confirmation of orders that the credit gate refuses."""
        self.env['meddev.credit.gate']._check_orders(self, today)

    def _credit_amount(self):
        """Return the order's total in its company's currency, at its
        company's rate of the order date."""
        self.ensure_one()
        company = self.company_id
        if self.currency_id == company.currency_id:
            return self.amount_total
        currency = self.currency_id.with_context(
            date=(self.date_order or fields.Datetime.now())[:10],
            company_id=company.id)
        return currency.compute(self.amount_total, company.currency_id)

    def _credit_usable_override(self, amount, today=None):
        """Return the approved, unexpired override that covers this order
        at ``amount``, if any."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        # The requester may not read every override: the gate decides.
        overrides = self.sudo().credit_override_ids.filtered(
            lambda o: o.state == 'approved' and o.expiry_date
            and o.expiry_date >= today
            and o.partner_id == self.partner_id.commercial_partner_id
            and o.company_id == self.company_id)
        return overrides.filtered(
            lambda o: self.company_id.currency_id.compare_amounts(
                amount, o.amount) <= 0)[:1]

    def _credit_payment_term_problem(self, policy):
        """Return why the order's payment term is not allowed, or ''."""
        self.ensure_one()
        if (not policy or not policy.payment_term_ids
                or not self.payment_term_id
                or self.payment_term_id in policy.payment_term_ids):
            return ''
        return _('The payment term %(term)s of %(order)s is not allowed for '
                 'customers rated %(rating)s; allowed: %(allowed)s.') % {
                     'term': self.payment_term_id.display_name,
                     'order': self.name or _('this order'),
                     'rating': policy.rating,
                     'allowed': ', '.join(
                         policy.payment_term_ids.mapped('display_name'))}

    @api.onchange('partner_id', 'payment_term_id')
    def _onchange_credit_payment_term(self):
        """Warn as soon as a payment term the grade does not allow is
        chosen."""
        company = self.company_id or self.env.user.company_id
        partner = self.partner_id.commercial_partner_id.with_context(
            force_company=company.id)
        if not partner.credit_rating:
            return {}
        policy = self.env['meddev.credit.policy']._policies_by_rating(
            company).get(partner.credit_rating)
        problem = self._credit_payment_term_problem(policy)
        if not problem:
            return {}
        return {'warning': {'title': _('Payment term'), 'message': problem}}

    def _credit_void_raised_overrides(self):
        """Void approved overrides that no longer cover their order."""
        overrides = self.sudo().mapped('credit_override_ids').filtered(
            lambda o: o.state == 'approved')
        for override in overrides:
            order = override.order_id
            amount = order._credit_amount()
            if order.company_id.currency_id.compare_amounts(
                    amount, override.amount) > 0:
                override._void(_(
                    'Order raised to %(amount).2f, above the approved '
                    '%(approved).2f.') % {'amount': amount,
                                          'approved': override.amount})

    def _credit_confirmed_amounts(self):
        """Return {order id: total in its company's currency} of the
        confirmed orders among these, to tell afterwards whether a change
        raised them: in the company's currency, because a new currency (or
        date, hence rate) raises the exposure without raising the number."""
        return {order.id: order._credit_amount() for order in self
                if order.state in CONFIRMED_STATES}

    def _credit_check_raised(self, amounts, repriced=False):
        """Refuse raising a confirmed order (lines added, quantities or
        prices increased, a dearer currency or rate: ``repriced``) beyond
        what the credit gate allows now; ``amounts`` are the totals before
        the change, in the company's currency."""
        raised = self.filtered(
            lambda order: order.id in amounts
            and order.company_id.currency_id.compare_amounts(
                order._credit_amount(), amounts[order.id]) > 0)
        if raised:
            self.env['meddev.credit.gate']._check_raised_orders(
                raised, repriced=repriced)

    def _credit_sync_line_currency(self):
        """Recompute the stored currency of the lines whose order changed
        currency (a new pricelist): Odoo 11 leaves it as it was, and the
        exposure sums the lines in that currency, which would count an
        order switched to a dearer currency at its old value."""
        # Sudo: the lines' currency is the server's figure, as the order's
        # own (a related field, computed as superuser).
        lines = self.sudo().mapped('order_line').filtered(
            lambda line: line.currency_id != line.order_id.currency_id)
        if lines:
            self.env.add_todo(lines._fields['currency_id'], lines)
            lines.recompute()

    def _credit_void_moved_overrides(self):
        """Void the pending and approved overrides of orders moved to
        another customer or company: they were decided on the figures of
        the one they were requested for."""
        overrides = self.sudo().mapped('credit_override_ids').filtered(
            lambda o: o.state in ('requested', 'approved') and (
                o.partner_id != o.order_id.partner_id.commercial_partner_id
                or o.company_id != o.order_id.company_id))
        for override in overrides:
            override._void(_(
                'Order moved to %(partner)s in %(company)s: the override '
                'was decided for %(old_partner)s in %(old_company)s.') % {
                    'partner': override.order_id.partner_id
                    .commercial_partner_id.display_name,
                    'company': override.order_id.company_id.name,
                    'old_partner': override.partner_id.display_name,
                    'old_company': override.company_id.name})
