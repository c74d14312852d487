from odoo import api, models

PLANNER = 'planner_meddev_service'


class WebPlanner(models.Model):
    """The Field Service planner: the steps an implementer walks to set
    the app up for a client, each ticked once its data exists."""

    _inherit = 'web.planner'

    @api.model
    def _get_planner_application(self):
        planners = super(WebPlanner, self)._get_planner_application()
        planners.append([PLANNER, 'Field Service Planner'])
        return planners

    @api.model
    def _prepare_planner_meddev_service_data(self):
        """Return which steps are done, for the user's company: one count
        query per step. Configuration counts, whoever the implementer is
        (sudo: the planner says whether data exists, not what it is)."""
        company = self.env.user.company_id
        own = [('company_id', '=', company.id)]
        env = self.env
        teams = env['meddev.service.team'].sudo().with_context(
            active_test=False)
        engineers = env['meddev.service.engineer'].sudo()
        holidays = env['resource.calendar.leaves'].sudo().search_count([
            ('resource_id', '=', False),
            ('calendar_id', 'in', teams.search(own).mapped(
                'calendar_id').ids)])
        steps = {
            'teams': bool(teams.search_count(own)),
            'calendars': bool(holidays),
            'sla': bool(env['meddev.sla.policy'].sudo().search_count(own)),
            'engineers': bool(engineers.search_count(
                own + [('skill_ids', '!=', False)])) and bool(
                    teams.search_count(own + [('state_ids', '!=', False)])),
            'vans': bool(engineers.search_count(
                own + [('van_location_id', '!=', False)])),
            'pm_plans': bool(env['meddev.service.pm.plan'].sudo()
                             .search_count(own)),
            'aliases': bool(teams.search_count(
                own + [('alias_name', '!=', False)])),
            'equipment': bool(env['meddev.service.equipment'].sudo()
                              .search_count(own)),
            'van_stock': bool(env['stock.quant'].sudo().search_count([
                ('location_id', 'in', engineers.search(own).mapped(
                    'van_location_id').ids), ('quantity', '>', 0)])),
        }
        return {'meddev_steps': steps}
