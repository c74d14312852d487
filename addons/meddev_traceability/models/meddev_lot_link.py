from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.addons import decimal_precision as dp


class MeddevLotLink(models.Model):
    """One edge of the lot genealogy: a child lot went into a parent lot.

    Manufacturing, service part swaps, manual entries and imports all record
    their links here, so that a recall can trace down from a finished serial
    to its components and up from a component lot to every finished serial.
    """

    _name = 'meddev.lot.link'
    _description = 'Lot Genealogy Link'
    _order = 'date desc, id desc'

    parent_lot_id = fields.Many2one(
        'stock.production.lot', string='Parent Lot/Serial', required=True,
        index=True, ondelete='restrict',
        help="The lot or serial number that was made from, or now contains, "
             "the component lot.")
    parent_product_id = fields.Many2one(
        related='parent_lot_id.product_id', string='Parent Product',
        readonly=True)
    child_lot_id = fields.Many2one(
        'stock.production.lot', string='Component Lot/Serial', required=True,
        index=True, ondelete='restrict')
    child_product_id = fields.Many2one(
        related='child_lot_id.product_id', string='Component Product',
        readonly=True)
    quantity = fields.Float(
        required=True, default=1.0,
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of the component lot, in its product's unit of "
             "measure, that went into the parent.")
    origin = fields.Selection([
        ('manufacturing', 'Manufacturing'),
        ('service', 'Service'),
        ('manual', 'Manual'),
        ('import', 'Import'),
    ], required=True, default='manual', index=True,
        help="What recorded the link: a manufacturing order, a part swap "
             "during service, a user, or a data import.")
    origin_ref = fields.Char(
        string='Source Document',
        help="Reference of the document that recorded the link, e.g. a "
             "manufacturing order or a service ticket.")
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.lot.link'))

    production_id = fields.Many2one(
        'mrp.production', string='Manufacturing Order', index=True,
        readonly=True, ondelete='restrict',
        help="The manufacturing order that recorded this link, if any.")

    date_removed = fields.Datetime(
        string='Removed On', index=True, readonly=True,
        help="When the component was taken out of the parent (a part "
             "swapped in service). Removed links stay as history but no "
             "longer count in traces and recalls.")
    removed_ref = fields.Char(
        string='Removed By', readonly=True,
        help="Reference of the document that took the component out.")

    _sql_constraints = [
        ('parent_child_different', 'CHECK (parent_lot_id != child_lot_id)',
         'A lot or serial number cannot be a component of itself.'),
        ('quantity_positive', 'CHECK (quantity > 0)',
         'The quantity of a lot link must be positive.'),
    ]

    @api.multi
    def name_get(self):
        """Name a link after its two lots: parent > component."""
        return [
            (link.id, '%s > %s' % (link.parent_lot_id.name,
                                   link.child_lot_id.name))
            for link in self
        ]

    # Deeper than this, a genealogy is taken for bad data, like a cycle.
    _TRACE_MAX_DEPTH = 64

    @api.model
    def add_link(self, parent_lot, child_lot, quantity=1.0,
                 origin='manual', source=False, date=False, **extra):
        """Record that ``quantity`` of ``child_lot`` went into
        ``parent_lot`` and return the new link.

        The public way for other modules to extend the genealogy (the
        service module records part swaps with origin 'service' and the
        ticket as ``source``). ``extra`` holds further field values. A link
        that would close a cycle (the parent already inside the component)
        is refused with a UserError. Runs with the caller's rights.
        """
        parent_lot.ensure_one()
        child_lot.ensure_one()
        if parent_lot == child_lot:
            raise UserError(
                _('The lot %(lot)s cannot be a component of itself.')
                % {'lot': parent_lot.display_name})
        inside = [row['lot_id'] for row in self._trace(child_lot.ids,
                                                       'backward')]
        if parent_lot.id in inside:
            raise UserError(
                _('%(parent)s cannot contain %(child)s: %(child)s already '
                  'contains %(parent)s.') % {
                    'parent': parent_lot.display_name,
                    'child': child_lot.display_name})
        vals = dict(extra)
        vals.update({
            'parent_lot_id': parent_lot.id,
            'child_lot_id': child_lot.id,
            'quantity': quantity,
            'origin': origin,
            'origin_ref': source or False,
        })
        if date:
            vals['date'] = date
        return self.create(vals)

    @api.model
    def remove_link(self, parent_lot, child_lot, source=False, date=False):
        """Record that ``child_lot`` was taken out of ``parent_lot`` (the
        old part of a service swap) and return the links closed.

        The links stay as history; traces and recalls no longer go through
        them. Raises a UserError when the component is not in the parent.
        Runs with the caller's rights.
        """
        links = self.search([
            ('parent_lot_id', '=', parent_lot.id),
            ('child_lot_id', '=', child_lot.id),
            ('date_removed', '=', False)])
        if not links:
            raise UserError(
                _('%(child)s is not a current component of %(parent)s.') % {
                    'child': child_lot.display_name,
                    'parent': parent_lot.display_name})
        links.write({
            'date_removed': date or fields.Datetime.now(),
            'removed_ref': source or False,
        })
        return links

    @api.model
    def _trace(self, lot_ids, direction):
        """Walk the genealogy from ``lot_ids``, all levels, in one recursive
        query: 'backward' to the components, 'forward' to what contains
        them. Return one dict per lot reached (lot_id, via_lot_id, level,
        quantity), nearest level first, through the current links (not
        the removed ones). A cycle or a walk deeper than
        _TRACE_MAX_DEPTH raises a UserError naming the lots on it."""
        if not lot_ids:
            return []
        if direction == 'backward':
            start, reach = 'parent_lot_id', 'child_lot_id'
        elif direction == 'forward':
            start, reach = 'child_lot_id', 'parent_lot_id'
        else:
            raise ValueError('direction is backward or forward')
        self.check_access_rights('read')
        # Column names come from the two constants above, never from input;
        # the path array stops every walk at the first repeated lot.
        query = """
            WITH RECURSIVE tree(lot_id, via_lot_id, level, quantity, path,
                                cycle) AS (
                SELECT l.{reach}, l.{start}, 1, l.quantity,
                       ARRAY[l.{start}, l.{reach}], FALSE
                  FROM meddev_lot_link l
                 WHERE l.{start} = ANY(%(lots)s)
                   AND l.date_removed IS NULL
                   AND (l.company_id IS NULL
                        OR l.company_id = ANY(%(companies)s))
                UNION ALL
                SELECT l.{reach}, l.{start}, t.level + 1, l.quantity,
                       t.path || l.{reach}, l.{reach} = ANY(t.path)
                  FROM tree t
                  JOIN meddev_lot_link l ON l.{start} = t.lot_id
                 WHERE NOT t.cycle AND t.level < %(depth)s
                   AND l.date_removed IS NULL
                   AND (l.company_id IS NULL
                        OR l.company_id = ANY(%(companies)s))
            )
            SELECT lot_id, via_lot_id, level, quantity, path, cycle
              FROM tree
             ORDER BY level, lot_id
        """.format(start=start, reach=reach)
        self.env.cr.execute(query, {
            'lots': list(lot_ids),
            'companies': self.env.user.company_ids.ids,
            'depth': self._TRACE_MAX_DEPTH,
        })
        rows = self.env.cr.fetchall()
        result = []
        seen = set()
        for lot_id, via_lot_id, level, quantity, path, cycle in rows:
            if cycle or level >= self._TRACE_MAX_DEPTH:
                self._raise_cycle(path)
            if lot_id in seen:
                continue
            seen.add(lot_id)
            result.append({
                'lot_id': lot_id, 'via_lot_id': via_lot_id,
                'level': level, 'quantity': quantity,
            })
        return result

    @api.model
    def _raise_cycle(self, path):
        """Refuse a trace through bad data, naming the lots of the cycle."""
        lots = self.env['stock.production.lot'].sudo().browse(path)
        names = dict((lot.id, lot.name) for lot in lots)
        raise UserError(
            _('The lot genealogy holds a cycle and cannot be traced: '
              '%(lots)s. Correct the lot links.') % {
                'lots': ' > '.join(names.get(lot_id, str(lot_id))
                                   for lot_id in path)})

    @api.model
    def _deliveries(self, lot_ids, until=False):
        """Return the done deliveries to customers of ``lot_ids``, one
        query: dicts (lot_id, product_id, partner_id, picking_id, date,
        quantity, returned; quantities in the product's unit), summed per
        lot and picking. ``returned`` is what the customer sent back of
        that lot up to ``until`` (default now), set against its
        deliveries of the lot oldest first, never above a delivery's
        quantity."""
        if not lot_ids:
            return []
        self.env.cr.execute("""
            WITH moved AS (
                SELECT ml.lot_id, ml.product_id, ml.date, m.picking_id,
                       COALESCE(p.partner_id, m.partner_id) AS partner_id,
                       src.usage AS src_usage, dest.usage AS dest_usage,
                       ml.qty_done / mu.factor * pu.factor AS quantity
                  FROM stock_move_line ml
                  JOIN stock_move m ON m.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dest ON dest.id = ml.location_dest_id
                  JOIN product_uom mu ON mu.id = ml.product_uom_id
                  JOIN product_product pp ON pp.id = ml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN product_uom pu ON pu.id = pt.uom_id
                  LEFT JOIN stock_picking p ON p.id = m.picking_id
                 WHERE ml.lot_id = ANY(%(lots)s)
                   AND ml.state = 'done'
                   AND (src.usage = 'customer') != (dest.usage = 'customer')
                   AND (m.company_id IS NULL
                        OR m.company_id = ANY(%(companies)s))
            ), shipped AS (
                SELECT lot_id, product_id, partner_id, picking_id,
                       MAX(date) AS date, SUM(quantity) AS quantity
                  FROM moved
                 WHERE dest_usage = 'customer'
                 GROUP BY lot_id, product_id, partner_id, picking_id
            ), returned AS (
                SELECT lot_id, partner_id, SUM(quantity) AS quantity
                  FROM moved
                 WHERE src_usage = 'customer' AND date <= %(until)s
                 GROUP BY lot_id, partner_id
            ), running AS (
                SELECT s.*, COALESCE(r.quantity, 0) AS back,
                       SUM(s.quantity) OVER (
                           PARTITION BY s.lot_id, s.partner_id
                           ORDER BY s.date, s.picking_id) AS upto
                  FROM shipped s
                  LEFT JOIN returned r
                    ON r.lot_id = s.lot_id
                   AND r.partner_id IS NOT DISTINCT FROM s.partner_id
            )
            SELECT lot_id, product_id, partner_id, picking_id, date,
                   quantity,
                   LEAST(quantity, GREATEST(0, back - (upto - quantity)))
                       AS returned
              FROM running
             ORDER BY lot_id, date
        """, {'lots': list(lot_ids),
              'companies': self.env.user.company_ids.ids,
              'until': until or fields.Datetime.now()})
        columns = [column[0] for column in self.env.cr.description]
        return [dict(zip(columns, row)) for row in self.env.cr.fetchall()]
