from odoo import api, models

PLANNER = 'planner_meddev_qualification'


class WebPlanner(models.Model):
    """The Qualification planner: the steps an implementer walks to set the
    app up for a client, each ticked once its data exists."""

    _inherit = 'web.planner'

    @api.model
    def _get_planner_application(self):
        planners = super(WebPlanner, self)._get_planner_application()
        planners.append([PLANNER, 'Qualification Planner'])
        return planners

    @api.model
    def _prepare_planner_meddev_qualification_data(self):
        """Return which steps are done, for the user's company: one count
        query per step."""
        company = self.env.user.company_id
        reviewers = self.env.ref(
            'meddev_qualification.group_meddev_qualification_reviewer')
        superuser = self.env.ref('base.user_root')
        licences = self.env['meddev.partner.licence'].sudo()
        steps = {
            'types': bool(self.env['meddev.licence.type'].search_count([])),
            'categories': bool(
                self.env['meddev.device.category'].search_count([])),
            'reviewers': bool(self.env['res.users'].search_count([
                ('groups_id', 'in', reviewers.ids),
                ('id', '!=', superuser.id)])),
            'tiers': bool(self.env['tier.definition'].sudo().search_count([
                ('model', '=', 'meddev.qualification.review')])),
            'compliance': bool(company.meddev_compliance_user_ids),
            'licences': bool(licences.search_count(
                licences._company_domain(company))),
        }
        return {'meddev_steps': steps}
