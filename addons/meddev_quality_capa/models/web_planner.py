from odoo import api, fields, models

PLANNER = 'planner_meddev_quality_capa'
USER_GROUP = 'meddev_quality_capa.group_meddev_quality_capa_user'
MANAGER_GROUP = 'meddev_quality_capa.group_meddev_quality_capa_manager'


class WebPlanner(models.Model):
    """The Quality planner: the steps an implementer walks to set the app
    up for a client, each ticked once its data exists."""

    _inherit = 'web.planner'

    @api.model
    def _get_planner_application(self):
        planners = super(WebPlanner, self)._get_planner_application()
        planners.append([PLANNER, 'Quality Planner'])
        return planners

    @api.model
    def _prepare_planner_meddev_quality_capa_data(self):
        """Return which steps are done, for the user's company: one count
        query per step. Configuration counts, whoever the implementer is
        (sudo: the planner says whether data exists, not what it is)."""
        company = self.env.user.company_id
        today = fields.Date.context_today(self)
        rule_domain = [
            ('company_id', 'in', (company.id, False)),
            ('valid_from', '<=', today),
            '|', ('valid_to', '=', False), ('valid_to', '>=', today)]
        if company.meddev_reporting_country_ids:
            rule_domain.append(
                ('country_id', 'in', company.meddev_reporting_country_ids.ids))
        users = self.env['res.users'].sudo()
        team_domain = [('company_ids', 'in', company.ids),
                       ('id', '!=', self.env.ref('base.user_root').id)]
        steps = {
            'rules': bool(self.env['meddev.reporting.rule'].sudo()
                          .search_count(rule_domain)),
            'team': bool(
                company.meddev_quality_manager_id or users.search_count(
                    team_domain + [('groups_id', 'in', self.env.ref(
                        MANAGER_GROUP).ids)])) and bool(users.search_count(
                            team_domain + [('groups_id', 'in', self.env.ref(
                                USER_GROUP).ids)])),
            'aliases': bool(self.env['mail.alias'].sudo().search_count([
                ('alias_model_id.model', '=', 'meddev.complaint'),
                ('alias_name', '!=', False)])),
            'tiers': bool(self.env['tier.definition'].sudo().search_count([
                ('model', '=', 'meddev.capa'),
                ('company_id', 'in', (company.id, False))])),
            'complaints': bool(self.env['meddev.complaint'].sudo()
                               .search_count([
                                   ('company_id', '=', company.id)])),
        }
        return {'meddev_steps': steps}
