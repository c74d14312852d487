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
        pending = self.sudo().review_ids.filtered(
            lambda review: review.status == 'pending')
        if not any(self.env.user in review._get_reviewers()
                   for review in pending):
            raise UserError(
                _('%(capa)s: you are not a reviewer of its pending '
                  'approval.') % {'capa': self.name})
        self.env['meddev.esignature']._check_signed(self, 'approval')
        return super(MeddevCapa, self).validate_tier()

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
        self._check_actions_done()
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
        'approval'): tier reviews are rows any user may write, signatures
        are not. One signature approves every tier of its signer at once,
        as OCA's validate_tier does."""
        self.ensure_one()
        signatures = self.env['meddev.esignature'].sudo()
        for review in self.sudo().review_ids:
            # Reviewers from the tier's definition, not the stored list.
            signed = review.definition_id.model == self._name and \
                review.done_by in review._get_reviewers() and \
                signatures.search_count([
                    ('res_model', '=', self._name), ('res_id', '=', self.id),
                    ('meaning', '=', 'approval'), ('consumed', '=', True),
                    ('method', '=', 'action_approve_signed'),
                    ('user_id', '=', review.done_by.id),
                    ('signed_on', '>=', review.create_date)])
            if not signed:
                raise UserError(
                    _('%(capa)s: the tier "%(tier)s" has no approval signed '
                      'by one of its reviewers.') % {
                        'capa': self.name, 'tier': review.name or '-'})

    @api.multi
    def action_close_signed(self):
        """Close the CAPA (signed by the wizard); quality managers only."""
        self.ensure_one()
        self._check_manager(_('close'))
        self._check_closure()
        self.env['meddev.esignature']._check_signed(self, 'closure')
        return self._set_state('closed', closed_date=fields.Datetime.now())
