from odoo import _, api, fields, models

from .stock_move import DIRECTIONS

# Changes of a done line that send more or other goods: checked again.
MOVING_FIELDS = ('product_id', 'location_id', 'location_dest_id', 'lot_id')


class StockMoveLine(models.Model):
    """Lines added to a done transfer, and done lines given a larger
    quantity or another product or place, move quants without
    ``_action_done``: they pass the gate too, on the day of the change.
    Lowering a quantity (a correction) is never held up."""

    _inherit = 'stock.move.line'

    def _meddev_gate_items(self, direction):
        """Return the (document, partner, product, today, company) of these
        lines going to a customer or coming from a supplier."""
        today = fields.Date.context_today(self)
        usage = 'location_dest_id' if direction == 'customer' \
            else 'location_id'
        items = []
        for line in self.filtered(
                lambda line: line[usage].usage == direction
                or direction == 'customer' and line.move_id
                and line.move_id._meddev_consigned(
                    line.location_id, line.location_dest_id)):
            move = line.move_id
            document = line.picking_id or move
            if move and line.location_dest_id.usage != 'customer' \
                    and direction == 'customer':
                partners = move._meddev_consignees(line.location_dest_id)
            elif move:
                partners = move._meddev_trade_partners(direction)
            else:
                partners = line.picking_id.partner_id.commercial_partner_id
            for partner in partners or [partners]:
                items.append((document, partner, line.product_id, today,
                              move.company_id or line.picking_id.company_id))
        return self.env['meddev.trade.gate'].items_gated(items, direction)

    def _meddev_enforce_gate(self):
        labels = {'customer': _('delivered'), 'supplier': _('received')}
        for direction in DIRECTIONS:
            self.env['meddev.trade.gate'].enforce(
                self._meddev_gate_items(direction), labels[direction])

    @api.model
    def create(self, vals):
        line = super(StockMoveLine, self).create(vals)
        if line.state == 'done':
            line._meddev_enforce_gate()
        return line

    @api.multi
    def write(self, vals):
        done = self.filtered(lambda line: line.state == 'done')
        moving = done.filtered(
            lambda line: any(
                name in vals and line._fields[name].convert_to_write(
                    line[name], line) != vals[name]
                for name in MOVING_FIELDS)
            or vals.get('qty_done', line.qty_done) > line.qty_done)
        result = super(StockMoveLine, self).write(vals)
        moving._meddev_enforce_gate()
        return result
