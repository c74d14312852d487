from odoo import api, models


class TierDefinition(models.Model):
    _inherit = 'tier.definition'

    @api.model
    def _get_tier_validation_model_names(self):
        """Credit overrides may need tiers of reviewers (by amount over
        the limit, say) before a credit manager approves them."""
        names = super(TierDefinition, self)._get_tier_validation_model_names()
        names.append('meddev.credit.override')
        return names
