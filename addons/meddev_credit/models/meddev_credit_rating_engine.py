import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import float_compare

from ..credit_score import (
    days_late_risk, grade_for_score, ratio_risk, weighted_score)
from ..overdue import latest_crossing
from .activity import schedule_todo

_logger = logging.getLogger(__name__)


class MeddevCreditRatingEngine(models.AbstractModel):
    """The nightly rating of customers in one company: payment-behaviour
    signals, the weighted score and grade, the history kept only when it
    says something new, and the automatic holds with their causes."""

    _name = 'meddev.credit.rating.engine'
    _description = 'Credit Rating of Customers'

    # ------------------------------------------------------------------
    # Which customers
    # ------------------------------------------------------------------

    @api.model
    def _rate_all_companies(self, batch_size=200, today=None,
                            use_jobs=False):
        """Rate in batches the customers each company has to rate, each
        on its own figures (see res.partner._cron_rate_customers)."""
        today = today or fields.Date.context_today(self)
        partners = self.env['res.partner']
        for company in self.env['res.company'].search([]):
            partner_ids = self._partners_to_rate(company, today)
            for start in range(0, len(partner_ids), batch_size):
                batch = partners.browse(
                    partner_ids[start:start + batch_size])
                if use_jobs:
                    batch.with_delay(description=_(
                        'Credit rating of %(count)s customers of '
                        '%(company)s') % {'count': len(batch),
                                          'company': company.name},
                    )._credit_rate_batch(company.id, today)
                    continue
                batch._credit_rate_batch(company.id, today)
                if self.env.context.get('credit_commit'):
                    # Scheduled run: keep finished batches if a later fails.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                _logger.info('Credit rating: %s partners of %s done',
                             start + len(batch), company.name)

    @api.model
    def _partners_to_rate(self, company, today):
        """Return the ids of the commercial partners ``company`` rates:
        its own and the shared ones with open or recent invoices in it, a
        rating or an automatic hold there."""
        date_from = fields.Date.from_string(today) - timedelta(
            days=company.credit_rating_window_days)
        self.env.cr.execute("""
            SELECT partner.id
              FROM res_partner partner
             WHERE partner.id = partner.commercial_partner_id
               AND (partner.company_id = %(company)s
                    OR partner.company_id IS NULL)
               AND (EXISTS (
                        SELECT 1 FROM account_invoice inv
                         WHERE inv.commercial_partner_id = partner.id
                           AND inv.company_id = %(company)s
                           AND inv.type IN ('out_invoice', 'out_refund')
                           AND (inv.state = 'open'
                                OR (inv.state = 'paid'
                                    AND inv.date_invoice >= %(date_from)s)))
                    OR EXISTS (
                        SELECT 1 FROM meddev_credit_partner_state state
                         WHERE state.partner_id = partner.id
                           AND state.company_id = %(company)s
                           AND (state.rating IS NOT NULL
                                OR (state.hold
                                    AND state.hold_origin = 'automatic'))))
             ORDER BY partner.id
        """, {'company': company.id, 'date_from': date_from})
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # Rating
    # ------------------------------------------------------------------

    @api.model
    def _rate(self, partners, company, today):
        """Rate these commercial partners in ``company``: keep the score
        current, write the grade and a history line when the grade changes
        or the score moved by the company's step since the last line, and
        hold or release."""
        date_from = fields.Date.to_string(fields.Date.from_string(
            today) - timedelta(days=company.credit_rating_window_days))
        ids = tuple(partners.ids)
        signals = self.env['res.partner']._credit_rating_signals()
        risks = {partner_id: {} for partner_id in ids}
        for signal in signals:
            values = signal['compute'](ids, company, date_from, today)
            for partner_id in ids:
                risks[partner_id][signal['code']] = values.get(partner_id)
        weights = self.env['meddev.credit.signal']._weights(company)
        thresholds = self.env['meddev.credit.policy']._grade_thresholds(
            company)
        figures = self.env['meddev.credit.exposure']._figures(
            partners, company, today)
        states = partners._credit_states(company)
        history = self.env['meddev.credit.rating.history']
        for partner in partners.with_context(force_company=company.id):
            score = weighted_score(risks[partner.id], weights)
            grade = grade_for_score(score, thresholds)
            state = states.get(partner.id)
            if grade and self._rating_is_news(state, grade, score, company):
                partner.write({'credit_rating': grade, 'credit_score': score,
                               'credit_rating_date': today})
                history.create({
                    'partner_id': partner.id, 'rating': grade,
                    'score': score, 'date': today,
                    'company_id': company.id,
                    'note': self._signals_note(
                        signals, risks[partner.id], weights),
                })
                partner._credit_states(company)[partner.id].write(
                    {'history_score': score})
            elif grade and float_compare(score, state.score,
                                         precision_digits=2):
                # Same grade, small move: current figures, no history.
                state.write({'score': score, 'rating_date': today})
            self._apply_automatic_hold(
                partner, figures[partner.id], company, today)

    @api.model
    def _rating_is_news(self, state, grade, score, company):
        """Whether a rating deserves a history line: a new grade, or a
        score that moved by the company's step since the last line."""
        if not state or state.rating != grade:
            return True
        step = company.credit_history_score_step
        return float_compare(abs(score - state.history_score), step,
                             precision_digits=2) >= 0

    @api.model
    def _signals_note(self, signals, risks, weights):
        """Return the signals behind a rating as text for its history."""
        lines = []
        for signal in signals:
            risk = risks.get(signal['code'])
            lines.append('%s: %s (%s %s)' % (
                signal['name'],
                '-' if risk is None else '%.2f' % risk,
                _('weight'), weights.get(signal['code'], 0.0)))
        return '\n'.join(lines)

    # ------------------------------------------------------------------
    # Automatic holds
    # ------------------------------------------------------------------

    @api.model
    def _hold_causes(self, partner, figures, company, today):
        """Return why ``partner`` must be on automatic hold, as (code, text,
        date the cause appeared or None) triples, the main cause first."""
        causes = []
        if partner.credit_rating == 'D':
            causes.append(('rating_d', _('Credit rating D'), None))
        threshold = company.credit_hold_overdue_days
        overdue_days = figures['credit_overdue_days']
        if threshold and overdue_days > threshold:
            causes.append(('overdue', _(
                'Invoices overdue by %(days)s days (more than '
                '%(threshold)s)') % {'days': overdue_days,
                                     'threshold': threshold},
                latest_crossing(figures['overdue_items'], threshold,
                                fields.Date.from_string(today))))
        return causes

    @api.model
    def _apply_automatic_hold(self, partner, figures, company, today):
        """Hold when a cause appears; lift automatic holds once it is
        gone; manual holds stay until a credit manager lifts them. A hold
        a credit manager lifted while its causes remained comes back only
        for a new cause."""
        causes = self._hold_causes(partner, figures, company, today)
        state = partner._credit_states(company).get(partner.id)
        if not causes:
            if partner.credit_hold and partner.credit_hold_origin == (
                    'automatic'):
                partner.write({'credit_hold': False,
                               'credit_hold_reason': False,
                               'credit_hold_origin': 'automatic'})
            if state and state.hold_released_date:
                state.write({'hold_released_date': False,
                             'hold_released_causes': False})
            return
        reason = causes[0][1]
        if partner.credit_hold:
            if (partner.credit_hold_origin == 'automatic'
                    and reason != partner.credit_hold_reason):
                partner.write({'credit_hold_reason': reason,
                               'credit_hold_origin': 'automatic'})
            return
        if state and state.hold_released_date and not self._new_causes(
                causes, state):
            return
        partner.write({'credit_hold': True, 'credit_hold_reason': reason,
                       'credit_hold_origin': 'automatic'})
        if state and state.hold_released_date:
            state.write({'hold_released_date': False,
                         'hold_released_causes': False})
        manager = company._credit_manager()
        if manager:
            schedule_todo(partner, manager, _(
                'Automatic credit hold: %(cause)s') % {'cause': reason})

    @api.model
    def _new_causes(self, causes, state):
        """Return the causes that appeared after the manual release."""
        released = set((state.hold_released_causes or '').split(','))
        released_date = fields.Date.from_string(state.hold_released_date)
        return [cause for cause in causes
                if cause[0] not in released
                or (cause[2] and cause[2] > released_date)]

    @api.model
    def _release_marker(self, partner, company, today):
        """Return the state values that remember the causes present when
        a credit manager lifts a hold."""
        figures = self.env['meddev.credit.exposure']._figures(
            partner, company, today)[partner.id]
        causes = self._hold_causes(partner, figures, company, today)
        if not causes:
            return {'hold_released_date': False,
                    'hold_released_causes': False}
        return {'hold_released_date': today,
                'hold_released_causes': ','.join(
                    cause[0] for cause in causes)}

    # ------------------------------------------------------------------
    # Signals: (partner ids, company, date from, today) -> {id: risk}
    # ------------------------------------------------------------------

    @api.model
    def _payment_lateness(self, partner_ids, company, date_from, today):
        """Return {partner id: (average days late weighted by amount, share
        of invoices paid late)} over the invoices of the window that are
        paid or due; an open invoice counts its lateness until today."""
        self.env.cr.execute("""
            WITH invoices AS (
                SELECT inv.id, inv.commercial_partner_id AS partner_id,
                       inv.amount_total_company_signed AS amount,
                       inv.date_due, inv.state, inv.move_id, inv.account_id
                  FROM account_invoice inv
                 WHERE inv.commercial_partner_id IN %(ids)s
                   AND inv.company_id = %(company)s
                   AND inv.type = 'out_invoice'
                   AND inv.state IN ('open', 'paid')
                   AND inv.date_invoice BETWEEN %(date_from)s AND %(today)s
                   AND (inv.state = 'paid' OR inv.date_due < %(today)s)
            ), paid AS (
                SELECT i.id, MAX(counterpart.date) AS paid_date
                  FROM invoices i
                  JOIN account_move_line line
                    ON line.move_id = i.move_id
                   AND line.account_id = i.account_id
                  JOIN account_partial_reconcile rec
                    ON rec.debit_move_id = line.id
                  JOIN account_move_line counterpart
                    ON counterpart.id = rec.credit_move_id
                 WHERE i.state = 'paid'
                 GROUP BY i.id
            ), lateness AS (
                SELECT i.partner_id, i.amount,
                       GREATEST(COALESCE(
                           paid.paid_date,
                           CASE WHEN i.state = 'paid' THEN i.date_due
                                ELSE %(today)s::date END) - i.date_due, 0)
                           AS days
                  FROM invoices i
                  LEFT JOIN paid ON paid.id = i.id
            )
            SELECT partner_id,
                   SUM(amount * days) / NULLIF(SUM(amount), 0),
                   AVG(CASE WHEN days > 0 THEN 1.0 ELSE 0.0 END)
              FROM lateness
             GROUP BY partner_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _signal_days_late(self, partner_ids, company, date_from, today):
        lateness = self._payment_lateness(
            partner_ids, company, date_from, today)
        return {
            partner_id: days_late_risk(
                float(days) if days is not None else None,
                company.credit_full_risk_days or 60)
            for partner_id, (days, share) in lateness.items()}

    @api.model
    def _signal_late_share(self, partner_ids, company, date_from, today):
        lateness = self._payment_lateness(
            partner_ids, company, date_from, today)
        return {partner_id: float(share)
                for partner_id, (days, share) in lateness.items()}

    @api.model
    def _signal_overdue_ratio(self, partner_ids, company, date_from, today):
        self.env.cr.execute("""
            SELECT commercial_partner_id,
                   COALESCE(SUM(residual_company_signed) FILTER (
                       WHERE state = 'open' AND date_due < %(today)s), 0),
                   COALESCE(SUM(amount_total_company_signed) FILTER (
                       WHERE date_invoice >= %(date_from)s), 0)
              FROM account_invoice
             WHERE commercial_partner_id IN %(ids)s
               AND company_id = %(company)s AND type = 'out_invoice'
               AND state IN ('open', 'paid')
               AND (date_invoice >= %(date_from)s OR state = 'open')
             GROUP BY commercial_partner_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        return {partner_id: ratio_risk(overdue, max(invoiced, overdue))
                for partner_id, overdue, invoiced in self.env.cr.fetchall()}

    @api.model
    def _signal_returns(self, partner_ids, company, date_from, today):
        """Credit notes and cancelled orders over sales; a quotation
        cancelled before confirmation is no cancellation of business."""
        self.env.cr.execute("""
            SELECT commercial_partner_id,
                   COALESCE(SUM(-amount_total_company_signed) FILTER (
                       WHERE type = 'out_refund'), 0),
                   COALESCE(SUM(amount_total_company_signed) FILTER (
                       WHERE type = 'out_invoice'), 0)
              FROM account_invoice
             WHERE commercial_partner_id IN %(ids)s
               AND company_id = %(company)s
               AND type IN ('out_invoice', 'out_refund')
               AND state IN ('open', 'paid')
               AND date_invoice BETWEEN %(date_from)s AND %(today)s
             GROUP BY commercial_partner_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        invoiced = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute("""
            SELECT partner.commercial_partner_id, pricelist.currency_id,
                   SUM(so.amount_total)
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
              JOIN product_pricelist pricelist
                ON pricelist.id = so.pricelist_id
             WHERE partner.commercial_partner_id IN %(ids)s
               AND so.company_id = %(company)s AND so.state = 'cancel'
               AND so.confirmation_date IS NOT NULL
               AND so.date_order::date BETWEEN %(date_from)s AND %(today)s
             GROUP BY partner.commercial_partner_id, pricelist.currency_id
        """, {'ids': partner_ids, 'company': company.id,
              'date_from': date_from, 'today': today})
        cancelled = self.env['meddev.credit.exposure']._in_company_currency(
            self.env.cr.fetchall(), company, today)
        risks = {}
        for partner_id in set(invoiced) | set(cancelled):
            refunds, sales = invoiced.get(partner_id, (0.0, 0.0))
            lost = cancelled.get(partner_id, 0.0)
            risks[partner_id] = ratio_risk(refunds + lost, sales + lost)
        return risks
