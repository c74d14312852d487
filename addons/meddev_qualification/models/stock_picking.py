from odoo import _, fields, models

# Picking types whose partner must be licensed for what moves: the customer
# of a delivery, the supplier of a receipt.
GATED_PICKING_TYPES = ('outgoing', 'incoming')


class StockPicking(models.Model):
    _inherit = 'stock.picking'

    def _meddev_gate_items(self):
        """Return the (picking, partner, product, today, company) of every
        regulated move of deliveries and receipts: a licence may expire or
        be revoked between order and shipment. Returns are not checked:
        taking back or sending back goods (recalls, faulty supplies) must
        stay possible whatever the partner's licences."""
        today = fields.Date.context_today(self)
        return [
            (picking, picking.partner_id.commercial_partner_id,
             move.product_id, today, picking.company_id)
            for picking in self
            if picking.picking_type_code in GATED_PICKING_TYPES
            and picking.partner_id
            for move in picking.move_lines
            if move.state != 'cancel' and not move.origin_returned_move_id]

    def action_done(self):
        """Refuse to deliver regulated products the customer's licences do
        not cover, or to receive them from a supplier whose licences do not,
        on the day of the transfer."""
        labels = {'outgoing': _('delivered'), 'incoming': _('received')}
        for code, label in labels.items():
            pickings = self.filtered(
                lambda picking, code=code: picking.picking_type_code == code)
            self.env['meddev.trade.gate'].enforce(
                pickings._meddev_gate_items(), label)
        return super(StockPicking, self).action_done()
