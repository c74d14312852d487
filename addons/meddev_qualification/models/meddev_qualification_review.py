from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import create_values, with_sender

from .access import as_workflow, in_workflow, is_reviewer

# Set by the decision methods only: who decided, when and why. The tier
# is the partner's (a related field): written on the review, it would
# choose the approval tiers.
DECISION_FIELDS = {'decided_by_id', 'decision_date', 'decision_note',
                   'tier'}
# What still changes on a decided review: the comments (and the chatter).
# Its subject, company, categories and checklist are what was decided: a
# rejection moved to another partner or company would stop blocking.
DECIDED_WRITABLE = {'comments'}


class MeddevQualificationReview(models.Model):
    """First-business review (首营审核) of a new customer, supplier or
    product: a checklist computed from what its kind requires, comments and
    a decision, approved through the tiers configured per partner tier."""

    _name = 'meddev.qualification.review'
    # Drafts may be deleted: see _meddev_kept_records().
    _inherit = ['meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'tier.validation',
                'meddev.qualification.company.mixin']
    _description = 'First-Business Review'
    _order = 'id desc'
    _state_from = ['draft']
    _state_to = ['approved']
    _cancel_state = 'cancel'

    name = fields.Char(compute='_compute_name', store=True)
    review_type = fields.Selection([
        ('partner', 'Partner'),
        ('product', 'Product'),
    ], required=True, default='partner', readonly=True,
        states={'draft': [('readonly', False)]})
    partner_id = fields.Many2one(
        'res.partner', string='Partner', index=True, ondelete='restrict',
        domain="[('parent_id', '=', False)]", readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    product_tmpl_id = fields.Many2one(
        'product.template', string='Product', index=True,
        ondelete='restrict', readonly=True,
        states={'draft': [('readonly', False)]},
        track_visibility='onchange')
    tier = fields.Selection(
        related='partner_id.meddev_qualification_tier', store=True,
        readonly=True, string='Qualification Tier')
    category_ids = fields.Many2many(
        'meddev.device.category', 'meddev_qualification_review_category_rel',
        'review_id', 'category_id', string='Categories Concerned',
        readonly=True, states={'draft': [('readonly', False)]},
        help="Device categories the partner will trade; a valid licence "
             "must cover each of them.")
    agreement_ids = fields.Many2many(
        'ir.attachment', 'meddev_qualification_review_attachment_rel',
        'review_id', 'attachment_id', string='Quality Agreement',
        help="Signed quality agreement (质量保证协议) or, for a product, "
             "the scan of its certificate.")
    line_ids = fields.One2many(
        'meddev.qualification.review.line', 'review_id', string='Checklist',
        readonly=True)
    checklist_passed = fields.Boolean(
        compute='_compute_checklist_passed', string='Checklist Passed')
    comments = fields.Text()
    decision_note = fields.Text(readonly=True, track_visibility='onchange')
    state = fields.Selection([
        ('draft', 'Draft'),
        ('approved', 'Approved'),
        ('rejected', 'Rejected'),
        ('cancel', 'Cancelled'),
    ], default='draft', required=True, readonly=True, index=True,
        copy=False, track_visibility='onchange')
    decided_by_id = fields.Many2one(
        'res.users', string='Decided by', readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)
    # Required: a decision without a company would count for every
    # company's trade, also one that never reviewed the partner.
    company_id = fields.Many2one(
        'res.company', string='Company', index=True, required=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.qualification.review'))

    @api.depends('review_type', 'partner_id', 'product_tmpl_id')
    def _compute_name(self):
        for review in self:
            subject = review.partner_id if review.review_type == 'partner' \
                else review.product_tmpl_id
            review.name = _('First-business review: %(subject)s') % {
                'subject': subject.display_name or '?'}

    @api.depends('line_ids.passed')
    def _compute_checklist_passed(self):
        for review in self:
            review.checklist_passed = bool(review.line_ids) and all(
                review.line_ids.mapped('passed'))

    @api.constrains('review_type', 'partner_id', 'product_tmpl_id')
    def _check_subject(self):
        for review in self:
            if review.review_type == 'partner' and not review.partner_id:
                raise UserError(_('A partner review needs a partner.'))
            if review.review_type == 'product' and not review.product_tmpl_id:
                raise UserError(_('A product review needs a product.'))

    @api.model
    def create(self, vals):
        # The caller's default_* keys and saved defaults fill the missing
        # fields: checked too.
        asked = create_values(
            self, vals, DECISION_FIELDS | {'review_ids', 'state'})
        forged = (DECISION_FIELDS | {'review_ids'}) & set(
            name for name in asked if asked[name])
        if (asked.get('state') or 'draft') != 'draft' or forged:
            # Decisions are taken on a draft review, never created.
            raise UserError(
                _('A first-business review is created as a draft; it is '
                  'decided and approved afterwards.'))
        # Sent empty, or emptied by the caller's default_company_id or a
        # saved default.
        self._check_company_given(vals, self._name_of(vals), create=True)
        # A user without an email address opens reviews too.
        review = super(MeddevQualificationReview, with_sender(self)).create(
            vals).with_env(self.env)
        review.action_compute_checklist()
        return review

    @api.multi
    def write(self, vals):
        if not in_workflow(self) and not self.env.user._is_superuser():
            if 'state' in vals:
                self._check_reviewer()
            # The state changes through the buttons, which check the
            # checklist and the tiers.
            forged = (DECISION_FIELDS | {'review_ids', 'state'}) & set(vals)
            if forged:
                raise AccessError(
                    _('%(fields)s of %(reviews)s are set by the decision '
                      'and the approval tiers, not by hand.') % {
                        'fields': ', '.join(sorted(
                            self._fields[name].get_description(
                                self.env)['string'] for name in forged)),
                        'reviews': ', '.join(self.mapped('name'))})
            self._check_decided_unchanged(vals)
        self._check_company_given(vals, ', '.join(self.mapped('name')))
        # The tier machinery of the parent write (approval request, reset
        # of the tiers when back to draft) is the tier API.
        return super(MeddevQualificationReview, as_workflow(self)).write(vals)

    @api.model
    def _name_of(self, vals):
        """The name a review created with ``vals`` will have."""
        if vals.get('review_type', 'partner') == 'partner':
            subject = self.env['res.partner'].browse(vals.get('partner_id'))
        else:
            subject = self.env['product.template'].browse(
                vals.get('product_tmpl_id'))
        return _('First-business review: %(subject)s') % {
            'subject': subject.display_name or '?'}

    @api.model
    def _company_missing_message(self, names):
        # A decision without a company counted for every company's trade.
        return _('A first-business review needs a company (%(reviews)s): '
                 'its decision counts only for the trade of the company '
                 'that made it.') % {'reviews': names}

    def _check_decided_unchanged(self, vals):
        """Refuse changes of a decided (or cancelled) review other than
        its comments and chatter."""
        changed = set(
            name for name in vals
            if name not in DECIDED_WRITABLE
            and not name.startswith(('message_', 'activity_')))
        decided = self.filtered(lambda review: review.state != 'draft')
        if changed and decided:
            raise UserError(
                _('%(reviews)s has been decided: %(fields)s no longer '
                  'change. Add a comment, or start a new review.') % {
                    'reviews': ', '.join(decided.mapped('name')),
                    'fields': ', '.join(sorted(
                        self._fields[name].get_description(
                            self.env)['string'] for name in changed
                        if name in self._fields))})

    @api.multi
    def _meddev_kept_records(self):
        """A decided or cancelled review is a regulated record, and so is a
        draft whose approval tiers someone has already acted on (their
        decisions are evidence); other drafts may be deleted."""
        return self.filtered(
            lambda review: review.state != 'draft' or any(
                tier.status != 'pending' for tier in review.review_ids))

    @api.multi
    def unlink(self):
        """Delete draft reviews with their approval tiers; refuse the kept
        ones (the mixin names them)."""
        if not self._meddev_kept_records():
            as_workflow(self.mapped('review_ids')).unlink()
        return super(MeddevQualificationReview, self).unlink()

    @api.model
    def _get_under_validation_exceptions(self):
        """The checklist is refreshed and comments added while the tiers
        approve; the subject of the review is not changed."""
        return super(MeddevQualificationReview, self) \
            ._get_under_validation_exceptions() + [
                'line_ids', 'comments', 'activity_ids',
                'message_main_attachment_id']

    # Checklist

    @api.multi
    def action_compute_checklist(self):
        """Rebuild the checklist from the partner's or product's current
        licences and data."""
        today = fields.Date.context_today(self)
        for review in self:
            if review.state != 'draft':
                continue
            if review.review_type == 'partner':
                items = review._partner_checklist(today)
            else:
                items = review._product_checklist(today)
            review.write({'line_ids': [(5, 0, 0)] + [
                (0, 0, {'sequence': index, 'name': name, 'passed': passed,
                        'detail': detail})
                for index, (name, passed, detail) in enumerate(items)]})
        return True

    def _partner_checklist(self, today):
        """Return (item, passed, detail) for a partner: each licence its
        kind requires present, approved and in date; the categories
        concerned covered; the quality agreement attached."""
        partner = self.partner_id
        items = []
        if not partner.meddev_partner_kind:
            items.append((_('Qualification kind set'), False,
                          _('Set the kind of partner to know which licences '
                            'it needs.')))
        # sudo: the checklist reports on licences the requester may not read.
        # Only the licences that count for the review's company, as in the
        # trade gate.
        licence_model = self.env['meddev.partner.licence'].sudo()
        licences = licence_model.search([
            ('partner_id', '=', partner.id)]
            + licence_model._company_domain(self._trade_company()))
        types = self.env['meddev.licence.type'].search([])
        kind = partner.meddev_partner_kind
        required = types.filtered('for_%s' % kind) if kind else types.browse()
        for licence_type in required:
            held = licences.filtered(
                lambda lic: lic.licence_type_id == licence_type)
            valid = held.filtered(lambda lic: lic.is_valid_on(today))
            items.append((
                _('%(type)s present') % {'type': licence_type.name},
                bool(held), ', '.join(held.mapped('number'))))
            items.append((
                _('%(type)s approved and in date') % {
                    'type': licence_type.name},
                bool(valid), ', '.join(
                    '%s (%s)' % (lic.number, lic.valid_to or _('long-term'))
                    for lic in valid)))
        valid = licences.filtered(lambda lic: lic.is_valid_on(today))
        gate = self.env['meddev.trade.gate']
        ancestors = self.category_ids._ancestor_ids_map()
        for category in self.category_ids:
            covering = valid.filtered(
                lambda lic: lic.licence_type_id.has_scope
                and gate._covers(lic, category, ancestors))
            items.append((
                _('Scope covers %(category)s') % {
                    'category': category.display_name},
                bool(covering), ', '.join(covering.mapped('number'))))
        items.append((_('Quality agreement attached'), bool(
            self.agreement_ids), ', '.join(self.agreement_ids.mapped('name'))))
        return items

    def _product_checklist(self, today):
        """Return (item, passed, detail) for a product: class, category,
        certificate and its validity, certificate scan attached."""
        product = self.product_tmpl_id
        expiry = product.device_certificate_expiry
        return [
            (_('Device class set'), product.device_class != 'none',
             product.device_class),
            (_('Device category set'), bool(product.device_category_id),
             product.device_category_id.display_name or ''),
            (_('Certificate number recorded'),
             bool(product.device_certificate_number),
             product.device_certificate_number or ''),
            (_('Certificate in date'), bool(
                product.device_certificate_number)
             and (not expiry or expiry >= today), expiry or ''),
            (_('Certificate scan attached'), bool(self.agreement_ids),
             ', '.join(self.agreement_ids.mapped('name'))),
        ]

    # Decisions

    def _check_reviewer(self):
        if not is_reviewer(self.env):
            raise AccessError(
                _('Only qualification reviewers may decide first-business '
                  'reviews.'))

    def _trade_company(self):
        """The company whose trade the review decides: its own (every
        review has one)."""
        return self.company_id

    def _validate_tier(self, tiers=False):
        """Approve one tier at a time, in the configured order, and never
        two tiers of the same review by the same person (four eyes)."""
        self.ensure_one()
        reviews = (tiers or self.review_ids).sorted(
            lambda r: (r.definition_id.sequence, r.id))
        user = self.env.user
        if reviews.filtered(lambda r: r.status == 'approved'
                            and r.done_by == user):
            raise UserError(
                _('%(user)s has already approved a tier of %(review)s: '
                  'another person must approve the next one.') % {
                    'user': user.name, 'review': self.name})
        pending = reviews.filtered(lambda r: r.status != 'approved')
        if not pending or user not in pending[0].reviewer_ids:
            raise AccessError(
                _('%(user)s may not approve the current tier of '
                  '%(review)s (%(tier)s).') % {
                    'user': user.name, 'review': self.name,
                    'tier': pending[:1].name or '-'})
        return super(MeddevQualificationReview, as_workflow(self)) \
            ._validate_tier(as_workflow(pending[0]))

    # Tier API: the only way tier reviews of first-business reviews change
    # (see tier_review.py).

    @api.multi
    def request_validation(self):
        """Create the approval tiers that apply to these reviews."""
        return super(MeddevQualificationReview, as_workflow(self)) \
            .request_validation()

    @api.multi
    def reject_tier(self):
        """Reject the current user's tiers of these reviews."""
        return super(MeddevQualificationReview, as_workflow(self)) \
            .reject_tier()

    @api.multi
    def restart_validation(self):
        """Drop the approval tiers to request them again: after a
        rejection, or by a reviewer; otherwise anyone could erase the
        approvals already given."""
        if not is_reviewer(self.env):
            kept = self.filtered(lambda review: review.review_ids and not any(
                tier.status == 'rejected' for tier in review.review_ids))
            if kept:
                raise AccessError(
                    _('The approval tiers of %(reviews)s are restarted after '
                      'a rejection, or by a qualification reviewer.') % {
                        'reviews': ', '.join(kept.mapped('name'))})
        return super(MeddevQualificationReview, as_workflow(self)) \
            .restart_validation()

    @api.multi
    def action_approve(self):
        """Approve the review: checklist passed and every tier approved by
        a member of its group."""
        self._check_reviewer()
        for review in self:
            review.action_compute_checklist()
            failed = review.line_ids.filtered(lambda line: not line.passed)
            if failed:
                raise UserError(
                    _('%(review)s cannot be approved: %(items)s.') % {
                        'review': review.name,
                        'items': ', '.join(failed.mapped('name'))})
            for tier_review in review.review_ids:
                if tier_review.status != 'approved' \
                        or tier_review.done_by not in tier_review.reviewer_ids:
                    raise AccessError(
                        _('%(review)s cannot be approved: tier "%(tier)s" '
                          'is not approved by one of its reviewers.') % {
                            'review': review.name,
                            'tier': tier_review.name})
        self._decide('approved')
        return True

    def _decide(self, state, note=False):
        """Record the reviewer's decision: state, who, when and why."""
        as_workflow(self).write({
            'state': state, 'decided_by_id': self.env.uid,
            'decision_date': fields.Datetime.now(), 'decision_note': note})

    def _check_draft(self):
        for review in self:
            if review.state != 'draft':
                raise UserError(
                    _('%(review)s has already been decided.') % {
                        'review': review.name})

    @api.multi
    def action_reject(self):
        """Button: ask the reviewer why the partner or product is
        refused."""
        self._check_reviewer()
        self._check_draft()
        return self.env['meddev.decision.reason.wizard']._open_for(
            self, 'reject')

    @api.multi
    def reject(self, reason):
        """Refuse the partner or product for ``reason`` (required text):
        trade with it stops (see the README)."""
        self._check_reviewer()
        reason = self.env['meddev.decision.reason.wizard']._clean_reason(
            reason, self)
        self._check_draft()
        self._decide('rejected', reason)
        return True

    @api.multi
    def action_cancel(self):
        """Withdraw draft reviews that are no longer needed (reviewers
        only: a cancelled review can no longer block trade)."""
        self._check_reviewer()
        self._check_draft()
        as_workflow(self).write({'state': 'cancel'})
        return True
