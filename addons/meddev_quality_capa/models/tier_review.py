from odoo import _, api, models
from odoo.exceptions import AccessError

from odoo.addons.meddev_base.tools import create_values

from .meddev_capa import GROUP_MANAGER
from .record_label import readable_label


class TierReview(models.Model):
    """The approval rows of the quality documents are written by their
    approval flow only (or a quality manager). base_tier_validation gives
    every user full rights on ``tier.review``: deleting or rewriting the
    rows of a CAPA in approval would drop a pending tier, discard the
    approvals given or unlock the verifier's verdict."""

    _inherit = 'tier.review'

    @api.model
    def _meddev_is_quality_document(self, model):
        """Whether ``model`` is a quality document's model."""
        mixin = self.env.registry['meddev.quality.context.mixin']
        return bool(model) and model in self.env and \
            isinstance(self.env[model], mixin)

    @api.model
    def _meddev_check_quality_rows(self, targets, what):
        """Refuse to ``what`` the rows of the (model, res_id) ``targets``
        that are quality documents, unless the document's approval flow
        does it (the server mark) or a quality manager."""
        if self.env['meddev.guarded.mixin']._meddev_is_server() or \
                self.env.user.has_group(GROUP_MANAGER):
            return
        names = sorted(set(
            readable_label(self.env, model, res_id)
            for model, res_id in targets
            if self._meddev_is_quality_document(model)))
        if names:
            raise AccessError(
                _('%(names)s: the approval reviews of quality documents '
                  'are kept by their approval flow; only a quality manager '
                  'may %(what)s them.') % {
                    'names': ', '.join(names), 'what': what})

    def _meddev_targets(self):
        return [(review.model, review.res_id) for review in self.sudo()]

    @api.model
    def create(self, vals):
        # The document as the create will store it: the caller's
        # default_model/default_res_id context keys and saved defaults
        # count as much as the values.
        asked = create_values(self, vals, ('model', 'res_id'))
        self._meddev_check_quality_rows(
            [(asked.get('model'), asked.get('res_id'))], _('create'))
        return super(TierReview, self).create(vals)

    @api.multi
    def write(self, vals):
        targets = self._meddev_targets()
        if 'model' in vals or 'res_id' in vals:
            # Moved onto another document: that one is checked too.
            targets += [(vals.get('model', model), vals.get('res_id', res_id))
                        for model, res_id in targets]
        self._meddev_check_quality_rows(targets, _('change'))
        return super(TierReview, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_quality_rows(self._meddev_targets(), _('delete'))
        return super(TierReview, self).unlink()
