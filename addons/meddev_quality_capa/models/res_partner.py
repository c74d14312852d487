from odoo import _, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    def _service_360_sections(self):
        """Add the customer's complaints to its 360° view."""
        sections = super(ResPartner, self)._service_360_sections()
        sections.append(self.env['meddev.service.view360']._section(
            _('Complaints'), 'meddev.complaint',
            [('partner_id', 'child_of', self.commercial_partner_id.id)]))
        return sections
