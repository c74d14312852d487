from odoo import _, fields, models

# Directions of regulated goods that the partner's licences must cover:
# delivered to a customer, received from a supplier. Returns go the other
# way (customer to stock, stock to supplier) and are never held up: taking
# back or sending back goods (recalls, faulty supplies) must stay possible
# whatever the partner's licences.
DIRECTIONS = ('customer', 'supplier')


class StockMove(models.Model):
    """The delivery and receipt gate, on the moves themselves: whatever
    validates them (Validate, the immediate-transfer and backorder wizards,
    moves created for lines added on the transfer, moves without a
    transfer), and whatever the transfer's type, regulated goods reach a
    customer, or come from a supplier, only under that partner's licences,
    on the day of the move."""

    _inherit = 'stock.move'

    def _meddev_direction_moves(self, direction):
        """Return the moves that take goods to a customer
        (``direction`` 'customer') or from a supplier ('supplier')."""
        if direction == 'customer':
            return self.filtered(
                lambda move: move.location_dest_id.usage == 'customer')
        return self.filtered(lambda move: move.location_id.usage == 'supplier')

    def _meddev_trade_partners(self, direction):
        """Return the commercial partners whose licences must cover this
        move: for a delivery the consignee of the transfer and the buyer of
        the sale order (both, when they differ); for a receipt the supplier
        of the purchase order, else the partner of the transfer."""
        self.ensure_one()
        if direction == 'customer':
            partners = (self.picking_id.partner_id
                        | self.sale_line_id.order_id.partner_id) \
                or self.partner_id
        else:
            partners = self.purchase_line_id.order_id.partner_id \
                or self.picking_id.partner_id or self.partner_id
        return partners.mapped('commercial_partner_id')

    def _meddev_gate_items(self, direction):
        """Return the (document, partner, product, today, company) of these
        moves for the gate; a move whose partner is unknown is checked
        against no partner, which the gate refuses for regulated goods."""
        today = fields.Date.context_today(self)
        items = []
        for move in self._meddev_direction_moves(direction):
            document = move.picking_id or move
            partners = move._meddev_trade_partners(direction)
            for partner in partners or [partners]:
                items.append((document, partner, move.product_id, today,
                              move.company_id))
        return self.env['meddev.trade.gate'].items_gated(items, direction)

    def _action_done(self):
        moving = self.filtered(
            lambda move: move.state not in ('done', 'cancel')
            and move.quantity_done > 0)
        labels = {'customer': _('delivered'), 'supplier': _('received')}
        for direction in DIRECTIONS:
            self.env['meddev.trade.gate'].enforce(
                moving._meddev_gate_items(direction), labels[direction])
        return super(StockMove, self)._action_done()
