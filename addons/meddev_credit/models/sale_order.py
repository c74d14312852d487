from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = 'sale.order'

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

    @api.multi
    def action_confirm(self):
        """Confirm only orders that pass the credit gate."""
        self._check_credit_gate()
        return super(SaleOrder, self).action_confirm()

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
    # Credit gate
    # ------------------------------------------------------------------

    def _credit_amount(self, today=None):
        """Return the order's total in its company's currency."""
        self.ensure_one()
        currency = self.currency_id.with_context(
            date=today or fields.Date.context_today(self))
        if currency == self.company_id.currency_id:
            return self.amount_total
        return currency.compute(self.amount_total, self.company_id.currency_id)

    def _credit_lock_partners(self, partners):
        """Serialise the gate per customer: lock and touch the rows so that
        a concurrent check of the same customer waits for this one and then
        fails with a serialisation error (retried by Odoo), never passes on
        an outdated snapshot."""
        ids = tuple(sorted(partners.ids))
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE id IN %s ORDER BY id "
            "FOR UPDATE", (ids,))
        self.env.cr.execute(
            "UPDATE res_partner SET credit_gate_date = now() AT TIME ZONE "
            "'UTC' WHERE id IN %s", (ids,))

    def _credit_usable_override(self, amount):
        """Return the approved override that covers this order at
        ``amount``, if any."""
        self.ensure_one()
        # The requester may not read every override: the gate decides.
        overrides = self.sudo().credit_override_ids.filtered(
            lambda o: o.state == 'approved')
        return overrides.filtered(
            lambda o: self.company_id.currency_id.compare_amounts(
                amount, o.amount) <= 0)[:1]

    def _check_credit_gate(self, today=None):
        """Refuse the confirmation of orders whose customer is on hold,
        rated below the minimum, overdue beyond tolerance or over its
        limit, unless an approved override covers the order."""
        today = today or fields.Date.context_today(self)
        orders = self.filtered(lambda o: o.state in ('draft', 'sent'))
        if not orders:
            return
        partners = orders.mapped('partner_id.commercial_partner_id')
        self._credit_lock_partners(partners)
        for company in orders.mapped('company_id'):
            company_orders = orders.filtered(
                lambda o: o.company_id == company)
            figures = partners._credit_figures(company, today)
            policies = self.env['meddev.credit.policy']._policies_by_rating(
                company)
            for partner in company_orders.mapped(
                    'partner_id.commercial_partner_id').with_context(
                        force_company=company.id):
                partner_orders = company_orders.filtered(
                    lambda o: o.partner_id.commercial_partner_id == partner)
                amounts = {order.id: order._credit_amount(today)
                           for order in partner_orders}
                total = sum(amounts.values())
                problems = partner._credit_gate_problems(
                    figures[partner.id], policies.get(partner.credit_rating),
                    total, company)
                policy = policies.get(partner.credit_rating)
                for order in partner_orders:
                    term_problem = order._credit_payment_term_problem(policy)
                    if term_problem and policy.payment_term_mode == 'block':
                        raise UserError(term_problem)
                    override = order._credit_usable_override(
                        amounts[order.id])
                    if override:
                        override.sudo()._mark_used()
                    elif problems:
                        raise UserError(order._credit_refusal_message(
                            problems, figures[partner.id], total, company,
                            policy))

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

    def _credit_refusal_message(self, problems, figures, amount, company,
                                policy):
        """Return the text that explains a refusal and what to do next."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_context(
            force_company=company.id)
        currency = company.currency_id

        def money(value):
            return '%s %s' % (currency.name, '{:,.2f}'.format(value))

        lines = [_('The order %(order)s for %(partner)s cannot be confirmed:')
                 % {'order': self.name, 'partner': partner.display_name}]
        lines += ['- %s' % problem for problem in problems]
        lines += [
            '',
            _('Credit limit: %(limit)s') % {'limit': money(figures['limit'])},
            _('Open receivables: %(amount)s') % {
                'amount': money(figures['credit_receivable'])},
            _('Draft invoices: %(amount)s') % {
                'amount': money(figures['credit_draft_invoice'])},
            _('Confirmed orders not invoiced: %(amount)s') % {
                'amount': money(figures['credit_sale_order'])},
            _('Unreconciled payments: %(amount)s') % {
                'amount': money(figures['credit_unreconciled_payment'])},
            _('This order: %(amount)s') % {'amount': money(amount)},
            _('Exposure with this order: %(amount)s') % {
                'amount': money(figures['credit_exposure'] + amount)},
            _('Overdue: %(amount)s, oldest %(days)s days') % {
                'amount': money(figures['credit_overdue_amount']),
                'days': figures['credit_overdue_days']},
            '',
        ]
        if policy and not policy.allow_override:
            lines.append(_(
                'Overrides are not allowed for grade %(rating)s: collect '
                'the overdue invoices or ask a credit manager to review the '
                'customer.') % {'rating': partner.credit_rating})
        else:
            lines.append(_(
                'Next step: use "Request Credit Override" on the order to '
                'ask a credit manager for a one-off approval, or collect '
                'the overdue invoices first.'))
        return '\n'.join(lines)

    def _credit_void_raised_overrides(self):
        """Void approved overrides that no longer cover their order."""
        overrides = self.sudo().mapped('credit_override_ids').filtered(
            lambda o: o.state == 'approved')
        for override in overrides:
            order = override.order_id
            amount = order._credit_amount()
            if order.company_id.currency_id.compare_amounts(
                    amount, override.amount) > 0:
                override._void(amount)
