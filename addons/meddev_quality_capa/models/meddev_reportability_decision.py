from odoo import _, api, fields, models
from odoo.addons.meddev_base.tools import create_values
from odoo.exceptions import AccessError, UserError, ValidationError

from .meddev_reporting_rule import REPORTER_ROLES

# The answers that select the reporting rules of a 'reportable' decision.
RULE_SELECTING_FIELDS = ('decision', 'country_id', 'reporter_role',
                         'q_expected')
# What the decider answers for: changing any of them re-stamps who decided
# and when.
DECIDING_FIELDS = ('decision', 'rationale', 'country_id', 'reporter_role',
                   'q_device_involved', 'q_serious', 'q_expected')


class MeddevReportabilityDecision(models.Model):
    """Whether a complaint must be reported in one jurisdiction: the
    questions answered, the decision, its rationale, who decided and when.
    A 'reportable' decision creates the reports due from the rules."""

    _name = 'meddev.reportability.decision'
    _description = 'Reportability Decision'
    _inherit = ['meddev.quality.context.mixin',
                'meddev.regulated.mixin', 'meddev.guarded.mixin']
    _order = 'complaint_id, country_id'
    # Who decided and when are stamped by the server; a decision stays on
    # its complaint.
    _meddev_guarded_fields = ('decided_by_id', 'decided_on', 'complaint_id',
                              'company_id')

    complaint_id = fields.Many2one(
        'meddev.complaint', required=True, index=True, ondelete='restrict')
    country_id = fields.Many2one(
        'res.country', string='Jurisdiction', required=True)
    reporter_role = fields.Selection(
        REPORTER_ROLES, required=True,
        default=lambda self: self.env.user.company_id.meddev_reporter_role
        or 'registrant',
        help="The company's role in this jurisdiction: it selects the "
             "reporting rules (registrant/holder, distributor, user "
             "facility, importer/agent). Defaults to the company's role "
             "(Settings > Quality).")
    q_device_involved = fields.Boolean(
        string='Device May Have Caused or Contributed',
        help="Could the device have caused or contributed to the event?")
    q_serious = fields.Boolean(
        string='Death or Serious Injury (or Could Cause It)',
        help="Did the event lead, or could it lead if it recurred, to a "
             "death or a serious deterioration of health?")
    q_expected = fields.Boolean(
        string='Anticipated (Documented in Risk File and IFU)',
        help="Was the outcome anticipated: considered in the risk file and "
             "documented in the instructions for use? Under EU MDR Art. 87 "
             "an anticipated serious deterioration of health is reported "
             "within 15 days, an unanticipated one within 10 days.")
    decision = fields.Selection([
        ('reportable', 'Reportable'),
        ('not_reportable', 'Not Reportable'),
    ], required=True)
    rationale = fields.Text(
        help="Why the event is or is not reportable; required when it is "
             "not.")
    decided_by_id = fields.Many2one(
        'res.users', string='Decided By', readonly=True, ondelete='restrict',
        default=lambda self: self.env.user)
    decided_on = fields.Datetime(
        readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one(
        related='complaint_id.company_id', store=True, readonly=True)

    _sql_constraints = [
        ('complaint_country_unique', 'UNIQUE (complaint_id, country_id)',
         'A complaint has one reportability decision per jurisdiction.'),
    ]

    @api.constrains('decision', 'rationale')
    def _check_rationale(self):
        """A decision not to report must say why in writing."""
        for decision in self:
            if decision.decision == 'not_reportable' and not (
                    decision.rationale or '').strip():
                raise ValidationError(
                    _('%(complaint)s, %(country)s: a decision of "not '
                      'reportable" needs a written rationale.') % {
                        'complaint': decision.complaint_id.name,
                        'country': decision.country_id.name})

    @api.constrains('decision', 'country_id', 'complaint_id')
    def _check_jurisdiction_active(self):
        """A reportable decision needs the jurisdiction's reporting rules
        switched on for the company: otherwise no report and no deadline
        would follow from it, silently."""
        for decision in self:
            company = decision.complaint_id.company_id
            if decision.decision == 'reportable' and company and \
                    not company._meddev_reporting_active(decision.country_id):
                raise ValidationError(
                    _('%(complaint)s: the reporting rules of %(country)s are '
                      'not active for %(company)s (Settings > Quality > '
                      'Active Jurisdictions): no report would be due. '
                      'Activate the jurisdiction first.') % {
                        'complaint': decision.complaint_id.name,
                        'country': decision.country_id.name,
                        'company': company.name})

    def _check_rules_apply(self):
        """Refuse a 'reportable' decision that no active reporting rule
        answers: no report and no deadline would follow from it, and the
        event would look handled. The refusal says which country, reporter
        role and event kind found no rule."""
        rules = self.env['meddev.reporting.rule'].sudo()
        roles = dict(self._fields['reporter_role']._description_selection(
            self.env))
        kind_labels = dict(rules._fields[
            'event_kind']._description_selection(self.env))
        for decision in self.filtered(lambda d: d.decision == 'reportable'):
            complaint = decision.complaint_id.sudo()
            kinds = complaint._event_kinds()
            location = 'domestic' \
                if decision.country_id == complaint.country_id else 'overseas'
            if kinds and rules._applicable(
                    decision.country_id, decision.reporter_role, kinds,
                    location, complaint.awareness_date[:10],
                    complaint.company_id, anticipated=decision.q_expected):
                continue
            raise UserError(
                _('%(complaint)s cannot be decided reportable in '
                  '%(country)s: no active reporting rule applies there to '
                  'the role "%(role)s" for the event kind %(kinds)s (event '
                  'known on %(date)s). Add or activate the rule (Quality > '
                  'Configuration > Reporting Rules), choose the reporter '
                  'role that has duties there, or correct the patient '
                  'outcome.') % {
                    'complaint': complaint.name,
                    'country': decision.country_id.name,
                    'role': roles.get(decision.reporter_role),
                    'kinds': ', '.join(
                        '"%s"' % kind_labels[kind] for kind in sorted(kinds))
                    or _('"none" (the patient outcome is no reportable '
                         'event)'),
                    'date': complaint.awareness_date[:10]})

    def _check_decider(self):
        if not self.env.user.has_group(
                'meddev_quality_capa.group_meddev_quality_capa_regulatory'):
            raise AccessError(
                _('Only quality managers and regulatory affairs decide '
                  'whether an event is reportable.'))

    def _check_complaint_open(self, complaints):
        closed = complaints.filtered(
            lambda complaint: complaint.state in ('closed', 'cancel'))
        if closed:
            raise UserError(
                _('%(names)s is closed or cancelled: its reportability can '
                  'no longer change.') % {
                    'names': ', '.join(closed.mapped('name'))})

    @api.model
    def create(self, vals):
        self._check_decider()
        # Who decides and when is the server's to say, never the client's.
        vals = dict(vals, decided_by_id=self.env.uid,
                    decided_on=fields.Datetime.now())
        # The complaint from the values or from the caller's
        # default_complaint_id (or a saved default) alike.
        complaint = self.env['meddev.complaint'].browse(create_values(
            self, vals, ['complaint_id']).get('complaint_id'))
        self._check_complaint_open(complaint)
        if not vals.get('reporter_role'):
            # The complaint's company reports in its own role (the user
            # may be working in another company).
            vals['reporter_role'] = complaint.company_id \
                .meddev_reporter_role or 'registrant'
        decision = super(MeddevReportabilityDecision, self).create(vals)
        decision._check_rules_apply()
        decision._announce()
        decision.complaint_id._sync_reports(notify=True)
        return decision

    @api.multi
    def write(self, vals):
        self._check_decider()
        self._meddev_check_guarded(vals)
        self._check_complaint_open(self.mapped('complaint_id'))
        if set(vals) & set(DECIDING_FIELDS):
            # Who decides last answers for the decision and its answers.
            vals = dict(vals, decided_by_id=self.env.uid,
                        decided_on=fields.Datetime.now())
        result = super(MeddevReportabilityDecision,
                       self._meddev_as_server()).write(vals)
        if set(vals) & set(RULE_SELECTING_FIELDS):
            # Only what selects the rules: a rationale edited after the
            # jurisdiction was switched off keeps its running reports.
            self._check_rules_apply()
        self._announce()
        self.mapped('complaint_id')._sync_reports(notify=True)
        return result

    def _announce(self):
        labels = dict(self._fields['decision']._description_selection(
            self.env))
        for decision in self:
            decision.complaint_id._post_quality_note(_(
                'Reportability in %(country)s: %(decision)s by %(user)s. '
                '%(rationale)s') % {
                    'country': decision.country_id.name,
                    'decision': labels.get(decision.decision),
                    'user': decision.decided_by_id.name,
                    'rationale': decision.rationale or ''})
