from odoo import _, api, fields, models

from .expiry_alerts import parse_days, schedule_threshold_activities


class MeddevPartnerLicence(models.Model):
    """Expiry of approved licences: the daily cron expires those past their
    end date and reminds the salesperson and the compliance team before."""

    _inherit = 'meddev.partner.licence'

    @api.model
    def _cron_check_expiry(self, today=None, batch_size=200, commit=False):
        """Expire approved licences and product certificates past their
        end date and schedule one reminder activity per alert threshold and
        person to remind. Return how many licences expired. Idempotent: a second run
        finds nothing left to do. ``commit`` (set by the scheduled action)
        commits after each batch so that a crash resumes where it stopped.
        """
        today = today or fields.Date.context_today(self)
        licences = self.sudo()
        expired_count = 0
        while True:
            batch = licences.search([
                ('state', '=', 'approved'), ('long_term', '=', False),
                ('valid_to', '<', today)], limit=batch_size)
            if not batch:
                break
            batch.write({'state': 'expired'})
            for licence in batch:
                licence.message_post(body=_(
                    'Licence expired on %(date)s: trade under it has '
                    'stopped.') % {'date': licence.valid_to})
            expired_count += len(batch)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        horizon = max([0] + [
            (licence_type.get_alert_days() or [0])[0]
            for licence_type in self.env['meddev.licence.type'].sudo()
            .search([])])
        limit = self.env['meddev.trade.gate'].days_later(today, horizon)
        candidates = licences.search([
            ('state', '=', 'approved'), ('long_term', '=', False),
            ('valid_to', '>=', today), ('valid_to', '<=', limit)])
        for start in range(0, len(candidates), batch_size):
            candidates[start:start + batch_size]._schedule_expiry_alerts(
                today)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env['product.template']._meddev_check_certificate_expiry(
            today, batch_size, commit)
        return expired_count

    def _schedule_expiry_alerts(self, today):
        """Create one reminder activity per alert threshold crossed and not
        yet alerted, for the partner's salesperson and the company's
        compliance team; each threshold is recorded so it alerts once."""
        today_date = fields.Date.from_string(today)
        # Translated here, not in the lambda: _() reads the language from
        # its caller's frame.
        note_text = _('Threshold: %(threshold)s days. Ask %(partner)s for '
                      'the renewed licence.')
        for licence in self:
            days_left = (fields.Date.from_string(licence.valid_to)
                         - today_date).days
            company = licence.company_id or self.env.user.company_id
            users = (licence.partner_id.user_id or licence.reviewer_id
                     or self.env.user) | company.meddev_compliance_user_ids
            summary = _('Licence %(number)s expires in %(days)s days') % {
                'number': licence.number, 'days': days_left}
            done = schedule_threshold_activities(
                licence, users, licence.licence_type_id.get_alert_days(),
                parse_days(licence.alert_thresholds_done), days_left,
                licence.valid_to, summary,
                lambda threshold, text=note_text, lic=licence: text % {
                    'threshold': threshold,
                    'partner': lic.partner_id.display_name})
            if done is not None:
                licence.write({'alert_thresholds_done': done})
                licence.message_post(body=summary)
