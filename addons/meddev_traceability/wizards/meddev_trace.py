from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp


class MeddevTrace(models.TransientModel):
    """One run of a trace from a lot: the rows it found, to list, filter,
    group and export."""

    _name = 'meddev.trace'
    _description = 'Lot Trace'

    lot_id = fields.Many2one(
        'stock.production.lot', string='Traced Lot/Serial', required=True)
    direction = fields.Selection([
        ('backward', 'Backward (components)'),
        ('forward', 'Forward (where used, customers)'),
    ], required=True)
    line_ids = fields.One2many('meddev.trace.line', 'trace_id')

    @api.model
    def _open_trace(self, lot, direction):
        """Run the trace from ``lot`` and open its rows in a list view."""
        trace = self.create({'lot_id': lot.id, 'direction': direction})
        trace._fill_lines()
        action = self.env.ref(
            'meddev_traceability.meddev_trace_line_action').read()[0]
        action['domain'] = [('trace_id', '=', trace.id)]
        if direction == 'backward':
            action['name'] = _('Components of %(lot)s') % {'lot': lot.name}
        else:
            action['name'] = _('Where %(lot)s went') % {'lot': lot.name}
        return action

    def _fill_lines(self):
        """Store the rows of the trace with one insert per kind of row."""
        self.ensure_one()
        links = self.env['meddev.lot.link']
        rows = links._trace(self.lot_id.ids, self.direction)
        lots = [{'lot_id': self.lot_id.id, 'via_lot_id': None, 'level': 0,
                 'quantity': None}] + rows
        self._insert_lines('lot', [
            (row['lot_id'], row['via_lot_id'], row['level'],
             row['quantity'], None, None, None) for row in lots])
        if self.direction == 'forward':
            level = dict((row['lot_id'], row['level']) for row in lots)
            deliveries = links._deliveries(sorted(level))
            self._insert_lines('delivery', [
                (row['lot_id'], None, level[row['lot_id']], row['quantity'],
                 row['partner_id'], row['picking_id'], row['date'])
                for row in deliveries])

    def _insert_lines(self, kind, rows):
        if not rows:
            return
        columns = list(zip(*rows))
        # One INSERT for all rows: a trace may reach thousands of lots.
        self.env.cr.execute("""
            INSERT INTO meddev_trace_line (
                trace_id, kind, lot_id, product_id, via_lot_id, level,
                quantity, partner_id, picking_id, date,
                create_uid, create_date, write_uid, write_date)
            SELECT %(trace)s, %(kind)s, r.lot_id, lot.product_id,
                   r.via_lot_id, r.level, r.quantity, r.partner_id,
                   r.picking_id, r.date,
                   %(uid)s, now() at time zone 'UTC',
                   %(uid)s, now() at time zone 'UTC'
              FROM unnest(%(lot)s::int[], %(via)s::int[], %(level)s::int[],
                          %(quantity)s::numeric[], %(partner)s::int[],
                          %(picking)s::int[], %(date)s::timestamp[])
                   AS r(lot_id, via_lot_id, level, quantity, partner_id,
                        picking_id, date)
              JOIN stock_production_lot lot ON lot.id = r.lot_id
        """, {
            'trace': self.id, 'kind': kind, 'uid': self.env.uid,
            'lot': list(columns[0]), 'via': list(columns[1]),
            'level': list(columns[2]), 'quantity': list(columns[3]),
            'partner': list(columns[4]), 'picking': list(columns[5]),
            'date': list(columns[6]),
        })
        self.env['meddev.trace.line'].invalidate_cache()


class MeddevTraceLine(models.TransientModel):
    """A lot reached by a trace, or a delivery of such a lot."""

    _name = 'meddev.trace.line'
    _description = 'Lot Trace Row'
    _order = 'kind desc, level, id'

    trace_id = fields.Many2one(
        'meddev.trace', required=True, index=True, ondelete='cascade')
    kind = fields.Selection([
        ('lot', 'Lot'),
        ('delivery', 'Delivery'),
    ], required=True)
    level = fields.Integer(
        help="Number of genealogy links between the traced lot and this "
             "one; 0 for the traced lot itself.")
    lot_id = fields.Many2one('stock.production.lot', string='Lot/Serial')
    product_id = fields.Many2one('product.product', string='Product')
    via_lot_id = fields.Many2one(
        'stock.production.lot', string='Reached Through',
        help="The lot linked to this one on the way from the traced lot.")
    quantity = fields.Float(
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of the link, or quantity delivered.")
    partner_id = fields.Many2one('res.partner', string='Customer')
    picking_id = fields.Many2one('stock.picking', string='Delivery')
    date = fields.Datetime()
