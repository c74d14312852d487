from odoo import api, fields, models, tools


class MeddevServiceComponentFailure(models.Model):
    """Repairs counted per component lot: every repair of a serial counts
    for each lot inside it (all levels of the genealogy, as it stood when
    the ticket opened), so that a bad component batch stands out. Stored
    (materialized), refreshed by a cron."""

    _name = 'meddev.service.component.failure'
    _description = 'Component Lot Failure Report'
    _auto = False
    _order = 'failure_count desc'

    component_lot_id = fields.Many2one(
        'stock.production.lot', string='Component Lot', readonly=True)
    component_product_id = fields.Many2one(
        'product.product', string='Component', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    failure_count = fields.Integer(string='Repairs', readonly=True)
    serial_count = fields.Integer(string='Serials Repaired', readonly=True)

    def init(self):
        cr = self.env.cr
        # A plain view (older versions) or the materialized one.
        cr.execute("SELECT relkind FROM pg_class WHERE relname = %s",
                   [self._table])
        kind = cr.fetchone()
        if kind and kind[0] == 'm':
            cr.execute('DROP MATERIALIZED VIEW meddev_service_component_failure')
        elif kind:
            tools.drop_view_if_exists(cr, self._table)
        # Materialized: the genealogy walk runs when the cron refreshes
        # it, not on every read. The walk goes lot by lot (UNION drops a
        # (ticket, lot) pair already reached), never path by path: a
        # component shared by many assemblies is reached once per repair
        # and a cycle ends the walk.
        cr.execute("""
            CREATE MATERIALIZED VIEW meddev_service_component_failure AS (
            WITH RECURSIVE tree(ticket_id, opened, lot_id) AS (
                SELECT t.id, t.date_open, l.child_lot_id
                  FROM meddev_service_ticket t
                  JOIN meddev_lot_link l ON l.parent_lot_id = t.lot_id
                 WHERE t.ticket_type = 'repair' AND t.lot_id IS NOT NULL
                   AND l.date <= t.date_open
                   AND (l.date_removed IS NULL
                        OR l.date_removed > t.date_open)
                UNION
                SELECT tr.ticket_id, tr.opened, l.child_lot_id
                  FROM tree tr
                  JOIN meddev_lot_link l ON l.parent_lot_id = tr.lot_id
                 WHERE l.date <= tr.opened
                   AND (l.date_removed IS NULL
                        OR l.date_removed > tr.opened)
            )
            SELECT row_number() OVER (
                       ORDER BY tree.lot_id, t.company_id) AS id,
                   tree.lot_id AS component_lot_id,
                   lot.product_id AS component_product_id,
                   t.company_id,
                   COUNT(DISTINCT tree.ticket_id) AS failure_count,
                   COUNT(DISTINCT t.lot_id) AS serial_count
              FROM tree
              JOIN meddev_service_ticket t ON t.id = tree.ticket_id
              JOIN stock_production_lot lot ON lot.id = tree.lot_id
             GROUP BY tree.lot_id, lot.product_id, t.company_id
            )
        """)
        cr.execute("""
            CREATE UNIQUE INDEX meddev_service_component_failure_id_idx
                ON meddev_service_component_failure (id)
        """)

    @api.model
    def _refresh(self):
        """Recount the repairs per component lot (cron, or the refresh
        button of the report)."""
        self.env['meddev.service.ticket'].recompute()
        self.env.cr.execute(
            # Concurrently: the report stays readable while it runs.
            'REFRESH MATERIALIZED VIEW CONCURRENTLY '
            'meddev_service_component_failure')
        self.invalidate_cache()
        return True
