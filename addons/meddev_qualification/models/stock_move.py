from odoo import _, fields, models

# Directions of regulated goods that the partner's licences must cover:
# delivered to a customer, received from a supplier. Returns go the other
# way (customer to stock, stock to supplier) and are never held up: taking
# back or sending back goods (recalls, faulty supplies) must stay possible
# whatever the partner's licences.
DIRECTIONS = ('customer', 'supplier')
# Where goods leave stock for a customer without reaching a customer
# location yet: transit locations (consignment stock at the customer, goods
# on their way), and internal locations that a partner owns.
CONSIGNMENT_USAGES = ('transit', 'internal')


class StockMove(models.Model):
    """The delivery and receipt gate, on the moves themselves: whatever
    validates them (Validate, the immediate-transfer and backorder wizards,
    moves created for lines added on the transfer, moves without a
    transfer), and whatever the transfer's type, regulated goods reach a
    customer, or come from a supplier, only under that partner's licences,
    on the day of the move. Goods sent from stock to a transit location
    for a customer (consignment) are delivered to that customer too."""

    _inherit = 'stock.move'

    def _meddev_direction_moves(self, direction):
        """Return the moves that take goods to a customer
        (``direction`` 'customer') or from a supplier ('supplier')."""
        if direction == 'customer':
            return self.filtered(
                lambda move: move.location_dest_id.usage == 'customer'
                or move._meddev_consigned(move.location_id,
                                          move.location_dest_id))
        return self.filtered(lambda move: move.location_id.usage == 'supplier')

    def _meddev_consigned(self, source, dest):
        """Tell whether this move, from ``source`` to ``dest`` (its own
        locations, or those of one of its lines), takes goods out of stock
        to a transit location, or to an internal location a partner owns,
        bound for a customer: the transfer, the sale order, the move or the
        location names a partner that is not one of the companies. Between
        the companies' own warehouses it is not a delivery."""
        self.ensure_one()
        if source.usage != 'internal' \
                or dest.usage not in CONSIGNMENT_USAGES \
                or (dest.usage == 'internal' and not dest.partner_id):
            return False
        return bool(self._meddev_consignees(dest))

    def _meddev_consignees(self, dest):
        """Return the commercial partners to which a move to the transit
        or owned location ``dest`` consigns goods, the companies' own
        partners left out."""
        partners = (self.picking_id.partner_id
                    | self.sale_line_id.order_id.partner_id
                    | self.partner_id | dest.partner_id)
        # sudo: a stock user may not read every company.
        companies = self.env['res.company'].sudo().search([])
        return partners.mapped('commercial_partner_id') - companies.mapped(
            'partner_id.commercial_partner_id')

    def _meddev_trade_partners(self, direction):
        """Return the commercial partners whose licences must cover this
        move: for a delivery the consignee of the transfer and the buyer of
        the sale order (both, when they differ); for a receipt the supplier
        of the purchase order, else the partner of the transfer."""
        self.ensure_one()
        if direction == 'customer' \
                and self.location_dest_id.usage != 'customer':
            return self._meddev_consignees(self.location_dest_id)
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
