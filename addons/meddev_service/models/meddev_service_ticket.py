from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

from .meddev_sla_policy import PRIORITIES, TICKET_TYPES

CHANNELS = [
    ('email', 'Email'),
    ('phone', 'Phone'),
    ('portal', 'Portal'),
    ('internal', 'Internal'),
    ('proactive', 'Proactive'),
]
SLA_STATUSES = [
    ('running', 'Running'),
    ('at_risk', 'At Risk'),
    ('paused', 'Paused'),
    ('met', 'Met'),
    ('failed', 'Failed'),
]
# Fields only a dispatcher may change: who does the work, and when.
DISPATCH_FIELDS = ('user_id', 'engineer_ids', 'planned_start',
                   'patient_safety')
# Fields the module itself keeps (approvals, clocks, billing): no user
# writes them directly, whatever the view says.
SYSTEM_FIELDS = ('credit_approved_by', 'credit_approval_date',
                 'quality_flag_date', 'sla_policy_id', 'sla_deadline',
                 'sla_status', 'first_response_date', 'close_date',
                 'sale_order_id')


class MeddevServiceTicket(models.Model):
    """A service request on a customer's equipment, from the first call to
    the signed report: triage, SLA clocks, dispatch, parts and billing."""

    _name = 'meddev.service.ticket'
    _description = 'Service Ticket'
    _inherit = ['mail.thread', 'mail.activity.mixin', 'rating.mixin']
    _order = 'priority desc, sla_deadline, id desc'

    name = fields.Char(
        string='Number', required=True, copy=False, readonly=True,
        default='/', index=True)
    title = fields.Char(string='Subject', track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.ticket'))
    partner_id = fields.Many2one(
        'res.partner', string='Customer', index=True,
        track_visibility='onchange',
        help="The customer company (commercial partner).")
    contact_id = fields.Many2one(
        'res.partner', string='Contact',
        help="Who called or wrote; the acknowledgement goes to them.")
    site_id = fields.Many2one(
        'res.partner', string='Site',
        help="Where the engineer goes; its coordinates rank the "
             "engineers by distance.")
    region_id = fields.Many2one(
        'res.country.state', string='Region', compute='_compute_region_id',
        store=True)
    channel = fields.Selection(
        CHANNELS, required=True, default='phone', index=True)
    ticket_type = fields.Selection(
        TICKET_TYPES, string='Type', required=True, default='repair',
        index=True, track_visibility='onchange')
    priority = fields.Selection(
        PRIORITIES, default='1', required=True, index=True,
        track_visibility='onchange')
    patient_safety = fields.Boolean(
        string='Patient-safety Critical', track_visibility='onchange',
        copy=False,
        help="Work starts without waiting for a credit approval.")
    description = fields.Text()
    equipment_id = fields.Many2one(
        'meddev.service.equipment', string='Equipment', index=True)
    product_id = fields.Many2one(
        'product.product', string='Product', index=True)
    lot_id = fields.Many2one(
        'stock.production.lot', string='Serial Number', index=True,
        domain="[('product_id', '=', product_id)]")
    udi = fields.Char(
        string='UDI', related='lot_id.udi_element_string', readonly=True)
    categ_id = fields.Many2one(
        'product.category', related='product_id.categ_id', store=True,
        readonly=True, string='Device Category')

    # Triage (ISO 13485 8.2.2: every service record is a possible
    # complaint).
    triage_done = fields.Boolean(
        string='Triage Answered', track_visibility='onchange', copy=False,
        help="The three triage questions were asked; work cannot start "
             "before.")
    triage_complaint = fields.Boolean(
        string='Complaint?', track_visibility='onchange', copy=False)
    triage_adverse_event = fields.Boolean(
        string='Possible Adverse Event?', track_visibility='onchange',
        copy=False)
    triage_patient_involved = fields.Boolean(
        string='Patient Involved?', track_visibility='onchange', copy=False)
    quality_flag = fields.Boolean(
        string='For Quality', compute='_compute_quality_flag', store=True,
        index=True,
        help="A complaint or a possible adverse event: the quality team "
             "evaluates this ticket.")
    quality_flag_date = fields.Datetime(readonly=True, copy=False)

    stage_id = fields.Many2one(
        'meddev.service.stage', string='Stage', index=True,
        track_visibility='onchange', group_expand='_read_group_stage_ids',
        domain="['|', ('team_ids', '=', False), ('team_ids', '=', team_id)]",
        default=lambda self: self._default_stage_id())
    is_closed = fields.Boolean(
        related='stage_id.is_closed', store=True, readonly=True)
    pause_reason = fields.Char(
        compute='_compute_pause_reason',
        help="Why the SLA clocks stand still.")
    team_id = fields.Many2one(
        'meddev.service.team', string='Team', index=True,
        track_visibility='onchange')
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
    date_open = fields.Datetime(
        string='Opened', required=True, readonly=True, index=True,
        default=fields.Datetime.now, copy=False)
    first_response_date = fields.Datetime(readonly=True, copy=False)
    onsite_date = fields.Datetime(
        string='Arrived on Site', readonly=True, copy=False)
    work_start_date = fields.Datetime(readonly=True, copy=False)
    close_date = fields.Datetime(readonly=True, copy=False, index=True)
    repair_hours = fields.Float(
        compute='_compute_repair_hours', store=True, group_operator='avg',
        string='Hours to Repair')
    first_time_fix = fields.Boolean(
        copy=False,
        help="Closed after a single visit, without a return trip.")
    first_time_fix_pct = fields.Float(
        string='First-time Fix (%)', compute='_compute_first_time_fix_pct',
        store=True, group_operator='avg',
        help="100 for a ticket fixed at the first visit: its average is "
             "the first-time fix rate.")

    fault_code_ids = fields.Many2many(
        'meddev.fault.code', 'meddev_service_ticket_fault_rel', 'ticket_id',
        'fault_code_id', string='Fault Codes', copy=False)
    work_done = fields.Html(string='Work Done', copy=False)
    test_results = fields.Text(
        string='Measurements and Safety Tests',
        help="Results of the measurements and electrical safety tests of "
             "a maintenance visit.")
    part_ids = fields.One2many(
        'meddev.service.ticket.part', 'ticket_id', string='Parts')
    labour_hours = fields.Float(copy=False)
    travel_hours = fields.Float(copy=False)
    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True)
    parts_cost = fields.Monetary(
        compute='_compute_costs', store=True, group_operator='sum')
    labour_cost = fields.Monetary(
        compute='_compute_costs', store=True, group_operator='sum',
        string='Labour and Travel Cost')
    total_cost = fields.Monetary(
        compute='_compute_costs', store=True, group_operator='sum')

    contract_id = fields.Many2one(
        'meddev.service.contract', string='Contract',
        compute='_compute_contract_id', store=True, readonly=False,
        index=True)
    coverage = fields.Selection([
        ('warranty', 'Warranty'),
        ('contract', 'Contract'),
        ('none', 'Not Covered'),
    ], compute='_compute_coverage', store=True)
    covers_parts = fields.Boolean(compute='_compute_coverage', store=True)
    covers_labour = fields.Boolean(compute='_compute_coverage', store=True)
    covers_travel = fields.Boolean(compute='_compute_coverage', store=True)
    billable = fields.Boolean(
        compute='_compute_coverage', store=True, index=True,
        help="Part of the work is not covered by warranty or contract: "
             "the customer pays it.")
    sale_order_id = fields.Many2one(
        'sale.order', string='Sale Order', readonly=True, copy=False)

    recall_warning = fields.Char(
        compute='_compute_recall_warning',
        help="An open recall reaches this serial.")
    credit_hold = fields.Boolean(
        compute='_compute_credit_warning', string='Customer on Credit Hold')
    credit_warning = fields.Char(compute='_compute_credit_warning')
    credit_approved_by = fields.Many2one(
        'res.users', readonly=True, copy=False, track_visibility='onchange',
        string='Credit Approved by')
    credit_approval_date = fields.Datetime(readonly=True, copy=False)

    signature = fields.Binary(string='Customer Signature', copy=False)
    signed_by = fields.Char(copy=False)
    signed_date = fields.Datetime(readonly=True, copy=False)
    follow_up_date = fields.Date(string='Follow-up Date', copy=False)
    pm_plan_id = fields.Many2one(
        'meddev.service.pm.plan', string='Maintenance Plan', readonly=True,
        index=True, copy=False)
    pm_due_date = fields.Date(
        string='Maintenance Due', readonly=True, index=True, copy=False)

    sla_policy_id = fields.Many2one(
        'meddev.sla.policy', string='SLA Policy', readonly=True,
        track_visibility='onchange', copy=False)
    sla_line_ids = fields.One2many(
        'meddev.service.ticket.sla', 'ticket_id', string='SLA Clocks',
        readonly=True)
    sla_deadline = fields.Datetime(
        string='Next SLA Deadline', readonly=True, index=True, copy=False,
        help="The nearest deadline of a clock still running.")
    sla_status = fields.Selection(
        SLA_STATUSES, string='SLA Status', readonly=True, index=True,
        copy=False,
        help="The worst status of the ticket's clocks.")
    color = fields.Integer(compute='_compute_color')
    view_360_html = fields.Html(
        string='360° View', compute='_compute_view_360_html',
        sanitize=False)

    _sql_constraints = [
        ('pm_due_uniq', 'unique(equipment_id, pm_plan_id, pm_due_date)',
         'A maintenance ticket already exists for this equipment, plan '
         'and due date.'),
    ]

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    def _default_stage_id(self):
        team_id = self.env.context.get('default_team_id')
        return self._first_stage(team_id)

    @api.model
    def _first_stage(self, team_id):
        domain = [('is_closed', '=', False)]
        if team_id:
            domain = ['|', ('team_ids', '=', False),
                      ('team_ids', '=', team_id)] + domain
        return self.env['meddev.service.stage'].search(domain, limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain, order):
        return stages.search([], order=order)

    @api.depends('triage_complaint', 'triage_adverse_event')
    def _compute_quality_flag(self):
        for ticket in self:
            ticket.quality_flag = bool(
                ticket.triage_complaint or ticket.triage_adverse_event)

    @api.depends('site_id.state_id', 'partner_id.state_id')
    def _compute_region_id(self):
        for ticket in self:
            ticket.region_id = ticket.site_id.state_id or \
                ticket.partner_id.state_id

    def _compute_pause_reason(self):
        for ticket in self:
            ticket.pause_reason = ticket.stage_id.sla_pause and (
                ticket.stage_id.pause_reason or ticket.stage_id.name)

    def _compute_can_dispatch(self):
        can = self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            'meddev_service.group_meddev_service_dispatcher')
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

    @api.depends('first_time_fix')
    def _compute_first_time_fix_pct(self):
        for ticket in self:
            ticket.first_time_fix_pct = 100.0 if ticket.first_time_fix \
                else 0.0

    @api.depends('date_open', 'close_date')
    def _compute_repair_hours(self):
        for ticket in self:
            if ticket.close_date:
                delta = fields.Datetime.from_string(ticket.close_date) - \
                    fields.Datetime.from_string(ticket.date_open)
                ticket.repair_hours = delta.total_seconds() / 3600.0
            else:
                ticket.repair_hours = 0.0

    @api.depends('part_ids.quantity', 'part_ids.unit_cost', 'labour_hours',
                 'travel_hours', 'team_id.labour_rate',
                 'team_id.travel_rate')
    def _compute_costs(self):
        for ticket in self:
            ticket.parts_cost = sum(
                part.quantity * part.unit_cost for part in ticket.part_ids)
            ticket.labour_cost = (
                ticket.labour_hours * ticket.team_id.labour_rate
                + ticket.travel_hours * ticket.team_id.travel_rate)
            ticket.total_cost = ticket.parts_cost + ticket.labour_cost

    @api.depends('equipment_id.contract_ids.state', 'date_open')
    def _compute_contract_id(self):
        for ticket in self:
            if not ticket.equipment_id:
                continue
            contracts = ticket.equipment_id._active_contracts(
                ticket.date_open and ticket.date_open[:10])
            ticket.contract_id = contracts[:1]

    @api.depends('equipment_id.warranty_end', 'contract_id.covers_parts',
                 'contract_id.covers_labour', 'contract_id.covers_travel',
                 'date_open', 'ticket_type')
    def _compute_coverage(self):
        for ticket in self:
            on_date = (ticket.date_open or fields.Datetime.now())[:10]
            contract = ticket.contract_id
            if ticket.equipment_id and ticket.equipment_id._in_warranty(
                    on_date):
                ticket.coverage = 'warranty'
                covers = (True, True, True)
            elif contract:
                ticket.coverage = 'contract'
                covers = (contract.covers_parts, contract.covers_labour,
                          contract.covers_travel)
            else:
                ticket.coverage = 'none'
                covers = (False, False, False)
            ticket.covers_parts, ticket.covers_labour, \
                ticket.covers_travel = covers
            # Consultations are free; anything else uncovered is billed.
            ticket.billable = ticket.ticket_type != 'consultation' and \
                not all(covers)

    @api.depends('partner_id', 'billable', 'credit_approved_by',
                 'patient_safety')
    def _compute_credit_warning(self):
        for ticket in self:
            partner = ticket._credit_partner()
            ticket.credit_hold = bool(partner and partner.credit_hold)
            ticket.credit_warning = False
            if ticket.credit_hold and ticket.billable and \
                    not ticket.credit_approved_by:
                ticket.credit_warning = _(
                    '%(partner)s is on credit hold (%(reason)s): billable '
                    'work needs a credit manager\'s approval before it '
                    'starts, unless the ticket is patient-safety '
                    'critical.') % {
                        'partner': partner.display_name,
                        'reason': partner.credit_hold_reason
                        or _('no reason given')}

    def _compute_recall_warning(self):
        blocking = self.env['meddev.recall']._blocking_recalls(
            self.mapped('lot_id').ids)
        for ticket in self:
            recall = blocking.get(ticket.lot_id.id)
            ticket.recall_warning = recall and _(
                'The serial %(lot)s is reached by the open recall '
                '%(recall)s: follow the recall instructions.') % {
                    'lot': ticket.lot_id.name, 'recall': recall.name}

    def _compute_color(self):
        colors = {'failed': 1, 'at_risk': 2, 'paused': 4, 'met': 10}
        for ticket in self:
            ticket.color = colors.get(ticket.sla_status, 0)

    def _compute_view_360_html(self):
        for ticket in self:
            ticket.view_360_html = self.env[
                'meddev.service.view360']._render_sections(
                ticket._service_360_sections())

    def _credit_partner(self):
        """Return the commercial customer read in the ticket's company."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return partner
        return partner.with_context(force_company=self.company_id.id)

    # ------------------------------------------------------------------
    # Onchanges and constraints
    # ------------------------------------------------------------------

    @api.onchange('contact_id')
    def _onchange_contact_id(self):
        if self.contact_id:
            self.partner_id = self.contact_id.commercial_partner_id
            if not self.site_id:
                self.site_id = self.contact_id

    @api.onchange('lot_id')
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id
            equipment = self.env['meddev.service.equipment'].search(
                [('lot_id', '=', self.lot_id.id)], limit=1)
            if equipment:
                self.equipment_id = equipment
                self.partner_id = self.partner_id or equipment.partner_id
                self.site_id = self.site_id or equipment.site_id

    @api.onchange('equipment_id')
    def _onchange_equipment_id(self):
        if self.equipment_id:
            self.lot_id = self.equipment_id.lot_id
            self.product_id = self.equipment_id.product_id
            self.partner_id = self.equipment_id.partner_id
            self.site_id = self.site_id or self.equipment_id.site_id

    @api.onchange('team_id')
    def _onchange_team_id(self):
        if self.team_id and self.stage_id.team_ids and \
                self.team_id not in self.stage_id.team_ids:
            self.stage_id = self._first_stage(self.team_id.id)

    @api.constrains('lot_id', 'product_id')
    def _check_lot_product(self):
        for ticket in self:
            if ticket.lot_id and ticket.product_id and \
                    ticket.lot_id.product_id != ticket.product_id:
                raise ValidationError(
                    _('Ticket %(ticket)s: the serial number %(lot)s is not '
                      'a %(product)s.') % {
                        'ticket': ticket.name, 'lot': ticket.lot_id.name,
                        'product': ticket.product_id.display_name})

    @api.constrains('stage_id', 'fault_code_ids', 'ticket_type')
    def _check_closed_repair_fault_codes(self):
        """A closed repair keeps its fault codes, whatever the path
        (closing with the codes removed in the same write, removing them
        afterwards)."""
        for ticket in self:
            if ticket.stage_id.is_closed and \
                    ticket.ticket_type == 'repair' and \
                    not ticket.fault_code_ids:
                raise ValidationError(
                    _('The repair %(name)s is closed: it needs its fault '
                      'codes (symptom, cause and remedy).') % {
                        'name': ticket.name})

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _prepare_ticket_vals(self, vals):
        """Complete ``vals`` of a new ticket: number, customer from the
        contact, equipment from the serial, first stage of the team."""
        vals = dict(vals)
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.service.ticket') or '/'
        if vals.get('contact_id') and not vals.get('partner_id'):
            contact = self.env['res.partner'].browse(vals['contact_id'])
            vals['partner_id'] = contact.commercial_partner_id.id
        if vals.get('lot_id') and not vals.get('equipment_id'):
            equipment = self.env['meddev.service.equipment'].search(
                [('lot_id', '=', vals['lot_id'])], limit=1)
            if equipment:
                vals['equipment_id'] = equipment.id
        if vals.get('equipment_id'):
            equipment = self.env['meddev.service.equipment'].browse(
                vals['equipment_id'])
            vals.setdefault('lot_id', equipment.lot_id.id)
            vals.setdefault('partner_id', equipment.partner_id.id)
            if not vals.get('site_id') and equipment.site_id:
                vals['site_id'] = equipment.site_id.id
        if vals.get('lot_id') and not vals.get('product_id'):
            vals['product_id'] = self.env['stock.production.lot'].browse(
                vals['lot_id']).product_id.id
        if vals.get('partner_id'):
            partner = self.env['res.partner'].browse(vals['partner_id'])
            vals['partner_id'] = partner.commercial_partner_id.id
            if not vals.get('contact_id') and partner != \
                    partner.commercial_partner_id:
                vals['contact_id'] = partner.id
            vals.setdefault('site_id', partner.id)
        if vals.get('team_id') and 'stage_id' not in vals:
            vals['stage_id'] = self._first_stage(vals['team_id']).id
        return vals

    @api.model
    def create(self, vals):
        vals = self._prepare_ticket_vals(vals)
        self._check_dispatch_rights(vals)
        stage = self.env['meddev.service.stage'].browse(vals.get('stage_id'))
        if stage.is_closed:
            # Closing stops the clocks, bills and plans the follow-up:
            # only a ticket that exists goes through it.
            raise UserError(
                _('The ticket %(name)s cannot be created in the closing '
                  'stage %(stage)s: create it open, then close it.') % {
                    'name': vals.get('name') or vals.get('title') or '/',
                    'stage': stage.name})
        ticket = super(MeddevServiceTicket, self).create(vals)
        if ticket.stage_id.work_stage or ticket.onsite_date or \
                ticket.work_start_date:
            ticket._check_work_may_start()
        ticket._sla_apply_policy()
        if ticket.stage_id.sla_pause:
            ticket.sla_line_ids._sla_pause()
        ticket._notify_quality_flag(ticket.filtered('quality_flag'))
        return ticket

    @api.multi
    def write(self, vals):
        self._check_dispatch_rights(vals)
        if vals.get('partner_id'):
            vals = dict(vals, partner_id=self.env['res.partner'].browse(
                vals['partner_id']).commercial_partner_id.id)
        old_flags = {ticket.id: ticket.quality_flag for ticket in self}
        old_stages = {ticket.id: ticket.stage_id for ticket in self}
        if 'stage_id' in vals:
            self._check_stage_change(vals)
        starting = self._starting_work(vals)
        result = super(MeddevServiceTicket, self).write(vals)
        # Checked once written: the same write may answer the triage.
        starting._check_work_may_start()
        if 'stage_id' in vals:
            self._on_stage_change(old_stages)
        if set(vals) & {'priority', 'ticket_type', 'team_id', 'partner_id',
                        'product_id', 'equipment_id', 'contract_id'}:
            self._sla_apply_policy()
        if set(vals) & {'user_id', 'engineer_ids'}:
            self.filtered(lambda t: t.user_id or t.engineer_ids) \
                ._subscribe_assignees()
        self._notify_quality_flag(self.filtered(
            lambda ticket: ticket.quality_flag
            and not old_flags[ticket.id]))
        return result

    @api.multi
    def copy(self, default=None):
        """A copy is a fresh ticket on the same equipment: first stage of
        its team, no assignment, triage, codes, parts or maintenance
        link (copy=False on those fields)."""
        self.ensure_one()
        default = dict(default or {})
        default.setdefault('stage_id', self._first_stage(self.team_id.id).id)
        return super(MeddevServiceTicket, self).copy(default)

    @api.multi
    def unlink(self):
        for ticket in self:
            if ticket.stage_id.is_closed or ticket.part_ids.filtered(
                    lambda part: part.state == 'done'):
                raise UserError(
                    _('The ticket %(name)s is a service record: it cannot '
                      'be deleted once parts were used or it was '
                      'closed.') % {'name': ticket.name})
        return super(MeddevServiceTicket, self).unlink()

    def _check_dispatch_rights(self, vals):
        """Only dispatchers assign engineers, plan the visit and flag
        patient safety; approvals, clocks and billing are kept by the
        module. The superuser (crons, mail gateway, the module's own
        steps) may."""
        if self.env.uid == SUPERUSER_ID:
            return
        system = set(SYSTEM_FIELDS) & set(vals)
        if system:
            raise AccessError(
                _('%(fields)s of %(tickets)s are set by the service '
                  'workflow, not by hand.') % {
                    'fields': ', '.join(sorted(system)),
                    'tickets': ', '.join(self.mapped('name'))
                    or _('a new ticket')})
        if not self._changed_dispatch_fields(vals):
            return
        if not self.env.user.has_group(
                'meddev_service.group_meddev_service_dispatcher'):
            raise AccessError(
                _('Only a dispatcher may assign engineers, plan the visit '
                  'or flag patient safety on %(tickets)s.') % {
                    'tickets': ', '.join(self.mapped('name'))
                    or _('a new ticket')})

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

    def _check_stage_change(self, vals):
        """Refuse to close a repair without fault codes."""
        stage = self.env['meddev.service.stage'].browse(vals['stage_id'])
        if not stage.is_closed:
            return
        codes = vals.get('fault_code_ids')
        for ticket in self:
            if ticket.ticket_type == 'repair' and not ticket.fault_code_ids \
                    and not codes:
                raise UserError(
                    _('The repair %(name)s cannot be closed without fault '
                      'codes: record the symptom, cause and remedy '
                      'first.') % {'name': ticket.name})

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
        work stage or get their arrival on site."""
        starting = self.browse()
        if vals.get('stage_id'):
            stage = self.env['meddev.service.stage'].browse(vals['stage_id'])
            if stage.work_stage:
                starting |= self.filtered(
                    lambda ticket: not ticket.stage_id.work_stage)
        if vals.get('onsite_date') or vals.get('work_start_date'):
            starting |= self.filtered(
                lambda ticket: not ticket.onsite_date
                and not ticket.work_start_date)
        return starting

    def _on_stage_change(self, old_stages):
        """Pause, resume or stop the SLA clocks as the stage requires and
        run the closing steps."""
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
                ticket.work_start_date = now
            if new.is_closed and not old.is_closed:
                ticket._action_close(now)
            elif old.is_closed and not new.is_closed:
                ticket.sudo().close_date = False

    def _subscribe_assignees(self):
        for ticket in self:
            partners = ticket.user_id.partner_id | ticket.engineer_ids.mapped(
                'user_id.partner_id')
            ticket.message_subscribe(partner_ids=partners.ids)

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
    # Mail
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias opens a ticket for its sender."""
        values = dict(custom_values or {})
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if not author and msg_dict.get('email_from'):
            # A first-time sender becomes a contact, to get its number.
            author = self.env['res.partner'].browse(
                self.env['res.partner'].find_or_create(
                    msg_dict['email_from']))
        values.setdefault('title', msg_dict.get('subject') or _('(no subject)'))
        values.setdefault('description', html2plaintext(
            msg_dict.get('body') or ''))
        values.setdefault('channel', 'email')
        # mail.thread would name the record after the subject: number it.
        values['name'] = '/'
        if author:
            values.setdefault('contact_id', author.id)
            values.setdefault('partner_id', author.commercial_partner_id.id)
        ticket = super(MeddevServiceTicket, self).message_new(
            msg_dict, custom_values=values)
        if author:
            ticket.message_subscribe(partner_ids=author.ids)
        ticket._send_acknowledgement()
        return ticket

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        """A mail on the thread of a closed ticket opens a new ticket (the
        mail stays in the old thread too, as history)."""
        for ticket in self.filtered('is_closed'):
            ticket._open_follow_up_ticket(msg_dict)
        return super(MeddevServiceTicket, self).message_update(
            msg_dict, update_vals=update_vals)

    def _open_follow_up_ticket(self, msg_dict):
        """Open and acknowledge a new ticket for the same customer and
        equipment from ``msg_dict``; note it on this closed one."""
        self.ensure_one()
        new = self.create({
            'title': msg_dict.get('subject') or self.title,
            'description': html2plaintext(msg_dict.get('body') or ''),
            'channel': 'email',
            'team_id': self.team_id.id,
            'company_id': self.company_id.id,
            'partner_id': self.partner_id.id,
            'contact_id': self.contact_id.id,
            'site_id': self.site_id.id,
            'equipment_id': self.equipment_id.id,
            'lot_id': self.lot_id.id,
            'product_id': self.product_id.id,
        })
        new.message_subscribe(partner_ids=self.contact_id.ids)
        new._send_acknowledgement()
        self.message_post(
            body=_('The customer wrote again after closure: new ticket '
                   '%(ticket)s.') % {'ticket': new.name},
            subtype='mail.mt_note')
        return new

    def _send_acknowledgement(self):
        """Mail the customer the ticket number (not a first response)."""
        template = self.env.ref(
            'meddev_service.mail_template_ticket_ack', raise_if_not_found=False)
        if not template:
            return
        for ticket in self.filtered('contact_id.email'):
            ticket.with_context(meddev_auto_mail=True).message_post_with_template(
                template.id, composition_mode='comment')

    @api.multi
    @api.returns('self', lambda value: value.id)
    def message_post(self, body='', subject=None,
                     message_type='notification', **kwargs):
        message = super(MeddevServiceTicket, self).message_post(
            body=body, subject=subject, message_type=message_type, **kwargs)
        # An employee's public reply is the first response.
        if message_type == 'comment' and \
                not self.env.context.get('meddev_auto_mail') and \
                message.subtype_id == self.env.ref('mail.mt_comment') and \
                not self.env.user.share:
            self.filtered(lambda ticket: not ticket.first_response_date) \
                ._reach_response()
        return message

    def _reach_response(self):
        now = fields.Datetime.now()
        self.sudo().write({'first_response_date': now})
        self.mapped('sla_line_ids').filtered(
            lambda line: line.target == 'response')._sla_reach(now)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.multi
    def action_confirm_triage(self):
        """Record that the triage questions were answered."""
        self.write({'triage_done': True})
        return True

    @api.multi
    def action_respond(self):
        """Record the first response given by phone."""
        self.filtered(lambda ticket: not ticket.first_response_date) \
            ._reach_response()
        return True

    @api.multi
    def action_arrive_on_site(self):
        """The engineer arrived on site: the on-site clock is reached and
        the work starts (triage and credit checked)."""
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.onsite_date:
                continue
            ticket._check_work_may_start()
            ticket.write({'onsite_date': now, 'work_start_date':
                          ticket.work_start_date or now})
            ticket.sla_line_ids.filtered(
                lambda line: line.target in ('response', 'onsite')
            )._sla_reach(now)
            if not ticket.first_response_date:
                ticket.sudo().first_response_date = now
        return True

    @api.multi
    def action_approve_credit(self):
        """A credit manager lets billable work start despite the hold."""
        if not self.env.user.has_group(
                'meddev_credit.group_meddev_credit_manager'):
            raise AccessError(
                _('Only a credit manager may approve work on %(tickets)s '
                  'for a customer on credit hold.') % {
                    'tickets': ', '.join(self.mapped('name'))})
        for ticket in self:
            partner = ticket._credit_partner()
            ticket.sudo().write({
                'credit_approved_by': self.env.uid,
                'credit_approval_date': fields.Datetime.now()})
            ticket.message_post(
                body=_('Billable work approved despite the credit hold of '
                       '%(partner)s (%(reason)s).') % {
                    'partner': partner.display_name,
                    'reason': partner.credit_hold_reason or '-'},
                subtype='mail.mt_note')
        return True

    @api.multi
    def action_sign(self):
        """Record when the customer signed the report."""
        for ticket in self:
            if not ticket.signature:
                raise UserError(
                    _('Ticket %(name)s: the customer has not signed '
                      'yet.') % {'name': ticket.name})
            ticket.signed_date = fields.Datetime.now()
        return True

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

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------

    def _get_sla_policy(self):
        """Return the SLA policy of this ticket: its contract's, else the
        first matching default policy of its team, else the first
        matching policy of its company."""
        self.ensure_one()
        if self.contract_id.sla_policy_id:
            return self.contract_id.sla_policy_id
        policies = self.team_id.sla_policy_ids.sorted(
            lambda policy: (policy.sequence, policy.id))
        for policy in policies:
            if policy._applies_to(self):
                return policy
        for policy in self.env['meddev.sla.policy'].search(
                [('company_id', '=', self.company_id.id)]):
            if policy._applies_to(self):
                return policy
        return self.env['meddev.sla.policy']

    def _sla_apply_policy(self, force=False):
        """Select the policy and (re)compute the clocks: a new or changed
        target (every running one with ``force``) gets a new deadline; met
        and failed clocks stay."""
        lines_model = self.env['meddev.service.ticket.sla'].sudo()
        for ticket in self:
            policy = ticket._get_sla_policy()
            if policy != ticket.sla_policy_id:
                ticket.sudo().sla_policy_id = policy
            lines_model._sla_sync(ticket, policy, force=force)

    @api.multi
    def _service_360_sections(self):
        """Hook: the 360° view of this ticket as a list of dicts (name,
        count, action). Other modules append their sections."""
        self.ensure_one()
        return self.env['meddev.service.view360']._ticket_sections(self)
