import datetime

import pytz

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    meddev_quality_manager_id = fields.Many2one(
        'res.users', string='Quality Manager',
        help="Receives the warnings of approaching reporting deadlines, "
             "cluster alerts and trend reviews of this company.")
    meddev_cluster_window_days = fields.Integer(
        string='Cluster Window (days)', default=30,
        help="Complaints on the same lot received within this many days "
             "form a cluster (a possible group event).")
    meddev_cluster_threshold = fields.Integer(
        string='Cluster Threshold', default=3,
        help="Number of complaints on the same lot within the window that "
             "raises a group-event alert.")
    meddev_trend_threshold = fields.Integer(
        string='Trend Threshold', default=5,
        help="Number of complaints on the same product within the cluster "
             "window that opens a trend review.")

    def _meddev_quality_tz(self):
        """Return the time zone the reporting clocks of this company are
        counted in: its address's, else its country's main one, else UTC;
        never the user's, so that every user gets the same deadlines."""
        self.ensure_one()
        country = self.partner_id.country_id or self.country_id
        zones = pytz.country_timezones.get((country.code or '').upper(), []) \
            if country else []
        name = self.partner_id.tz or (zones[0] if zones else 'UTC')
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _meddev_working_days(self, date_from, date_to):
        """Return (holidays, workdays) of the company's working calendar
        between two dates: the dates of its global leaves, and the weekday
        numbers its attendances cover (Monday to Friday without one)."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        workdays = set(int(day) for day in calendar.mapped(
            'attendance_ids.dayofweek')) or set(range(5))
        holidays = set()
        start = fields.Datetime.to_string(
            datetime.datetime.combine(date_from, datetime.time.min))
        end = fields.Datetime.to_string(
            datetime.datetime.combine(date_to, datetime.time.max))
        leaves = self.env['resource.calendar.leaves'].sudo().search([
            ('calendar_id', '=', calendar.id), ('resource_id', '=', False),
            ('date_from', '<=', end), ('date_to', '>=', start)])
        for leave in leaves:
            day = fields.Datetime.from_string(leave.date_from).date()
            last = fields.Datetime.from_string(leave.date_to).date()
            while day <= last:
                holidays.add(day)
                day += datetime.timedelta(days=1)
        return holidays, workdays
