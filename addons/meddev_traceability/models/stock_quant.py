from odoo import _, models


class StockQuant(models.Model):
    _inherit = 'stock.quant'

    def _gather(self, product_id, location_id, lot_id=None, package_id=None,
                owner_id=None, strict=False):
        quants = super(StockQuant, self)._gather(
            product_id, location_id, lot_id=lot_id, package_id=package_id,
            owner_id=owner_id, strict=strict)
        if not self.env.context.get('meddev_skip_recalled'):
            return quants
        if not location_id.recall_quarantine:
            # Automatic reservation never takes units held in a recall
            # quarantine location, even one set inside the stock.
            quants = quants.filtered(
                lambda quant: not quant.location_id.recall_quarantine)
        if product_id.tracking == 'none':
            return quants
        # Automatic reservation passes over quarantined lots.
        blocked = self.env['meddev.recall']._blocking_recalls(
            quants.mapped('lot_id').ids)
        if not blocked:
            return quants
        return quants.filtered(lambda quant: quant.lot_id.id not in blocked)

    def _update_reserved_quantity(self, product_id, location_id, quantity,
                                  lot_id=None, package_id=None, owner_id=None,
                                  strict=False):
        # Automatic reservation already skips them (see _gather); a lot
        # chosen by hand is refused with the recall's name.
        if lot_id and quantity > 0 and \
                not self.env.context.get('meddev_skip_recalled'):
            self.env['meddev.recall']._check_lots_not_recalled(
                lot_id, _('Reservation'))
        return super(StockQuant, self)._update_reserved_quantity(
            product_id, location_id, quantity, lot_id=lot_id,
            package_id=package_id, owner_id=owner_id, strict=strict)
