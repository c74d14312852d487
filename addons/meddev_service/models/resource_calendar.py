from odoo import _, api, models


class ResourceCalendar(models.Model):
    """Working hours of service teams: a change of hours moves the SLA
    deadlines of the teams' open tickets."""

    _inherit = 'resource.calendar'

    @api.multi
    def write(self, vals):
        result = super(ResourceCalendar, self).write(vals)
        if set(vals) & {'attendance_ids', 'leave_ids'}:
            self._sla_queue_team_resync()
        return result

    def _sla_queue_team_resync(self):
        """Queue the recomputation of the open tickets of the teams that
        work these hours."""
        teams = self.env['meddev.service.team'].sudo().search(
            [('calendar_id', 'in', self.ids)])
        if teams:
            self.env['meddev.service.ticket']._sla_queue_resync(
                [('team_id', 'in', teams.ids)],
                _('Working hours of %(names)s changed: recompute the '
                  'clocks') % {'names': ', '.join(teams.mapped('name'))})
