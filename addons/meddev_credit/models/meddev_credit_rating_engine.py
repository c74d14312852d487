import logging
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import float_compare, float_round

from odoo.addons.meddev_base.tools import (
    commit_batch, log_tracking, schedule_todos, snapshot_tracked)

from ..credit_score import (
    days_late_risk, grade_for_score, ratio_risk, weighted_score)
from ..overdue import latest_crossing
from .meddev_credit_partner_state import STATE_FIELDS

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
                            use_jobs=False, commit=False):
        """Rate in batches the customers each company has to rate, each
        on its own figures (see res.partner._cron_rate_customers); with
        ``commit``, commit after each batch."""
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
                else:
                    batch._credit_rate_batch(company.id, today)
                # Scheduled run (the cron passes commit=True; tests, demo
                # and module loading never commit): keep the finished
                # batches, or the queued jobs, if a later batch fails.
                commit_batch(self.env, commit)
                _logger.info('Credit rating: %s partners of %s %s',
                             start + len(batch), company.name,
                             'queued' if use_jobs else 'done')

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
        hold or release. Set-based: the queries do not grow with the
        batch, not even for the partners whose grade or hold changes
        (their chatter tracking and hold to-dos are written for the batch
        at once)."""
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
        news = {}  # partner id -> (grade, score): a history line
        moved = {}  # partner id -> score: same grade, current figures
        for partner_id in ids:
            score = weighted_score(risks[partner_id], weights)
            grade = grade_for_score(score, thresholds)
            if not grade:
                continue
            # Stored as the column keeps it, compared as it will be read.
            score = float_round(score, precision_digits=2)
            state = states.get(partner_id)
            if self._rating_is_news(state, grade, score, company):
                news[partner_id] = (grade, score)
            elif float_compare(score, state.score, precision_digits=2):
                moved[partner_id] = score
        self._write_grades(partners, news, company, today)
        self._write_scores(news, moved, company, today)
        weight_label = _('weight')  # translated once, not per line
        self._insert_history(
            [(partner_id, grade, score, self._signals_note(
                signals, risks[partner_id], weights, weight_label))
             for partner_id, (grade, score) in sorted(news.items())],
            company, today)
        self._apply_automatic_holds(partners, figures, company, today)

    @api.model
    def _states_for(self, partner_ids, company):
        """Return {partner id: credit state in ``company``} for
        ``partner_ids``, inserting the missing states in one query."""
        state_model = self.env['meddev.credit.partner.state']
        known = self.env['res.partner'].browse(partner_ids)._credit_states(
            company)
        missing = sorted(set(partner_ids) - set(known))
        if not missing:
            return known
        self.env.cr.execute("""
            INSERT INTO meddev_credit_partner_state
                   (partner_id, company_id, create_uid, create_date,
                    write_uid, write_date)
            SELECT partner_id, %(company)s, %(uid)s,
                   NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::integer[]) AS partner_id
                ON CONFLICT (partner_id, company_id) DO NOTHING
        """, {'company': company.id, 'uid': self.env.uid, 'ids': missing})
        state_model._invalidate_partner_fields()
        return self.env['res.partner'].browse(partner_ids)._credit_states(
            company)

    @api.model
    def _write_states(self, changes, company):
        """Write ``changes`` ({partner id: state values}) on the credit
        states of ``company`` in one UPDATE, each state its own values,
        and log on each state's chatter the tracking note the ORM's write
        would post (meddev_base's ``log_tracking``), in a constant number
        of queries whatever the batch. Through the ORM, the tracking posts
        one message per state (dozens of queries each), and the writes
        would not even group: a hold's reason names the customer's days
        overdue, so every held customer is re-worded each night. Nothing
        reacts to the state's write but its drop of the partners' cached
        credit fields, done here. The states are written directly, not
        through the partner's fields: Odoo 11 runs the inverse of a
        non-stored field record by record."""
        if not changes:
            return
        states = self._states_for(list(changes), company)
        partner_ids = sorted(changes)
        records = self.env['meddev.credit.partner.state'].sudo().browse(
            [states[partner_id].id for partner_id in partner_ids])
        names = sorted(set(name for vals in changes.values()
                           for name in vals))
        fields_ = records._fields
        # The old values (one prefetch): the tracking's "before", and the
        # columns a state keeps when its own changes leave them out.
        before = snapshot_tracked(records, names)
        columns = [[fields_[name].convert_to_column(
            changes[partner_id][name] if name in changes[partner_id]
            else fields_[name].convert_to_write(record[name], record),
            record) for partner_id, record in zip(partner_ids, records)]
            for name in names]
        # The column names come from the code (STATE_FIELDS), never from
        # the caller's data.
        self.env.cr.execute("""
            UPDATE meddev_credit_partner_state state
               SET {sets}, write_uid = %s,
                   write_date = NOW() AT TIME ZONE 'UTC'
              FROM unnest(%s::integer[], {arrays}) AS new(id, {names})
             WHERE state.id = new.id
        """.format(
            sets=', '.join('"{0}" = new."{0}"'.format(name)
                           for name in names),
            arrays=', '.join('%s::{}[]'.format(fields_[name].column_type[1])
                             for name in names),
            names=', '.join('"%s"' % name for name in names)),
            [self.env.uid, records.ids] + columns)
        records.invalidate_cache(
            fnames=names + ['write_uid', 'write_date'], ids=records.ids)
        records._invalidate_partner_fields()
        log_tracking(records, before)

    @api.model
    def _write_grades(self, partners, news, company, today):
        """Write the new grades, one write per grade."""
        self._write_states({
            partner_id: {'rating': grade, 'rating_date': today}
            for partner_id, (grade, score) in news.items()}, company)

    @api.model
    def _write_scores(self, news, moved, company, today):
        """Store the scores in one UPDATE: no override reacts to them (the
        score is neither tracked nor checked beyond the rating's rights),
        only the states' and partners' caches need dropping."""
        rows = [(partner_id, score, True)
                for partner_id, (grade, score) in news.items()]
        rows += [(partner_id, score, False)
                 for partner_id, score in moved.items()]
        if not rows:
            return
        partner_ids, scores, is_news = zip(*sorted(rows))
        self.env.cr.execute("""
            UPDATE meddev_credit_partner_state state
               SET score = new.score, rating_date = %(today)s,
                   history_score = CASE WHEN new.is_news THEN new.score
                                        ELSE state.history_score END,
                   write_uid = %(uid)s,
                   write_date = NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::integer[], %(scores)s::numeric[],
                          %(news)s::boolean[])
                   AS new(partner_id, score, is_news)
             WHERE state.partner_id = new.partner_id
               AND state.company_id = %(company)s
        """, {'today': today, 'uid': self.env.uid, 'ids': list(partner_ids),
              'scores': list(scores), 'news': list(is_news),
              'company': company.id})
        state_model = self.env['meddev.credit.partner.state']
        state_model.invalidate_cache(fnames=[
            'score', 'rating_date', 'history_score', 'write_uid',
            'write_date'])
        state_model._invalidate_partner_fields()

    @api.model
    def _insert_history(self, lines, company, today):
        """Add the history lines, given as (partner id, grade, score,
        note), in one INSERT; the score range is checked as create
        would."""
        if not lines:
            return
        partner_ids, grades, scores, notes = zip(*lines)
        self.env.cr.execute("""
            INSERT INTO meddev_credit_rating_history
                   (partner_id, rating, score, note, date, company_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT new.partner_id, new.rating, new.score, new.note,
                   %(today)s, %(company)s, %(uid)s,
                   NOW() AT TIME ZONE 'UTC', %(uid)s,
                   NOW() AT TIME ZONE 'UTC'
              FROM unnest(%(ids)s::integer[], %(grades)s::varchar[],
                          %(scores)s::numeric[], %(notes)s::text[])
                   AS new(partner_id, rating, score, note)
            RETURNING id
        """, {'today': today, 'company': company.id, 'uid': self.env.uid,
              'ids': list(partner_ids), 'grades': list(grades),
              'scores': list(scores), 'notes': list(notes)})
        history = self.env['meddev.credit.rating.history'].browse(
            [row[0] for row in self.env.cr.fetchall()])
        self.env['res.partner'].invalidate_cache(
            fnames=['credit_rating_history_ids'], ids=list(partner_ids))
        history._check_score()

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
    def _signals_note(self, signals, risks, weights, weight_label=None):
        """Return the signals behind a rating as text for its history
        (``weight_label``: the translated word, when the caller has it)."""
        weight_label = weight_label or _('weight')
        lines = []
        for signal in signals:
            risk = risks.get(signal['code'])
            lines.append('%s: %s (%s %s)' % (
                signal['name'],
                '-' if risk is None else '%.2f' % risk,
                weight_label, weights.get(signal['code'], 0.0)))
        return '\n'.join(lines)

    # ------------------------------------------------------------------
    # Automatic holds
    # ------------------------------------------------------------------

    @api.model
    def _hold_causes(self, state, figures, company, today):
        """Return why the customer of ``state`` (its credit state in
        ``company``, None if it has none yet) must be on automatic hold, as
        (code, text, date the cause appeared or None) triples, the main
        cause first."""
        causes = []
        if state and state.rating == 'D':
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
    def _apply_automatic_holds(self, partners, figures, company, today):
        """Hold, release or re-word the automatic holds of ``partners``:
        the changes are decided first, then written for the batch at once;
        only the partners whose hold changes are touched. Decided on the
        credit states, not the partners' computed fields, which the
        grades just written made stale (a recompute per batch costs more
        than the whole rating)."""
        partners = partners.with_context(force_company=company.id)
        states = partners._credit_states(company)
        writes = defaultdict(list)
        cleared = self.env['meddev.credit.partner.state']
        held = []
        for partner in partners:
            state = states.get(partner.id)
            vals, clear = self._automatic_hold_change(
                figures[partner.id], state, company, today)
            if vals:
                writes[tuple(sorted(vals.items()))].append(partner.id)
                if vals.get('credit_hold'):
                    held.append((partner, vals['credit_hold_reason']))
            if clear:
                cleared |= state
        now = fields.Datetime.now()
        changes = {}
        for vals in writes:
            state_vals = {STATE_FIELDS[name]: value for name, value in vals}
            if 'hold' in state_vals:
                # As res.partner.write records who set or lifted a hold.
                state_vals.update(hold_user_id=self.env.uid, hold_date=now)
            for partner_id in writes[vals]:
                changes[partner_id] = state_vals
        self._write_states(changes, company)
        if cleared:
            cleared.write({'hold_released_date': False,
                           'hold_released_causes': False})
        manager = held and company._credit_manager()
        if manager:
            states = partners._credit_states(company)
            # On the credit state, not the partner: the reason is for
            # credit users only. One INSERT for the batch's to-dos, not an
            # ORM create (about sixty queries) per held customer.
            schedule_todos(self.sudo().env, 'meddev.credit.partner.state', [
                (states[partner.id].id, manager, _(
                    'Automatic credit hold: %(cause)s') % {'cause': reason},
                 False, False)
                for partner, reason in held])

    @api.model
    def _automatic_hold_change(self, figures, state, company, today):
        """Return (partner values to write or None, whether to forget the
        manual release) for the customer of ``state`` (its credit state in
        ``company`` or None): hold when a cause appears; lift automatic
        holds once it is gone; manual holds stay until a credit manager
        lifts them. A hold a credit manager lifted while its causes
        remained comes back only for a new cause."""
        causes = self._hold_causes(state, figures, company, today)
        released = bool(state and state.hold_released_date)
        hold = bool(state and state.hold)
        origin = state.hold_origin if state else False
        if not causes:
            vals = None
            if hold and origin == 'automatic':
                vals = {'credit_hold': False, 'credit_hold_reason': False,
                        'credit_hold_origin': 'automatic'}
            return vals, released
        reason = causes[0][1]
        if hold:
            if origin == 'automatic' and reason != state.hold_reason:
                return {'credit_hold_reason': reason,
                        'credit_hold_origin': 'automatic'}, False
            return None, False
        if released and not self._new_causes(causes, state):
            return None, False
        return {'credit_hold': True, 'credit_hold_reason': reason,
                'credit_hold_origin': 'automatic'}, released

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
        causes = self._hold_causes(
            partner._credit_states(company).get(partner.id), figures,
            company, today)
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
