from odoo import _, api, fields, models

from ..credit_score import effective_limit, usage_percent
from ..overdue import net_overdue

FIGURE_FIELDS = (
    'credit_receivable', 'credit_draft_invoice', 'credit_sale_order',
    'credit_unreconciled_payment', 'credit_overdue_amount',
)

# Quantity of a confirmed order line still to invoice, in the line's unit:
# Odoo's qty_to_invoice per invoicing policy (negative after a return),
# except that goods invoiced on delivery also count what is still planned
# to ship (open moves to the customer), so that a confirmed order weighs
# from its confirmation; a cancelled remainder has no open move left and
# counts nothing. Services invoiced on delivery count the ordered quantity
# until delivered beyond it. Needs the aliases line, tmpl and planned.
SALE_LINE_OPEN_QTY_SQL = """
    CASE WHEN tmpl.invoice_policy = 'delivery'
         THEN CASE WHEN tmpl.type IN ('product', 'consu')
                   THEN line.qty_delivered + COALESCE(planned.qty, 0)
                   ELSE GREATEST(line.product_uom_qty, line.qty_delivered)
              END
         ELSE line.product_uom_qty END
    - line.qty_invoiced
"""
# Confirmed order lines that may still weigh: the stored flag
# sale.order.line.credit_open (kept by the ORM when a line's quantities,
# order state or stock moves change), and the partial index
# meddev_credit_sale_line_credit_open_idx (sale_order_line.py) holds
# exactly these. A line closed short (shipped less than ordered, the rest
# cancelled, what shipped invoiced) is not open, however old.
SALE_LINE_OPEN_WHERE_SQL = """
    line.credit_open
"""
SALE_LINE_PLANNED_JOIN_SQL = """
    LEFT JOIN LATERAL (
        SELECT SUM(move.product_qty) / MAX(product_uom.factor)
               * MAX(line_uom.factor) AS qty
          FROM stock_move move
          JOIN stock_location dest ON dest.id = move.location_dest_id
          JOIN product_uom ON product_uom.id = tmpl.uom_id
          JOIN product_uom line_uom ON line_uom.id = line.product_uom
         WHERE move.sale_line_id = line.id
           AND move.state NOT IN ('done', 'cancel')
           AND dest.usage = 'customer'
    ) planned ON TRUE
"""
# Customer credits not matched yet (payments received ahead of or beyond
# their invoice): meddev_credit_move_line_unapplied_idx holds them.
UNAPPLIED_WHERE_SQL = """
    line.amount_residual < 0 AND line.invoice_id IS NULL
"""
INDEXES = [
    "CREATE INDEX IF NOT EXISTS meddev_credit_invoice_partner_idx"
    " ON account_invoice (commercial_partner_id)",
    "CREATE INDEX IF NOT EXISTS meddev_credit_invoice_open_idx"
    " ON account_invoice (commercial_partner_id, company_id)"
    " WHERE state IN ('draft', 'open')",
    "CREATE INDEX IF NOT EXISTS meddev_credit_move_line_unapplied_idx"
    " ON account_move_line (partner_id)"
    " WHERE amount_residual < 0 AND invoice_id IS NULL",
    "CREATE INDEX IF NOT EXISTS meddev_credit_stock_move_sale_line_open_idx"
    " ON stock_move (sale_line_id) WHERE state NOT IN ('done', 'cancel')",
]


