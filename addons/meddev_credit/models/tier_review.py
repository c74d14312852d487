from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

from odoo.addons.meddev_base.tools import create_values

# What a reviewer writes on their own review through the tier API
# (validate_tier, reject_tier).
REVIEWER_FIELDS = {'status', 'done_by', 'reviewed_date'}


class TierReview(models.Model):
    """OCA's tier reviews are writable by every user: a forged status or
    reviewer would pass the approval of a credit override. Reviews of
    overrides are created by the server (the request) and changed only by
    their reviewer, recording their own decision."""

    _inherit = 'tier.review'

    @api.model
    def create(self, vals):
        # The model as the create will store it: a default_model context
        # key counts as much as the values.
        if create_values(self, vals, ('model',)).get('model') == \
                'meddev.credit.override':
            self._check_credit_review_change()
        return super(TierReview, self).create(vals)

    @api.multi
    def write(self, vals):
        credit_reviews = self.filtered(
            lambda review: review.model == 'meddev.credit.override')
        if credit_reviews:
            credit_reviews._check_credit_review_change(vals)
        return super(TierReview, self).write(vals)

    @api.multi
    def unlink(self):
        if any(review.model == 'meddev.credit.override' for review in self):
            self._check_credit_review_change()
        return super(TierReview, self).unlink()

    def _check_credit_review_change(self, vals=None):
        """Refuse a change of an override's reviews other than a reviewer
        validating or rejecting in their own name."""
        if self.env.uid == SUPERUSER_ID:
            return
        own_decision = (
            vals is not None and set(vals) <= REVIEWER_FIELDS
            and vals.get('done_by') == self.env.uid
            and vals.get('status') in ('approved', 'rejected')
            and all(self.env.user in review.reviewer_ids for review in self))
        if not own_decision:
            raise AccessError(_(
                'The reviews of credit overrides change only through their '
                'Validate and Reject buttons, by their reviewers.'))
        if vals['status'] == 'approved':
            # Four eyes on every tier, the override's rule (as for its
            # approval). Sudo: a reviewer may be no reader of the order.
            self.env['meddev.credit.override'].sudo().browse(
                self.mapped('res_id')).exists()._check_independent_decider(
                    self.env.user, tier=True)
