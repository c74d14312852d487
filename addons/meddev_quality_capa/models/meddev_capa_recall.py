from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MeddevCapa(models.Model):
    """From CAPA to recall: a CAPA whose root cause is a lot launches a
    recall through the traceability module and follows its progress."""

    _inherit = 'meddev.capa'

    recall_ids = fields.One2many(
        'meddev.recall', 'capa_id', string='Recalls', readonly=True)
    recall_count = fields.Integer(compute='_compute_recall_progress')
    recall_progress = fields.Float(
        string='Recall Acknowledged (%)', compute='_compute_recall_progress',
        help="Share of the recall's customer lines acknowledged.")
    recall_state = fields.Char(compute='_compute_recall_progress')

    def _compute_recall_progress(self):
        for capa in self:
            # The CAPA team follows the recall without recall rights.
            recalls = capa.sudo().recall_ids.filtered(
                lambda recall: recall.state != 'cancel')
            capa.recall_count = len(recalls)
            lines = sum(recalls.mapped('line_count'))
            acknowledged = sum(recalls.mapped('acknowledged_count'))
            capa.recall_progress = 100.0 * acknowledged / lines \
                if lines else 0.0
            labels = dict(self.env['meddev.recall']._fields[
                'state']._description_selection(self.env))
            capa.recall_state = ', '.join(
                '%s: %s' % (recall.name, labels.get(recall.state))
                for recall in recalls)

    @api.multi
    def action_launch_recall(self):
        """Draft a recall of the root-cause lots, sourced from this CAPA,
        and open it for the recall manager to choose the level and
        launch."""
        self.ensure_one()
        if not self.root_cause_lot_ids:
            raise UserError(
                _('%(capa)s names no root-cause lot: a recall needs the '
                  'lots to recall.') % {'capa': self.name})
        if not self.env.user.has_group(
                'meddev_traceability.group_meddev_traceability_manager'):
            raise UserError(
                _('%(capa)s: only recall managers launch recalls.') % {
                    'capa': self.name})
        recall = self.env['meddev.recall'].create(
            self._prepare_recall_vals())
        self.message_post(body=_('Recall %(recall)s drafted for lots '
                                 '%(lots)s.') % {
            'recall': recall.name,
            'lots': ', '.join(self.root_cause_lot_ids.mapped('name'))})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.recall',
            'res_id': recall.id,
            'view_mode': 'form',
        }

    def _prepare_recall_vals(self):
        """Return the values of the recall launched from this CAPA; the
        level follows the risk (class I for a high risk)."""
        levels = self.env['meddev.recall.level']
        code = {'high': 'CN-1', 'medium': 'CN-2'}.get(self.risk_level, 'CN-3')
        level = levels.search([('code', '=', code)], limit=1) or \
            levels.search([], limit=1)
        return {
            'reason': _('CAPA %(capa)s: %(root_cause)s') % {
                'capa': self.name,
                'root_cause': self.root_cause or self.problem},
            'recall_level_id': level.id,
            'source': 'capa',
            'source_ref': self.name,
            'capa_id': self.id,
            'lot_ids': [(6, 0, self.root_cause_lot_ids.ids)],
            'company_id': self.company_id.id,
        }

    @api.multi
    def action_view_recalls(self):
        """Open the recalls launched from this CAPA."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Recalls'),
            'res_model': 'meddev.recall',
            'view_mode': 'tree,form',
            'domain': [('capa_id', '=', self.id)],
        }
