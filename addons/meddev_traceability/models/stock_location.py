from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class StockLocation(models.Model):
    _inherit = 'stock.location'

    recall_quarantine = fields.Boolean(
        string='Recall Quarantine',
        help="Recalled units are held here until a recall manager decides "
             "what becomes of them: returns of lots under an open recall "
             "land here, and units leave only to be scrapped, sent back to "
             "the supplier or released by a recall manager. Keep it "
             "outside the warehouse's stock so that nothing reserves it.")

    @api.multi
    def write(self, vals):
        if 'recall_quarantine' in vals:
            self._check_recall_quarantine_change(vals['recall_quarantine'])
        return super(StockLocation, self).write(vals)

    def _check_recall_quarantine_change(self, value):
        """Only a recall manager may mark or unmark a recall quarantine
        location: unmarking one would release every unit held there."""
        changed = self.filtered(
            lambda location: location.recall_quarantine != bool(value))
        if changed and not self.env.user.has_group(
                'meddev_traceability.group_meddev_traceability_manager'):
            raise AccessError(
                _('Only a recall manager may change whether %(location)s '
                  'is a recall quarantine location.') % {
                    'location': changed[0].display_name})

    @api.model
    def _recall_quarantine_location(self, company):
        """Return the recall quarantine location of ``company``: the one
        chosen in its settings, else the first one marked of the company
        (or shared by every company); raise a UserError naming the company
        when there is none."""
        # The company's choice holds whoever receives the return.
        chosen = company.sudo().recall_quarantine_location_id
        if chosen and chosen.recall_quarantine:
            return self.browse(chosen.id)
        location = self.search([
            ('recall_quarantine', '=', True),
            ('company_id', 'in', [company.id, False]),
        ], order='company_id, id', limit=1)
        if not location:
            raise UserError(
                _('%(company)s has no recall quarantine location: tick '
                  '"Recall Quarantine" on the location where recalled '
                  'units are held.') % {'company': company.name})
        return location
