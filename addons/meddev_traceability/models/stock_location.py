from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockLocation(models.Model):
    _inherit = 'stock.location'

    recall_quarantine = fields.Boolean(
        string='Recall Quarantine',
        help="Recalled units are held here until a recall manager decides "
             "what becomes of them: returns of lots under an open recall "
             "land here, and units leave only to be scrapped, sent back to "
             "the supplier or released by a recall manager. Keep it "
             "outside the warehouse's stock so that nothing reserves it.")

    @api.model
    def _recall_quarantine_location(self, company):
        """Return the recall quarantine location of ``company`` (or one
        shared by every company); raise a UserError naming the company
        when there is none."""
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
