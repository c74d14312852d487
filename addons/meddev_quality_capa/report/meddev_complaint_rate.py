from odoo import api, fields, models, tools


def rate_per_thousand(complaints, delivered):
    """Return the complaints per thousand units delivered, or None when
    nothing was delivered (no rate, rather than an infinite one)."""
    if not delivered:
        return None
    return 1000.0 * (complaints or 0) / delivered


class MeddevComplaintRate(models.Model):
    """Complaints per thousand units delivered, per product, company and
    month: one SQL view over complaints and done customer deliveries."""

    _name = 'meddev.complaint.rate'
    _description = 'Complaint Rate per Thousand Delivered'
    _auto = False
    _order = 'month desc, product_id'

    month = fields.Date(readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    complaint_count = fields.Integer(string='Complaints', readonly=True)
    delivered_qty = fields.Float(string='Delivered', readonly=True)
    rate = fields.Float(
        string='Complaints per 1000 Delivered', readonly=True,
        group_operator='max',
        help="Complaints received in the month per thousand units of the "
             "product delivered to customers in that month; a group's rate "
             "(a total, a quarter) is its complaints per thousand of its "
             "deliveries, never a sum or a maximum of rates.")

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Compute each group's rate from its summed complaints and
        deliveries: rates of months or products are not added up."""
        names = [name.split(':')[0] for name in fields]
        if 'rate' not in names:
            return super(MeddevComplaintRate, self).read_group(
                domain, fields, groupby, offset=offset, limit=limit,
                orderby=orderby, lazy=lazy)
        extra = [name for name in ('complaint_count', 'delivered_qty')
                 if name not in names]
        groups = super(MeddevComplaintRate, self).read_group(
            domain, list(fields) + extra, groupby, offset=offset,
            limit=limit, orderby=orderby, lazy=lazy)
        for group in groups:
            rate = rate_per_thousand(group.get('complaint_count'),
                                     group.get('delivered_qty'))
            group['rate'] = rate if rate is not None else False
            for name in extra:
                group.pop(name, None)
        return groups

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW meddev_complaint_rate AS (
                WITH complaints AS (
                    SELECT date_trunc('month', received_date)::date AS month,
                           product_id, company_id, COUNT(*) AS n
                      FROM meddev_complaint
                     WHERE state != 'cancel' AND product_id IS NOT NULL
                     GROUP BY 1, 2, 3
                ), deliveries AS (
                    SELECT date_trunc('month', m.date)::date AS month,
                           m.product_id, m.company_id,
                           SUM(m.product_qty) AS qty
                      FROM stock_move m
                      JOIN stock_location dest
                        ON dest.id = m.location_dest_id
                      JOIN stock_location src ON src.id = m.location_id
                     WHERE m.state = 'done' AND dest.usage = 'customer'
                       AND src.usage = 'internal'
                     GROUP BY 1, 2, 3
                )
                SELECT row_number() OVER () AS id,
                       COALESCE(c.month, d.month) AS month,
                       COALESCE(c.product_id, d.product_id) AS product_id,
                       COALESCE(c.company_id, d.company_id) AS company_id,
                       COALESCE(c.n, 0) AS complaint_count,
                       COALESCE(d.qty, 0) AS delivered_qty,
                       CASE WHEN COALESCE(d.qty, 0) > 0
                            THEN 1000.0 * COALESCE(c.n, 0) / d.qty
                            ELSE NULL END AS rate
                  FROM complaints c
                  FULL OUTER JOIN deliveries d
                    ON d.month = c.month AND d.product_id = c.product_id
                   AND d.company_id = c.company_id
            )
        """)
