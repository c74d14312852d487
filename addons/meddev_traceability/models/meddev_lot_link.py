from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.addons import decimal_precision as dp

from ..lib.genealogy import find_cycle


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
    removal_reason = fields.Text(
        readonly=True,
        help="Why the link was retired: a part swap, or a wrong link "
             "corrected by a recall manager.")
    removed_uid = fields.Many2one(
        'res.users', string='Retired By', readonly=True)
    state = fields.Selection([
        ('current', 'Current'),
        ('removed', 'Retired'),
    ], compute='_compute_state',
        help="Retired links stay as history; traces and recalls no longer "
             "go through them.")

    _sql_constraints = [
        ('parent_child_different', 'CHECK (parent_lot_id != child_lot_id)',
         'A lot or serial number cannot be a component of itself.'),
        ('quantity_positive', 'CHECK (quantity > 0)',
         'The quantity of a lot link must be positive.'),
    ]

    @api.model_cr
    def init(self):
        # The trace reads (from, to, quantity, company) of current links
        # only: with these, each step is an index-only scan.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_lot_link_walk_forward
                ON meddev_lot_link (child_lot_id, parent_lot_id, company_id,
                                    quantity)
             WHERE date_removed IS NULL
        """)
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS meddev_lot_link_walk_backward
                ON meddev_lot_link (parent_lot_id, child_lot_id, company_id,
                                    quantity)
             WHERE date_removed IS NULL
        """)

    @api.depends('date_removed')
    def _compute_state(self):
        for link in self:
            link.state = 'removed' if link.date_removed else 'current'

    @api.constrains('parent_lot_id', 'child_lot_id', 'date_removed')
    def _check_no_cycle(self):
        """Refuse a link, however recorded, that closes a cycle."""
        if self.env.context.get('meddev_cycle_checked'):
            return
        for link in self.filtered(lambda link: not link.date_removed):
            if self._contains(link.child_lot_id, link.parent_lot_id):
                raise ValidationError(self._cycle_message(
                    link.parent_lot_id, link.child_lot_id))

    @api.model
    def _cycle_message(self, parent_lot, child_lot):
        return _('%(parent)s cannot contain %(child)s: %(child)s already '
                 'contains %(parent)s.') % {
                     'parent': parent_lot.display_name,
                     'child': child_lot.display_name}

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
        if self._contains(child_lot, parent_lot):
            raise UserError(self._cycle_message(parent_lot, child_lot))
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
        return self.with_context(meddev_cycle_checked=True).create(vals)

    @api.model
    def remove_link(self, parent_lot, child_lot, source=False, date=False,
                    reason=False):
        """Record that ``child_lot`` was taken out of ``parent_lot`` (the
        old part of a service swap) and return the links closed.

        The links stay as history; traces and recalls no longer go through
        them; ``reason`` is kept with them. Raises a UserError when the
        component is not in the parent. Runs with the caller's rights.
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
            'removal_reason': reason or False,
            'removed_uid': self.env.uid,
        })
        return links

    @api.multi
    def action_retire(self):
        """Open the wizard that retires these links with a reason."""
        self.check_access_rights('write')
        return {
            'type': 'ir.actions.act_window',
            'name': _('Retire Lot Links'),
            'res_model': 'meddev.lot.link.retire',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_link_ids': [(6, 0, self.ids)]},
        }

    @api.multi
    def _retire(self, reason, source=False):
        """Retire these links (a wrong link, a link that closed a cycle),
        keeping them as history with ``reason``; recall managers only."""
        if not reason or not reason.strip():
            raise UserError(_('Say why the lot links are retired.'))
        self.check_access_rights('write')
        self.check_access_rule('write')
        retired = self.filtered('date_removed')
        if retired:
            raise UserError(
                _('The lot link %(link)s is already retired.') % {
                    'link': retired[0].display_name})
        self.write({
            'date_removed': fields.Datetime.now(),
            'removed_ref': source or False,
            'removal_reason': reason.strip(),
            'removed_uid': self.env.uid,
        })
        return True

    @api.model
    def _trace(self, lot_ids, direction):
        """Walk the genealogy from ``lot_ids``, all levels, in one recursive
        query: 'backward' to the components, 'forward' to what contains
        them. Return one dict per lot reached (lot_id, via_lot_id, level,
        quantity), nearest level first, through the current links (not
        the removed ones) that the user may read. A cycle or a walk deeper
        than _TRACE_MAX_DEPTH raises a UserError naming the lots on it."""
        rows, complete = self._trace_rows(lot_ids, direction)
        return rows

    @api.model
    def _trace_capped(self, lot_ids, direction, limit):
        """Like _trace, but stop after ``limit`` lots: return (rows,
        complete), ``complete`` False when lots were left out. For screens
        that show a genealogy as it opens; a cycle is reported only when
        the walk reached it within the limit."""
        return self._trace_rows(lot_ids, direction, limit=limit)

    def _trace_rows(self, lot_ids, direction, limit=None):
        if not lot_ids:
            return [], True
        start, reach = self._trace_columns(direction)
        self.check_access_rights('read')
        rule, rule_params = self._read_rule_sql()
        # Walk lots, not paths: each level keeps one row per lot (DISTINCT
        # ON), so shared components cost their links once per level, and
        # the depth cap ends a walk through a cycle (found apart, below).
        # Column names come from _trace_columns, never from input.
        query = """
            WITH RECURSIVE walk(lot_id, via_lot_id, level, quantity) AS (
                SELECT DISTINCT ON (meddev_lot_link.{reach})
                       meddev_lot_link.{reach}, meddev_lot_link.{start}, 1,
                       meddev_lot_link.quantity
                  FROM meddev_lot_link
                 WHERE meddev_lot_link.{start} = ANY(%(lots)s)
                   AND meddev_lot_link.date_removed IS NULL
                   AND ({rule})
                UNION ALL
                SELECT DISTINCT ON (meddev_lot_link.{reach})
                       meddev_lot_link.{reach}, meddev_lot_link.{start},
                       walk.level + 1, meddev_lot_link.quantity
                  FROM walk
                  JOIN meddev_lot_link
                    ON meddev_lot_link.{start} = walk.lot_id
                 WHERE walk.level < %(depth)s
                   AND meddev_lot_link.date_removed IS NULL
                   AND ({rule})
            )
        """.format(start=start, reach=reach, rule=rule)
        params = dict(rule_params, lots=list(lot_ids),
                      depth=self._TRACE_MAX_DEPTH)
        # The walk comes out level by level, nearest first.
        if limit:
            # A LIMIT stops the walk early.
            self.env.cr.execute(query + """
                SELECT lot_id, via_lot_id, level, quantity FROM walk
                 LIMIT %(limit)s
            """, dict(params, limit=limit + 1))
            fetched = self.env.cr.fetchall()
            complete = len(fetched) <= limit
            columns = list(zip(*fetched[:limit])) or [(), (), (), ()]
        else:
            # Four arrays rather than rows: a trace may reach 60 000 lots.
            self.env.cr.execute(query + """
                SELECT array_agg(lot_id), array_agg(via_lot_id),
                       array_agg(level), array_agg(quantity::float8)
                  FROM walk
            """, params)
            columns = [column or () for column in self.env.cr.fetchone()]
            complete = True
        if columns[2] and max(columns[2]) >= self._TRACE_MAX_DEPTH:
            self._raise_cycle(self._find_cycle(lot_ids, direction))
        keys = ('lot_id', 'via_lot_id', 'level', 'quantity')
        rows = zip(*columns)
        if len(set(columns[0])) < len(columns[0]):
            # A lot reached at several levels is kept at the nearest.
            seen = set()
            rows = [row for row in rows
                    if row[0] not in seen and not seen.add(row[0])]
        result = [dict(zip(keys, row)) for row in rows]
        return result, complete

    @api.model
    def _trace_columns(self, direction):
        """Return the (from, to) columns of a walk in ``direction``."""
        if direction == 'backward':
            return 'parent_lot_id', 'child_lot_id'
        if direction == 'forward':
            return 'child_lot_id', 'parent_lot_id'
        raise ValueError('direction is backward or forward')

    @api.model
    def _read_rule_sql(self, model_name=None):
        """Return (SQL condition on the table of ``model_name``, default
        meddev.lot.link, named by its table name; params) that keeps the
        rows the user may read under its record rules (the current company
        and its children by default), for raw queries. No condition for
        the superuser, as for the ORM."""
        model = self.env[model_name or self._name]
        query = model._where_calc([])
        model._apply_ir_rules(query, 'read')
        from_clause, where_clause, params = query.get_sql()
        if not where_clause:
            return 'TRUE', {}
        table = '"%s"' % model._table
        if from_clause.strip() != table:
            # A rule that joins other tables: keep it whole, as a subquery.
            where_clause = '%s.id IN (SELECT %s.id FROM %s WHERE %s)' % (
                model._table, table, from_clause, where_clause)
        # Inline the rule's own parameters, escaped by the driver, so that
        # callers keep their named parameters.
        sql = self.env.cr.mogrify(where_clause, params)
        if isinstance(sql, bytes):
            sql = sql.decode('utf-8')
        return sql.replace('%', '%%'), {}

    @api.model
    def _find_cycle(self, lot_ids, direction):
        """Return the lot ids of a cycle reachable from ``lot_ids`` in
        ``direction`` (first repeated at the end), or None when the walk is
        merely deeper than _TRACE_MAX_DEPTH. Reads every link reachable,
        once: for the error path, not for every trace."""
        start, reach = self._trace_columns(direction)
        rule, rule_params = self._read_rule_sql()
        # UNION on the lot alone ends by itself, cycle or not.
        self.env.cr.execute("""
            WITH RECURSIVE reached(lot_id) AS (
                SELECT unnest(%(lots)s::int[])
                UNION
                SELECT meddev_lot_link.{reach}
                  FROM reached
                  JOIN meddev_lot_link
                    ON meddev_lot_link.{start} = reached.lot_id
                 WHERE meddev_lot_link.date_removed IS NULL AND ({rule})
            )
            SELECT meddev_lot_link.{start}, meddev_lot_link.{reach}
              FROM meddev_lot_link
              JOIN reached ON reached.lot_id = meddev_lot_link.{start}
             WHERE meddev_lot_link.date_removed IS NULL AND ({rule})
        """.format(start=start, reach=reach, rule=rule),
            dict(rule_params, lots=list(lot_ids)))
        return find_cycle(self.env.cr.fetchall(), list(lot_ids))

    @api.model
    def _contains(self, container, component):
        """Tell whether ``component`` is inside ``container`` already, at
        any level, through current links of every company: a link from
        ``component`` to ``container`` would close a cycle."""
        # Every company's links: a cycle is bad data wherever it lies.
        self.env.cr.execute("""
            WITH RECURSIVE inside(lot_id) AS (
                SELECT %(container)s
                UNION
                SELECT l.child_lot_id
                  FROM inside
                  JOIN meddev_lot_link l ON l.parent_lot_id = inside.lot_id
                 WHERE l.date_removed IS NULL
            )
            SELECT 1 FROM inside WHERE lot_id = %(component)s LIMIT 1
        """, {'container': container.id, 'component': component.id})
        return bool(self.env.cr.fetchone())

    @api.model
    def _raise_cycle(self, path):
        """Refuse a trace through bad data, naming the lots of the cycle
        (or saying the genealogy is too deep when ``path`` is empty)."""
        if not path:
            raise UserError(
                _('The lot genealogy is deeper than %(depth)d levels and '
                  'cannot be traced. Correct the lot links.') % {
                    'depth': self._TRACE_MAX_DEPTH})
        lots = self.env['stock.production.lot'].sudo().browse(path)
        names = dict((lot.id, lot.name) for lot in lots)
        raise UserError(
            _('The lot genealogy holds a cycle and cannot be traced: '
              '%(lots)s. Retire one of these links.') % {
                'lots': ' > '.join(names.get(lot_id, str(lot_id))
                                   for lot_id in path)})
