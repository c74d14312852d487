from odoo import api, fields, models

from ..lib.sql_array import int_array_literal


class MeddevLotLink(models.Model):
    """The customer side of the genealogy: where the lots went."""

    _inherit = 'meddev.lot.link'

    @api.model
    def _deliveries(self, lot_ids, until=False):
        """Return the done deliveries to customers of ``lot_ids``, one
        query: dicts (lot_id, product_id, partner_id, customer_id,
        picking_id, date, quantity, returned; quantities in the product's
        unit), summed per lot and picking.

        ``partner_id`` is the address the goods went to (the sale order's
        delivery address, also on dropship, else the transfer's contact);
        ``customer_id`` its commercial partner (the sale order's customer
        when there is one), whom a recall notifies. ``returned`` is what
        that customer sent back of the lot up to ``until`` (default now),
        set against its deliveries of the lot oldest first, never above a
        delivery's quantity. Needs read access to transfers; keeps to the
        stock moves the record rules let the user read.
        """
        if not lot_ids:
            return []
        # The rows reveal transfers and their partners.
        self.env['stock.picking'].check_access_rights('read')
        query, params = self._deliveries_query(lot_ids, until)
        self.env.cr.execute(query, params)
        columns = [column[0] for column in self.env.cr.description]
        return [dict(zip(columns, row)) for row in self.env.cr.fetchall()]

    def _deliveries_query(self, lot_ids, until=False):
        """Return (SQL, params) of _deliveries: apart, so that a test can
        EXPLAIN it.

        Odoo 11 indexes no column of stock_move_line: the lines to or from
        a customer location are found through the indexes of this module
        (stock.move.line init()), by the customer location ids (read
        first, constants the planner weighs against the lots), not by
        joining every line of the lots to its locations. A recall
        reaching 111 000 lots read all their 220 000 lines and hashed
        stock_move and sale_order whole (1.7 s, a parallel plan); the
        lines at customer locations are 2 000 (70 ms). The lots go as one
        text literal: a Python list becomes ARRAY[...] of one constant per
        lot, slow to send and to parse at that size."""
        rule, rule_params = self._read_rule_sql('stock.move')
        self.env.cr.execute(
            "SELECT id FROM stock_location WHERE usage = 'customer'")
        customers = [row[0] for row in self.env.cr.fetchall()] or [0]
        query = """
            WITH moved AS (
                SELECT ml.lot_id, ml.product_id, ml.date, stock_move.picking_id,
                       CASE WHEN dest.usage = 'customer'
                            THEN COALESCE(so.partner_shipping_id,
                                          p.partner_id, stock_move.partner_id)
                            ELSE COALESCE(p.partner_id, stock_move.partner_id)
                       END AS partner_id,
                       so.partner_id AS order_partner_id,
                       src.usage AS src_usage, dest.usage AS dest_usage,
                       ml.qty_done / mu.factor * pu.factor AS quantity
                  FROM stock_move_line ml
                  JOIN stock_move ON stock_move.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dest ON dest.id = ml.location_dest_id
                  JOIN product_uom mu ON mu.id = ml.product_uom_id
                  JOIN product_product pp ON pp.id = ml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN product_uom pu ON pu.id = pt.uom_id
                  LEFT JOIN stock_picking p ON p.id = stock_move.picking_id
                  LEFT JOIN procurement_group g ON g.id = stock_move.group_id
                  LEFT JOIN sale_order so
                    ON so.id = COALESCE(p.sale_id, g.sale_id)
                 WHERE ml.lot_id = ANY(%(lots)s::int[])
                   AND ml.state = 'done'
                   AND (ml.location_id = ANY(%(customers)s)
                        OR ml.location_dest_id = ANY(%(customers)s))
                   AND (src.usage = 'customer') != (dest.usage = 'customer')
                   AND ({rule})
            ), customer AS (
                SELECT moved.*,
                       COALESCE(op.commercial_partner_id,
                                ap.commercial_partner_id) AS customer_id
                  FROM moved
                  LEFT JOIN res_partner op ON op.id = moved.order_partner_id
                  LEFT JOIN res_partner ap ON ap.id = moved.partner_id
            ), shipped AS (
                SELECT lot_id, product_id, partner_id, customer_id,
                       picking_id, MAX(date) AS date,
                       SUM(quantity) AS quantity
                  FROM customer
                 WHERE dest_usage = 'customer'
                 GROUP BY lot_id, product_id, partner_id, customer_id,
                          picking_id
            ), returned AS (
                SELECT lot_id, customer_id, SUM(quantity) AS quantity
                  FROM customer
                 WHERE src_usage = 'customer' AND date <= %(until)s
                 GROUP BY lot_id, customer_id
            ), running AS (
                SELECT s.*, COALESCE(r.quantity, 0) AS back,
                       SUM(s.quantity) OVER (
                           PARTITION BY s.lot_id, s.customer_id
                           ORDER BY s.date, s.picking_id) AS upto
                  FROM shipped s
                  LEFT JOIN returned r
                    ON r.lot_id = s.lot_id
                   AND r.customer_id IS NOT DISTINCT FROM s.customer_id
            )
            SELECT lot_id, product_id, partner_id, customer_id, picking_id,
                   date, quantity,
                   LEAST(quantity, GREATEST(0, back - (upto - quantity)))
                       AS returned
              FROM running
             ORDER BY lot_id, date
        """.format(rule=rule)
        return query, dict(rule_params, lots=int_array_literal(lot_ids),
                           customers=customers,
                           until=until or fields.Datetime.now())
