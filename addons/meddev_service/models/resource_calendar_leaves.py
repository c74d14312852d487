from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """A public holiday (a leave without resource) added, moved or removed
    in a team's calendar moves its open tickets' SLA deadlines."""

    _inherit = 'resource.calendar.leaves'

    @api.model
    def create(self, vals):
        leave = super(ResourceCalendarLeaves, self).create(vals)
        leave._sla_queue_team_resync()
        return leave

    @api.multi
    def write(self, vals):
        calendars = self._holiday_calendars()
        result = super(ResourceCalendarLeaves, self).write(vals)
        (calendars | self._holiday_calendars())._sla_queue_team_resync()
        return result

    @api.multi
    def unlink(self):
        calendars = self._holiday_calendars()
        result = super(ResourceCalendarLeaves, self).unlink()
        calendars._sla_queue_team_resync()
        return result

    def _holiday_calendars(self):
        return self.filtered(
            lambda leave: not leave.resource_id).mapped('calendar_id')

    def _sla_queue_team_resync(self):
        self._holiday_calendars()._sla_queue_team_resync()
