from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

# Fields only a dispatcher may change: who does the work, and when.
DISPATCH_FIELDS = ('user_id', 'engineer_ids', 'planned_start',
                   'patient_safety')
# Fields the module itself keeps (approvals, clocks, visits, billing,
# maintenance plans): no user changes them, whatever the view says.
SYSTEM_FIELDS = ('credit_approved_by', 'credit_approval_date',
                 'quality_flag_date', 'sla_policy_id', 'sla_deadline',
                 'sla_status', 'first_response_date', 'close_date',
                 'sale_order_id', 'onsite_date', 'work_start_date',
                 'signed_date', 'pm_plan_id', 'pm_due_date')
# Stored computed fields a user may set (checked by a constraint).
USER_COMPUTED_FIELDS = ('contract_id',)
# The opening time drives the SLA clocks and the time to repair: set on
# create within this margin of now, or by a service manager.
DATE_OPEN_MARGIN = timedelta(minutes=5)


class MeddevServiceTicket(models.Model):
    """Who may change what on a ticket, and the workflow rules: triage and
    credit hold before work, clocks on stage changes, the quality hook and
    the buttons."""

    _inherit = 'meddev.service.ticket'

    # ------------------------------------------------------------------
    # Who may set what
    # ------------------------------------------------------------------

    def _is_server(self):
        # The superuser: crons, the mail gateway and the module's own
        # steps (sudo).
        return self.env.uid == SUPERUSER_ID

    def _computed_field_names(self):
        """Stored computed fields the module keeps: billable, coverage,
        costs, KPIs, quality flag, closed flag..."""
        return [name for name, field in self._fields.items()
                if field.store and field.compute and not field.inverse
                and name not in USER_COMPUTED_FIELDS]

    def _pop_computed_values(self, vals):
        """Remove from ``vals`` (in place) the computed fields a user
        sent and return them: they are compared once computed."""
        if self._is_server():
            return {}
        return {name: vals.pop(name) for name in self._computed_field_names()
                if name in vals}

    def _field_value_differs(self, record, name, value):
        """Whether ``value`` (as sent over RPC) differs from ``record``'s
        value of field ``name``."""
        field = self._fields[name]
        new = field.convert_to_record(
            field.convert_to_cache(value, record, validate=False), record)
        old = record[name]
        if field.type in ('float', 'monetary'):
            return float_compare(new or 0.0, old or 0.0,
                                 precision_digits=6) != 0
        if field.type == 'boolean':
            return bool(new) != bool(old)
        if field.relational:
            return set(new.ids) != set(old.ids)
        return (new or False) != (old or False)

    def _check_computed_values(self, computed):
        """Refuse computed values the module did not compute: the values
        are compared, so a client sending back what it read passes."""
        wrong = sorted(set(
            name for name, value in computed.items() for ticket in self
            if self._field_value_differs(ticket, name, value)))
        if wrong:
            raise AccessError(
                _('%(fields)s of %(tickets)s are computed by the service '
                  'module, not set by hand.') % {
                    'fields': ', '.join(wrong),
                    'tickets': ', '.join(self.mapped('name'))})

    def _check_user_values(self, vals):
        """Only dispatchers assign engineers, plan the visit and flag
        patient safety; approvals, clocks, visits and billing are kept by
        the module; the opening time is now unless a service manager sets
        it. The superuser (crons, mail gateway, the module's own steps)
        may."""
        if self._is_server():
            return
        names = ', '.join(self.mapped('name')) or _('a new ticket')
        if self:
            system = set(
                name for name in set(SYSTEM_FIELDS) & set(vals)
                for ticket in self
                if self._field_value_differs(ticket, name, vals[name]))
        else:
            system = set(name for name in SYSTEM_FIELDS if vals.get(name))
        if system:
            raise AccessError(
                _('%(fields)s of %(tickets)s are set by the service '
                  'workflow, not by hand.') % {
                    'fields': ', '.join(sorted(system)), 'tickets': names})
        self._check_date_open(vals, names)
        if not self._changed_dispatch_fields(vals):
            return
        if not self.env.user.has_group(
                'meddev_service.group_meddev_service_dispatcher'):
            raise AccessError(
                _('Only a dispatcher may assign engineers, plan the visit '
                  'or flag patient safety on %(tickets)s.') % {
                    'tickets': names})

    def _check_date_open(self, vals, names):
        """The opening time starts the SLA clocks: a ticket opens now; a
        service manager may record an earlier call."""
        if not vals.get('date_open') or self.env.user.has_group(
                'meddev_service.group_meddev_service_manager'):
            return
        value = fields.Datetime.from_string(vals['date_open'])
        if self:
            moved = any(self._field_value_differs(
                ticket, 'date_open', vals['date_open']) for ticket in self)
        else:
            now = fields.Datetime.from_string(fields.Datetime.now())
            moved = abs(value - now) > DATE_OPEN_MARGIN
        if moved:
            raise AccessError(
                _('Only a service manager may set the opening time of '
                  '%(tickets)s: it starts the SLA clocks.') % {
                    'tickets': names})

    def _changed_dispatch_fields(self, vals):
        """Return the dispatch fields ``vals`` really changes: the web
        client sends every editable field (``user_id: False`` too), which
        is no assignment. On create (empty ``self``) a value changes when
        it is set."""
        changed = set()
        records = self or [self.browse()]
        for name in set(DISPATCH_FIELDS) & set(vals):
            field = self._fields[name]
            for ticket in records:
                if field.type == 'many2many':
                    old_ids = set(ticket[name].ids)
                    if self._x2many_target_ids(old_ids, vals[name]) != \
                            old_ids:
                        changed.add(name)
                elif field.type == 'many2one':
                    new = vals[name]
                    if isinstance(new, models.BaseModel):
                        new = new.id
                    if (new or False) != ticket[name].id:
                        changed.add(name)
                elif field.type == 'boolean':
                    if bool(vals[name]) != bool(ticket[name]):
                        changed.add(name)
                elif (vals[name] or False) != (ticket[name] or False):
                    changed.add(name)
        return changed

    @staticmethod
    def _x2many_target_ids(old_ids, commands):
        """Return the ids an x2many holds after ``commands``; a created
        line counts as a new id (None)."""
        ids = set(old_ids)
        for command in commands or []:
            if isinstance(command, int):
                ids.add(command)
                continue
            code = command[0]
            if code == 0:
                ids.add(None)
            elif code in (2, 3):
                ids.discard(command[1])
            elif code == 4:
                ids.add(command[1])
            elif code == 5:
                ids = set()
            elif code == 6:
                ids = set(command[2] or [])
        return ids

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
            partner = ticket._credit_partner()
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
            if stage.work_stage or stage.is_closed:
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
                ticket.sudo().work_start_date = now
            if new.is_closed and not old.is_closed:
                ticket._action_close(now)
            elif old.is_closed and not new.is_closed:
                ticket._action_reopen(now)

    # ------------------------------------------------------------------
    # Quality hook
    # ------------------------------------------------------------------

    def _notify_quality_flag(self, tickets):
        """Call _on_quality_flag once per ticket, the first time its
        triage marks it for quality."""
        tickets = tickets.filtered(lambda ticket: not ticket.quality_flag_date)
        if not tickets:
            return
        # The date guards the hook, whoever answered the triage.
        tickets.sudo().write({'quality_flag_date': fields.Datetime.now()})
        tickets._on_quality_flag()

    @api.multi
    def _on_quality_flag(self):
        """Hook: these tickets were just marked for quality (complaint or
        possible adverse event). Note it and ask the team leader to
        evaluate; the quality module extends this to open a complaint."""
        activity_type = self.env.ref('mail.mail_activity_data_todo')
        model = self.env['ir.model']._get(self._name)
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
            self.env['mail.activity'].sudo().create({
                'res_id': ticket.id,
                'res_model_id': model.id,
                'activity_type_id': activity_type.id,
                'user_id': user.id,
                'summary': _('Evaluate as a possible complaint'),
            })

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
            ticket.sudo().write({'onsite_date': now, 'work_start_date':
                                 ticket.work_start_date or now})
            ticket.sla_line_ids.filtered(
                lambda line: line.target in ('response', 'onsite')
            )._sla_reach(now)
            if not ticket.first_response_date:
                ticket.sudo().first_response_date = now
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
            ticket.sudo().signed_date = fields.Datetime.now()
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
