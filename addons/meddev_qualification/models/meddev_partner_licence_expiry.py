from odoo import _, api, fields, models
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import (
    post_notes, schedule_todos, search_batches, slice_batches, write_tracked)

from .expiry_alerts import parse_days

# Approved, dated licences inside the alert window of their type whose
# crossed thresholds have not all been alerted: the work of the day, chosen
# by the database (a licence far from expiry or already alerted costs
# nothing).
ALERT_CANDIDATES_SQL = """
    SELECT licence.id
      FROM meddev_partner_licence licence
      JOIN meddev_licence_type licence_type
        ON licence_type.id = licence.licence_type_id
     CROSS JOIN LATERAL unnest(string_to_array(
           coalesce(licence_type.alert_days, ''), ',')) AS threshold(days)
     WHERE licence.state = 'approved'
       AND NOT coalesce(licence.long_term, FALSE)
       AND licence.valid_to >= %(today)s
       AND trim(threshold.days) ~ '^[0-9]+$'
       AND licence.valid_to - %(today)s::date <= trim(threshold.days)::int
       AND NOT trim(threshold.days) = ANY(string_to_array(replace(
           coalesce(licence.alert_thresholds_done, ''), ' ', ''), ','))
     GROUP BY licence.id
     ORDER BY licence.id
"""


class MeddevPartnerLicence(models.Model):
    """Expiry of approved licences: the daily cron expires those past their
    end date and reminds the salesperson and the compliance team before,
    in batches whose cost does not grow with the number of licences of a
    partner (one chatter note per partner, one activity per partner and
    person to remind)."""

    _inherit = 'meddev.partner.licence'

    @api.model
    def _cron_check_expiry(self, today=None, batch_size=200, commit=False):
        """Expire approved licences and product certificates past their
        end date and remind, once per alert threshold, the people who must
        ask for the renewal. Return how many licences expired. Idempotent:
        a second run finds nothing left to do. ``commit`` (set by the
        scheduled action only) commits after each batch so that a crash
        resumes where it stopped."""
        today = today or fields.Date.context_today(self)
        licences = self.sudo()
        expired_count = 0
        for batch in search_batches(licences, [
                ('state', '=', 'approved'), ('long_term', '=', False),
                ('valid_to', '<', today)], batch_size, commit):
            batch._expire_batch()
            expired_count += len(batch)
        self.env.cr.execute(ALERT_CANDIDATES_SQL, {'today': today})
        candidates = licences.browse(
            [row[0] for row in self.env.cr.fetchall()])
        for batch in slice_batches(candidates, batch_size, commit):
            batch._schedule_expiry_alerts(today)
        self.env['product.template']._meddev_check_certificate_expiry(
            today, batch_size, commit)
        return expired_count

    def _expire_batch(self):
        """Mark these licences expired (the state change tracked on each
        licence) and tell each partner once, on its chatter, which of its
        licences expired: a constant number of queries for the batch,
        whatever the number of licences and partners."""
        write_tracked(self, {'state': 'expired'}, body=_(
            '<p>The licence expired: trade under it has stopped.</p>'))
        body = _('<p>Licences expired: %(licences)s. Trade under them has '
                 'stopped until renewed licences are approved.</p>')
        post_notes(self.env, 'res.partner', {
            partner.id: body % {'licences': html_escape(', '.join(
                '%s (%s)' % (lic.number, lic.valid_to)
                for lic in licences))}
            for partner, licences in self._group_by_partner().items()})

    def _group_by_partner(self):
        groups = {}
        for licence in self:
            groups.setdefault(licence.partner_id, self.browse())
            groups[licence.partner_id] |= licence
        return groups

    def _expiry_reminded_users(self):
        """The people to remind of these licences (of one partner and
        company): the partner's salesperson (or the reviewer, or the cron's
        user) and the company's compliance team."""
        licence = self[:1]
        company = licence.company_id or self.env.user.company_id
        return (licence.partner_id.user_id or licence.reviewer_id
                or self.env.user) | company.meddev_compliance_user_ids

    def _schedule_expiry_alerts(self, today):
        """For the thresholds these licences have crossed and not yet
        alerted: one to-do activity per partner and person to remind,
        listing the partner's licences with their end dates, a note on
        each licence's chatter, and the thresholds recorded so that each
        alerts once."""
        today_date = fields.Date.from_string(today)
        due = {}
        for licence in self:
            days_left = (fields.Date.from_string(licence.valid_to)
                         - today_date).days
            done = parse_days(licence.alert_thresholds_done)
            crossed = [days for days in
                       licence.licence_type_id.get_alert_days()
                       if days_left <= days and days not in done]
            if crossed:
                due[licence] = (days_left, min(crossed),
                                sorted(set(done) | set(crossed),
                                       reverse=True))
        groups = {}
        for licence in due:
            key = (licence.partner_id, licence.company_id)
            groups.setdefault(key, self.browse())
            groups[key] |= licence
        line = _('%(number)s (%(type)s): expires on %(date)s, in %(days)s '
                 'days')
        todos = []
        for (partner, _company), licences in groups.items():
            threshold = min(due[lic][1] for lic in licences)
            summary = _('Licences of %(partner)s expire within %(days)s '
                        'days') % {'partner': partner.display_name,
                                   'days': threshold}
            note = '<p>%s</p><ul>%s</ul>' % (
                html_escape(_('Ask %(partner)s for the renewed licences:') % {
                    'partner': partner.display_name}),
                ''.join('<li>%s</li>' % html_escape(line % {
                    'number': lic.number, 'type': lic.licence_type_id.name,
                    'date': lic.valid_to, 'days': due[lic][0]})
                    for lic in licences))
            todos.append((partner.id, licences._expiry_reminded_users(),
                          summary, note, min(licences.mapped('valid_to'))))
        # One INSERT for the batch's reminders (and their followers), not
        # an ORM create per partner and person.
        schedule_todos(self.env, 'res.partner', todos)
        # Each licence: its thresholds recorded, the reminder noted on its
        # chatter (one query for the batch, not one post per licence).
        by_done = {}
        for licence, (_days, _threshold, done) in due.items():
            by_done.setdefault(','.join(str(days) for days in done),
                               self.browse())
            by_done[','.join(str(days) for days in done)] |= licence
        for done, licences in by_done.items():
            write_tracked(licences, {'alert_thresholds_done': done}, body=_(
                '<p>Expiry reminder sent to the salesperson and the '
                'compliance team (thresholds alerted: %(done)s days).</p>')
                % {'done': done})
