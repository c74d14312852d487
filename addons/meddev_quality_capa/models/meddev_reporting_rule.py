import datetime

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..deadline import DeadlineError, compute_deadline

REPORTER_ROLES = [
    ('registrant', 'Registrant / Manufacturer'),
    ('distributor', 'Distributor'),
    ('user_facility', 'User Facility'),
    ('importer', 'Importer / Authorised Agent'),
]
EVENT_KINDS = [
    ('death', 'Death'),
    ('serious_injury', 'Serious Injury'),
    ('malfunction', 'Malfunction that Could Cause Serious Injury'),
    ('group', 'Group Event'),
    ('public_threat', 'Serious Public Health Threat'),
    ('remedial', 'Remedial Action or Regulator Request'),
    ('new_information', 'New Information'),
]
REPORT_KINDS = [
    ('initial', 'Initial'),
    ('individual', 'Individual Reports'),
    ('follow_up', 'Follow-up'),
    ('final', 'Final'),
    ('forward', 'Forward to Manufacturer'),
]
# EU MDR Art. 87(3)/(5): an anticipated serious deterioration of health is
# an 'other serious incident' (15 days), an unanticipated one 10 days; the
# decision's 'anticipated' answer chooses between them.
EXPECTEDNESS = [
    ('any', 'Anticipated or Not'),
    ('unanticipated', 'Unanticipated Only'),
    ('anticipated', 'Anticipated Only'),
]
# What a rule asks and when: fixed once reports follow it (a new version
# of the regulation is a copy with its own validity).
VERSIONED_FIELDS = (
    'country_id', 'country_group_id', 'reporter_role', 'event_kind',
    'event_location', 'expectedness', 'report_kind', 'deadline_amount',
    'deadline_unit', 'valid_from', 'company_id', 'active')
DEADLINE_UNITS = [
    ('calendar_days', 'Calendar Days'),
    ('working_days', 'Working Days'),
    ('hours', 'Hours'),
]


