from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape

from .meddev_complaint import GROUP_MANAGER, GROUP_REGULATORY


class MeddevComplaint(models.Model):
    """The complaint's workflow: intake, assessment, investigation,
    closure or cancellation by a quality manager; a closed complaint is
    frozen, and once reports are due the awareness date moves only with a
    written reason."""

    _inherit = 'meddev.complaint'

    clock_change_reason = fields.Text(
        string='Reason for Moving a Date',
        track_visibility='onchange',
        help="Required to move the awareness date once reports are due "
             "(moving it moves their deadlines), and the received date "
             "after intake (it sets the handling time and the alerts).")

    cancel_reason = fields.Text(
        string='Cancellation Reason', track_visibility='onchange',
        help="Why a quality manager cancels the complaint (and its reports "
             "still due): required to cancel it, kept in the chatter.")

    @api.constrains('state', 'cancel_reason')
    def _check_cancel_reason(self):
        """A cancelled complaint says why, whoever cancelled it and by
        whichever path: cancelling drops the reports still due."""
        for complaint in self:
            if complaint.state == 'cancel' and not (
                    complaint.cancel_reason or '').strip():
                raise ValidationError(
                    _('%(name)s: write why it is cancelled (Cancellation '
                      'Reason) first.') % {'name': complaint.name})

    def _check_not_locked(self, vals):
        """A closed or cancelled complaint is the record of how it was
        handled: only messages and activities are added to it."""
        if not self._meddev_is_server():
            self._check_closed_unchanged(vals)

    def _check_received_date_change(self, vals):
        """The received date is the intake's: after intake it counts the
        handling time and places the complaint in the alerts' window, so
        only a quality manager corrects it, with a written reason."""
        if 'received_date' not in vals or self._meddev_is_server():
            return
        moved = self.filtered(
            lambda complaint: complaint.state != 'intake'
            and complaint.received_date != vals['received_date'])
        if not moved:
            return
        names = ', '.join(moved.mapped('name'))
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                _('%(names)s: past intake, only a quality manager may '
                  'correct the received date (it sets the handling time and '
                  'the alerts).') % {'names': names})
        if not (vals.get('clock_change_reason') or '').strip():
            raise UserError(
                _('%(names)s: write the reason for correcting the received '
                  'date first.') % {'names': names})

    def _check_clock_change_allowed(self, vals):
        """Once a report is due, the awareness date and the event change
        only by regulatory affairs or quality managers (they move or
        cancel deadlines), and the awareness date only with a written
        reason. Moving the awareness date later (it postpones deadlines)
        of a complaint past intake is for regulatory affairs, with a
        reason, even before any decision or report."""
        if self._meddev_is_server():
            return
        is_regulatory = self.env.user.has_group(GROUP_REGULATORY)
        # The reports and decisions decide who may move the clocks, whoever
        # the writer is (a quality user does not read reports' details).
        complaints = self.sudo()
        reported = complaints.filtered(lambda complaint: complaint.report_ids)
        if reported and not is_regulatory:
            raise AccessError(
                _('%(names)s: reports are due, so only regulatory affairs or '
                  'a quality manager may change the awareness date or the '
                  'event (they move the deadlines).') % {
                    'names': ', '.join(reported.mapped('name'))})
        if 'awareness_date' not in vals:
            return
        new_date = vals['awareness_date'] or ''
        # Past intake the awareness date is the start of the legal clocks
        # even before regulatory affairs decides: postponing it is theirs.
        later = complaints.filtered(
            lambda complaint: (complaint.report_ids or complaint.decision_ids
                               or complaint.state != 'intake')
            and new_date > complaint.awareness_date)
        if later and not is_regulatory:
            raise AccessError(
                _('%(names)s: only regulatory affairs or a quality manager '
                  'may move the awareness date of an assessed complaint '
                  'later (it postpones the deadlines).') % {
                    'names': ', '.join(later.mapped('name'))})
        needs_reason = reported | later
        if needs_reason and not (
                vals.get('clock_change_reason') or '').strip():
            raise UserError(
                _('%(names)s: write the reason for moving the awareness date '
                  'first (it moves the reporting deadlines).') % {
                    'names': ', '.join(needs_reason.mapped('name'))})

    def _set_state(self, state, **vals):
        vals['state'] = state
        return self._meddev_as_server().write(vals)

    def _check_manager(self, what):
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                _('%(names)s: only a quality manager may %(what)s a '
                  'complaint.') % {'names': ', '.join(self.mapped('name')),
                                   'what': what})

    @api.multi
    def action_start_assessment(self):
        """Intake done: assess whether the event is reportable. A complaint
        from outside (portal, mail) now counts for the cluster and trend
        alerts: quality has accepted it."""
        for complaint in self:
            if complaint.state != 'intake':
                raise UserError(
                    _('%(name)s is not at intake.') % {'name': complaint.name})
        self._set_state('assessment')
        self._run_accepted_alerts()
        return True

    def _run_accepted_alerts(self):
        """Run the cluster and trend checks of the complaints from
        outside (portal, mail) among these, just accepted past intake:
        every path out of intake (assessment or straight to investigation)
        calls this after the state change, so none skips the checks."""
        for complaint in self.filtered(
                lambda complaint: complaint._is_outside_intake()):
            complaint._detect_cluster()
            complaint._detect_trend()

    @api.multi
    def action_start_investigation(self):
        """Reportability decided for the event country: investigate."""
        for complaint in self:
            if complaint.state not in ('intake', 'assessment'):
                raise UserError(
                    _('%(name)s cannot start an investigation from its '
                      'status.') % {'name': complaint.name})
            if not complaint.decision_ids:
                raise UserError(
                    _('%(name)s: record the reportability decision first.')
                    % {'name': complaint.name})
        from_intake = self.filtered(
            lambda complaint: complaint.state == 'intake')
        self._set_state('investigation')
        from_intake._run_accepted_alerts()
        return True

    @api.multi
    def action_close(self):
        """Close the complaint: every report due submitted, the decision
        recorded, a closure note written; quality managers only."""
        self._check_manager(_('close'))
        for complaint in self:
            if complaint.state != 'investigation':
                raise UserError(
                    _('%(name)s can only be closed after its '
                      'investigation.') % {'name': complaint.name})
            pending = complaint.report_ids.filtered(
                lambda report: report.state in ('open', 'missed'))
            if pending:
                raise UserError(
                    _('%(name)s cannot be closed: %(reports)s not '
                      'submitted yet.') % {
                        'name': complaint.name,
                        'reports': ', '.join(pending.mapped('name'))})
            # Reports cancelled because no rule called for them any more
            # (the event was lowered) answer for nothing; a missed one a
            # manager cancelled with a reason does.
            answered = complaint.sudo().report_ids.filtered(
                lambda report: report.state != 'cancel'
                or report.cancelled_missed).mapped('decision_id')
            unreported = complaint.sudo().decision_ids.filtered(
                lambda decision: decision.decision == 'reportable' and
                decision not in answered)
            if unreported:
                # No rule matched the decision (a jurisdiction without
                # rules, a reporter role without duties there, an outcome
                # that is no event kind): closing would bury a reportable
                # event without any report.
                raise UserError(
                    _('%(name)s cannot be closed: it is reportable in '
                      '%(countries)s but no reporting rule applies there, '
                      'so no report is due. Add the rule (Quality > '
                      'Configuration > Reporting Rules), or record the '
                      'decision for the jurisdiction whose rules apply, '
                      'or correct the event outcome.') % {
                        'name': complaint.name,
                        'countries': ', '.join(
                            unreported.mapped('country_id.name'))})
            if not complaint.closure_note:
                raise UserError(
                    _('%(name)s: write the closure note (conclusion and '
                      'reply to the complainant) first.') % {
                        'name': complaint.name})
        return self._set_state('closed', closed_date=fields.Datetime.now())

    @api.multi
    def action_cancel(self):
        """Cancel the complaint (never delete it) and the reports not yet
        due, with the reason written first (Cancellation Reason, tracked);
        a missed report stays missed: the deadline passed, whatever
        happens to the complaint. Quality managers only."""
        self._check_manager(_('cancel'))
        for complaint in self:
            if complaint.state in ('closed', 'cancel'):
                raise UserError(
                    _('%(name)s is already closed or cancelled.') % {
                        'name': complaint.name})
            if not (complaint.cancel_reason or '').strip():
                raise UserError(
                    _('%(name)s: write why it is cancelled (Cancellation '
                      'Reason) first.') % {'name': complaint.name})
        reports = self.sudo().mapped('report_ids').filtered(
            lambda report: report.state == 'open')
        # A deadline passed before the cron marked it was missed all the
        # same.
        now = fields.Datetime.now()
        passed = reports.filtered(lambda report: report.due_date <= now)
        passed._mark_missed()
        (reports - passed)._meddev_as_server().write({'state': 'cancel'})
        self._set_state('cancel')
        for complaint in self:
            complaint._post_quality_note(_(
                'Cancelled by %(user)s: %(reason)s') % {
                    'user': html_escape(self.env.user.name),
                    'reason': html_escape(complaint.cancel_reason)})
        return True

    @api.multi
    def action_new_information(self):
        """Record that new information on the event arrived now: the
        supplemental reports the rules ask for fall due from now."""
        if not self.env.user.has_group(GROUP_REGULATORY):
            raise AccessError(
                _('Only regulatory affairs or a quality manager record new '
                  'information for the supplemental reports.'))
        for complaint in self:
            if complaint.state in ('closed', 'cancel'):
                raise UserError(
                    _('%(name)s is closed or cancelled.') % {
                        'name': complaint.name})
        return self._meddev_as_server().write(
            {'new_information_date': fields.Datetime.now()})
