from odoo import _, api, models
from odoo.exceptions import UserError

from ..lib.genealogy import find_cycle


class GenealogyCycleError(UserError):
    """A trace met a cycle of links (bad data written past the checks):
    ``path`` holds the lot ids of the cycle, the first repeated last."""

    def __init__(self, msg, path):
        super(GenealogyCycleError, self).__init__(msg)
        self.path = path


class MeddevLotLink(models.Model):
    """The walk through the genealogy: one recursive query per trace,
    lots not paths, within the links the record rules show."""

    _inherit = 'meddev.lot.link'

    # Deeper than this, a genealogy is taken for bad data, like a cycle.
    _TRACE_MAX_DEPTH = 64

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
        return self._trace_walk(lot_ids, direction, limit=limit)

    def _trace_walk(self, lot_ids, direction, limit=None):
        """Walk the links from ``lot_ids``: return (rows, complete) as
        _trace_capped.

        Each lot comes once, at its nearest level; among the links that
        reach it at that level, the one from the smallest lot id, then
        with the smallest quantity, gives its via and quantity (one rule,
        whatever the order the rows were written in)."""
        columns, complete = self._trace_walk_columns(
            lot_ids, direction, limit=limit)
        result = [{'lot_id': lot_id, 'via_lot_id': via_lot_id,
                   'level': level, 'quantity': quantity}
                  for lot_id, via_lot_id, level, quantity in zip(*columns)]
        return result, complete

    @api.model
    def _trace_reached(self, lot_ids, direction):
        """Return the set of lot ids that _trace would return rows for
        (same walk, same refusal of a cycle), without building a dict per
        lot: a recall's scope needs the ids only, and may reach 100 000
        lots."""
        return set(self._trace_walk_columns(lot_ids, direction)[0][0])

    def _trace_walk_columns(self, lot_ids, direction, limit=None):
        """The walk of _trace_walk as four columns (lot ids, vias,
        levels, quantities), each lot once: return (columns, complete)."""
        if not lot_ids:
            return [(), (), (), ()], True
        start, reach = self._trace_columns(direction)
        self.check_access_rights('read')
        rule, rule_params = self._read_rule_sql()
        # Walk lots, not paths: each level keeps one row per lot (DISTINCT
        # ON), so shared components cost their links once per level, and
        # the depth cap ends a walk through a cycle (found apart, below).
        # The ORDER BY (allowed in a subquery of the recursive term) makes
        # the tie rule above explicit. Column names come from
        # _trace_columns, never from input.
        query = """
            WITH RECURSIVE walk(lot_id, via_lot_id, level, quantity) AS (
                SELECT * FROM (
                    SELECT DISTINCT ON (meddev_lot_link.{reach})
                           meddev_lot_link.{reach}, meddev_lot_link.{start},
                           1, meddev_lot_link.quantity
                      FROM meddev_lot_link
                     WHERE meddev_lot_link.{start} = ANY(%(lots)s)
                       AND meddev_lot_link.date_removed IS NULL
                       AND ({rule})
                     ORDER BY meddev_lot_link.{reach},
                              meddev_lot_link.{start},
                              meddev_lot_link.quantity
                ) first_step
                UNION ALL
                SELECT * FROM (
                    SELECT DISTINCT ON (meddev_lot_link.{reach})
                           meddev_lot_link.{reach}, meddev_lot_link.{start},
                           walk.level + 1, meddev_lot_link.quantity
                      FROM walk
                      JOIN meddev_lot_link
                        ON meddev_lot_link.{start} = walk.lot_id
                     WHERE walk.level < %(depth)s
                       AND meddev_lot_link.date_removed IS NULL
                       AND ({rule})
                     ORDER BY meddev_lot_link.{reach},
                              meddev_lot_link.{start},
                              meddev_lot_link.quantity
                ) step
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
        if len(set(columns[0])) < len(columns[0]):
            # A lot reached at several levels is kept at the nearest.
            seen = set()
            rows = [row for row in zip(*columns)
                    if row[0] not in seen and not seen.add(row[0])]
            columns = list(zip(*rows))
        return columns, complete

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
    def _raise_cycle(self, path):
        """Refuse a trace through bad data, naming the lots of the cycle
        (or saying the genealogy is too deep when ``path`` is empty)."""
        if not path:
            raise GenealogyCycleError(
                _('The lot genealogy is deeper than %(depth)d levels and '
                  'cannot be traced. Correct the lot links.') % {
                    'depth': self._TRACE_MAX_DEPTH}, [])
        raise GenealogyCycleError(
            _('The lot genealogy holds a cycle and cannot be traced: '
              '%(lots)s. Retire one of these links.') % {
                'lots': self._cycle_names(path)}, path)

    @api.model
    def _cycle_names(self, path):
        """Return the lots of the cycle ``path`` as 'A > B > A'."""
        # Names only, of lots on a path the user's own links reached.
        lots = self.env['stock.production.lot'].sudo().browse(path)
        names = dict((lot.id, lot.name) for lot in lots)
        return ' > '.join(names.get(lot_id, str(lot_id)) for lot_id in path)

    @api.model
    def _trace_lot_ids(self, lot_ids, direction):
        """Return the set of lot ids reached from ``lot_ids`` in
        ``direction``, all levels, through the current links the user may
        read: no level, via or quantity, and a cycle does not stop it (a
        UNION over lots ends by itself). For a scope that must be complete
        even through bad data: a recall."""
        if not lot_ids:
            return set()
        start, reach = self._trace_columns(direction)
        self.check_access_rights('read')
        rule, rule_params = self._read_rule_sql()
        self.env.cr.execute("""
            WITH RECURSIVE reached(lot_id) AS (
                SELECT meddev_lot_link.{reach}
                  FROM meddev_lot_link
                 WHERE meddev_lot_link.{start} = ANY(%(lots)s)
                   AND meddev_lot_link.date_removed IS NULL AND ({rule})
                UNION
                SELECT meddev_lot_link.{reach}
                  FROM reached
                  JOIN meddev_lot_link
                    ON meddev_lot_link.{start} = reached.lot_id
                 WHERE meddev_lot_link.date_removed IS NULL AND ({rule})
            )
            SELECT array_agg(lot_id) FROM reached
        """.format(start=start, reach=reach, rule=rule),
            dict(rule_params, lots=list(lot_ids)))
        return set(self.env.cr.fetchone()[0] or ())
