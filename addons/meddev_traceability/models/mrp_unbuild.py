from odoo import _, api, models


class MrpUnbuild(models.Model):
    """Unbuilding a unit under an open recall is refused: the recall
    decides what becomes of it (return, rework, scrap), and taking it apart
    would put its components back into stock outside the recall's record."""

    _inherit = 'mrp.unbuild'

    @api.multi
    def action_unbuild(self):
        for unbuild in self.filtered('lot_id'):
            self.env['meddev.recall']._check_lots_not_recalled(
                unbuild.lot_id, _('Unbuild %(name)s') % {
                    'name': unbuild.name})
        return super(MrpUnbuild, self).action_unbuild()
