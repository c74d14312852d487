from odoo import fields, models, tools

from ..models.meddev_credit_exposure import (
    SALE_LINE_OPEN_QTY_SQL, SALE_LINE_OPEN_WHERE_SQL,
    SALE_LINE_PLANNED_JOIN_SQL, UNAPPLIED_WHERE_SQL)
from ..models.meddev_credit_rating_history import RATINGS

# The exposure by document, built from the same rules as the figures.
EXPOSURE_VIEW_SQL = """
    CREATE OR REPLACE VIEW meddev_credit_exposure_report AS (
    WITH documents AS (
        SELECT inv.commercial_partner_id AS partner_id,
               inv.company_id, 'receivable' AS bucket,
               inv.residual_company_signed AS amount,
               CASE WHEN inv.type = 'out_invoice'
                         AND inv.date_due < CURRENT_DATE
                    THEN CURRENT_DATE - inv.date_due
                    ELSE 0 END AS days_overdue,
               'i' || inv.id AS key
          FROM account_invoice inv
         WHERE inv.state = 'open'
           AND inv.type IN ('out_invoice', 'out_refund')
        UNION ALL
        SELECT inv.commercial_partner_id, inv.company_id,
               'draft_invoice', inv.amount_total_company_signed, 0,
               'i' || inv.id
          FROM account_invoice inv
         WHERE inv.state = 'draft'
           AND inv.type IN ('out_invoice', 'out_refund')
        UNION ALL
        SELECT partner.commercial_partner_id, so.company_id,
               'sale_order',
               line.price_reduce_taxinc * (%(open_qty)s)
               * COALESCE((
                   SELECT rate.rate FROM res_currency_rate rate
                    WHERE rate.currency_id = company.currency_id
                      AND rate.name <= NOW()
                      AND (rate.company_id IS NULL
                           OR rate.company_id = so.company_id)
                    ORDER BY rate.company_id, rate.name DESC
                    LIMIT 1), 1.0)
               / COALESCE((
                   SELECT rate.rate FROM res_currency_rate rate
                    WHERE rate.currency_id = line.currency_id
                      AND rate.name <= NOW()
                      AND (rate.company_id IS NULL
                           OR rate.company_id = so.company_id)
                    ORDER BY rate.company_id, rate.name DESC
                    LIMIT 1), 1.0),
               0, 'l' || line.id
          FROM sale_order_line line
          JOIN sale_order so ON so.id = line.order_id
          JOIN res_company company ON company.id = so.company_id
          JOIN res_partner partner ON partner.id = so.partner_id
          LEFT JOIN product_product product
                 ON product.id = line.product_id
          LEFT JOIN product_template tmpl
                 ON tmpl.id = product.product_tmpl_id
          %(planned)s
         WHERE %(open_line)s
        UNION ALL
        SELECT partner.commercial_partner_id, line.company_id,
               'payment', line.amount_residual, 0, 'm' || line.id
          FROM account_move_line line
          JOIN account_account account
            ON account.id = line.account_id
          JOIN account_move move ON move.id = line.move_id
          JOIN res_partner partner ON partner.id = line.partner_id
         WHERE account.internal_type = 'receivable'
           AND move.state = 'posted' AND %(unapplied)s
    )
    SELECT row_number() OVER (ORDER BY doc.key) AS id,
           doc.partner_id, doc.company_id, doc.bucket, doc.amount,
           doc.days_overdue,
           CASE WHEN doc.days_overdue = 0 THEN 'not_due'
                WHEN doc.days_overdue <= 30 THEN '1_30'
                WHEN doc.days_overdue <= 60 THEN '31_60'
                WHEN doc.days_overdue <= 90 THEN '61_90'
                ELSE 'over_90' END AS aging,
           partner.user_id, state.rating,
           partner.country_id, partner.state_id
      FROM documents doc
      JOIN res_partner partner ON partner.id = doc.partner_id
      LEFT JOIN meddev_credit_partner_state state
             ON state.partner_id = doc.partner_id
            AND state.company_id = doc.company_id
    )
""" % {'open_qty': SALE_LINE_OPEN_QTY_SQL,
       'planned': SALE_LINE_PLANNED_JOIN_SQL,
       'open_line': SALE_LINE_OPEN_WHERE_SQL,
       'unapplied': UNAPPLIED_WHERE_SQL}


class MeddevCreditExposureReport(models.Model):
    """Exposure by document, in company currency, for pivot and graph:
    by salesperson, grade, region, bucket and age."""

    _name = 'meddev.credit.exposure.report'
    _description = 'Credit Exposure Analysis'
    _auto = False
    _rec_name = 'partner_id'
    _order = 'partner_id'

    partner_id = fields.Many2one('res.partner', string='Customer',
                                 readonly=True)
    company_id = fields.Many2one('res.company', string='Company',
                                 readonly=True)
    user_id = fields.Many2one('res.users', string='Salesperson',
                              readonly=True)
    rating = fields.Selection(RATINGS, string='Credit Rating', readonly=True)
    country_id = fields.Many2one('res.country', string='Country',
                                 readonly=True)
    state_id = fields.Many2one('res.country.state', string='Region',
                               readonly=True)
    bucket = fields.Selection([
        ('receivable', 'Open Receivables'),
        ('draft_invoice', 'Draft Invoices'),
        ('sale_order', 'Orders Not Invoiced'),
        ('payment', 'Unreconciled Payments'),
    ], string='Bucket', readonly=True)
    aging = fields.Selection([
        ('not_due', 'Not Due'),
        ('1_30', '1-30 Days Overdue'),
        ('31_60', '31-60 Days Overdue'),
        ('61_90', '61-90 Days Overdue'),
        ('over_90', 'Over 90 Days Overdue'),
    ], string='Age', readonly=True)
    days_overdue = fields.Integer(string='Days Overdue', readonly=True,
                                  group_operator='max')
    amount = fields.Float(string='Exposure', readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(EXPOSURE_VIEW_SQL)
