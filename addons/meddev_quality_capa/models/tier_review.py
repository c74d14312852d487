from odoo import _, api, models
from odoo.exceptions import AccessError

from .meddev_capa import GROUP_MANAGER


class TierReview(models.Model):
    """The approval rows of the quality documents are written by their
    approval flow only (or a quality manager). base_tier_validation gives
    every user full rights on ``tier.review``: deleting or rewriting the
    rows of a CAPA in approval would drop a pending tier, discard the
    approvals given or unlock the verifier's verdict."""

    _inherit = 'tier.review'

    def _meddev_quality_rows(self):
        """The rows among these that approve a quality document."""
        mixin = self.env.registry['meddev.quality.context.mixin']
        return self.filtered(lambda review: review.model in self.env and
                             isinstance(self.env[review.model], mixin))

    def _meddev_check_quality_rows(self, what):
        """Refuse to ``what`` the rows of quality documents unless the
        document's approval flow does it (the server mark) or a quality
        manager."""
        if self.env['meddev.guarded.mixin']._meddev_is_server() or \
                self.env.user.has_group(GROUP_MANAGER):
            return
        rows = self.sudo()._meddev_quality_rows()
        if rows:
            raise AccessError(
                _('%(names)s: the approval reviews of quality documents '
                  'are kept by their approval flow; only a quality manager '
                  'may %(what)s them.') % {
                    'names': ', '.join(sorted(set(rows.mapped(
                        lambda review: self.env[review.model].sudo().browse(
                            review.res_id).display_name)))),
                    'what': what})

    @api.model
    def create(self, vals):
        review = super(TierReview, self).create(vals)
        review._meddev_check_quality_rows(_('create'))
        return review

    @api.multi
    def write(self, vals):
        self._meddev_check_quality_rows(_('change'))
        return super(TierReview, self).write(vals)

    @api.multi
    def unlink(self):
        self._meddev_check_quality_rows(_('delete'))
        return super(TierReview, self).unlink()
