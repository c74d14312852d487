from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .meddev_capa import GROUP_MANAGER


class MeddevCapa(models.Model):
    """The CAPA's approval and closure: approval tiers (OCA
    base_tier_validation), each approved with the approver's electronic
    signature, a rejected approval reopening the CAPA, and the signed
    closure by a quality manager."""

    _inherit = 'meddev.capa'

    def _get_under_validation_exceptions(self):
        return super(MeddevCapa, self)._get_under_validation_exceptions() + [
            'activity_ids', 'message_main_attachment_id']

    @api.multi
    def action_approve_signed(self):
        """Approve the current user's tier (signed by the wizard)."""
        return self.validate_tier()

    @api.multi
    def validate_tier(self):
        """Every tier approval carries the approver's electronic
        signature (21 CFR Part 11)."""
        self.ensure_one()
        self._check_state(['approval'], _('approval'))
        if self.rejected:
            # OCA's _validate_tier would turn the rejected rows of the
            # caller into approvals: a rejection stands until the CAPA is
            # reopened and submitted again.
            raise UserError(
                _('%(capa)s: its approval was rejected; the rejection '
                  'stands until the CAPA is reopened and submitted '
                  'again.') % {'capa': self.name})
        self._check_not_verifier(_('approve'))
        pending = self.sudo().review_ids.filtered(
            lambda review: review.status == 'pending')
        if not any(self.env.user in review._get_reviewers()
                   for review in pending):
            raise UserError(
                _('%(capa)s: you are not a reviewer of its pending '
                  'approval.') % {'capa': self.name})
        self.env['meddev.esignature']._check_signed(self, 'approval')
        # The flow writes the reviewer's rows (tier.review refuses users).
        return super(MeddevCapa, self._meddev_as_server()).validate_tier()

    def _validate_tier(self, tiers=False):
        """Approve only the caller's pending rows, never rejected ones
        (OCA approves both)."""
        pending = (tiers or self.review_ids).filtered(
            lambda review: review.status == 'pending')
        if not pending:
            return None
        return super(MeddevCapa, self)._validate_tier(tiers=pending)

    def _check_not_verifier(self, what):
        """Four eyes: whoever verified the effectiveness neither approves
        nor closes the CAPA."""
        for capa in self:
            if capa.verifier_id and capa.verifier_id == self.env.user:
                raise UserError(
                    _('%(capa)s: %(user)s verified its effectiveness and '
                      'may not %(what)s it too (four eyes): another '
                      'quality manager does.') % {
                        'capa': capa.name, 'user': self.env.user.name,
                        'what': what})

    @api.multi
    def action_request_approval_signature(self):
        """The verifier is refused before the password is asked."""
        self._check_not_verifier(_('approve'))
        return super(MeddevCapa, self).action_request_approval_signature()

    @api.multi
    def reject_tier(self):
        """A reviewer rejects their tier: the flow writes their rows (and
        posts the rejection in the chatter: only a reviewer of the CAPA's
        pending or approved tiers may)."""
        self.ensure_one()
        self._check_state(['approval'], _('rejecting the approval'))
        reviews = self.sudo().review_ids.filtered(
            lambda review: review.status in ('pending', 'approved'))
        if not any(self.env.user in review._get_reviewers()
                   for review in reviews):
            raise UserError(
                _('%(capa)s: you are not a reviewer of its approval.') % {
                    'capa': self.name})
        return super(MeddevCapa, self._meddev_as_server()).reject_tier()

    @api.multi
    def request_validation(self):
        """The flow creates the review rows (tier.review refuses users);
        the rows are returned in the caller's environment."""
        reviews = super(MeddevCapa,
                        self._meddev_as_server()).request_validation()
        return reviews.with_env(self.env)

    @api.multi
    def restart_validation(self):
        """Discarding the reviews (approved ones included) unlocks the
        verdict and the approved content: done by the reopening of a
        rejected CAPA, or by a quality manager."""
        if not self._meddev_is_server() and \
                not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                _('%(capas)s: only a quality manager may restart the '
                  'approval (it discards the reviews given).') % {
                    'capas': ', '.join(self.mapped('name'))})
        return super(MeddevCapa, self).restart_validation()

    @api.multi
    def action_reopen(self):
        """A rejected approval sends the CAPA back to implementation: the
        tiers start again once it is effective anew."""
        self._check_state(['approval'], _('reopening'))
        for capa in self:
            if not capa.rejected:
                raise UserError(
                    _('%(capa)s: only a rejected approval reopens the '
                      'CAPA.') % {'capa': capa.name})
            capa._meddev_as_server().restart_validation()
        return self._reopen(_('Approval rejected: the CAPA is reopened for '
                              'further actions.'))

    @api.multi
    def action_request_closure_signature(self):
        """Check the closure conditions, then ask for the password."""
        self.ensure_one()
        self._check_manager(_('close'))
        self._check_closure()
        return self.env['meddev.esignature.wizard']._action_open(
            self, 'action_close_signed', 'closure')

    def _check_closure(self):
        """Closing needs every action done with evidence, a passed
        effectiveness check by an independent verifier and every approval
        tier approved."""
        self.ensure_one()
        self._check_state(['approval'], _('closure'))
        self._check_not_verifier(_('close'))
        self._check_actions_done()
        self._check_implementation_checked()
        if self.effectiveness_result != 'effective':
            raise UserError(
                _('%(capa)s: the effectiveness check has not passed.') % {
                    'capa': self.name})
        self._check_verifier_independent()
        if not self.review_ids:
            self.request_validation()
        if not self.validated:
            raise UserError(
                _('%(capa)s: every approval tier must be approved before '
                  'closure.') % {'capa': self.name})
        self._check_tiers_signed()

    def _check_tiers_signed(self):
        """Every approved tier was approved by one of its reviewers with
        their electronic signature given to approve this CAPA (the
        approval button, not any action signed with the meaning
        'approval'), and every tier the CAPA needs has such a row: the
        rows are kept by the approval flow (see tier.review), the
        signatures by the e-signature wizard. One signature approves
        every tier of its signer at once, as OCA's validate_tier does."""
        self.ensure_one()
        reviews = self.sudo().review_ids
        for review in reviews:
            if not self._is_review_signed(review):
                raise UserError(
                    _('%(capa)s: the tier "%(tier)s" has no approval signed '
                      'by one of its reviewers.') % {
                        'capa': self.name, 'tier': review.name or '-'})
        # Compare with the tiers the CAPA needs, not with the rows that
        # are left: a missing row is a tier nobody approved.
        definitions = self.env['tier.definition'].sudo().search(
            [('model', '=', self._name)])
        for definition in definitions:
            if not self.sudo().evaluate_tier(definition):
                continue
            if not reviews.filtered(
                    lambda review: review.definition_id == definition and
                    review.status == 'approved'):
                raise UserError(
                    _('%(capa)s: the tier "%(tier)s" has no approval signed '
                      'by one of its reviewers.') % {
                        'capa': self.name, 'tier': definition.name or '-'})

    def _is_review_signed(self, review):
        """Whether ``review`` was approved by one of its definition's
        reviewers with the signature given to approve this CAPA."""
        # Reviewers from the tier's definition, not the stored list.
        return review.definition_id.model == self._name and \
            review.done_by in review._get_reviewers() and \
            bool(self.env['meddev.esignature'].sudo().search_count([
                ('res_model', '=', self._name), ('res_id', '=', self.id),
                ('meaning', '=', 'approval'), ('consumed', '=', True),
                ('method', '=', 'action_approve_signed'),
                ('user_id', '=', review.done_by.id),
                ('signed_on', '>=', review.create_date)]))

    @api.multi
    def action_close_signed(self):
        """Close the CAPA (signed by the wizard); quality managers only."""
        self.ensure_one()
        self._check_manager(_('close'))
        self._check_closure()
        self.env['meddev.esignature']._check_signed(self, 'closure')
        return self._set_state('closed', closed_date=fields.Datetime.now())
