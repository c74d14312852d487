from odoo import api, models
from odoo.exceptions import UserError

PLANNER = 'planner_meddev_traceability'


class WebPlanner(models.Model):
    """The Traceability planner: the steps an implementer walks to set the
    app up for a client, each ticked once its data exists."""

    _inherit = 'web.planner'

    @api.model
    def _get_planner_application(self):
        planners = super(WebPlanner, self)._get_planner_application()
        planners.append([PLANNER, 'Traceability Planner'])
        return planners

    @api.model
    def _prepare_planner_meddev_traceability_data(self):
        """Return which steps are done, for the user's company: one count
        query per step. Configuration counts, whoever the implementer is
        (sudo: the planner says whether data exists, not what it is)."""
        company = self.env.user.company_id
        products = self.env['product.template'].sudo()
        in_company = [('company_id', 'in', (company.id, False))]
        with_gtin = in_company + [('udi_di', '!=', False)]
        levels = [('country_id', '=', company.country_id.id)] \
            if company.country_id else []
        tag = company.sudo().recall_contact_category_id
        try:
            self.env['stock.location'].sudo()._recall_quarantine_location(
                company)
            quarantine = True
        except UserError:
            quarantine = False
        steps = {
            'gtins': bool(products.search_count(with_gtin)),
            'levels': bool(self.env['meddev.recall.level'].sudo()
                           .search_count(levels)),
            # Every product with a UDI-DI tracked by lot or serial.
            'tracking': bool(products.search_count(with_gtin)) and not
            products.search_count(with_gtin + [('tracking', '=', 'none')]),
            'genealogy': bool(self.env['meddev.lot.link'].sudo().search_count(
                [('company_id', '=', company.id),
                 ('origin', 'in', ('manufacturing', 'import'))])),
            'quarantine': quarantine,
            'notices': bool(tag) and bool(
                self.env['res.partner'].sudo().search_count(
                    [('category_id', 'in', tag.ids)])),
        }
        return {'meddev_steps': steps}
