from odoo import fields, models, tools


class MeddevServiceComponentFailure(models.Model):
    """Repairs counted per component lot: every repair of a serial counts
    for each lot inside it (all levels of the genealogy, as it stood when
    the ticket opened), so that a bad component batch stands out."""

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
        tools.drop_view_if_exists(self.env.cr, self._table)
        # One recursive walk down the genealogy of every repaired serial;
        # the path array stops a walk at the first repeated lot.
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW meddev_service_component_failure AS (
            WITH RECURSIVE tree(ticket_id, opened, lot_id, path) AS (
                SELECT t.id, t.date_open, l.child_lot_id,
                       ARRAY[t.lot_id, l.child_lot_id]
                  FROM meddev_service_ticket t
                  JOIN meddev_lot_link l ON l.parent_lot_id = t.lot_id
                 WHERE t.ticket_type = 'repair' AND t.lot_id IS NOT NULL
                   AND l.date <= t.date_open
                   AND (l.date_removed IS NULL
                        OR l.date_removed > t.date_open)
                UNION ALL
                SELECT tr.ticket_id, tr.opened, l.child_lot_id,
                       tr.path || l.child_lot_id
                  FROM tree tr
                  JOIN meddev_lot_link l ON l.parent_lot_id = tr.lot_id
                 WHERE NOT l.child_lot_id = ANY(tr.path)
                   AND array_length(tr.path, 1) < 64
                   AND l.date <= tr.opened
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
