import datetime

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The company's quality options, shown in Settings > Quality (related
# fields of res.config.settings): only quality managers and administrators
# change them, on every path.
SETTING_FIELDS = (
    'meddev_quality_manager_id', 'meddev_cluster_window_days',
    'meddev_cluster_threshold', 'meddev_product_cluster_threshold',
    'meddev_trend_threshold', 'meddev_reporting_country_ids',
    'meddev_deadline_warning_hours',
)
MANAGER_GROUP = 'meddev_quality_capa.group_meddev_quality_capa_manager'


class ResCompany(models.Model):
    """The company's quality options (Settings > Quality)."""

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
             "raises a group-event alert (0: no alert).")
    meddev_product_cluster_threshold = fields.Integer(
        string='Product Cluster Threshold', default=0,
        help="Number of complaints on the same product, whatever their "
             "lots, within the window that raises a group-event alert (0: "
             "no alert; a product sells far more than one lot, so it is "
             "set apart from the lot threshold).")
    meddev_trend_threshold = fields.Integer(
        string='Trend Threshold', default=5,
        help="Number of complaints on the same product within the cluster "
             "window that opens a trend review (0: no review).")
    meddev_reporting_country_ids = fields.Many2many(
        'res.country', 'meddev_quality_company_country_rel', 'company_id',
        'country_id', string='Active Jurisdictions',
        help="The jurisdictions whose reporting rules create reports for "
             "this company's complaints; empty: every jurisdiction that has "
             "rules.")
    meddev_deadline_warning_hours = fields.Integer(
        string='Warn at Least (hours)', default=0,
        help="The quality manager is warned of a report at least this many "
             "hours before it is due, whatever the rule's own warning "
             "(0: each rule's own).")

    @api.constrains('meddev_cluster_window_days', 'meddev_cluster_threshold',
                    'meddev_product_cluster_threshold',
                    'meddev_trend_threshold', 'meddev_deadline_warning_hours')
    def _check_quality_options(self):
        for company in self:
            if company.meddev_cluster_window_days < 1 or min(
                    company.meddev_cluster_threshold,
                    company.meddev_product_cluster_threshold,
                    company.meddev_trend_threshold,
                    company.meddev_deadline_warning_hours) < 0:
                raise ValidationError(
                    _('%(company)s: the cluster window is at least 1 day; '
                      'the thresholds (0: off) and the warning lead time '
                      'are not negative.') % {'company': company.name})

    @api.model
    def _meddev_guarded_settings(self):
        """The quality options: quality managers (and administrators)
        only."""
        guarded = super(ResCompany, self)._meddev_guarded_settings()
        guarded.update(dict.fromkeys(SETTING_FIELDS, MANAGER_GROUP))
        # The reporter role selects the reporting rules of every new
        # decision: administrators only (res_company_reporter_role.py).
        guarded['meddev_reporter_role'] = 'base.group_system'
        return guarded

    def _meddev_reporting_active(self, country):
        """Whether the reporting rules of ``country`` are active for this
        company (Settings > Quality > Active Jurisdictions)."""
        self.ensure_one()
        return not self.meddev_reporting_country_ids or \
            country in self.meddev_reporting_country_ids

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
        between two local dates: the local dates its global leaves cover,
        and the weekday numbers its attendances cover (Monday to Friday
        without one)."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        workdays = set(int(day) for day in calendar.mapped(
            'attendance_ids.dayofweek')) or set(range(5))
        tz = self._meddev_quality_tz()

        def local(value):
            return pytz.utc.localize(fields.Datetime.from_string(value)) \
                .astimezone(tz).replace(tzinfo=None)

        # Leaves are stored in UTC: a day off entered in Shanghai starts at
        # 16:00 UTC the day before. Search a day wider, then take the
        # company's local dates (a leave ending at local midnight does not
        # take the next day off).
        day = datetime.timedelta(days=1)
        start = fields.Datetime.to_string(
            datetime.datetime.combine(date_from - day, datetime.time.min))
        end = fields.Datetime.to_string(
            datetime.datetime.combine(date_to + day, datetime.time.max))
        leaves = self.env['resource.calendar.leaves'].sudo().search([
            ('calendar_id', '=', calendar.id), ('resource_id', '=', False),
            ('date_from', '<=', end), ('date_to', '>=', start)])
        holidays = set()
        for leave in leaves:
            first, last = local(leave.date_from), local(leave.date_to)
            if last.time() == datetime.time.min and last > first:
                last -= datetime.timedelta(microseconds=1)
            current = first.date()
            while current <= last.date():
                holidays.add(current)
                current += day
        return holidays, workdays
