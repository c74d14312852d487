from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from .meddev_reporting_rule import EVENT_KINDS, REPORT_KINDS


class MeddevRegulatoryReport(models.Model):
    """One report due to a regulator for a complaint: its deadline, stored
    when the clock starts, and when and under which reference it went."""

    _name = 'meddev.regulatory.report'
    _description = 'Regulatory Report'
    _inherit = ['meddev.quality.context.mixin',
                'meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'meddev.guarded.mixin']
    _order = 'due_date, id'
    # Everything but the regulator's reference and the reason of a
    # cancellation comes from the clocks and the Submit button.
    _meddev_guarded_fields = (
        'name', 'complaint_id', 'decision_id', 'rule_id', 'country_id',
        'report_kind', 'event_kind', 'clock_start', 'due_date', 'warn_date',
        'warned_date', 'submitted_date', 'snapshot', 'on_time', 'state',
        'company_id', 'cancelled_missed')

    name = fields.Char(compute='_compute_name', store=True)
    complaint_id = fields.Many2one(
        'meddev.complaint', required=True, index=True, ondelete='restrict',
        readonly=True)
    decision_id = fields.Many2one(
        'meddev.reportability.decision', readonly=True, ondelete='restrict')
    rule_id = fields.Many2one(
        'meddev.reporting.rule', string='Rule', readonly=True,
        ondelete='restrict')
    country_id = fields.Many2one(
        'res.country', compute='_compute_country_id', string='Jurisdiction',
        store=True, readonly=True, index=True,
        help="The country whose authority receives the report: the "
             "decision's jurisdiction (a rule of a group such as the EU/EEA "
             "applies in each member state), else the rule's country.")
    report_kind = fields.Selection(
        REPORT_KINDS, related='rule_id.report_kind', store=True,
        readonly=True)
    event_kind = fields.Selection(
        EVENT_KINDS, related='rule_id.event_kind', store=True,
        readonly=True)
    regulation = fields.Char(related='rule_id.regulation', readonly=True)
    clock_start = fields.Datetime(readonly=True)
    due_date = fields.Datetime(
        required=True, readonly=True, index=True,
        track_visibility='onchange')
    warn_date = fields.Datetime(
        compute='_compute_warn_date', store=True, index=True,
        help="When the quality manager is warned of the deadline.")
    warned_date = fields.Datetime(readonly=True, copy=False)
    submitted_date = fields.Datetime(
        readonly=True, track_visibility='onchange')
    reference = fields.Char(
        string="Regulator's Reference", track_visibility='onchange')
    snapshot = fields.Html(
        string='Content Snapshot', readonly=True, sanitize=False,
        help="The complaint's data as submitted.")
    on_time = fields.Boolean(
        compute='_compute_on_time', store=True, index=True)
    state = fields.Selection([
        ('open', 'Due'),
        ('missed', 'Overdue'),
        ('submitted', 'Submitted'),
        ('cancel', 'Cancelled'),
    ], default='open', required=True, readonly=True, index=True,
        track_visibility='onchange')
    company_id = fields.Many2one(
        related='complaint_id.company_id', store=True, readonly=True)
    cancelled_missed = fields.Boolean(
        string='Missed, Cancelled by a Manager', readonly=True, copy=False,
        help="Its deadline was missed and a quality manager cancelled it "
             "with a reason: it stays cancelled whatever the clocks say.")
    cancel_reason = fields.Text(
        track_visibility='onchange',
        help="Why a quality manager cancelled a report whose deadline was "
             "missed (required to cancel it).")

    @api.depends('decision_id.country_id', 'rule_id.country_id',
                 'complaint_id.country_id')
    def _compute_country_id(self):
        for report in self:
            report.country_id = report.decision_id.country_id or \
                report.rule_id.country_id or report.complaint_id.country_id

    @api.depends('complaint_id.name', 'rule_id.name')
    def _compute_name(self):
        for report in self:
            report.name = '%s / %s' % (report.complaint_id.name or '',
                                       report.rule_id.name or '')

    @api.depends('due_date', 'rule_id.warning_hours',
                 'company_id.meddev_deadline_warning_hours')
    def _compute_warn_date(self):
        # The rule's warning, or the company's lead time when longer
        # (Settings > Quality). Read as superuser: a change of the company
        # option (by an administrator outside the quality groups)
        # recomputes the reports in the writer's environment.
        for report in self:
            data = report.sudo()
            if data.due_date:
                hours = max(data.rule_id.warning_hours,
                            data.company_id.meddev_deadline_warning_hours)
                report.warn_date = fields.Datetime.to_string(
                    fields.Datetime.from_string(data.due_date)
                    - timedelta(hours=hours))

    @api.depends('submitted_date', 'due_date')
    def _compute_on_time(self):
        for report in self:
            report.on_time = bool(report.submitted_date) and \
                report.submitted_date <= report.due_date

    def _due_display(self):
        """Return the due date in the time zone the clock counts in (the
        company's), named, for messages."""
        tz = self.company_id._meddev_quality_tz()
        return pytz.utc.localize(fields.Datetime.from_string(
            self.due_date)).astimezone(tz).strftime('%Y-%m-%d %H:%M %Z')

    def _is_cancelled_by_manager(self):
        """Whether this report was missed and then cancelled by a quality
        manager with a reason (not by the clocks)."""
        self.ensure_one()
        return self.state == 'cancel' and self.cancelled_missed

    def _move_due(self, start, due):
        """Move the deadline of a report still due (the clock start
        changed): it will be warned again."""
        self._meddev_as_server().write(
            {'clock_start': start, 'due_date': due, 'warned_date': False})

    @api.model
    def create(self, vals):
        """Reports are created by the complaint's clocks only."""
        if not self._meddev_is_server():
            raise UserError(
                _('Regulatory reports are created by the reportability '
                  'decisions of their complaint, not by hand.'))
        return super(MeddevRegulatoryReport, self).create(vals)

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        return super(MeddevRegulatoryReport, self).write(vals)

    @api.multi
    def action_cancel(self):
        """Cancel a report whose deadline was missed but which is not due
        after all (a quality manager, with the reason written first); the
        report and its missed deadline stay on record."""
        if not self.env.user.has_group(
                'meddev_quality_capa.group_meddev_quality_capa_manager'):
            raise AccessError(
                _('Only a quality manager cancels a regulatory report.'))
        for report in self:
            if report.state != 'missed':
                raise UserError(
                    _('%(report)s: only a missed report is cancelled by '
                      'hand; the others follow the decisions.') % {
                        'report': report.name})
            if not (report.cancel_reason or '').strip():
                raise UserError(
                    _('%(report)s: write why it is cancelled first.') % {
                        'report': report.name})
        self._meddev_as_server().write(
            {'state': 'cancel', 'cancelled_missed': True})
        for report in self:
            report.complaint_id._post_quality_note(_(
                '%(report)s (missed, due %(due)s) cancelled by %(user)s: '
                '%(reason)s') % {
                    'report': report.name, 'due': report._due_display(),
                    'user': self.env.user.name,
                    'reason': report.cancel_reason})
        return True

    def _check_regulatory(self):
        if not self.env.user.has_group(
                'meddev_quality_capa.group_meddev_quality_capa_regulatory'):
            raise UserError(
                _('Only regulatory affairs and quality managers submit '
                  'regulatory reports.'))

    @api.multi
    def action_submit(self):
        """Record that the report went to the regulator now, with the
        complaint's data as submitted."""
        self._check_regulatory()
        for report in self:
            if report.state not in ('open', 'missed'):
                raise UserError(
                    _('%(report)s is not due: it cannot be submitted.') % {
                        'report': report.name})
            if not report.reference:
                raise UserError(
                    _("%(report)s: enter the regulator's reference of the "
                      "submission first.") % {'report': report.name})
            report._meddev_as_server().write({
                'state': 'submitted',
                'submitted_date': fields.Datetime.now(),
                'snapshot': report._snapshot_html(),
            })
            report.complaint_id._post_quality_note(_(
                '%(report)s submitted (%(reference)s), %(timing)s.') % {
                    'report': report.name, 'reference': report.reference,
                    'timing': _('on time') if report.on_time else _('late')})
        return True

    def _snapshot_html(self):
        complaint = self.complaint_id
        rows = [
            (_('Complaint'), complaint.name),
            (_('Awareness Date'), complaint.awareness_date),
            (_('Product'), complaint.product_id.display_name or ''),
            (_('Lot/Serial'), complaint.lot_id.name or ''),
            (_('Outcome'), dict(complaint._fields[
                'patient_outcome']._description_selection(self.env)).get(
                complaint.patient_outcome)),
            (_('Event Description'), complaint.description),
        ]
        return '<table>%s</table>' % ''.join(
            '<tr><th>%s</th><td>%s</td></tr>' % (
                html_escape(label), html_escape(value or ''))
            for label, value in rows)