class MeddevReportingRule(models.Model):
    """When a jurisdiction wants an adverse event reported.

    For a reporter role and an event kind, the deadline counted from the
    awareness date (calendar days, working days or hours), the kind of report
    due and the regulation that says so. Rules are versioned by their
    validity dates: a complaint uses the rules valid on its awareness date,
    so a new regulation does not rewrite past deadlines.
    """

    _name = 'meddev.reporting.rule'
    _description = 'Adverse Event Reporting Rule'
    _order = 'country_id, reporter_role, deadline_hours, id'

    name = fields.Char(required=True, translate=True)
    country_id = fields.Many2one(
        'res.country', string='Jurisdiction', index=True,
        help="Country whose authority receives the report; leave empty "
             "when the rule applies to a group of countries.")
    country_group_id = fields.Many2one(
        'res.country.group', string='Jurisdiction Group', index=True,
        help="Group of countries sharing the rule (EU/EEA under the MDR): "
             "the rule applies to a decision for any country of the "
             "group. Set either a country or a group.")
    regulation = fields.Char(
        string='Cited Regulation', required=True, translate=True,
        help="The regulation and article that set this deadline.")
    reporter_role = fields.Selection(
        REPORTER_ROLES, required=True, default='registrant', index=True,
        help="Who must report: the company's role for this product in the "
             "jurisdiction.")
    event_kind = fields.Selection(
        EVENT_KINDS, required=True, index=True,
        help="The kind of event the deadline applies to.")
    event_location = fields.Selection([
        ('any', 'Anywhere'),
        ('domestic', 'In the Jurisdiction'),
        ('overseas', 'Outside the Jurisdiction'),
    ], required=True, default='any',
        help="Where the event must have happened for the rule to apply "
             "(China gives events abroad their own deadline).")
    expectedness = fields.Selection(
        EXPECTEDNESS, string='Anticipated', required=True, default='any',
        help="Whether the rule applies only to outcomes the decision "
             "answers as anticipated (considered in the risk file and the "
             "instructions for use) or only to unanticipated ones (EU MDR "
             "Art. 87: unanticipated serious deterioration 10 days, other "
             "serious incidents 15 days).")
    report_kind = fields.Selection(
        REPORT_KINDS, required=True, default='initial')
    deadline_amount = fields.Integer(
        string='Deadline', required=True,
        help="Number of units from the awareness date to the report.")
    deadline_unit = fields.Selection(
        DEADLINE_UNITS, required=True, default='calendar_days')
    deadline_hours = fields.Integer(
        compute='_compute_deadline_hours', store=True,
        help="Approximate length of the deadline in hours, to sort rules "
             "by urgency.")
    warning_hours = fields.Integer(
        string='Warn Before (hours)', default=48,
        help="The quality manager is warned this many hours before the "
             "report is due.")
    valid_from = fields.Date(required=True, default='2019-01-01')
    valid_to = fields.Date(
        help="Last day this version of the rule applies to awareness "
             "dates; empty while in force.")
    company_id = fields.Many2one(
        'res.company', string='Company', index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.reporting.rule'),
        help="Leave empty to share the rule between companies.")
    active = fields.Boolean(default=True)

    @api.depends('deadline_amount', 'deadline_unit')
    def _compute_deadline_hours(self):
        factor = {'calendar_days': 24, 'working_days': 34, 'hours': 1}
        for rule in self:
            rule.deadline_hours = rule.deadline_amount * factor.get(
                rule.deadline_unit, 24)

    @api.constrains('deadline_amount', 'valid_from', 'valid_to',
                    'warning_hours')
    def _check_deadline(self):
        """Refuse deadlines that would be due before the event is known and
        validity periods that end before they start."""
        for rule in self:
            if rule.deadline_amount <= 0:
                raise ValidationError(
                    _('The deadline of reporting rule "%(rule)s" must be at '
                      'least 1, not %(amount)s.') % {
                        'rule': rule.name, 'amount': rule.deadline_amount})
            if rule.valid_to and rule.valid_to < rule.valid_from:
                raise ValidationError(
                    _('Reporting rule "%(rule)s" ends (%(to)s) before it '
                      'starts (%(from)s).') % {
                        'rule': rule.name, 'to': rule.valid_to,
                        'from': rule.valid_from})
            if rule.warning_hours < 0:
                raise ValidationError(
                    _('The warning of reporting rule "%(rule)s" cannot come '
                      'after the deadline.') % {'rule': rule.name})

    # The event kind is in every creation's values: a rule created with
    # neither jurisdiction is checked too.
    @api.constrains('country_id', 'country_group_id', 'event_kind')
    def _check_jurisdiction(self):
        """A rule applies to one country or to one group of countries:
        with neither it would never apply, with both its jurisdiction would
        be ambiguous."""
        for rule in self:
            if bool(rule.country_id) == bool(rule.country_group_id):
                raise ValidationError(
                    _('Reporting rule "%(rule)s": set either a country or a '
                      'group of countries as its jurisdiction (one of '
                      'them).') % {'rule': rule.name})

    @api.multi
    def write(self, vals):
        self._check_version_kept(vals)
        return super(MeddevReportingRule, self).write(vals)

    def _check_version_kept(self, vals):
        """A rule that reports were created from is the version of the
        regulation they follow: what it asks and when (deadline, event,
        role, jurisdiction, start of validity, archiving) no longer
        changes, so that no open deadline moves or vanishes; a new version
        is a copy. Ending it (valid to) is allowed on its last reported
        complaint's awareness date or later."""
        names = [name for name in VERSIONED_FIELDS if name in vals]
        if not names and 'valid_to' not in vals:
            return
        used = self._rules_with_reports()
        for rule in used:
            changed = [name for name in names if rule._fields[
                name].convert_to_write(rule[name], rule) != vals[name]]
            if changed:
                raise UserError(
                    _('Reporting rule "%(rule)s" has reports: %(fields)s no '
                      'longer change (they would move or cancel deadlines '
                      'already running). Copy it as a new version with its '
                      'own validity instead.') % {
                        'rule': rule.name,
                        'fields': ', '.join(
                            rule._fields[name].get_description(
                                self.env)['string'] for name in changed)})
        if used and vals.get('valid_to'):
            used._check_valid_to_covers_reports(
                fields.Date.to_string(vals['valid_to'])
                if not isinstance(vals['valid_to'], str)
                else vals['valid_to'])

    def _rules_with_reports(self):
        """Return the rules among these that reports were created from."""
        if not self.ids:
            return self.browse()
        self.env.cr.execute(
            "SELECT DISTINCT rule_id FROM meddev_regulatory_report "
            "WHERE rule_id IN %s", (tuple(self.ids),))
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _check_valid_to_covers_reports(self, valid_to):
        """Refuse to end these rules before the awareness date of a
        complaint that has a report under them."""
        self.env.cr.execute("""
            SELECT report.rule_id, MAX(complaint.awareness_date)::date
              FROM meddev_regulatory_report report
              JOIN meddev_complaint complaint
                ON complaint.id = report.complaint_id
             WHERE report.rule_id IN %s
             GROUP BY report.rule_id""", (tuple(self.ids),))
        for rule_id, last in self.env.cr.fetchall():
            # Odoo's cursor returns dates as strings.
            last = fields.Date.to_string(fields.Date.from_string(last))
            if valid_to and last > valid_to:
                raise UserError(
                    _('Reporting rule "%(rule)s" applies to complaints known '
                      'up to %(last)s that have reports under it: it cannot '
                      'end before that day.') % {
                        'rule': self.browse(rule_id).name, 'last': last})

    @api.model
    def _applicable(self, country, role, kinds, location, on_date, company,
                    anticipated=False):
        """Return the active rules of ``country`` (its own or those of a
        group it belongs to, such as the EU/EEA) for ``role`` and the
        event ``kinds`` (a list), for an event ``location`` ('domestic' or
        'overseas') whose outcome was ``anticipated`` or not, valid on
        ``on_date`` (a date string), shared or of ``company``; none when
        the company switched the jurisdiction's rules off (Settings >
        Quality > Active Jurisdictions)."""
        if not company._meddev_reporting_active(country):
            return self.browse()
        groups = self.env['res.country.group'].sudo().search(
            [('country_ids', 'in', country.ids)])
        return self.search([
            '|', ('country_id', '=', country.id),
            ('country_group_id', 'in', groups.ids),
            ('reporter_role', '=', role),
            ('event_kind', 'in', list(kinds)),
            ('event_location', 'in', ['any', location]),
            ('expectedness', 'in', [
                'any', 'anticipated' if anticipated else 'unanticipated']),
            ('valid_from', '<=', on_date),
            '|', ('valid_to', '=', False), ('valid_to', '>=', on_date),
            ('company_id', 'in', [company.id, False]),
        ])

    def _compute_due(self, start, company):
        """Return the UTC due datetime (string) of a report under this rule
        for a clock started at ``start`` (UTC string), counted in the
        company's time zone, working days and holidays."""
        self.ensure_one()
        tz = company._meddev_quality_tz()
        utc_start = fields.Datetime.from_string(start)
        if self.deadline_unit == 'hours':
            # Hours elapse: counted on UTC, a deadline spanning a change
            # to or from summer time is neither an hour short nor long
            # (local wall-clock arithmetic would be).
            return fields.Datetime.to_string(self._compute_local_due(
                utc_start, (), range(5)))
        local = pytz.utc.localize(utc_start) \
            .astimezone(tz).replace(tzinfo=None)
        holidays, workdays = (), range(5)
        if self.deadline_unit == 'working_days':
            holidays, workdays = company._meddev_working_days(
                local.date(), local.date() + datetime.timedelta(
                    days=self.deadline_amount * 3 + 60))
        due = self._compute_local_due(local, holidays, workdays)
        # The end of a day is never in the hour skipped or repeated by a
        # change of summer time (those are at night): no ambiguity.
        return fields.Datetime.to_string(
            tz.localize(due).astimezone(pytz.utc).replace(tzinfo=None))

    def _compute_local_due(self, start, holidays, workdays):
        """Return the due datetime of this rule from ``start`` (naive,
        in the time the deadline is counted in), refused clearly when the
        rule's deadline cannot be computed."""
        try:
            return compute_deadline(start, self.deadline_amount,
                                    self.deadline_unit, holidays, workdays)
        except DeadlineError as error:
            raise UserError(
                _('The deadline of reporting rule "%(rule)s" cannot be '
                  'computed: %(error)s') % {'rule': self.name, 'error': error})
