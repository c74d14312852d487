from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.tools import schedule_todo

from ..workflow_context import workflow_sudo

from .meddev_service_ticket import INTERNAL


class MeddevServiceTicket(models.Model):
    """The workflow rules of a ticket: triage and credit hold before
    work, clocks on stage changes, the quality hook and the buttons."""

    _inherit = 'meddev.service.ticket'

    user_id = fields.Many2one(
        'res.users', string='Responsible', index=True,
        track_visibility='onchange', copy=False)
    engineer_ids = fields.Many2many(
        'meddev.service.engineer', 'meddev_service_ticket_engineer_rel',
        'ticket_id', 'engineer_id', string='Engineers', copy=False,
        help="The crew sent on site.")
    planned_start = fields.Datetime(track_visibility='onchange', copy=False)
    planned_duration = fields.Float(string='Planned Hours', default=2.0)
    can_dispatch = fields.Boolean(
        compute='_compute_can_dispatch',
        help="The current user may assign, plan and flag patient safety.")
    planned_end = fields.Datetime(
        compute='_compute_planned_end', store=True)
    # Triage (ISO 13485 8.2.2: every service record is a possible
    # complaint).
    triage_done = fields.Boolean(
        string='Triage Answered', track_visibility='onchange', copy=False,
        groups=INTERNAL,
        help="The three triage questions were asked; work cannot start "
             "before.")
    triage_complaint = fields.Boolean(
        string='Complaint?', track_visibility='onchange', copy=False,
        groups=INTERNAL)
    triage_adverse_event = fields.Boolean(
        string='Possible Adverse Event?', track_visibility='onchange',
        copy=False, groups=INTERNAL)
    triage_patient_involved = fields.Boolean(
        string='Patient Involved?', track_visibility='onchange', copy=False,
        groups=INTERNAL)
    quality_flag = fields.Boolean(
        string='For Quality', compute='_compute_quality_flag', store=True,
        index=True, groups=INTERNAL,
        help="A complaint or a possible adverse event: the quality team "
             "evaluates this ticket.")
    quality_flag_date = fields.Datetime(
        readonly=True, copy=False, groups=INTERNAL)

    @api.depends('triage_complaint', 'triage_adverse_event')
    def _compute_quality_flag(self):
        for ticket in self:
            ticket.quality_flag = bool(
                ticket.triage_complaint or ticket.triage_adverse_event)

    # ------------------------------------------------------------------
    # Work
    # ------------------------------------------------------------------

    def _compute_can_dispatch(self):
        can = self._is_dispatcher()
        for ticket in self:
            ticket.can_dispatch = can

    @api.depends('planned_start', 'planned_duration')
    def _compute_planned_end(self):
        for ticket in self:
            if ticket.planned_start:
                ticket.planned_end = fields.Datetime.to_string(
                    fields.Datetime.from_string(ticket.planned_start)
                    + timedelta(hours=ticket.planned_duration or 0.0))
            else:
                ticket.planned_end = False

    def _check_work_may_start(self):
        """Refuse to start work (entering a work stage, arriving on site)
        before the triage is answered, and billable work for a customer
        on credit hold without a credit manager's approval, unless
        patient safety is at stake."""
        for ticket in self:
            if not ticket.triage_done:
                raise UserError(
                    _('Work on %(name)s cannot start before the triage is '
                      'answered (complaint? possible adverse event? '
                      'patient involved?).') % {'name': ticket.name})
            # The hold stops work whoever starts it (an engineer reads no
            # credit data); the refusal names it, as the issue asks.
            partner = ticket._credit_partner().sudo()
            if partner and partner.credit_hold and ticket.billable and \
                    not ticket.patient_safety and \
                    not ticket.credit_approved_by:
                raise UserError(
                    _('Work on %(name)s cannot start: %(partner)s is on '
                      'credit hold (%(reason)s) and the work is billable. '
                      'A credit manager must approve it first.') % {
                        'name': ticket.name,
                        'partner': partner.display_name,
                        'reason': partner.credit_hold_reason
                        or _('no reason given')})

    def _starting_work(self, vals):
        """Return the tickets that ``vals`` makes start work: they enter a
        work or closing stage without having started, or get their
        arrival on site. A ticket closed straight from its first stage
        passes the same checks."""
        starting = self.browse()
        if vals.get('stage_id'):
            stage = self.env['meddev.service.stage'].browse(vals['stage_id'])
            # Cancelling starts no work: no triage or credit check.
            if stage.work_stage or (stage.is_closed
                                    and not stage.is_cancelled):
                starting |= self.filtered(
                    lambda ticket: ticket.stage_id != stage
                    and not ticket.stage_id.work_stage
                    and not ticket.work_start_date)
        if vals.get('onsite_date') or vals.get('work_start_date'):
            starting |= self.filtered(
                lambda ticket: not ticket.onsite_date
                and not ticket.work_start_date)
        return starting

    def _on_stage_change(self, old_stages):
        """Pause, resume, stop or restart the SLA clocks as the stage
        requires and run the closing steps."""
        now = fields.Datetime.now()
        for ticket in self:
            old, new = old_stages[ticket.id], ticket.stage_id
            if old == new:
                continue
            lines = ticket.sla_line_ids
            if new.sla_pause and not old.sla_pause:
                lines._sla_pause(now)
            elif old.sla_pause and not new.sla_pause:
                lines._sla_resume(now)
            if new.work_stage and not ticket.work_start_date:
                ticket._as_server().work_start_date = now
            if new.is_closed and not old.is_closed:
                if new.is_cancelled:
                    ticket._action_cancel(now)
                else:
                    ticket._action_close(now)
            elif old.is_closed and not new.is_closed:
                ticket._action_reopen(now)

    # ------------------------------------------------------------------
    # Quality hook
    # ------------------------------------------------------------------

    def _notify_quality_flag(self, tickets):
        """Call _on_quality_flag once per ticket, the first time its
        triage marks it for quality, when its company hands such tickets
        to quality automatically (Settings > Field Service); otherwise
        only note it and ask the team leader to evaluate."""
        tickets = tickets.filtered(lambda ticket: not ticket.quality_flag_date)
        if not tickets:
            return
        # The date guards the hook, whoever answered the triage.
        tickets._as_server().write({'quality_flag_date': fields.Datetime.now()})
        automatic = tickets.filtered(
            lambda ticket: ticket.company_id.sudo().service_quality_handoff)
        if automatic:
            automatic._on_quality_flag()
        (tickets - automatic)._note_quality_flag()

    @api.multi
    def _on_quality_flag(self):
        """Hook: these tickets were just marked for quality (complaint or
        possible adverse event) in a company that hands them over at once.
        Note it and ask the team leader to evaluate; the quality module
        extends this to open a complaint."""
        self._note_quality_flag()

    def _note_quality_flag(self):
        """Note the triage's answers in the chatter and ask the team
        leader to evaluate the tickets as possible complaints."""
        for ticket in self:
            ticket.message_post(
                body=_('Triage: marked for quality evaluation (complaint: '
                       '%(complaint)s, possible adverse event: %(event)s, '
                       'patient involved: %(patient)s).') % {
                    'complaint': _('yes') if ticket.triage_complaint
                    else _('no'),
                    'event': _('yes') if ticket.triage_adverse_event
                    else _('no'),
                    'patient': _('yes') if ticket.triage_patient_involved
                    else _('no')},
                subtype='mail.mt_note')
            user = ticket.team_id.leader_id or ticket.user_id or \
                self.env.user
            # The evaluator may be anyone of the team: the module asks.
            schedule_todo(workflow_sudo(ticket), user,
                          _('Evaluate as a possible complaint'))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.multi
    def action_confirm_triage(self):
        """Record that the triage questions were answered."""
        self.write({'triage_done': True})
        return True

    @api.multi
    def action_arrive_on_site(self):
        """The engineer arrived on site: the on-site clock is reached and
        the work starts (triage and credit checked)."""
        now = fields.Datetime.now()
        self._check_may_edit()
        for ticket in self:
            if ticket.onsite_date:
                continue
            ticket._check_work_may_start()
            # Visit times are kept by the module (checked just above).
            ticket._as_server().write({
                'onsite_date': now,
                'work_start_date': ticket.work_start_date or now})
            ticket.sla_line_ids.filtered(
                lambda line: line.target in ('response', 'onsite')
            )._sla_reach(now)
            if not ticket.first_response_date:
                ticket._as_server().first_response_date = now
        return True

    @api.multi
    def action_sign(self):
        """Record when the customer signed the report."""
        self._check_may_edit()
        for ticket in self:
            if not ticket.signature:
                raise UserError(
                    _('Ticket %(name)s: the customer has not signed '
                      'yet.') % {'name': ticket.name})
            ticket._as_server().signed_date = fields.Datetime.now()
        return True

    def _check_may_edit(self):
        """Refuse a button's change to a user who may not edit these
        tickets (the button then writes the module's own fields)."""
        self.check_access_rights('write')
        self.check_access_rule('write')

    @api.multi
    def action_suggest_engineers(self):
        """Open the dispatch suggestions for this ticket."""
        self.ensure_one()
        wizard = self.env['meddev.service.dispatch'].create(
            {'ticket_id': self.id})
        wizard._fill_suggestions()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Suggested Engineers'),
            'res_model': 'meddev.service.dispatch',
            'res_id': wizard.id,
            'view_mode': 'form',
            'target': 'new',
        }

    @api.multi
    def action_send_report(self):
        """Open the mail composer with the service report attached."""
        self.ensure_one()
        template = self.env.ref('meddev_service.mail_template_service_report')
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'mail.compose.message',
            'view_mode': 'form',
            'target': 'new',
            'context': {
                'default_model': self._name,
                'default_res_id': self.id,
                'default_use_template': True,
                'default_template_id': template.id,
                'default_composition_mode': 'comment',
                'meddev_auto_mail': True,
            },
        }

    @api.multi
    def action_view_sale_order(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'sale.order',
            'res_id': self.sale_order_id.id,
            'view_mode': 'form',
        }