class MeddevCreditExposure(models.AbstractModel):
    """What customers owe and may still owe one company, in its currency:
    the exposure buckets, the overdue amount net of unapplied credits and
    the limit that applies. Every figure is one set-based query that reads
    open documents only, so its cost does not grow with history."""

    _name = 'meddev.credit.exposure'
    _description = 'Credit Exposure Figures'

    @api.model_cr
    def init(self):
        # Each bucket reads open documents through one of these partial
        # indexes; names and definitions are constants.
        for statement in INDEXES:
            self.env.cr.execute(statement)

    @api.model
    def _bucket_queries(self):
        """Return the exposure buckets as (figure name, SQL method); each
        method takes (company, today, commercial partner ids or None for
        all) and returns (query, params) selecting rows of (commercial
        partner id, currency id, amount) of the company's open documents;
        a row without currency is in company currency already. The figures
        and the limit usage search both read them. Extend to add a
        bucket."""
        return [
            ('credit_receivable', self._sql_receivable),
            ('credit_draft_invoice', self._sql_draft_invoice),
            ('credit_sale_order', self._sql_sale_order),
            ('credit_unreconciled_payment', self._sql_unapplied_payment),
        ]

    @api.model
    def _figures(self, partners, company, today=None):
        """Return {commercial partner id: figures} for the commercial
        partners of ``partners`` in ``company``: each bucket, the exposure,
        the overdue amount and age net of unapplied credits, the typed and
        the effective limit and how the latter was obtained."""
        today = today or fields.Date.context_today(self)
        # Only that column of the stored partners: reaching it by attribute
        # would read every column of the batch's partners, the costliest
        # step of the rating job's figures (new records have nothing to
        # read).
        partners.filtered(lambda partner: isinstance(partner.id, int)).read(
            ['commercial_partner_id'], load='_classic_write')
        commercials = partners.mapped('commercial_partner_id').with_context(
            force_company=company.id)
        figures = {}
        for partner in commercials:
            figures[partner.id] = dict.fromkeys(
                FIGURE_FIELDS + ('credit_exposure',), 0.0)
            figures[partner.id].update(
                credit_overdue_days=0, overdue_items=[])
        if not commercials:
            return figures
        ids = tuple(commercials.ids)
        for name, sql in self._bucket_queries():
            self.env.cr.execute(*sql(company, today, ids))
            totals = self._in_company_currency(
                self.env.cr.fetchall(), company, today)
            for partner_id, amount in totals.items():
                figures[partner_id][name] = amount
                figures[partner_id]['credit_exposure'] += amount
        self._fill_overdue(ids, company, today, figures)
        self._fill_limits(commercials, company, figures)
        return figures

    def _fill_overdue(self, ids, company, today, figures):
        """Overdue invoices, the oldest settled first by the payments and
        credit notes not matched yet; within the company's tolerance
        amount nothing is overdue."""
        items = self._query_overdue_items(ids, company, today)
        refunds = self._query_open_refunds(ids, company)
        day = fields.Date.from_string(today)
        for partner_id in ids:
            values = figures[partner_id]
            unapplied = max(refunds.get(partner_id, 0.0)
                            - values['credit_unreconciled_payment'], 0.0)
            remaining, amount, days = net_overdue(
                items.get(partner_id, []), unapplied, day,
                company.credit_overdue_tolerance_amount)
            values.update(credit_overdue_amount=amount,
                          credit_overdue_days=days, overdue_items=remaining)

    def _fill_limits(self, commercials, company, figures):
        """The limit each customer has in ``company``: its own limit there,
        or the company's policy for customers without one, times its
        grade's multiplier and within its grade's cap. Read from the
        credit states (what the partners' credit fields show in
        ``company``): computing those fields for a batch costs more than
        the figures."""
        policies = self.env['meddev.credit.policy']._policies_by_rating(
            company)
        states = commercials._credit_states(company)
        # Customers on the same policy and limit share the text: worded
        # once (its translations are most of the step's cost otherwise).
        bases = {}
        for partner in commercials:
            values = figures[partner.id]
            state = states.get(partner.id)
            policy = policies.get(state.rating if state else False)
            typed = state.credit_limit if state else 0.0
            values['typed_limit'] = typed
            source = 'typed' if typed > 0 else company.credit_no_limit_policy
            base = {'typed': typed, 'default': company.credit_default_limit,
                    'block': 0.0, 'unlimited': 0.0}[source]
            multiplier = policy.limit_multiplier if policy else 1.0
            cap = policy.limit_cap if policy else 0.0
            limit = effective_limit(base, multiplier, cap)
            key = (source, base, limit, policy.id if policy else False)
            if key not in bases:
                bases[key] = self._limit_basis(
                    source, base, limit, policy, company)
            values.update(limit=limit, limit_source=source,
                          limit_basis=bases[key])
            values['credit_available'] = limit - values['credit_exposure']
            values['credit_usage'] = usage_percent(
                values['credit_exposure'], limit,
                limit_applies=source != 'unlimited')

    @api.model
    def _limit_basis(self, source, base, limit, policy, company):
        """Return how the effective limit was obtained, for the partner
        form and the refusal message."""
        money = self._money_formatter(company)
        if source == 'unlimited':
            return _('No limit set: %(company)s does not check the limit '
                     'of such customers.') % {'company': company.name}
        if source == 'block':
            return _('No limit set: %(company)s gives no credit to '
                     'customers without a limit.') % {'company': company.name}
        if source == 'default':
            text = _('No limit set: default limit of %(company)s, '
                     '%(amount)s') % {'company': company.name,
                                      'amount': money(base)}
        else:
            text = _('Typed limit %(amount)s') % {'amount': money(base)}
        if policy and policy.limit_multiplier != 1.0:
            text += _(' x %(multiplier)s for grade %(rating)s') % {
                'multiplier': '%.2f' % policy.limit_multiplier,
                'rating': policy.rating}
        if policy and policy.limit_cap and limit == policy.limit_cap:
            text += _(', capped at %(cap)s for grade %(rating)s') % {
                'cap': money(policy.limit_cap), 'rating': policy.rating}
        return _('%(basis)s = %(limit)s') % {'basis': text,
                                             'limit': money(limit)}

    @api.model
    def _money_formatter(self, company):
        """Return a function that writes an amount in ``company``'s
        currency as the refusal messages show it."""
        currency = company.currency_id

        def money(value):
            return '%s %s' % (currency.name, '{:,.2f}'.format(value))
        return money

    # ------------------------------------------------------------------
    # Buckets: each reads open documents only, through a partial index
    # ------------------------------------------------------------------

    @api.model
    def _partner_filter(self, column, partner_ids, through_contacts=False):
        """Return (SQL, params) restricting ``column`` to the commercial
        partners ``partner_ids`` (nothing for None); with
        ``through_contacts``, ``column`` holds any of their contacts."""
        if partner_ids is None:
            return '', []
        if through_contacts:
            return (' AND %s IN (SELECT id FROM res_partner'
                    ' WHERE commercial_partner_id IN %%s)' % column,
                    [tuple(partner_ids)])
        return ' AND %s IN %%s' % column, [tuple(partner_ids)]

    def _sql_receivable(self, company, today, partner_ids=None):
        """Posted unpaid customer invoices net of unpaid credit notes."""
        where, params = self._partner_filter(
            'commercial_partner_id', partner_ids)
        return ("""
            SELECT commercial_partner_id, NULL::integer,
                   SUM(residual_company_signed)
              FROM account_invoice
             WHERE company_id = %s AND state = 'open'
               AND type IN ('out_invoice', 'out_refund')""" + where + """
             GROUP BY commercial_partner_id
        """, [company.id] + params)

    def _sql_draft_invoice(self, company, today, partner_ids=None):
        """Draft customer invoices, credit notes deducted."""
        where, params = self._partner_filter(
            'commercial_partner_id', partner_ids)
        return ("""
            SELECT commercial_partner_id, NULL::integer,
                   SUM(amount_total_company_signed)
              FROM account_invoice
             WHERE company_id = %s AND state = 'draft'
               AND type IN ('out_invoice', 'out_refund')""" + where + """
             GROUP BY commercial_partner_id
        """, [company.id] + params)

    def _sql_sale_order(self, company, today, partner_ids=None):
        """Confirmed orders' amount still to invoice, tax included, in the
        order's currency (see SALE_LINE_OPEN_QTY_SQL); invoiced
        quantities, drafts included, are counted by the invoice
        buckets."""
        where, params = self._partner_filter(
            'line.order_partner_id', partner_ids, through_contacts=True)
        return ("""
            SELECT partner.commercial_partner_id, line.currency_id,
                   SUM(line.price_reduce_taxinc * (""" + SALE_LINE_OPEN_QTY_SQL
                + """))
              FROM sale_order_line line
              JOIN res_partner partner ON partner.id = line.order_partner_id
              LEFT JOIN product_product product
                     ON product.id = line.product_id
              LEFT JOIN product_template tmpl
                     ON tmpl.id = product.product_tmpl_id
              """ + SALE_LINE_PLANNED_JOIN_SQL + """
             WHERE line.company_id = %s AND """ + SALE_LINE_OPEN_WHERE_SQL
                + where + """
             GROUP BY partner.commercial_partner_id, line.currency_id
        """, [company.id] + params)

    def _sql_unapplied_payment(self, company, today, partner_ids=None):
        """Posted credits on receivable accounts not yet matched, as a
        negative amount: payments received ahead of their invoice or
        beyond it. Credit notes are left out (the receivable bucket counts
        them); a payment once reconciled leaves this bucket as the
        invoice's residual drops, so nothing is counted twice."""
        where, params = self._partner_filter(
            'line.partner_id', partner_ids, through_contacts=True)
        return ("""
            SELECT partner.commercial_partner_id, NULL::integer,
                   SUM(line.amount_residual)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE line.company_id = %s
               AND account.internal_type = 'receivable'
               AND move.state = 'posted' AND """ + UNAPPLIED_WHERE_SQL
                + where + """
             GROUP BY partner.commercial_partner_id
        """, [company.id] + params)

    def _query_overdue_items(self, partner_ids, company, today):
        """Return {partner id: [(date due, open amount)]} of the open
        customer invoices past their due date."""
        self.env.cr.execute("""
            SELECT commercial_partner_id, date_due, residual_company_signed
              FROM account_invoice
             WHERE commercial_partner_id IN %s AND company_id = %s
               AND state = 'open' AND type = 'out_invoice'
               AND date_due < %s
             ORDER BY commercial_partner_id, date_due
        """, (partner_ids, company.id, today))
        items = {}
        for partner_id, date_due, amount in self.env.cr.fetchall():
            items.setdefault(partner_id, []).append(
                (fields.Date.from_string(date_due), amount))
        return items

    def _query_open_refunds(self, partner_ids, company):
        """Return {partner id: open amount of its credit notes}."""
        self.env.cr.execute("""
            SELECT commercial_partner_id, SUM(-residual_company_signed)
              FROM account_invoice
             WHERE commercial_partner_id IN %s AND company_id = %s
               AND state = 'open' AND type = 'out_refund'
             GROUP BY commercial_partner_id
        """, (partner_ids, company.id))
        return dict(self.env.cr.fetchall())

    def _in_company_currency(self, rows, company, today):
        """Sum (partner id, currency id, amount) rows in ``company``'s
        currency, at ``company``'s rates of ``today`` (no currency: in
        company currency already)."""
        totals = {}
        currencies = self.env['res.currency'].with_context(
            date=today, company_id=company.id)
        for partner_id, currency_id, amount in rows:
            currency = currencies.browse(currency_id)
            if currency_id and currency != company.currency_id:
                amount = currency.compute(amount, company.currency_id)
            totals[partner_id] = totals.get(partner_id, 0.0) + amount
        return totals

    @api.model
    def _buckets_sql(self, company, today):
        """Return every bucket's rows of ``company`` as one SQL text,
        parameters bound (psycopg2 quotes them), ready to embed."""
        cr = self.env.cr
        parts = []
        for __, sql in self._bucket_queries():
            query, params = sql(company, today)
            parts.append(cr.mogrify(query, params).decode('utf-8'))
        return ' UNION ALL '.join(parts)

    @api.model
    def _exposed_partner_ids(self, company, today=None):
        """Return the ids of the commercial partners with an open document
        in ``company`` (the only ones whose exposure is not zero)."""
        today = today or fields.Date.context_today(self)
        # The buckets' SQL is the module's, its values bound by psycopg2.
        query = ('SELECT DISTINCT bucket.partner_id FROM (%s) '
                 'AS bucket (partner_id, currency_id, amount)'
                 % self._buckets_sql(company, today))
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()]
