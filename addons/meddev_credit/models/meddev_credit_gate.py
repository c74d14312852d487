from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import schedule_todo


class MeddevCreditGate(models.AbstractModel):
    """The credit check of sale order confirmation: which problems refuse
    an order, whether an approved override covers them, and the message
    that explains a refusal and the next step."""

    _name = 'meddev.credit.gate'
    _description = 'Credit Check of Sale Orders'

    @api.model
    def _check_orders(self, orders, today=None):
        """Refuse the confirmation of ``orders`` whose customer is on
        hold, rated below the minimum, overdue beyond tolerance or over
        its limit, unless an approved override covers each problem."""
        today = today or fields.Date.context_today(self)
        orders = orders.filtered(lambda o: o.state in ('draft', 'sent'))
        if not orders:
            return
        partners = orders.mapped('partner_id.commercial_partner_id')
        self._lock_partners(partners)
        exposure = self.env['meddev.credit.exposure']
        for company in orders.mapped('company_id'):
            company_orders = orders.filtered(
                lambda o: o.company_id == company)
            figures = exposure._figures(partners, company, today)
            policies = self.env['meddev.credit.policy']._policies_by_rating(
                company)
            for partner in company_orders.mapped(
                    'partner_id.commercial_partner_id').with_context(
                        force_company=company.id):
                partner_orders = company_orders.filtered(
                    lambda o: o.partner_id.commercial_partner_id == partner)
                amounts = {order.id: order._credit_amount()
                           for order in partner_orders}
                total = sum(amounts.values())
                policy = policies.get(partner.credit_rating)
                problems = self._problems(
                    partner, figures[partner.id], policy, total, company)
                for order in partner_orders:
                    self._check_order(order, partner, problems, policy,
                                      figures[partner.id], amounts[order.id],
                                      total, company, today)

    @api.model
    def _check_raised_orders(self, orders, today=None, repriced=False):
        """Refuse raising confirmed ``orders`` when their customer now has
        a problem that the gate refuses: such an order already counts in
        the exposure, and the override that let it through covered the
        amount approved, not more. ``repriced``: raised by a new currency
        or date (rate) rather than by its lines."""
        today = today or fields.Date.context_today(self)
        self._lock_partners(orders.mapped('partner_id.commercial_partner_id'))
        exposure = self.env['meddev.credit.exposure']
        for order in orders:
            company = order.company_id
            partner, figures, policy, problems = \
                self._confirmed_order_problems(order, today)
            if problems:
                raise UserError('\n'.join(
                    [_('The confirmed order %(order)s for %(partner)s cannot '
                       'be raised to %(amount)s:') % {
                           'order': order.name,
                           'partner': partner.display_name,
                           'amount': exposure._money_formatter(company)(
                               order._credit_amount())}]
                    + ['- %s' % text for __, text in problems]
                    + ['', _('Its new currency or date raises it in '
                             '%(currency)s: keep them, or enter the order as '
                             'a new quotation in the new currency: it goes '
                             'through the credit check, where a credit '
                             'manager may approve an override.') % {
                                 'currency': company.currency_id.name}
                       if repriced else
                       _('Put the additional products on a new '
                         'quotation: it goes through the credit check, '
                         'where a credit manager may approve an '
                         'override.')]))
            self._warn_overdue(order, partner, figures, policy, company,
                               raised=True)

    @api.model
    def _check_moved_orders(self, orders, today=None, customer=False):
        """Refuse moving confirmed ``orders`` to another company, or to
        another customer (``customer``), when their customer has a problem
        there that the gate refuses: they now count in that exposure,
        against that limit, and no override let them through."""
        today = today or fields.Date.context_today(self)
        # Sudo: the user may move an order to a company of theirs other than
        # the current one, where the record rules hide it from them; they
        # work in it, and may see its credit figures that the refusal gives.
        orders = orders.sudo()
        self._lock_partners(orders.mapped('partner_id.commercial_partner_id'))
        for order in orders:
            company = order.company_id
            partner, __, __, problems = self._confirmed_order_problems(
                order, today)
            if problems and customer:
                raise UserError('\n'.join(
                    [_('The confirmed order %(order)s cannot be moved to '
                       'the customer %(partner)s:') % {
                           'order': order.name,
                           'partner': partner.display_name}]
                    + ['- %s' % text for __, text in problems]
                    + ['', _('Enter the order as a new quotation for '
                             '%(partner)s: it goes through the credit check, '
                             'where a credit manager may approve an '
                             'override.') % {
                                 'partner': partner.display_name}]))
            if problems:
                raise UserError('\n'.join(
                    [_('The confirmed order %(order)s for %(partner)s cannot '
                       'be moved to %(company)s:') % {
                           'order': order.name,
                           'partner': partner.display_name,
                           'company': company.name}]
                    + ['- %s' % text for __, text in problems]
                    + ['', _('Enter the order as a new quotation in '
                             '%(company)s: it goes through the credit check '
                             'there, where a credit manager may approve an '
                             'override.') % {'company': company.name}]))

    def _confirmed_order_problems(self, order, today):
        """Return (partner, figures, policy, problems) of the confirmed
        ``order`` in its company: the order already counts in the figures,
        so no amount is added to them."""
        company = order.company_id
        partner = order.partner_id.commercial_partner_id.with_context(
            force_company=company.id)
        figures = self.env['meddev.credit.exposure']._figures(
            partner, company, today)[partner.id]
        policy = self.env['meddev.credit.policy']._policies_by_rating(
            company).get(partner.credit_rating)
        problems = self._problems(partner, figures, policy, 0.0, company)
        return partner, figures, policy, problems

    def _check_order(self, order, partner, problems, policy, figures, amount,
                     total, company, today):
        """Pass or refuse one order given its customer's problems."""
        term_problem = order._credit_payment_term_problem(policy)
        if term_problem and policy.payment_term_mode == 'block':
            raise UserError(term_problem)
        override = order._credit_usable_override(amount, today)
        uncovered = problems
        if override:
            uncovered = override._uncovered_problems(problems, partner)
        if uncovered:
            raise UserError(self._refusal_message(
                order, uncovered, figures, total, company, policy, override))
        if override:
            override.sudo()._mark_used()
        self._warn_overdue(order, partner, figures, policy, company)

    def _lock_partners(self, partners):
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

    @api.model
    def _problems(self, partner, figures, policy, amount, company):
        """Return why an order of ``amount`` (company currency) for the
        commercial ``partner`` is refused, as (code, sentence) pairs; the
        codes (hold, grade, overdue, limit) are what an override covers."""
        problems = []
        if partner.credit_hold:
            problems.append(('hold', _(
                '%(partner)s is on credit hold (%(reason)s).') % {
                    'partner': partner.display_name,
                    'reason': partner.credit_hold_reason
                    or _('no reason given')}))
        if policy and not policy.allow_sale:
            problems.append(('grade', _(
                'Its credit rating %(rating)s is below the minimum allowed '
                'for sales.') % {'rating': partner.credit_rating}))
        overdue = self._overdue_problem(partner, figures, policy, company)
        if overdue and company.credit_overdue_mode != 'warn':
            problems.append(('overdue', overdue))
        limit_problem = self._limit_problem(
            partner, figures, amount, company)
        if limit_problem:
            problems.append(('limit', limit_problem))
        return problems

    @api.model
    def _overdue_problem(self, partner, figures, policy, company):
        """Return how the customer's overdue invoices go beyond the
        tolerance of its grade (or of the company for unrated customers),
        or ''."""
        tolerance = (policy.tolerance_days if policy
                     else company.credit_default_tolerance_days)
        if figures['credit_overdue_days'] <= tolerance:
            return ''
        return _(
            'It has invoices overdue by %(days)s days, beyond the '
            'tolerance of %(tolerance)s days.') % {
                'days': figures['credit_overdue_days'],
                'tolerance': tolerance}

    def _warn_overdue(self, order, partner, figures, policy, company,
                      raised=False):
        """In a company whose overdue tolerance warns instead of refusing
        (Settings > Credit Control), record on the ``order`` confirmed (or,
        ``raised``, a confirmed order raised) that its customer is overdue
        beyond tolerance: an internal note (never sent to the customer) and
        a to-do for the credit manager."""
        if company.credit_overdue_mode != 'warn':
            return
        overdue = self._overdue_problem(partner, figures, policy, company)
        if not overdue:
            return
        values = {'partner': partner.display_name, 'problem': overdue,
                  'company': company.name}
        if raised:
            values['amount'] = self.env[
                'meddev.credit.exposure']._money_formatter(company)(
                    order._credit_amount())
            text = _('Raised to %(amount)s although %(partner)s is overdue: '
                     '%(problem)s %(company)s warns instead of refusing such '
                     'orders.') % values
            summary = _('Order raised for an overdue customer')
        else:
            text = _('Confirmed although %(partner)s is overdue: '
                     '%(problem)s %(company)s warns instead of refusing such '
                     'orders.') % values
            summary = _('Order confirmed for an overdue customer')
        order.message_post(body=html_escape(text), subtype='mail.mt_note',
                           message_type='comment')
        schedule_todo(order, company._credit_manager(), summary,
                      note=html_escape(text))

    @api.model
    def _limit_problem(self, partner, figures, amount, company):
        """Return why the order breaks the limit, or ''."""
        source = figures['limit_source']
        if source == 'unlimited':
            return ''
        limit = figures['limit']
        exposure = figures['credit_exposure'] + amount
        if company.currency_id.compare_amounts(exposure, limit) <= 0:
            return ''
        if source == 'block':
            return _(
                '%(partner)s has no credit limit in %(company)s, which gives '
                'no credit to customers without one: its exposure with this '
                'order would be %(exposure).2f. Ask a credit manager to set '
                'a limit.') % {'partner': partner.display_name,
                               'company': company.name,
                               'exposure': exposure}
        problem = _(
            'Its exposure with this order (%(exposure).2f) would exceed its '
            'credit limit (%(limit).2f) by %(excess).2f.') % {
                'exposure': exposure, 'limit': limit,
                'excess': exposure - limit}
        if source == 'default':
            problem += ' ' + _(
                'No limit is set for this customer: the default limit of '
                '%(company)s applies.') % {'company': company.name}
        return problem

    @api.model
    def _refusal_message(self, order, problems, figures, amount, company,
                         policy, override=None):
        """Return the text that explains a refusal and what to do next."""
        partner = order.partner_id.commercial_partner_id.with_context(
            force_company=company.id)
        money = self.env['meddev.credit.exposure']._money_formatter(company)
        lines = [_('The order %(order)s for %(partner)s cannot be confirmed:')
                 % {'order': order.name, 'partner': partner.display_name}]
        lines += ['- %s' % text for __, text in problems]
        if override:
            lines.append(_(
                'The approved credit override %(override)s does not cover '
                'these problems, which appeared after it was requested.')
                % {'override': override.name})
        lines += [
            '',
            _('Credit limit: %(limit)s (%(basis)s)') % {
                'limit': money(figures['limit']),
                'basis': figures['limit_basis']},
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
