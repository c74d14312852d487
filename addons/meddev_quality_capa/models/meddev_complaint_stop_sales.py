from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

RECALL_MANAGER = 'meddev_traceability.group_meddev_traceability_manager'


class MeddevComplaint(models.Model):
    """What the group-event alert proposes: stopping sales of the lots
    (the traceability module's quarantine) and the trend report of the
    cluster's complaints."""

    _inherit = 'meddev.complaint'

    @api.multi
    def action_stop_sales_lot(self):
        """Stop sales of this complaint's lots now: launch a recall of them
        (source: this complaint) through the traceability module and
        quarantine its affected lots, whatever the company's 'quarantine
        at launch' setting. Recall managers only; lots already held by an
        open quarantining recall are left as they are."""
        self.ensure_one()
        if not self.env.user.has_group(RECALL_MANAGER):
            raise AccessError(
                _('%(name)s: only recall managers stop the sales of a lot '
                  '(quarantine).') % {'name': self.name})
        if self.state in ('closed', 'cancel'):
            raise UserError(
                _('%(name)s is closed or cancelled: stop the sales from the '
                  'lot or a recall instead.') % {'name': self.name})
        lots = (self.lot_id | self.lot_ids).filtered(
            lambda lot: not lot.recall_quarantine)
        if not lots:
            raise UserError(
                _('%(name)s: no lot to stop (none named, or every lot is '
                  'already quarantined by an open recall).') % {
                    'name': self.name})
        recalls = self.env['meddev.recall']
        recall = recalls.create_from_lots(
            lots, _('Stop sales: complaints on lot %(lots)s (%(name)s)') % {
                'lots': ', '.join(lots.mapped('name')), 'name': self.name},
            self._recall_level(), source='internal', source_ref=self.name, launch=True,
            company_id=self.company_id.id)
        if not recall.quarantined:
            recall.action_quarantine()
        self._post_quality_note(_(
            'Sales of lot %(lots)s stopped: recall %(recall)s launched and '
            'its lots quarantined by %(user)s.') % {
                'lots': ', '.join(lots.mapped('name')),
                'recall': recall.name, 'user': self.env.user.name})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.recall',
            'res_id': recall.id,
            'view_mode': 'form',
        }

    def _cluster_trend_domain(self):
        """Return the domain of the complaints of this complaint's cluster:
        on its lots (else its product), of its company, received within the
        cluster window before it and since."""
        self.ensure_one()
        since = fields.Datetime.to_string(
            fields.Datetime.from_string(self.received_date)
            - timedelta(days=self.company_id.meddev_cluster_window_days))
        lots = self.lot_id | self.lot_ids
        if lots:
            where = ['|', ('lot_id', 'in', lots.ids),
                     ('lot_ids', 'in', lots.ids)]
        elif self.product_id:
            where = [('product_id', '=', self.product_id.id)]
        else:
            where = [('id', '=', self.id)]
        return where + [('company_id', '=', self.company_id.id),
                        ('received_date', '>=', since),
                        ('state', '!=', 'cancel')]

    @api.multi
    def action_view_cluster_trend(self):
        """Open the trend report of this complaint's cluster: its
        complaints by lot and day (pivot, graph, list)."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_quality_capa.meddev_complaint_cluster_trend_action').read()[0]
        action.update({
            'name': _('Cluster Trend: %(name)s') % {'name': self.name},
            'domain': self._cluster_trend_domain(),
            'context': {'pivot_measures': ['__count__']},
        })
        return action
