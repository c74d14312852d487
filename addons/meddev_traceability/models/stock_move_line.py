from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Where a unit of a lot under an open recall may still go: holding it
# (quarantine), disposing of it (scrap, back to the supplier), counting it
# (inventory) or handing it to another company of the group (transit).
HOLD_USAGES = ('transit', 'supplier', 'inventory')
# What may bring such a unit in: a customer's return, a receipt, an
# inventory count, a production output.
INCOMING_USAGES = ('customer', 'supplier', 'inventory', 'production')


class StockMoveLine(models.Model):
    """The quarantine of recalled lots, enforced on every path that moves
    stock: validation (_action_done), lines created or edited by hand,
    and edits of done lines, which move quants without _action_done."""

    _inherit = 'stock.move.line'

    @api.model_cr
    def init(self):
        # Odoo 11 indexes no column of stock_move_line but its id. A
        # recall's deliveries (meddev.lot.link._deliveries) read the lines
        # of its lots that went to or came from a customer: through the
        # lot for a few lots, through the customer locations for a large
        # recall (100 000 lots, whose lines at customers are a few
        # thousand). Partial: lines without a lot are never traced.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_stock_move_line_lot_id
                ON stock_move_line (lot_id) WHERE lot_id IS NOT NULL
        """)
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_stock_move_line_location_id
                ON stock_move_line (location_id) WHERE lot_id IS NOT NULL
        """)
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_stock_move_line_location_dest_id
                ON stock_move_line (location_dest_id)
             WHERE lot_id IS NOT NULL
        """)

    @api.model
    def create(self, vals):
        line = super(StockMoveLine, self).create(vals)
        if line.lot_id:
            # A line on a done transfer has moved its quants already: the
            # refusal rolls the whole request back.
            line._check_recall_movements([(
                line, line.lot_id, line.location_id, line.location_dest_id)])
        return line

    @api.multi
    def write(self, vals):
        returned = {}
        if set(vals) & set(['lot_id', 'qty_done', 'location_id',
                            'location_dest_id']):
            self._check_recall_movements(self._recall_movements_after(vals))
            returned = self._returned_by_edit(vals)
        result = super(StockMoveLine, self).write(vals)
        if returned:
            # Stock users edit the lines; the recall lines record them.
            counted = self.env['meddev.recall.line'].sudo()._record_returns(
                self.browse(list(returned)), quantities=returned,
                date=fields.Datetime.now())
            self._post_returns_by_edit(counted)
        return result

    def _post_returns_by_edit(self, counted):
        """Write in each recall's chatter the returns that an edit of a
        done line counted (``counted`` as _record_returns returns it):
        not a validated return, so the recall manager sees who did it."""
        for recall_line, move_line, quantity in counted:
            # The recall lines come as superuser (_record_returns): stock
            # users may not post on recalls; the message names the user.
            recall_line.recall_id.message_post(body=_(
                '%(quantity)g of %(lot)s counted as returned by '
                '%(customer)s: %(user)s edited the done transfer '
                '%(picking)s.') % {
                    'quantity': quantity,
                    'lot': recall_line.lot_id.name,
                    'customer': recall_line.partner_id.display_name,
                    'user': self.env.user.name,
                    'picking': move_line.picking_id.name or move_line.reference})

    def _returned_by_edit(self, vals):
        """Return {line id: quantity} that writing ``vals`` on these done
        lines brings back from a customer: Odoo moves the quants at once,
        without _action_done, so the return is counted here. The added
        quantity when only the quantity grows, all of it when the line now
        comes from a customer, or names another lot, than before."""
        returned = {}
        locations = self.env['stock.location']
        for line in self.filtered(lambda line: line.move_id.state == 'done'):
            lot_id = vals['lot_id'] if 'lot_id' in vals else line.lot_id.id
            source = locations.browse(vals['location_id']) \
                if 'location_id' in vals else line.location_id
            quantity = vals.get('qty_done', line.qty_done)
            if not lot_id or source.usage != 'customer':
                continue
            if (lot_id, source) == (line.lot_id.id, line.location_id):
                quantity -= line.qty_done
            if quantity > 0:
                returned[line.id] = quantity
        return returned

    def _recall_movements_after(self, vals):
        """Return the movements (line, lot, from, to) that writing ``vals``
        on these lines would make. A done line moves quants at once: Odoo
        takes back what it moved (destination to source) and moves the
        edited line again, so both count, except when only its quantity
        changes: then only the difference moves, forwards or back."""
        lots = self.env['stock.production.lot']
        locations = self.env['stock.location']
        movements = []
        for line in self:
            lot = lots.browse(vals['lot_id']) if 'lot_id' in vals \
                else line.lot_id
            source = locations.browse(vals['location_id']) \
                if 'location_id' in vals else line.location_id
            dest = locations.browse(vals['location_dest_id']) \
                if 'location_dest_id' in vals else line.location_dest_id
            quantity = vals.get('qty_done', line.qty_done)
            if line.move_id.state != 'done':
                if lot:
                    movements.append((line, lot, source, dest))
                continue
            if (lot, source, dest) == (
                    line.lot_id, line.location_id, line.location_dest_id):
                if lot and quantity > line.qty_done:
                    movements.append((line, lot, source, dest))
                elif lot and quantity < line.qty_done:
                    # Units taken back out of where they went (a
                    # quarantine location, say).
                    movements.append((line, lot, dest, source))
                continue
            if line.lot_id and line.qty_done:
                movements.append((line, line.lot_id, line.location_dest_id,
                                  line.location_id))
            if lot and quantity:
                movements.append((line, lot, source, dest))
        return movements

    def _action_done(self):
        lines = self.filtered(lambda line: line.lot_id and line.qty_done > 0)
        lines._redirect_recalled_returns()
        self._check_recall_movements([
            (line, line.lot_id, line.location_id, line.location_dest_id)
            for line in lines])
        result = super(StockMoveLine, self)._action_done()
        lines = lines.exists()
        lines._record_recall_movements()
        # Stock users validate returns; the recall lines record them.
        self.env['meddev.recall.line'].sudo()._record_returns(
            lines.filtered(lambda line: line.location_id.usage == 'customer'))
        return result

    @api.model
    def _recall_movement_kind(self, source, dest):
        """Return what moving a unit from ``source`` to ``dest`` means for
        a lot under an open recall: 'incoming' or 'hold' (allowed and
        recorded on the recall), else what is refused: 'delivery',
        'consumption' or 'move'."""
        if source.usage in INCOMING_USAGES:
            return 'incoming'
        if dest.recall_quarantine or dest.scrap_location or \
                dest.usage in HOLD_USAGES:
            return 'hold'
        if dest.usage == 'customer':
            return 'delivery'
        if dest.usage == 'production':
            return 'consumption'
        return 'move'

    @api.model
    def _check_recall_movements(self, movements):
        """Refuse, naming the recall, the movements (line, lot, from, to)
        of lots under an open recall towards use, and the release of
        units from a quarantine location by anyone but a recall manager."""
        if not movements:
            return
        recalls = self.env['meddev.recall']
        blocking = recalls._blocking_recalls(
            list(set(lot.id for _line, lot, _src, _dest in movements)))
        manager = self.env.user.has_group(
            'meddev_traceability.group_meddev_traceability_manager')
        for _line, lot, source, dest in movements:
            kind = self._recall_movement_kind(source, dest)
            if lot.id in blocking and kind not in ('incoming', 'hold'):
                recalls._check_lots_not_recalled(lot, {
                    'delivery': _('Delivery'),
                    'consumption': _('Consumption in manufacturing'),
                }.get(kind) or _('Move to %(location)s') % {
                    'location': dest.display_name})
            # Out of quarantine, a stock user may only dispose of units
            # (scrap, back to the supplier): a count or a transit location
            # would let a second move bring them back into stock.
            if source.recall_quarantine and not manager and not (
                    dest.recall_quarantine or dest.scrap_location
                    or dest.usage == 'supplier'):
                raise UserError(
                    _('The lot %(lot)s of %(product)s is held in the recall '
                      'quarantine location %(location)s: only a recall '
                      'manager may release it.') % {
                        'lot': lot.name,
                        'product': lot.product_id.display_name,
                        'location': source.display_name})

    def _redirect_recalled_returns(self):
        """Send the returns of lots under an open recall that would go
        back into stock to the company's recall quarantine location, so
        that closing the recall does not put them up for sale."""
        returns = self.filtered(
            lambda line: line.location_id.usage == 'customer'
            and line.location_dest_id.usage == 'internal'
            and not line.location_dest_id.recall_quarantine)
        if not returns:
            return
        blocking = self.env['meddev.recall']._blocking_recalls(
            returns.mapped('lot_id').ids)
        locations = self.env['stock.location']
        for line in returns.filtered(lambda line: line.lot_id.id in blocking):
            company = line.move_id.company_id or self.env.user.company_id
            quarantine = locations._recall_quarantine_location(company)
            # Nothing is reserved at a customer: no reservation to move.
            line.with_context(bypass_reservation_update=True).write(
                {'location_dest_id': quarantine.id})
            if line.picking_id:
                line.picking_id.message_post(body=_(
                    'The returned lot %(lot)s is under the open recall '
                    '%(recall)s: received into %(location)s.') % {
                        'lot': line.lot_id.name,
                        'recall': blocking[line.lot_id.id].name,
                        'location': quarantine.display_name})

    def _record_recall_movements(self):
        """Write on each open recall the movements of its lots that it let
        through (returns, quarantine, scrap, transit, supplier, counts),
        and on the lot the releases from quarantine."""
        blocking = self.env['meddev.recall']._blocking_recalls(
            self.mapped('lot_id').ids)
        notes = {}
        for line in self:
            recall = blocking.get(line.lot_id.id)
            text = _('%(quantity)s %(uom)s of %(lot)s from %(source)s to '
                     '%(dest)s (%(ref)s)') % {
                'quantity': line.qty_done, 'uom': line.product_uom_id.name,
                'lot': line.lot_id.name,
                'source': line.location_id.display_name,
                'dest': line.location_dest_id.display_name,
                'ref': line.reference or line.move_id.name or ''}
            if recall:
                notes.setdefault(recall, []).append(text)
            elif line.location_id.recall_quarantine and \
                    not line.location_dest_id.recall_quarantine:
                line.lot_id.message_post(body=_(
                    'Released from recall quarantine: %(move)s.') % {
                        'move': text})
        for recall, texts in notes.items():
            # Stock users move the units; the recall keeps their record.
            recall.sudo().message_post(body=_(
                'Recalled units moved: %(moves)s.') % {
                    'moves': '; '.join(texts)})
