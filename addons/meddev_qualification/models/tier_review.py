from odoo import _, api, models
from odoo.exceptions import AccessError

from .access import in_workflow

# Models of this module whose approval tiers only the tier API may change.
GUARDED_MODELS = ('meddev.qualification.review',)


class TierReview(models.Model):
    """OCA's tier reviews are writable by every user, so a forged
    ``status``/``done_by`` would pass an approval. The tiers of this
    module's documents change only through the tier API of the document
    (request, validate, reject, restart), which marks its writes; the tiers
    of other modules' documents are left as base_tier_validation made
    them."""

    _inherit = 'tier.review'

    @api.model
    def create(self, vals):
        if vals.get('model') in GUARDED_MODELS:
            self._check_tier_api({vals['model']})
        return super(TierReview, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_tier_api(set(self.mapped('model')))
        return super(TierReview, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_tier_api(set(self.mapped('model')))
        return super(TierReview, self).unlink()

    def _check_tier_api(self, models_touched):
        """Refuse a change of this module's tiers outside the tier API."""
        guarded = models_touched & set(GUARDED_MODELS)
        if not guarded or in_workflow(self) \
                or self.env.user._is_superuser():
            return
        raise AccessError(
            _('Approval tiers of %(documents)s change only through their '
              'buttons (request validation, validate, reject).') % {
                'documents': ', '.join(sorted(
                    self.env['ir.model']._get(name).name
                    for name in guarded))})
