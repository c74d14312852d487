from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .activity import schedule_todo
from .meddev_credit_rating_history import RATINGS

STATES = [
    ('requested', 'Requested'),
    ('approved', 'Approved'),
    ('rejected', 'Rejected'),
    ('used', 'Used'),
    ('void', 'Void'),
]


class MeddevCreditOverride(models.Model):
    """A one-off permission to confirm one order despite the credit gate,
    with who asked, who decided, the figures at the time and why."""

    _name = 'meddev.credit.override'
    _inherit = ['mail.thread', 'mail.activity.mixin', 'tier.validation']
    _description = 'Credit Override'
    _order = 'id desc'
    # Tiers of reviewers, where configured, before the approval.
    _state_from = ['requested']
    _state_to = ['approved']
    _cancel_state = 'rejected'

    name = fields.Char(
        string='Reference', required=True, readonly=True, copy=False,
        default='/')
    state = fields.Selection(
        STATES, default='requested', required=True, readonly=True,
        copy=False, index=True, track_visibility='onchange')
    order_id = fields.Many2one(
        'sale.order', string='Sale Order', required=True, readonly=True,
        index=True, ondelete='restrict')
    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, readonly=True,
        index=True, ondelete='restrict')
    user_id = fields.Many2one(
        'res.users', string='Salesperson',
        related='order_id.user_id', readonly=True, store=True)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, readonly=True,
        index=True)
    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True)
    reason = fields.Text(required=True, readonly=True,
                         states={'requested': [('readonly', False)]})
    requester_id = fields.Many2one(
        'res.users', string='Requested by', required=True, readonly=True,
        default=lambda self: self.env.user)
    request_date = fields.Datetime(
        string='Requested on', required=True, readonly=True,
        default=fields.Datetime.now)
    approver_id = fields.Many2one(
        'res.users', string='Decided by', readonly=True, copy=False,
        track_visibility='onchange')
    decision_date = fields.Datetime(
        string='Decided on', readonly=True, copy=False)
    decision_note = fields.Text(string='Decision Note', copy=False)
    amount = fields.Monetary(
        string='Order Amount', readonly=True,
        help="Order total, company currency, when requested; the override "
             "covers the order up to this amount.")
    credit_limit = fields.Monetary(string='Credit Limit', readonly=True)
    receivable = fields.Monetary(string='Open Receivables', readonly=True)
    draft_invoice = fields.Monetary(string='Draft Invoices', readonly=True)
    sale_order = fields.Monetary(
        string='Orders Not Invoiced', readonly=True)
    exposure = fields.Monetary(
        string='Exposure with the Order', readonly=True)
    excess = fields.Monetary(string='Over the Limit by', readonly=True)
    overdue_amount = fields.Monetary(string='Overdue', readonly=True)
    overdue_days = fields.Integer(string='Oldest Overdue (days)',
                                  readonly=True)
    rating = fields.Selection(
        RATINGS, string='Credit Rating', readonly=True,
        help="The customer's rating in the order's company at the request.")
    refusal = fields.Text(string='Refusal Message', readonly=True)
    void_reason = fields.Char(readonly=True, copy=False)

    @api.model
    def create(self, vals):
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.credit.override') or '/'
        return super(MeddevCreditOverride, self).create(vals)

    @api.multi
    def unlink(self):
        """Overrides are an audit trail: never deleted."""
        if self:
            raise UserError(
                _('Credit override %(name)s cannot be deleted: overrides '
                  'are kept as a record of who allowed what.') % {
                    'name': ', '.join(self.mapped('name'))})
        return super(MeddevCreditOverride, self).unlink()

    @api.model
    def _prepare_override_vals(self, order, reason, today=None):
        """Return the values of an override request for ``order``, with
        the figures that the gate sees now."""
        company = order.company_id
        partner = order.partner_id.commercial_partner_id.with_context(
            force_company=company.id)
        figures = partner._credit_figures(company, today)[partner.id]
        amount = order._credit_amount(today)
        exposure = figures['credit_exposure'] + amount
        policy = self.env['meddev.credit.policy']._policies_by_rating(
            company).get(partner.credit_rating)
        problems = partner._credit_gate_problems(
            figures, policy, amount, company)
        return {
            'order_id': order.id,
            'partner_id': partner.id,
            'company_id': company.id,
            'reason': reason,
            'rating': partner.credit_rating,
            'amount': amount,
            'credit_limit': figures['limit'],
            'receivable': figures['credit_receivable'],
            'draft_invoice': figures['credit_draft_invoice'],
            'sale_order': figures['credit_sale_order'],
            'exposure': exposure,
            'excess': max(exposure - figures['limit'], 0.0)
            if partner.credit_limit > 0 else 0.0,
            'overdue_amount': figures['credit_overdue_amount'],
            'overdue_days': figures['credit_overdue_days'],
            'refusal': '\n'.join(problems),
        }

    @api.model
    def _request(self, order, reason):
        """Record a request for ``order`` and ask the credit managers."""
        order.ensure_one()
        if not (reason or '').strip():
            raise UserError(_('Give the reason for the credit override of '
                              '%(order)s.') % {'order': order.name})
        if order.state not in ('draft', 'sent'):
            raise UserError(_('Order %(order)s is already confirmed or '
                              'cancelled: no override needed.')
                            % {'order': order.name})
        pending = order.sudo().credit_override_ids.filtered(
            lambda o: o.state in ('requested', 'approved'))
        if pending:
            raise UserError(_('Order %(order)s already has the credit '
                              'override %(override)s in progress.') % {
                                  'order': order.name,
                                  'override': pending[0].name})
        vals = self._prepare_override_vals(order, reason)
        if not vals['refusal']:
            raise UserError(_('Order %(order)s passes the credit check: '
                              'confirm it without an override.')
                            % {'order': order.name})
        policy = self.env['meddev.credit.policy']._policies_by_rating(
            order.company_id).get(order.partner_id.commercial_partner_id
                                  .with_context(
                                      force_company=order.company_id.id)
                                  .credit_rating)
        if policy and not policy.allow_override:
            raise UserError(_('Overrides are not allowed for customers '
                              'rated %(rating)s such as %(partner)s.') % {
                                  'rating': policy.rating,
                                  'partner': order.partner_id
                                  .commercial_partner_id.display_name})
        override = self.create(vals)
        # Where tiers are configured (amount over the limit, say), their
        # reviewers are asked now; the approval waits for them. Sudo: the
        # requester may not subscribe the reviewers to the override.
        if override.need_validation:
            override.sudo().request_validation()
        override._notify_managers()
        return override

    def _notify_managers(self):
        """Give the company's credit manager an activity to decide."""
        for override in self:
            manager = override.company_id._credit_manager()
            if manager:
                # The requester may not create activities for others.
                schedule_todo(override.sudo(), manager, _(
                    'Credit override for %(order)s') % {
                        'order': override.order_id.name})

    def _check_manager(self):
        if not self.env.user.has_group(
                'meddev_credit.group_meddev_credit_manager'):
            raise AccessError(
                _('Only a credit manager may decide on the credit override '
                  '%(name)s.') % {'name': ', '.join(self.mapped('name'))})

    @api.multi
    def action_approve(self):
        """Let the order confirm once at the requested amount."""
        self._check_manager()
        for override in self:
            if override.state != 'requested':
                raise UserError(_('Credit override %(name)s is %(state)s: '
                                  'only requested overrides are approved.')
                                % {'name': override.name,
                                   'state': override.state})
            if override.requester_id == self.env.user:
                raise AccessError(_('Credit override %(name)s was requested '
                                    'by you: another credit manager '
                                    'decides.') % {'name': override.name})
            if override.order_id.state not in ('draft', 'sent'):
                raise UserError(_('Order %(order)s is no longer a '
                                  'quotation.') % {
                                      'order': override.order_id.name})
            # Approving also validates the approver's own tier.
            override._validate_tier()
            pending = override.review_ids.filtered(
                lambda review: review.status != 'approved')
            if pending:
                raise UserError(_(
                    'Credit override %(name)s still waits for the review '
                    'of %(reviewers)s.') % {
                        'name': override.name,
                        'reviewers': ', '.join(pending.mapped(
                            'reviewer_ids.name'))})
        self._decide('approved')
        return True

    @api.multi
    def action_reject(self):
        """Refuse the override: the order stays blocked."""
        self._check_manager()
        for override in self:
            if override.state != 'requested':
                raise UserError(_('Credit override %(name)s is %(state)s: '
                                  'only requested overrides are rejected.')
                                % {'name': override.name,
                                   'state': override.state})
        self._decide('rejected')
        return True

    def _decide(self, state):
        self.write({
            'state': state,
            'approver_id': self.env.uid,
            'decision_date': fields.Datetime.now(),
        })
        self.mapped('activity_ids').action_feedback(
            feedback=dict(STATES)[state])

    def _mark_used(self):
        """Consume the override: it served its one confirmation."""
        self.write({'state': 'used'})

    def _void(self, amount):
        """Void the override: its order now asks for more than approved."""
        for override in self:
            override.write({
                'state': 'void',
                'void_reason': _('Order raised to %(amount).2f, above the '
                                 'approved %(approved).2f.') % {
                                     'amount': amount,
                                     'approved': override.amount},
            })
