from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

ENGINEER = 'meddev_service.group_meddev_service_user'
MANAGER = 'meddev_service.group_meddev_service_manager'


class MeddevServiceTicket(models.Model):
    """The ticket's team: a user's new ticket goes to his own team (else
    the company's default service team), and an engineer's ticket needs a
    team once he belongs to one or his company names a default team (a
    ticket without a team is every engineer's and no dispatcher's
    queue)."""

    _inherit = 'meddev.service.ticket'

    team_id = fields.Many2one(default=lambda self: self._default_team())

    @api.model
    def _user_teams(self, company):
        """The teams of ``company`` the current user belongs to (member,
        leader or engineer), in their order."""
        uid = self.env.uid
        return self.env['meddev.service.team'].sudo().search([
            ('company_id', '=', company.id), '|', '|',
            ('member_ids', 'in', [uid]), ('leader_id', '=', uid),
            ('engineer_ids.user_id', '=', uid)])

    def _is_engineer_only(self):
        """A service user without the dispatcher's rights."""
        return self.env.user.has_group(ENGINEER) and \
            not self._is_dispatcher()

    @api.model
    def _default_team(self, company=None):
        """The team of a ticket a user opens without naming one: his first
        team in the ticket's company, else the company's default service
        team (not for an engineer outside it: he would not see his own
        ticket; a dispatcher sees and plans that team's tickets). None
        for the module's own tickets (an alias no team owns names no
        team) and the superuser's."""
        teams = self.env['meddev.service.team']
        # The module's own tickets and the superuser's (scripts, imports,
        # data files) name their team themselves.
        if self._meddev_is_server() or self.env.uid == SUPERUSER_ID:
            return teams
        company = company or self.env['res.company']._company_default_get(
            'meddev.service.ticket')
        teams = self._user_teams(company)[:1]
        # A dispatcher sees the default team's tickets (record rule) and
        # plans them: his ticket goes there too.
        if not teams and not self._is_engineer_only():
            teams = company.sudo().service_default_team_id
        return teams.with_env(self.env)

    @api.model
    def _ticket_team_vals(self, vals):
        """``vals`` of a new ticket with its default team when none is
        given (not even an empty one)."""
        if 'team_id' in vals or 'default_team_id' in self.env.context:
            return vals
        company = self.env['res.company'].browse(vals.get('company_id')) \
            if vals.get('company_id') else None
        team = self._default_team(company)
        return dict(vals, team_id=team.id) if team else vals

    def _check_team_required(self):
        """An engineer (no dispatcher) opens tickets of a team once he
        belongs to one or his company names a default service team: a
        ticket without a team is seen by every engineer of the company and
        planned by no dispatcher."""
        if self._meddev_is_server() or not self._is_engineer_only():
            return
        for ticket in self.filtered(lambda ticket: not ticket.team_id):
            company = ticket.company_id.sudo()
            teams = self._user_teams(company)
            if teams:
                raise UserError(
                    _('The ticket %(ticket)s needs a team: choose one of '
                      'your teams (%(teams)s).') % {
                        'ticket': ticket.title or ticket.name,
                        'teams': ', '.join(teams.mapped('name'))})
            if company.service_default_team_id:
                raise UserError(
                    _('The ticket %(ticket)s needs a team, and you belong '
                      'to no service team of %(company)s: a service '
                      'manager adds you to one (the default team is '
                      '%(team)s).') % {
                        'ticket': ticket.title or ticket.name,
                        'company': company.name,
                        'team': company.service_default_team_id.name})
