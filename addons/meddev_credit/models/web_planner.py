from odoo import api, models

from .meddev_credit_rating_history import RATINGS

PLANNER = 'planner_meddev_credit'


class WebPlanner(models.Model):
    """The Credit Control planner: the steps an implementer walks to set
    the app up for a client, each ticked once its data exists."""

    _inherit = 'web.planner'

    @api.model
    def _get_planner_application(self):
        planners = super(WebPlanner, self)._get_planner_application()
        planners.append([PLANNER, 'Credit Control Planner'])
        return planners

    @api.model
    def _prepare_planner_meddev_credit_data(self):
        """Return which steps are done, for the user's company: one count
        query per step. Configuration counts, whoever the implementer is
        (sudo: the planner says whether data exists, not what it is)."""
        company = self.env.user.company_id
        managers = self.env.ref('meddev_credit.group_meddev_credit_manager')
        superuser = self.env.ref('base.user_root')
        states = self.env['meddev.credit.partner.state'].sudo()
        policies = self.env['meddev.credit.policy'].sudo().search_count(
            [('company_id', '=', company.id)])
        steps = {
            'policies': policies >= len(RATINGS),
            'approvers': bool(company.credit_manager_id) or bool(
                self.env['res.users'].sudo().search_count([
                    ('groups_id', 'in', managers.ids),
                    ('company_ids', 'in', company.ids),
                    ('id', '!=', superuser.id)])),
            'tiers': bool(self.env['tier.definition'].sudo().search_count([
                ('model', '=', 'meddev.credit.override'),
                ('company_id', 'in', (company.id, False))])),
            'limits': bool(states.search_count([
                ('company_id', '=', company.id),
                ('credit_limit', '>', 0)])),
            'ratings': bool(states.search_count([
                ('company_id', '=', company.id),
                ('rating', '!=', False)])),
        }
        return {'meddev_steps': steps}
