from odoo import api, fields, models

from ..comparisons import USAGE_OPERATORS
from ..credit_score import ZERO_LIMIT_USAGE


class MeddevCreditUsage(models.AbstractModel):
    """Which customers use how much of their limit, for the at-risk list:
    the exposure buckets and the effective limit of every customer with an
    open document, in one query, with the arithmetic of
    meddev.credit.exposure._fill_limits and credit_score.usage_percent."""

    _name = 'meddev.credit.usage'
    _description = 'Credit Limit Usage Search'

    @api.model
    def _partner_ids(self, company, operator, value, today=None):
        """Return the ids of the commercial partners with an open document
        in ``company`` whose limit usage (credit_usage, in %) compares
        with ``value`` by ``operator`` (one of >, >=, <, <=): exposure
        (every bucket, at ``company``'s rates of ``today``) over the
        effective limit (typed limit in ``company``, or the company's
        policy without one, times the grade's multiplier within its cap;
        usage 0 when no limit applies, all of a zero limit that applies),
        as _fill_limits and usage_percent compute it, in one query."""
        if operator not in USAGE_OPERATORS:
            raise ValueError('unsupported operator %r' % (operator,))
        today = today or fields.Date.context_today(self)
        # The buckets' SQL is the module's with its values bound by
        # psycopg2 (%% doubled for the second binding); the operator is one
        # of USAGE_OPERATORS.
        query = """
            WITH bucket (partner_id, currency_id, amount) AS (%(buckets)s),
            rate AS (
                SELECT currency.id AS currency_id, COALESCE((
                    SELECT rate.rate FROM res_currency_rate rate
                     WHERE rate.currency_id = currency.id
                       AND rate.name <= %%(today)s
                       AND (rate.company_id IS NULL
                            OR rate.company_id = %%(company)s)
                     ORDER BY rate.company_id, rate.name DESC LIMIT 1),
                    1.0)::numeric AS rate
                  FROM res_currency currency
                 WHERE currency.id IN (SELECT currency_id FROM bucket)
                    OR currency.id = %%(currency)s
            ),
            exposure AS (
                -- Each row converted and rounded to the company currency
                -- on its own, as res.currency.compute() does for the
                -- figures: amount * (own rate / row's rate), rounded to a
                -- multiple of the currency's rounding, half up.
                SELECT bucket.partner_id, SUM(
                    CASE WHEN bucket.currency_id IS NULL
                              OR bucket.currency_id = %%(currency)s
                         THEN bucket.amount::numeric
                         ELSE ROUND(bucket.amount::numeric
                                    * (own.rate / rate.rate)
                                    / own_currency.rounding::numeric)
                              * own_currency.rounding::numeric
                    END) AS amount
                  FROM bucket
                  LEFT JOIN rate ON rate.currency_id = bucket.currency_id
                  JOIN rate own ON own.currency_id = %%(currency)s
                  JOIN res_currency own_currency
                    ON own_currency.id = %%(currency)s
                 GROUP BY bucket.partner_id
            ),
            credit_limit AS (
                SELECT exposure.partner_id, exposure.amount,
                       CASE WHEN COALESCE(state.credit_limit, 0) > 0
                            THEN state.credit_limit::numeric
                            WHEN company.credit_no_limit_policy = 'default'
                            THEN company.credit_default_limit::numeric
                            ELSE 0 END
                       * COALESCE(policy.limit_multiplier, 1.0)::numeric
                       AS uncapped,
                       COALESCE(policy.limit_cap, 0)::numeric AS cap,
                       (COALESCE(state.credit_limit, 0) > 0
                        OR company.credit_no_limit_policy <> 'unlimited')
                       AS applies
                  FROM exposure
                  JOIN res_company company ON company.id = %%(company)s
                  LEFT JOIN meddev_credit_partner_state state
                         ON state.partner_id = exposure.partner_id
                        AND state.company_id = company.id
                  LEFT JOIN meddev_credit_policy policy
                         ON policy.company_id = company.id
                        AND policy.rating = state.rating
            ),
            usage AS (
                SELECT partner_id, amount, applies,
                       CASE WHEN cap > 0 THEN LEAST(uncapped, cap)
                            ELSE uncapped END AS credit_limit
                  FROM credit_limit
            )
            SELECT partner_id FROM usage
             WHERE CASE WHEN credit_limit > 0
                        THEN ROUND(100 * amount / credit_limit, 2)
                        -- A zero limit that applies is all used once
                        -- anything is owed (credit_score.ZERO_LIMIT_USAGE).
                        WHEN applies AND ROUND(amount, 2) > 0
                        THEN %%(zero_limit_usage)s
                        ELSE 0 END %(operator)s %%(value)s
        """ % {'buckets': self.env['meddev.credit.exposure']._buckets_sql(
            company, today).replace(
            '%', '%%'), 'operator': operator}
        self.env.cr.execute(query, {
            'today': today, 'company': company.id,
            'currency': company.currency_id.id, 'value': value,
            'zero_limit_usage': ZERO_LIMIT_USAGE})
        return [row[0] for row in self.env.cr.fetchall()]
