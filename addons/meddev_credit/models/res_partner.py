import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from odoo.addons.queue_job.job import job

from ..credit_score import (
    days_late_risk, effective_limit, grade_for_score, ratio_risk,
    usage_percent, weighted_score)
from .activity import schedule_todo
from .meddev_credit_partner_state import HOLD_ORIGINS, STATE_FIELDS
from .meddev_credit_rating_history import RATINGS

_logger = logging.getLogger(__name__)

# Only credit managers change these (checked in write, not only in views).
CREDIT_MANAGER_FIELDS = {
    'credit_hold', 'credit_hold_reason', 'credit_hold_origin',
    'credit_hold_user_id', 'credit_hold_date', 'credit_rating',
    'credit_score', 'credit_rating_date',
}
FIGURE_FIELDS = (
    'credit_receivable', 'credit_draft_invoice', 'credit_sale_order',
    'credit_unreconciled_payment', 'credit_overdue_amount',
)


class ResPartner(models.Model):
    _inherit = 'res.partner'

    # Per company: computed from meddev.credit.partner.state for the
    # current company (force_company or the user's), written through.
    credit_rating = fields.Selection(
        RATINGS, string='Credit Rating', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_rating', track_visibility='onchange')
    credit_score = fields.Float(
        string='Credit Score', digits=(5, 2), readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_rating_date = fields.Date(
        string='Rated on', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_hold = fields.Boolean(
        string='Credit Hold', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_hold', track_visibility='onchange',
        help="Orders of a customer on hold are not confirmed.")
    credit_hold_reason = fields.Char(
        string='Hold Reason', copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        track_visibility='onchange')
    credit_hold_origin = fields.Selection(
        HOLD_ORIGINS, string='Hold Origin', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state',
        search='_search_credit_hold_origin',
        help="Automatic holds are lifted by the rating job once their "
             "cause is gone; manual holds only by a credit manager.")
    credit_hold_user_id = fields.Many2one(
        'res.users', string='Hold Set by', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_hold_date = fields.Datetime(
        string='Hold Changed on', readonly=True, copy=False,
        compute='_compute_credit_state', inverse='_inverse_credit_state')
    credit_state_ids = fields.One2many(
        'meddev.credit.partner.state', 'partner_id',
        string='Credit State per Company')
    credit_currency_id = fields.Many2one(
        'res.currency', string='Credit Currency',
        compute='_compute_credit_figures')
    credit_receivable = fields.Monetary(
        string='Open Receivables', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Unpaid posted customer invoices net of unpaid credit notes.")
    credit_draft_invoice = fields.Monetary(
        string='Draft Invoices', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_sale_order = fields.Monetary(
        string='Orders Not Invoiced', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Confirmed sale orders' amount still to invoice.")
    credit_unreconciled_payment = fields.Monetary(
        string='Unreconciled Payments', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="Money received and posted but not yet matched to an "
             "invoice (negative: it reduces the exposure).")
    credit_exposure = fields.Monetary(
        string='Credit Exposure', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_effective_limit = fields.Monetary(
        string='Effective Limit', currency_field='credit_currency_id',
        compute='_compute_credit_figures',
        help="The credit limit after the grade's multiplier and cap.")
    credit_available = fields.Monetary(
        string='Available Credit', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_usage = fields.Float(
        string='Limit Used (%)', digits=(6, 2),
        compute='_compute_credit_figures', search='_search_credit_usage')
    credit_overdue_amount = fields.Monetary(
        string='Overdue', currency_field='credit_currency_id',
        compute='_compute_credit_figures')
    credit_overdue_days = fields.Integer(
        string='Oldest Overdue (days)', compute='_compute_credit_figures')
    credit_gate_date = fields.Datetime(
        string='Last Credit Check', readonly=True, copy=False,
        help="Written by the confirmation gate so that two confirmations "
             "for one customer serialise.")
    credit_override_ids = fields.One2many(
        'meddev.credit.override', 'partner_id', string='Credit Overrides')
    credit_override_count = fields.Integer(
        compute='_compute_credit_override_count')
    credit_rating_history_ids = fields.One2many(
        'meddev.credit.rating.history', 'partner_id',
        string='Rating History')

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _credit_company(self):
        """Return the company whose figures are shown."""
        company_id = self.env.context.get('force_company')
        if company_id:
            return self.env['res.company'].browse(company_id)
        return self.env.user.company_id

    def _credit_states(self, company):
        """Return {partner id: its credit state row in ``company``}."""
        # Rating and hold are not secret to whoever reads the partner: the
        # gate and the figures need them for any user.
        states = self.env['meddev.credit.partner.state'].sudo().search([
            ('partner_id', 'in', self.ids),
            ('company_id', '=', company.id)])
        return {state.partner_id.id: state for state in states}

    def _compute_credit_state(self):
        states = self._credit_states(self._credit_company())
        for partner in self:
            state = states.get(partner.id)
            for name, state_name in STATE_FIELDS.items():
                partner[name] = state[state_name] if state else False

    def _inverse_credit_state(self):
        # The fields share one compute: reading one that is not being
        # written would recompute (and overwrite) those that are. Write
        # only the fields being written, which the ORM protects.
        company = self._credit_company()
        states = self._credit_states(company)
        for partner in self:
            vals = {}
            for name, state_name in STATE_FIELDS.items():
                if partner not in self.env.protected(self._fields[name]):
                    continue
                value = partner[name]
                vals[state_name] = value.id if isinstance(
                    value, models.BaseModel) else value
            state = states.get(partner.id)
            if state:
                changed = {
                    key: value for key, value in vals.items()
                    if (state[key].id if isinstance(
                        state[key], models.BaseModel) else state[key])
                    != value}
                if changed:
                    state.write(changed)
            elif any(vals.values()):
                vals.update(partner_id=partner.id, company_id=company.id)
                # write() let only credit managers set these values.
                states[partner.id] = self.env[
                    'meddev.credit.partner.state'].sudo().create(vals)

    def _search_credit_rating(self, operator, value):
        return self._credit_state_domain('rating', operator, value)

    def _search_credit_hold(self, operator, value):
        return self._credit_state_domain('hold', operator, value)

    def _search_credit_hold_origin(self, operator, value):
        return self._credit_state_domain('hold_origin', operator, value)

    def _credit_state_domain(self, state_field, operator, value):
        """Translate a search on a per-company field into partner ids:
        one query on the states of the current company; partners without
        a state count as having no rating and no hold."""
        states = self.env['meddev.credit.partner.state'].sudo()
        company = self._credit_company()
        matching = states.search([('company_id', '=', company.id),
                                  (state_field, operator, value)])
        domain = [('id', 'in', matching.mapped('partner_id').ids)]
        if self._credit_empty_matches(operator, value):
            known = states.search([('company_id', '=', company.id)])
            domain = ['|', ('id', 'not in', known.mapped('partner_id').ids)
                      ] + domain
        return domain

    @api.model
    def _credit_empty_matches(self, operator, value):
        """Whether an empty value (no state yet) satisfies the search."""
        if operator in ('=', '=='):
            return not value
        if operator in ('!=', '<>'):
            return bool(value)
        if operator == 'in':
            return any(not item for item in value)
        if operator == 'not in':
            return all(item for item in value)
        return False

    def _compute_credit_figures(self):
        company = self._credit_company()
        figures = self._credit_figures(company)
        for partner in self:
            values = figures[partner.commercial_partner_id.id]
            partner.credit_currency_id = company.currency_id
            for name in FIGURE_FIELDS:
                partner[name] = values[name]
            partner.credit_exposure = values['credit_exposure']
            partner.credit_overdue_days = values['credit_overdue_days']
            partner.credit_effective_limit = values['limit']
            partner.credit_available = values['limit'] - values[
                'credit_exposure']
            partner.credit_usage = usage_percent(
                values['credit_exposure'], values['limit'])

    def _compute_credit_override_count(self):
        counts = self.env['meddev.credit.override'].read_group(
            [('partner_id', 'in', self.ids)], ['partner_id'], ['partner_id'])
        by_partner = {row['partner_id'][0]: row['partner_id_count']
                      for row in counts}
        for partner in self:
            partner.credit_override_count = by_partner.get(partner.id, 0)

    def _search_credit_usage(self, operator, value):
        """Search customers by the share of their limit in use."""
        if operator not in ('>=', '>', '<', '<='):
            raise UserError(
                _('Limit usage can only be compared with >, >=, < or <=.'))
        candidates = self.search([('credit_limit', '>', 0)]).filtered(
            lambda partner: partner.commercial_partner_id == partner)
        matching = []
        for partner in candidates:
            usage = partner.credit_usage
            if ((operator == '>=' and usage >= value)
                    or (operator == '>' and usage > value)
                    or (operator == '<' and usage < value)
                    or (operator == '<=' and usage <= value)):
                matching.append(partner.id)
        return [('id', 'in', matching)]

    @api.model
    def _credit_exposure_queries(self):
        """Return the exposure buckets as (figure name, query method);
        each method returns {commercial partner id: amount} in company
        currency. Extend to add a bucket."""
        return [
            ('credit_receivable', self._credit_query_receivable),
            ('credit_draft_invoice', self._credit_query_draft_invoice),
            ('credit_sale_order', self._credit_query_sale_order),
            ('credit_unreconciled_payment',
             self._credit_query_unreconciled_payment),
        ]

    def _credit_figures(self, company, today=None):
        """Return {commercial partner id: figures} for the commercial
        partners of ``self`` in ``company``: each bucket, the exposure, the
        effective limit, the overdue amount and the age of the oldest
        overdue item. A fixed number of queries whatever the history."""
        today = today or fields.Date.context_today(self)
        commercials = self.mapped('commercial_partner_id').with_context(
            force_company=company.id)
        figures = {}
        for partner in commercials:
            figures[partner.id] = dict.fromkeys(
                FIGURE_FIELDS + ('credit_exposure',), 0.0)
            figures[partner.id]['credit_overdue_days'] = 0
        if not commercials:
            return figures
        ids = tuple(commercials.ids)
        buckets = self._credit_exposure_queries()
        for name, query in buckets:
            for partner_id, amount in query(ids, company, today).items():
                figures[partner_id][name] = amount
                figures[partner_id]['credit_exposure'] += amount
        for partner_id, (amount, days) in self._credit_query_overdue(
                ids, company, today).items():
            figures[partner_id]['credit_overdue_amount'] = amount
            figures[partner_id]['credit_overdue_days'] = days
        policies = self.env['meddev.credit.policy']._policies_by_rating(
            company)
        for partner in commercials:
            policy = policies.get(partner.credit_rating)
            figures[partner.id]['limit'] = effective_limit(
                partner.credit_limit,
                policy.limit_multiplier if policy else 1.0,
                policy.limit_cap if policy else 0.0)
        return figures

    def _credit_query_receivable(self, partner_ids, company, today):
        """Posted unpaid customer invoices net of unpaid credit notes."""
        self.env.cr.execute("""
            SELECT commercial_partner_id, SUM(residual_company_signed)
              FROM account_invoice
             WHERE commercial_partner_id IN %s AND company_id = %s
               AND state = 'open' AND type IN ('out_invoice', 'out_refund')
             GROUP BY commercial_partner_id
        """, (partner_ids, company.id))
        return dict(self.env.cr.fetchall())

    def _credit_query_draft_invoice(self, partner_ids, company, today):
        """Draft customer invoices, credit notes deducted."""
        self.env.cr.execute("""
            SELECT commercial_partner_id, SUM(amount_total_company_signed)
              FROM account_invoice
             WHERE commercial_partner_id IN %s AND company_id = %s
               AND state = 'draft' AND type IN ('out_invoice', 'out_refund')
             GROUP BY commercial_partner_id
        """, (partner_ids, company.id))
        return dict(self.env.cr.fetchall())

    def _credit_query_sale_order(self, partner_ids, company, today):
        """Confirmed orders' amount still to invoice, tax included.

        The base quantity is the ordered one, or the delivered one when a
        product invoiced on delivery was delivered beyond the order; what
        is already invoiced (draft invoices included) is deducted, since
        those invoices are counted in their own buckets.
        """
        self.env.cr.execute("""
            SELECT partner.commercial_partner_id, line.currency_id,
                   SUM(line.price_reduce_taxinc * GREATEST(
                       CASE WHEN tmpl.invoice_policy = 'delivery'
                            THEN GREATEST(line.product_uom_qty,
                                          line.qty_delivered)
                            ELSE line.product_uom_qty END
                       - line.qty_invoiced, 0))
              FROM sale_order_line line
              JOIN sale_order so ON so.id = line.order_id
              JOIN res_partner partner ON partner.id = so.partner_id
              LEFT JOIN product_product product
                     ON product.id = line.product_id
              LEFT JOIN product_template tmpl
                     ON tmpl.id = product.product_tmpl_id
             WHERE partner.commercial_partner_id IN %s
               AND so.company_id = %s AND so.state IN ('sale', 'done')
             GROUP BY partner.commercial_partner_id, line.currency_id
        """, (partner_ids, company.id))
        return self._credit_in_company_currency(
            self.env.cr.fetchall(), company, today)

    def _credit_query_unreconciled_payment(self, partner_ids, company,
                                           today):
        """Posted credits on receivable accounts not yet matched, as a
        negative amount: payments received ahead of their invoice or
        beyond it. Credit notes are left out (the receivable bucket counts
        them); a payment once reconciled leaves this bucket as the
        invoice's residual drops, so nothing is counted twice."""
        self.env.cr.execute("""
            SELECT partner.commercial_partner_id, SUM(line.amount_residual)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE partner.commercial_partner_id IN %s
               AND line.company_id = %s
               AND account.internal_type = 'receivable'
               AND move.state = 'posted'
               AND line.credit > 0 AND NOT line.reconciled
               AND line.invoice_id IS NULL
             GROUP BY partner.commercial_partner_id
        """, (partner_ids, company.id))
        return dict(self.env.cr.fetchall())

    def _credit_in_company_currency(self, rows, company, today):
        """Sum (partner id, currency id, amount) rows in company currency."""
        totals = {}
        currencies = self.env['res.currency'].with_context(date=today)
        for partner_id, currency_id, amount in rows:
            currency = currencies.browse(currency_id)
            if currency_id and currency != company.currency_id:
                amount = currency.compute(amount, company.currency_id)
            totals[partner_id] = totals.get(partner_id, 0.0) + amount
        return totals

    def _credit_query_overdue(self, partner_ids, company, today):
        """Return {partner id: (overdue amount, days of the oldest)}."""
        self.env.cr.execute("""
            SELECT commercial_partner_id, SUM(residual_company_signed),
                   %s::date - MIN(date_due)
              FROM account_invoice
             WHERE commercial_partner_id IN %s AND company_id = %s
               AND state = 'open' AND type = 'out_invoice'
               AND date_due < %s
             GROUP BY commercial_partner_id
        """, (today, partner_ids, company.id, today))
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # Holds
    # ------------------------------------------------------------------

    @api.multi
    def write(self, vals):
        """Only credit managers set holds, ratings and limits."""
        self._check_credit_write(vals)
        if 'credit_hold' in vals and 'credit_hold_origin' not in vals:
            vals = dict(vals, credit_hold_origin='manual')
        if 'credit_hold' in vals:
            vals.setdefault('credit_hold_user_id', self.env.uid)
            vals.setdefault('credit_hold_date', fields.Datetime.now())
        return super(ResPartner, self).write(vals)

    def _check_credit_write(self, vals):
        if self.env.uid == SUPERUSER_ID or self.env.user.has_group(
                'meddev_credit.group_meddev_credit_manager'):
            return
        touched = CREDIT_MANAGER_FIELDS.intersection(vals)
        # Contacts copy their company's limit: only the company's counts.
        if 'credit_limit' in vals and any(
                partner.commercial_partner_id == partner
                and partner.credit_limit != vals['credit_limit']
                for partner in self):
            touched.add('credit_limit')
        if touched:
            raise AccessError(
                _('Only a credit manager may change the credit limit, '
                  'hold or rating of %(partner)s (%(fields)s).') % {
                    'partner': ', '.join(self.mapped('display_name')),
                    'fields': ', '.join(sorted(touched)),
                })

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.multi
    def action_view_credit_overrides(self):
        """Open the credit overrides of this customer."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_credit.meddev_credit_override_action').read()[0]
        action['domain'] = [
            ('partner_id', '=', self.commercial_partner_id.id)]
        action['context'] = {}
        return action

    @api.multi
    def action_credit_set_hold(self):
        """Open the wizard that puts this customer on credit hold."""
        return self._credit_hold_wizard_action('set', _('Put on Credit Hold'))

    @api.multi
    def action_credit_lift_hold(self):
        """Open the wizard that lifts this customer's credit hold."""
        return self._credit_hold_wizard_action('lift', _('Lift Credit Hold'))

    def _credit_hold_wizard_action(self, action, title):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': title,
            'res_model': 'meddev.credit.hold.wizard',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_partner_id': self.commercial_partner_id.id,
                'default_company_id': self._credit_company().id,
                'default_action': action,
            },
        }

    def _credit_set_manual_hold(self, reason):
        """Put this commercial partner on manual hold for ``reason`` and
        note it in its chatter."""
        self.ensure_one()
        if self.credit_hold:
            raise UserError(_(
                '%(partner)s is already on credit hold (%(reason)s).') % {
                    'partner': self.display_name,
                    'reason': self.credit_hold_reason or _('no reason given')})
        self.write({'credit_hold': True, 'credit_hold_reason': reason,
                    'credit_hold_origin': 'manual'})
        self.message_post(
            body=self.env['meddev.credit.hold.wizard']._format_note(
                _('Credit hold set in %(company)s') % {
                    'company': self._credit_company().name}, reason),
            subtype='mail.mt_note')

    def _credit_lift_hold(self, reason):
        """Lift the hold of this commercial partner, manual or automatic,
        for ``reason`` and note it in its chatter."""
        self.ensure_one()
        if not self.credit_hold:
            raise UserError(_('%(partner)s is not on credit hold.') % {
                'partner': self.display_name})
        self.write({'credit_hold': False, 'credit_hold_reason': False,
                    'credit_hold_origin': 'manual'})
        self.message_post(
            body=self.env['meddev.credit.hold.wizard']._format_note(
                _('Credit hold lifted in %(company)s') % {
                    'company': self._credit_company().name}, reason),
            subtype='mail.mt_note')

    # ------------------------------------------------------------------
    # Gate
    # ------------------------------------------------------------------

    def _credit_gate_problems(self, figures, policy, amount, company):
        """Return why an order of ``amount`` (company currency) for this
        commercial partner is refused, as a list of sentences."""
        self.ensure_one()
        problems = []
        if self.credit_hold:
            problems.append(_('%(partner)s is on credit hold (%(reason)s).')
                            % {'partner': self.display_name,
                               'reason': self.credit_hold_reason
                               or _('no reason given')})
        if policy and not policy.allow_sale:
            problems.append(_(
                'Its credit rating %(rating)s is below the minimum allowed '
                'for sales.') % {'rating': self.credit_rating})
        tolerance = (policy.tolerance_days if policy
                     else company.credit_default_tolerance_days)
        if figures['credit_overdue_days'] > tolerance:
            problems.append(_(
                'It has invoices overdue by %(days)s days, beyond the '
                'tolerance of %(tolerance)s days.') % {
                    'days': figures['credit_overdue_days'],
                    'tolerance': tolerance})
        limit = figures['limit']
        exposure = figures['credit_exposure'] + amount
        if self.credit_limit > 0 and company.currency_id.compare_amounts(
                exposure, limit) > 0:
            problems.append(_(
                'Its exposure with this order (%(exposure).2f) would exceed '
                'its credit limit (%(limit).2f) by %(excess).2f.') % {
                    'exposure': exposure, 'limit': limit,
                    'excess': exposure - limit})
        return problems

    # ------------------------------------------------------------------
    # Rating
    # ------------------------------------------------------------------

    @api.model
    def _credit_rating_signals(self):
        """Return the rating signals as dicts with ``code``, ``name`` and
        ``compute``: a method (partner ids, company, date from, today) ->
        {partner id: risk from 0 to 1, or None without data}. Other modules
        extend this list (and ship a ``meddev.credit.signal`` weight)."""
        return [
            {'code': 'days_late', 'name': _('Average days late'),
             'compute': self._credit_signal_days_late},
            {'code': 'late_share', 'name': _('Share of invoices paid late'),
             'compute': self._credit_signal_late_share},
            {'code': 'overdue_ratio', 'name': _('Overdue ratio'),
             'compute': self._credit_signal_overdue_ratio},
            {'code': 'returns', 'name': _('Returns and cancellations'),
             'compute': self._credit_signal_returns},
        ]

    def _credit_payment_lateness(self, partner_ids, company, date_from,
                                 today):
        """Return {partner id: (average days late weighted by amount, share
        of invoices paid late)} over the invoices of the window that are
        paid or due; an open invoice counts its lateness until today."""
        self.env.cr.execute("""
            WITH invoices AS (
                SELECT inv.id, inv.commercial_partner_id AS partner_id,
                       inv.amount_total_company_signed AS amount,
                       inv.date_due, inv.state, inv.move_id, inv.account_id
                  FROM account_invoice inv
                 WHERE inv.commercial_partner_id IN %(ids)s
                   AND inv.company_id = %(company)s
                   AND inv.type = 'out_invoice'
                   AND inv.state IN ('open', 'paid')
                   AND inv.date_invoice BETWEEN %(date_from)s AND %(today)s
                   AND (inv.state = 'paid' OR inv.date_due < %(today)s)
            ), paid AS (
                SELECT i.id, MAX(counterpart.date) AS paid_date
                  FROM invoices i
                  JOIN account_move_line line
                    ON line.move_id = i.move_id
                   AND line.account_id = i.account_id
                  JOIN account_partial_reconcile rec
                    ON rec.debit_move_id = line.id
                  JOIN account_move_line counterpart
                    ON counterpart.id = rec.credit_move_id
                 WHERE i.state = 'paid'
                 GROUP BY i.id
            ), lateness AS (
                SELECT i.partner_id, i.amount,
                       GREATEST(COALESCE(
                           paid.paid_date,
                           CASE WHEN i.state = 'paid' THEN i.date_due
                                ELSE %(today)s::date END) - i.date_due, 0)
                           AS days
                  FROM invoices i
                  LEFT JOIN paid ON paid.id = i.id
            )
            SELECT partner_id,
                   SUM(amount * days) / NULLIF(SUM(amount), 0),
                   AVG(CASE WHEN days > 0 THEN 1.0 ELSE 0.0 END)
              FROM lateness
             GROUP BY partner_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    def _credit_signal_days_late(self, partner_ids, company, date_from,
                                 today):
        lateness = self._credit_payment_lateness(
            partner_ids, company, date_from, today)
        return {
            partner_id: days_late_risk(
                float(days) if days is not None else None,
                company.credit_full_risk_days or 60)
            for partner_id, (days, share) in lateness.items()}

    def _credit_signal_late_share(self, partner_ids, company, date_from,
                                  today):
        lateness = self._credit_payment_lateness(
            partner_ids, company, date_from, today)
        return {partner_id: float(share)
                for partner_id, (days, share) in lateness.items()}

    def _credit_signal_overdue_ratio(self, partner_ids, company, date_from,
                                     today):
        self.env.cr.execute("""
            SELECT commercial_partner_id,
                   COALESCE(SUM(residual_company_signed) FILTER (
                       WHERE state = 'open' AND date_due < %(today)s), 0),
                   COALESCE(SUM(amount_total_company_signed) FILTER (
                       WHERE date_invoice >= %(date_from)s), 0)
              FROM account_invoice
             WHERE commercial_partner_id IN %(ids)s
               AND company_id = %(company)s AND type = 'out_invoice'
               AND state IN ('open', 'paid')
               AND (date_invoice >= %(date_from)s OR state = 'open')
             GROUP BY commercial_partner_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        return {partner_id: ratio_risk(overdue, max(invoiced, overdue))
                for partner_id, overdue, invoiced in self.env.cr.fetchall()}

    def _credit_signal_returns(self, partner_ids, company, date_from,
                               today):
        self.env.cr.execute("""
            SELECT commercial_partner_id,
                   COALESCE(SUM(-amount_total_company_signed) FILTER (
                       WHERE type = 'out_refund'), 0),
                   COALESCE(SUM(amount_total_company_signed) FILTER (
                       WHERE type = 'out_invoice'), 0)
              FROM account_invoice
             WHERE commercial_partner_id IN %(ids)s
               AND company_id = %(company)s
               AND type IN ('out_invoice', 'out_refund')
               AND state IN ('open', 'paid')
               AND date_invoice BETWEEN %(date_from)s AND %(today)s
             GROUP BY commercial_partner_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        invoiced = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute("""
            SELECT partner.commercial_partner_id, pricelist.currency_id,
                   SUM(so.amount_total)
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
              JOIN product_pricelist pricelist
                ON pricelist.id = so.pricelist_id
             WHERE partner.commercial_partner_id IN %(ids)s
               AND so.company_id = %(company)s AND so.state = 'cancel'
               AND so.date_order::date BETWEEN %(date_from)s AND %(today)s
             GROUP BY partner.commercial_partner_id, pricelist.currency_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        cancelled = self._credit_in_company_currency(
            self.env.cr.fetchall(), company, today)
        risks = {}
        for partner_id in set(invoiced) | set(cancelled):
            refunds, sales = invoiced.get(partner_id, (0.0, 0.0))
            lost = cancelled.get(partner_id, 0.0)
            risks[partner_id] = ratio_risk(refunds + lost, sales + lost)
        return risks

    @api.model
    def _cron_rate_customers(self, batch_size=200, today=None,
                             use_jobs=False):
        """Nightly: rate every customer with recent or open invoices, put
        on hold or release; each company rates its own and the shared
        partners on its own figures, into its own rating and hold. With
        ``use_jobs``, each batch is a background job (queue_job), else
        batches run here."""
        today = today or fields.Date.context_today(self)
        for company in self.env['res.company'].search([]):
            partner_ids = self._credit_partners_to_rate(company, today)
            for start in range(0, len(partner_ids), batch_size):
                batch = self.browse(partner_ids[start:start + batch_size])
                if use_jobs:
                    batch.with_delay(description=_(
                        'Credit rating of %(count)s customers of '
                        '%(company)s') % {'count': len(batch),
                                          'company': company.name},
                    )._credit_rate_batch(company.id, today)
                    continue
                batch._credit_rate_batch(company.id, today)
                if self.env.context.get('credit_commit'):
                    # Scheduled run: keep finished batches if a later fails.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                _logger.info('Credit rating: %s partners of %s done',
                             start + len(batch), company.name)

    @job(default_channel='root.credit')
    @api.multi
    def _credit_rate_batch(self, company_id, today):
        """Rate one batch of commercial partners in one company."""
        company = self.env['res.company'].browse(company_id)
        self.with_context(force_company=company_id)._credit_rate(
            company, today)

    def _credit_partners_to_rate(self, company, today):
        """Return the ids of the commercial partners ``company`` rates:
        its own and the shared ones with open or recent invoices in it, a
        rating or an automatic hold there."""
        date_from = fields.Date.from_string(today) - timedelta(
            days=company.credit_rating_window_days)
        self.env.cr.execute("""
            SELECT partner.id
              FROM res_partner partner
             WHERE partner.id = partner.commercial_partner_id
               AND (partner.company_id = %(company)s
                    OR partner.company_id IS NULL)
               AND (EXISTS (
                        SELECT 1 FROM account_invoice inv
                         WHERE inv.commercial_partner_id = partner.id
                           AND inv.company_id = %(company)s
                           AND inv.type IN ('out_invoice', 'out_refund')
                           AND (inv.state = 'open'
                                OR (inv.state = 'paid'
                                    AND inv.date_invoice >= %(date_from)s)))
                    OR EXISTS (
                        SELECT 1 FROM meddev_credit_partner_state state
                         WHERE state.partner_id = partner.id
                           AND state.company_id = %(company)s
                           AND (state.rating IS NOT NULL
                                OR (state.hold
                                    AND state.hold_origin = 'automatic'))))
             ORDER BY partner.id
        """, {'company': company.id, 'date_from': date_from})
        return [row[0] for row in self.env.cr.fetchall()]

    def _credit_rate(self, company, today):
        """Rate these commercial partners in ``company``: write a new
        rating and its history only when it changed, hold or release."""
        date_from = fields.Date.to_string(fields.Date.from_string(
            today) - timedelta(days=company.credit_rating_window_days))
        ids = tuple(self.ids)
        signals = self._credit_rating_signals()
        risks = {partner_id: {} for partner_id in ids}
        for signal in signals:
            values = signal['compute'](ids, company, date_from, today)
            for partner_id in ids:
                risks[partner_id][signal['code']] = values.get(partner_id)
        weights = self.env['meddev.credit.signal']._weights(company)
        thresholds = self.env['meddev.credit.policy']._grade_thresholds(
            company)
        figures = self._credit_figures(company, today)
        history = self.env['meddev.credit.rating.history']
        for partner in self.with_context(force_company=company.id):
            score = weighted_score(risks[partner.id], weights)
            grade = grade_for_score(score, thresholds)
            if grade and (grade != partner.credit_rating or float_compare(
                    score, partner.credit_score, precision_digits=2)):
                partner.write({'credit_rating': grade, 'credit_score': score,
                               'credit_rating_date': today})
                history.create({
                    'partner_id': partner.id, 'rating': grade,
                    'score': score, 'date': today,
                    'company_id': company.id,
                    'note': self._credit_figures_note(
                        signals, risks[partner.id], weights),
                })
            partner._credit_apply_automatic_hold(
                figures[partner.id]['credit_overdue_days'], company)

    @api.model
    def _credit_figures_note(self, signals, risks, weights):
        """Return the signals behind a rating as text for its history."""
        lines = []
        for signal in signals:
            risk = risks.get(signal['code'])
            lines.append('%s: %s (%s %s)' % (
                signal['name'],
                '-' if risk is None else '%.2f' % risk,
                _('weight'), weights.get(signal['code'], 0.0)))
        return '\n'.join(lines)

    def _credit_hold_cause(self, overdue_days, company):
        """Return why this partner must be on automatic hold, or ''."""
        self.ensure_one()
        if self.credit_rating == 'D':
            return _('Credit rating D')
        threshold = company.credit_hold_overdue_days
        if threshold and overdue_days > threshold:
            return _('Invoices overdue by %(days)s days (more than '
                     '%(threshold)s)') % {'days': overdue_days,
                                          'threshold': threshold}
        return ''

    def _credit_apply_automatic_hold(self, overdue_days, company):
        """Hold when a cause appears; lift automatic holds once it is
        gone; manual holds stay until a credit manager lifts them."""
        self.ensure_one()
        cause = self._credit_hold_cause(overdue_days, company)
        if cause and not self.credit_hold:
            self.write({'credit_hold': True, 'credit_hold_reason': cause,
                        'credit_hold_origin': 'automatic'})
            manager = company._credit_manager()
            if manager:
                schedule_todo(self, manager, _(
                    'Automatic credit hold: %(cause)s') % {'cause': cause})
        elif (cause and self.credit_hold_origin == 'automatic'
              and cause != self.credit_hold_reason):
            self.write({'credit_hold_reason': cause,
                        'credit_hold_origin': 'automatic'})
        elif (not cause and self.credit_hold
              and self.credit_hold_origin == 'automatic'):
            self.write({'credit_hold': False, 'credit_hold_reason': False,
                        'credit_hold_origin': 'automatic'})

    @api.model
    def _credit_demo_overdue_invoices(self, partner_ids, overdue):
        """Demo data only: post one invoice per (days overdue, amount) for
        each partner, when the company already has a chart of accounts
        (the generic chart may be installed after this module)."""
        company = self.env.user.company_id
        revenue = self.env['account.account'].search([
            ('company_id', '=', company.id),
            ('user_type_id', '=',
             self.env.ref('account.data_account_type_revenue').id)], limit=1)
        journal = self.env['account.journal'].search([
            ('company_id', '=', company.id), ('type', '=', 'sale')], limit=1)
        if not revenue or not journal:
            _logger.info('Credit demo: no chart of accounts yet, the '
                         'overdue demo invoices are left out.')
            return
        today = fields.Date.from_string(fields.Date.context_today(self))
        invoiced = self.env['account.invoice'].search([
            ('partner_id', 'in', partner_ids)]).mapped('partner_id')
        for partner in self.browse(partner_ids) - invoiced:
            for days, amount in overdue:
                invoice = self.env['account.invoice'].create({
                    'partner_id': partner.id,
                    'type': 'out_invoice',
                    'journal_id': journal.id,
                    'account_id': partner.property_account_receivable_id.id,
                    'date_invoice': fields.Date.to_string(
                        today - timedelta(days=days + 30)),
                    'date_due': fields.Date.to_string(
                        today - timedelta(days=days)),
                    'invoice_line_ids': [(0, 0, {
                        'name': _('Dental imaging units'),
                        'quantity': 1, 'price_unit': amount,
                        'account_id': revenue.id})],
                })
                invoice.action_invoice_open()
