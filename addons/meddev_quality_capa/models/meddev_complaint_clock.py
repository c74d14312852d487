from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.meddev_base.tools import schedule_todo

from ..deadline import format_time_left

OUTCOME_KINDS = {
    'death': 'death',
    'serious_injury': 'serious_injury',
    'malfunction': 'malfunction',
}
# Channels through which anyone outside the company opens a complaint:
# such complaints count for the alerts only once quality accepted them.
OUTSIDE_CHANNELS = ('portal', 'distributor', 'email')


class MeddevComplaint(models.Model):
    """The reporting clocks of a complaint and the cluster alert: which
    reports the reportable decisions call for, when each is due, and
    whether complaints on the same lot pile up."""

    _inherit = 'meddev.complaint'

    next_due_date = fields.Datetime(
        string='Next Report Due', compute='_compute_next_due_date',
        store=True, index=True,
        help="Due date of the most urgent report not submitted yet.")
    time_left = fields.Char(
        compute='_compute_time_left',
        help="Time left until the next report is due.")
    report_overdue = fields.Boolean(
        compute='_compute_next_due_date', store=True, index=True)
    trend_alert = fields.Boolean(
        readonly=True, copy=False,
        help="Set when this complaint brought its product's complaints "
             "within the window to the trend threshold (a trend review was "
             "opened).")

    @api.depends('report_ids.due_date', 'report_ids.state')
    def _compute_next_due_date(self):
        for complaint in self:
            # Whoever opens a complaint (a service user) stores its clock.
            pending = complaint.sudo().report_ids.filtered(
                lambda report: report.state in ('open', 'missed'))
            dues = sorted(pending.mapped('due_date'))
            complaint.next_due_date = dues[0] if dues else False
            complaint.report_overdue = any(
                report.state == 'missed' for report in pending)

    def _compute_time_left(self):
        now = fields.Datetime.from_string(fields.Datetime.now())
        # Odoo's translation export drops one-letter terms: whole words.
        labels = {'d': _('days'), 'h': _('hours'), 'min': _('min'),
                  'overdue': _('overdue')}
        for complaint in self:
            complaint.time_left = complaint.next_due_date and \
                format_time_left(fields.Datetime.from_string(
                    complaint.next_due_date), now, labels)

    def _event_kinds(self):
        """Return the event kinds of the reporting rules this complaint
        falls under."""
        self.ensure_one()
        kinds = set()
        if self.patient_outcome in OUTCOME_KINDS:
            kinds.add(OUTCOME_KINDS[self.patient_outcome])
        if self.group_event:
            kinds.add('group')
        if self.public_threat:
            kinds.add('public_threat')
        if self.remedial_action:
            kinds.add('remedial')
        if self.new_information_date and kinds:
            kinds.add('new_information')
        return kinds

    def _clock_start(self, rule):
        """Return when the clock of ``rule`` starts: the awareness date,
        or for a group event the moment it was recognised."""
        if rule.event_kind == 'group' and self.group_event_date:
            return max(self.group_event_date, self.awareness_date)
        if rule.event_kind == 'new_information':
            return self.new_information_date
        return self.awareness_date

    def _wanted_reports(self):
        """Return {rule: (decision, clock start)} for the reports the
        reportable decisions of this complaint call for now."""
        self.ensure_one()
        rules = self.env['meddev.reporting.rule']
        wanted = {}
        kinds = self._event_kinds()
        if not kinds:
            return wanted
        for decision in self.decision_ids.filtered(
                lambda d: d.decision == 'reportable'):
            location = 'domestic' if decision.country_id == self.country_id \
                else 'overseas'
            for rule in rules._applicable(
                    decision.country_id, decision.reporter_role, kinds,
                    location, self.awareness_date[:10], self.company_id,
                    anticipated=decision.q_expected):
                wanted[rule] = (decision, self._clock_start(rule))
        for rule in self._group_event_rules_undecided():
            wanted.setdefault(rule, (self.env[
                'meddev.reportability.decision'], self._clock_start(rule)))
        return wanted

    def _group_event_rules_undecided(self):
        """Return the group-event rules of the country where this group
        event happened while no reportability decision covers that
        country: a group event is reported within hours of being known
        (China: 12 hours, 医疗器械不良事件监测和再评价管理办法 第四章第三节),
        so its clock starts with the cluster alert, not with a decision
        that may come too late. A decision for the country takes over
        (a 'not reportable' one, with its rationale, cancels them)."""
        self.ensure_one()
        if not self.group_event or not self.country_id or \
                self.decision_ids.filtered(
                    lambda d: d.country_id == self.country_id):
            return self.env['meddev.reporting.rule']
        return self.env['meddev.reporting.rule']._applicable(
            self.country_id, self.company_id.meddev_reporter_role
            or 'registrant', ['group'], 'domestic',
            self.awareness_date[:10], self.company_id)

    @api.multi
    def _sync_reports(self, notify=False):
        """Create, move or cancel the reports due so that they match the
        decisions, event kinds and awareness date. Submitted reports never
        change; a missed report stays missed with the deadline it missed
        (moving the awareness date or lowering the event does not undo a
        missed deadline), and so does a report whose deadline passed before
        the hourly cron marked it. A supplemental report keeps the deadline
        of the information it answers: later information gets a report of
        its own. With ``notify``, say what moved in the chatter."""
        now = fields.Datetime.now()
        for complaint in self:
            # A deadline passed is missed, marked by the cron or not yet: it
            # is neither moved nor cancelled below.
            complaint.sudo().report_ids.filtered(
                lambda report: report.state == 'open'
                and report.due_date <= now)._mark_missed()
            changes = complaint._sync_wanted_reports()
            if changes and notify:
                complaint._post_quality_note('%s<ul>%s</ul>' % (
                    html_escape(_('Reporting deadlines recomputed after a '
                                  'change of the awareness date or of the '
                                  'event:')),
                    ''.join('<li>%s</li>' % html_escape(change)
                            for change in changes)))
        return True

    def _reports_by_rule(self):
        """Return {rule: [reports]} of this complaint, oldest first (several
        supplemental ones per rule). A missed report a quality manager
        cancelled with a reason stays its rule's report: a later clock
        change gives it no new deadline."""
        by_rule = {}
        for report in self.sudo().report_ids.sorted('id'):
            if report.rule_id and (
                    report.state in ('open', 'missed', 'submitted')
                    or report._is_cancelled_by_manager()):
                by_rule.setdefault(report.rule_id, []).append(
                    report._meddev_as_server())
        return by_rule

    def _sync_wanted_reports(self):
        """Create, move or cancel this complaint's reports (see
        _sync_reports); return the changes, as lines for the chatter."""
        self.ensure_one()
        # The reports follow from a change the user may make (awareness
        # date, event): they are written whatever the user's report rights.
        reports = self.env['meddev.regulatory.report'].sudo() \
            ._meddev_as_server()
        changes = []
        wanted = self.sudo()._wanted_reports()
        by_rule = self._reports_by_rule()
        for rule, (decision, start) in wanted.items():
            due = rule._compute_due(start, self.company_id)
            report = by_rule.get(rule, [None])[-1]
            supplemental = rule.event_kind == 'new_information'
            if report and supplemental and report.clock_start < start:
                # New information after the last supplemental report (due,
                # submitted, missed or cancelled): another one falls due,
                # the earlier one keeps the deadline of its information.
                report = None
            if report and decision and not report.decision_id:
                # A group-event report due before any decision: the
                # decision now taken answers for it.
                report.write({'decision_id': decision.id})
            if report and report.state == 'cancel':
                if report.due_date != due:
                    changes.append(_(
                        '%(report)s stays cancelled (it was missed, due '
                        '%(due)s, and cancelled by a quality manager)')
                        % {'report': report.display_name,
                           'due': report._due_display()})
                continue
            if not report:
                report = reports.create({
                    'complaint_id': self.id,
                    'decision_id': decision.id or False,
                    'rule_id': rule.id,
                    'clock_start': start,
                    'due_date': due,
                })
                changes.append(_('%(report)s due %(due)s (new)') % {
                    'report': report.display_name,
                    'due': report._due_display()})
            elif report.state == 'missed' and (
                    report.due_date != due or report.clock_start != start):
                changes.append(_('%(report)s stays overdue: it was due '
                                 '%(due)s') % {
                    'report': report.display_name,
                    'due': report._due_display()})
            elif report.state == 'open' and not supplemental and \
                    report.clock_start != start:
                # A deadline moves only with its clock (awareness date,
                # group-event date): holidays or a time zone edited later
                # by any employee never rewrite a running deadline.
                old = report._due_display()
                report._move_due(start, due)
                changes.append(_('%(report)s due %(due)s (was '
                                 '%(old)s)') % {
                    'report': report.display_name,
                    'due': report._due_display(), 'old': old})
        for rule, reports_of in by_rule.items():
            # Switching a jurisdiction off (Settings) concerns the events
            # decided after it: the reports already running stay due.
            if rule not in wanted and self.company_id._meddev_reporting_active(
                    reports_of[0].country_id):
                changes.extend(self._cancel_unwanted_reports(reports_of))
        return changes

    def _cancel_unwanted_reports(self, reports_of):
        """Cancel the reports still due of a rule that no longer applies
        (a missed one stays); return the changes for the chatter."""
        changes = []
        for report in reports_of:
            if report.state == 'open':
                report.write({'state': 'cancel'})
                changes.append(_('%(report)s no longer due') % {
                    'report': report.display_name})
            elif report.state == 'missed':
                changes.append(_(
                    '%(report)s no longer due by the rules but its '
                    'deadline was missed: it stays overdue until it is '
                    'submitted or a quality manager cancels it with a '
                    'reason') % {'report': report.display_name})
        return changes

    def _is_outside_intake(self):
        """Whether this complaint came from outside the company (portal,
        mail): anyone may send those."""
        self.ensure_one()
        return self.channel in OUTSIDE_CHANNELS

    def _counts_for_alerts(self):
        """Whether this complaint counts for the cluster and trend alerts:
        one sent from outside only once quality accepted it (past intake),
        so that repeated posts cannot raise group events on other
        customers' complaints."""
        self.ensure_one()
        return self.state != 'cancel' and not (
            self.state == 'intake' and self._is_outside_intake())

    def _detect_cluster(self):
        """Raise a group-event alert when this complaint makes the
        complaints on one of its lots (main or other), or else on its
        product, within the company's window reach the threshold: mark the
        group event (its 12-hour clock starts now), warn the quality
        manager and propose quarantining the lot."""
        self.ensure_one()
        company = self.company_id
        if not self._counts_for_alerts():
            return False
        alerted = False
        if company.meddev_cluster_threshold > 0:
            for lot in self.lot_id | self.lot_ids:
                alerted = self._detect_cluster_on(lot) or alerted
        # A cluster on one lot already covers its product's complaints.
        if not alerted and self.product_id and \
                company.meddev_product_cluster_threshold > 0:
            alerted = self._detect_cluster_on_product()
        return alerted

    def _cluster_ids(self, where, key):
        """Return the ids of the complaints counting for the alerts within
        the company's window up to this complaint's receipt that match the
        SQL condition ``where`` on ``%(key)s``."""
        company = self.company_id
        since = fields.Datetime.to_string(
            fields.Datetime.from_string(self.received_date)
            - timedelta(days=company.meddev_cluster_window_days))
        # One indexed count, whoever opened the complaint (a service user
        # may not read the other complaints, the alert concerns them all).
        self.env.cr.execute("""
            SELECT id FROM meddev_complaint
             WHERE """ + where + """
               AND company_id = %(company)s
               AND received_date >= %(since)s AND received_date <= %(until)s
               AND state != 'cancel'
               AND NOT (state = 'intake' AND channel IN %(outside)s)
        """, {'key': key, 'company': company.id, 'since': since,
              'until': self.received_date, 'outside': OUTSIDE_CHANNELS})
        return [row[0] for row in self.env.cr.fetchall()]

    def _detect_cluster_on(self, lot):
        """Raise the group-event alert of ``lot`` if its complaints within
        the window reach the company's threshold."""
        cluster_ids = self._cluster_ids(
            """(lot_id = %(key)s OR id IN (
                   SELECT complaint_id FROM meddev_complaint_lot_rel
                    WHERE lot_id = %(key)s))""", lot.id)
        return self._raise_cluster(
            cluster_ids, self.company_id.meddev_cluster_threshold, {
                'joins': _('Joins the cluster of complaints on lot %(lot)s '
                           'already alerted by %(names)s: treated as a '
                           'group event.'),
                'alert': _('Cluster alert: %(count)d complaints on lot '
                           '%(lot)s within %(days)d days (%(names)s). '
                           'Treated as a group event: the 12-hour clock '
                           'runs. Consider quarantining the lot and a trend '
                           'review.'),
                'summary': _('Group event on lot %(lot)s'),
            }, {'lot': lot.name})

    def _detect_cluster_on_product(self):
        """Raise the group-event alert of this complaint's product if its
        complaints within the window, whatever their lots, reach the
        company's product cluster threshold."""
        cluster_ids = self._cluster_ids('product_id = %(key)s',
                                        self.product_id.id)
        return self._raise_cluster(
            cluster_ids, self.company_id.meddev_product_cluster_threshold, {
                'joins': _('Joins the cluster of complaints on %(product)s '
                           'already alerted by %(names)s: treated as a '
                           'group event.'),
                'alert': _('Cluster alert: %(count)d complaints on '
                           '%(product)s within %(days)d days (%(names)s). '
                           'Treated as a group event: the 12-hour clock '
                           'runs. Consider quarantining the lots concerned '
                           'and a trend review.'),
                'summary': _('Group event on %(product)s'),
            }, {'product': self.product_id.display_name})

    def _raise_cluster(self, cluster_ids, threshold, texts, subject):
        """Mark the complaints ``cluster_ids`` as a group event and alert
        the quality manager once if they reach ``threshold``; ``texts``
        holds the translated messages, ``subject`` what they are about."""
        company = self.company_id
        if len(cluster_ids) < threshold:
            return False
        cluster = self.sudo().browse(cluster_ids)
        now = fields.Datetime.now()
        # Closed complaints stay as they were closed (and start no clock).
        # A group event already marked keeps its date (never in the
        # future, so its clock is not later than this alert's).
        cluster.filtered(lambda c: not c.group_event and c.state not in (
            'closed', 'cancel'))._meddev_as_server().write({
                'group_event': True, 'group_event_date': now})
        alerted = cluster.filtered(
            lambda c: c.cluster_alert and c.id != self.id)
        if alerted:
            # The cluster was already announced: this complaint joins it
            # (group event, its clock) without another alert for the
            # manager.
            self.sudo()._post_quality_note(texts['joins'] % dict(
                subject, names=', '.join(alerted.mapped('name'))))
            return True
        self.sudo()._meddev_as_server().write({'cluster_alert': True})
        body = texts['alert'] % dict(
            subject, count=len(cluster),
            days=company.meddev_cluster_window_days,
            names=', '.join(cluster.mapped('name')))
        self.sudo()._post_quality_note(body)
        manager = company.meddev_quality_manager_id or self.user_id
        if manager:
            self.sudo()._schedule_quality_activity(
                manager, texts['summary'] % subject, body)
        return True

    def _schedule_quality_activity(self, user, summary, note, deadline=None):
        """Schedule a to-do activity for ``user`` on these records (not
        twice while the same one is open); ``note`` is plain text."""
        return schedule_todo(self, user, summary, note=html_escape(note),
                             deadline=deadline or False)

    def _recall_level(self):
        """Return the recall level a complaint's lot stop starts with:
        one of the company's country, else the first one."""
        levels = self.env['meddev.recall.level']
        return levels.search(
            [('country_id', '=', self.company_id.country_id.id)], limit=1) \
            or levels.search([], limit=1)

    @api.multi
    def action_quarantine_lot(self):
        """Propose stopping the lot: open a draft recall of it (launching
        it quarantines the lot and every lot containing it)."""
        self.ensure_one()
        if not self.lot_id:
            raise UserError(_('%(name)s names no lot or serial.') % {
                'name': self.name})
        level = self._recall_level()
        recall = self.env['meddev.recall'].create({
            'reason': _('Complaints on lot %(lot)s: %(names)s') % {
                'lot': self.lot_id.name, 'names': self.name},
            'recall_level_id': level.id,
            'source': 'internal',
            'source_ref': self.name,
            'lot_ids': [(6, 0, self.lot_id.ids)],
            'company_id': self.company_id.id,
        })
        self._post_quality_note(_(
            'Recall %(recall)s drafted to quarantine lot %(lot)s.') % {
                'recall': recall.name, 'lot': self.lot_id.name})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.recall',
            'res_id': recall.id,
            'view_mode': 'form',
        }
