from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import schedule_todo, server_context

from .meddev_credit_rating_history import RATINGS

STATES = [
    ('requested', 'Requested'),
    ('approved', 'Approved'),
    ('rejected', 'Rejected'),
    ('used', 'Used'),
    ('void', 'Void'),
    ('expired', 'Expired'),
]
# Fields a user may write on an override; everything else (state, decision,
# figures, who and when) is set by the server's own methods only. Not
# message_ids: its commands would rewrite or delete the chatter, the trail
# of the request and decision; message_post creates messages without it.
USER_WRITABLE_FIELDS = {
    'decision_note', 'message_follower_ids', 'activity_ids',
    'message_last_post',
}


class MeddevCreditOverride(models.Model):
    """A one-off permission to confirm one order despite the credit gate,
    with who asked, who decided, the figures at the time and why."""

    _name = 'meddev.credit.override'
    # Its chatter and files are an audit trail (meddev_base's guards).
    _inherit = ['mail.thread', 'mail.activity.mixin', 'tier.validation',
                'meddev.audit.trail.mixin']
    _description = 'Credit Override'
    _order = 'id desc'
    # Tiers of reviewers, where configured, before the approval.
    _state_from = ['requested']
    _state_to = ['approved']
    _cancel_state = 'rejected'
    # The requester (a salesperson, who reads overrides but writes none)
    # posts to the chatter of their request: the news that bears on it.
    _mail_post_access = 'read'

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
    reason = fields.Text(required=True, readonly=True)
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
    problem_codes = fields.Char(
        string='Problems Covered', readonly=True, copy=False,
        help="Codes of the gate's problems when requested (hold, grade, "
             "overdue, limit): the override covers these only.")
    covered_hold_date = fields.Datetime(
        string='Hold Covered', readonly=True, copy=False,
        help="When the hold the override covers was set: a hold set again "
             "later is not covered.")
    expiry_date = fields.Date(
        string='Valid until', readonly=True, copy=False,
        track_visibility='onchange',
        help="Set on approval from the company's override validity: an "
             "override not used by then expires.")

    @api.model
    def create(self, vals):
        """Overrides are created by the request only (Request Credit
        Override on the order), with the figures the server computes."""
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_(
                'Credit overrides are created from the refused order with '
                '"Request Credit Override", not directly.'))
        # The request creates under sudo, which keeps the requester's
        # context: their default_state / default_approver_id would give
        # an override born approved (four eyes bypassed).
        self = self.with_env(self.env(
            context=server_context(self.env.context)))
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.credit.override') or '/'
        return super(MeddevCreditOverride, self).create(vals)

    @api.multi
    def write(self, vals):
        """State, decision, figures, requester and order are set by the
        server's own methods only; users may add a decision note."""
        forbidden = set(vals) - USER_WRITABLE_FIELDS
        if forbidden and self.env.uid != SUPERUSER_ID and \
                not self.env['meddev.guarded.mixin']._meddev_is_server():
            if 'message_ids' in forbidden:
                raise AccessError(_(
                    'Credit override %(name)s: its messages cannot be '
                    'written, changed or deleted through the override; '
                    'post a new message in its chatter instead.') % {
                        'name': ', '.join(self.mapped('name'))})
            raise AccessError(_(
                'Credit override %(name)s: %(fields)s can only be changed '
                'through its buttons (approve, reject) and the sale gate.')
                % {'name': ', '.join(self.mapped('name')),
                   'fields': ', '.join(sorted(forbidden))})
        return super(MeddevCreditOverride, self).write(vals)

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
        amount = order._credit_amount()
        exposure = figures['credit_exposure'] + amount
        policy = self.env['meddev.credit.policy']._policies_by_rating(
            company).get(partner.credit_rating)
        problems = self.env['meddev.credit.gate']._problems(
            partner, figures, policy, amount, company)
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
            if figures['limit_source'] != 'unlimited' else 0.0,
            'overdue_amount': figures['credit_overdue_amount'],
            'overdue_days': figures['credit_overdue_days'],
            'refusal': '\n'.join(text for __, text in problems),
            'problem_codes': ','.join(code for code, __ in problems),
            'covered_hold_date': partner.credit_hold_date
            if partner.credit_hold else False,
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
        vals['requester_id'] = self.env.uid
        # Sudo: only the server creates overrides, with the figures it
        # computed here; the requester is the user asking.
        override = self.sudo().create(vals)
        # Where tiers are configured (amount over the limit, say), their
        # reviewers are asked now; the approval waits for them. Sudo: the
        # requester may not subscribe the reviewers to the override.
        if override.need_validation:
            override.request_validation()
        override._notify_managers()
        return override.sudo(self.env.uid)

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

    def _check_independent_decider(self, user, tier=False):
        """Four eyes: neither the requester of an override nor its order's
        salesperson, who gains from the confirmation as much, approves it
        or validates one of its tiers (``tier``: tier.review's check);
        rejecting stays open to them. ``user`` is the decider: the tier
        check reads the overrides as superuser."""
        for override in self:
            requester = override.requester_id == user
            salesperson = override.order_id.user_id == user
            if not (requester or salesperson):
                continue
            names = {'name': override.name, 'order': override.order_id.name}
            if tier:
                raise AccessError(_(
                    'Credit override %(name)s was requested by you or is '
                    'for your own order %(order)s: another reviewer '
                    'validates its tiers.') % names)
            if requester:
                raise AccessError(_('Credit override %(name)s was requested '
                                    'by you: another credit manager '
                                    'decides.') % names)
            raise AccessError(_(
                'Credit override %(name)s is for your own order '
                '%(order)s: another credit manager, neither its '
                'salesperson nor the requester, decides.') % names)

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
            override._check_independent_decider(self.env.user)
            if override.order_id.state not in ('draft', 'sent'):
                raise UserError(_('Order %(order)s is no longer a '
                                  'quotation.') % {
                                      'order': override.order_id.name})
            # Approving also validates the approver's own tier.
            override._validate_tier()
            pending = override.review_ids.filtered(
                lambda review: review.status != 'approved'
                or review.done_by not in review.reviewer_ids)
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
        vals = {
            'state': state,
            'approver_id': self.env.uid,
            'decision_date': fields.Datetime.now(),
        }
        for override in self:
            if state == 'approved':
                vals['expiry_date'] = fields.Date.to_string(
                    fields.Date.from_string(fields.Date.context_today(self))
                    + timedelta(days=max(
                        override.company_id.credit_override_validity_days,
                        0)))
            # Written by this method only, after the manager's checks
            # above, as the manager (whose name the tracked decision shows
            # in the chatter), through the server's mark.
            override.with_env(self.env['meddev.guarded.mixin']
                              ._meddev_as_server().env).write(vals)
        self.mapped('activity_ids').action_feedback(
            feedback=dict(STATES)[state])

    def _mark_used(self):
        """Consume the override: it served its one confirmation."""
        self.sudo().write({'state': 'used'})

    def _uncovered_problems(self, problems, partner):
        """Return the gate's (code, text) problems this override does not
        cover: those that were not there when it was requested, and a hold
        set again since."""
        self.ensure_one()
        codes = set((self.problem_codes or '').split(','))
        uncovered = []
        for code, text in problems:
            if code not in codes:
                uncovered.append((code, text))
            elif code == 'hold' and (
                    partner.credit_hold_date != self.covered_hold_date):
                uncovered.append((code, text + ' ' + _(
                    '(set again after the override was requested)')))
        return uncovered

    @api.model
    def _cron_expire(self, today=None):
        """Daily: expire the approved overrides not used in time."""
        today = today or fields.Date.context_today(self)
        expired = self.sudo().search([('state', '=', 'approved'),
                                      ('expiry_date', '<', today)])
        expired.write({'state': 'expired'})
        return expired

    def _void(self, reason):
        """Void the override: its order is no longer what was decided on
        (raised above the amount, moved to another customer)."""
        self.sudo().write({'state': 'void', 'void_reason': reason})
