from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .meddev_complaint_clock import OUTSIDE_CHANNELS


class MeddevComplaint(models.Model):
    """The trend review: when a product's complaints within the window
    reach the trend threshold, the quality manager reviews the trend and
    opens one CAPA (source 'trend') on those complaints."""

    _inherit = 'meddev.complaint'

    def _detect_trend(self):
        """Open a trend review (an activity for the quality manager,
        proposing a CAPA) when this complaint brings the complaints on its
        product within the window to the company's trend threshold."""
        self.ensure_one()
        company = self.company_id
        threshold = company.meddev_trend_threshold
        if not self.product_id or threshold <= 0 or \
                not self._counts_for_alerts():
            return False
        since = fields.Datetime.to_string(
            fields.Datetime.from_string(self.received_date)
            - timedelta(days=company.meddev_cluster_window_days))
        # The complaints counted, and whether one of them already raised
        # the trend review of this window.
        self.env.cr.execute("""
            SELECT COUNT(*), BOOL_OR(trend_alert) FROM meddev_complaint
             WHERE product_id = %(product)s AND company_id = %(company)s
               AND received_date >= %(since)s AND received_date <= %(until)s
               AND state != 'cancel'
               AND NOT (state = 'intake' AND channel IN %(outside)s)
        """, {
            'product': self.product_id.id, 'company': company.id,
            'since': since, 'until': self.received_date,
            'outside': OUTSIDE_CHANNELS})
        count, raised = self.env.cr.fetchone()
        # Once per window when the threshold is reached or passed (several
        # complaints may pass it at once), not for every later one.
        if count < threshold or raised:
            return False
        self.sudo()._meddev_as_server().write({'trend_alert': True})
        body = _('Trend: %(count)d complaints on %(product)s within %(days)d '
                 'days. Review the trend and consider a CAPA (source: '
                 'trend).') % {'count': count,
                               'product': self.product_id.display_name,
                               'days': company.meddev_cluster_window_days}
        self.sudo()._post_quality_note(body)
        manager = company.meddev_quality_manager_id or self.user_id
        if manager:
            self.sudo()._schedule_quality_activity(
                manager, _('Trend review: %(product)s') % {
                    'product': self.product_id.display_name}, body)
        return True

    def _trend_complaints(self):
        """Return the complaints the trend rule counted for this one: the
        same product and company within the window up to its receipt."""
        self.ensure_one()
        company = self.company_id
        since = fields.Datetime.to_string(
            fields.Datetime.from_string(self.received_date)
            - timedelta(days=company.meddev_cluster_window_days))
        complaints = self.search([
            ('product_id', '=', self.product_id.id),
            ('company_id', '=', company.id),
            ('received_date', '>=', since),
            ('received_date', '<=', self.received_date),
            ('state', '!=', 'cancel')])
        return complaints.filtered(lambda c: c._counts_for_alerts())

    @api.multi
    def action_open_trend_capa(self):
        """Open the CAPA of this complaint's trend review (source 'trend',
        linked to the complaints of the trend), or show the one the trend
        already has."""
        self.ensure_one()
        if not self.trend_alert or not self.product_id:
            raise UserError(_(
                '%(name)s raised no trend review: open a CAPA from the '
                'complaint instead.') % {'name': self.name})
        complaints = self._trend_complaints() | self
        capa = complaints.mapped('capa_ids').filtered(
            lambda c: c.source == 'trend' and c.state != 'cancel'
            and c.product_id == self.product_id)[:1]
        if not capa:
            capa = self.env['meddev.capa'].create({
                'source': 'trend',
                'complaint_ids': [(6, 0, complaints.ids)],
                'product_id': self.product_id.id,
                'problem': _(
                    'Trend: %(count)d complaints on %(product)s within '
                    '%(days)d days (%(names)s).') % {
                        'count': len(complaints),
                        'product': self.product_id.display_name,
                        'days': self.company_id.meddev_cluster_window_days,
                        'names': ', '.join(complaints.mapped('name'))},
                'company_id': self.company_id.id,
            })
            self._post_quality_note(_(
                'CAPA %(capa)s opened from the trend review.') % {
                    'capa': capa.name})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.capa',
            'res_id': capa.id,
            'view_mode': 'form',
        }
