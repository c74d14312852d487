from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .meddev_sla_policy import PRIORITIES, TICKET_TYPES

# Internal fields: the customer's portal users do not read them (credit,
# costs, triage and quality evaluation).
INTERNAL = 'base.group_user'

CHANNELS = [
    ('email', 'Email'),
    ('phone', 'Phone'),
    ('portal', 'Portal'),
    ('internal', 'Internal'),
    ('proactive', 'Proactive'),
]
# The device a ticket is about: the web client also sends them as
# context defaults (the equipment's service history): completed together.
DEVICE_FIELDS = ('equipment_id', 'lot_id', 'product_id', 'partner_id',
                 'contact_id', 'site_id')
# What makes a started ticket billable or not, or moves it to another
# customer: the start check (triage, credit hold) runs again when they
# change.
START_CHECK_FIELDS = ('ticket_type', 'partner_id', 'equipment_id',
                      'lot_id', 'contract_id', 'patient_safety')
SLA_STATUSES = [
    ('running', 'Running'),
    ('at_risk', 'At Risk'),
    ('paused', 'Paused'),
    ('met', 'Met'),
    ('failed', 'Failed'),
    ('cancelled', 'Not Needed'),
]


class MeddevServiceTicket(models.Model):
    """A service request on a customer's equipment, from the first call to
    the signed report: triage, SLA clocks, dispatch, parts and billing."""

    _name = 'meddev.service.ticket'
    _description = 'Service Ticket'
    # A ticket is the record of the service given (ISO 13485 4.2.5, 7.5.4)
    # and may feed a complaint: once opened, nobody deletes it (see
    # _meddev_kept_records()). The mixin first: its refusal reads the
    # chatter, which mail.thread's unlink deletes.
    _inherit = ['meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'rating.mixin']
    _order = 'priority desc, sla_deadline, id desc'

    name = fields.Char(
        string='Number', required=True, copy=False, readonly=True,
        default='/', index=True)
    title = fields.Char(string='Subject', track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.ticket'))
    # The customer, contact, site, device and serial are part of the kept
    # record: deleting them is refused (ondelete='restrict'; res.partner's
    # unlink names the ticket), not emptied on the ticket behind its lock.
    partner_id = fields.Many2one(
        'res.partner', string='Customer', index=True,
        track_visibility='onchange', ondelete='restrict',
        help="The customer company (commercial partner).")
    contact_id = fields.Many2one(
        'res.partner', string='Contact', ondelete='restrict',
        help="Who called or wrote; the acknowledgement goes to them.")
    site_id = fields.Many2one(
        'res.partner', string='Site', ondelete='restrict',
        help="Where the engineer goes; its coordinates rank the "
             "engineers by distance.")
    region_id = fields.Many2one(
        'res.country.state', string='Region', compute='_compute_region_id',
        store=True)
    channel = fields.Selection(
        CHANNELS, required=True, index=True,
        default=lambda self: self._default_channel())
    ticket_type = fields.Selection(
        TICKET_TYPES, string='Type', required=True, default='repair',
        index=True, track_visibility='onchange')
    priority = fields.Selection(
        PRIORITIES, default='1', required=True, index=True,
        track_visibility='onchange')
    patient_safety = fields.Boolean(
        string='Patient-safety Critical', track_visibility='onchange',
        copy=False, groups=INTERNAL,
        help="Work starts without waiting for a credit approval.")
    description = fields.Text()
    equipment_id = fields.Many2one(
        'meddev.service.equipment', string='Equipment', index=True,
        ondelete='restrict')
    product_id = fields.Many2one(
        'product.product', string='Product', index=True,
        ondelete='restrict')
    lot_id = fields.Many2one(
        'stock.production.lot', string='Serial Number', index=True,
        ondelete='restrict',
        domain="[('product_id', '=', product_id)]")
    udi = fields.Char(
        string='UDI', related='lot_id.udi_element_string', readonly=True)
    categ_id = fields.Many2one(
        'product.category', related='product_id.categ_id', store=True,
        readonly=True, string='Device Category')

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
    date_open = fields.Datetime(
        string='Opened', required=True, readonly=True, index=True,
        default=fields.Datetime.now, copy=False)
    first_response_date = fields.Datetime(readonly=True, copy=False)
    onsite_date = fields.Datetime(
        string='Arrived on Site', readonly=True, copy=False)
    work_start_date = fields.Datetime(readonly=True, copy=False)
    close_date = fields.Datetime(readonly=True, copy=False, index=True)
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

    recall_warning = fields.Char(
        compute='_compute_recall_warning', groups=INTERNAL,
        help="An open recall reaches this serial.")

    signature = fields.Binary(string='Customer Signature', copy=False)
    signed_by = fields.Char(copy=False)
    signed_date = fields.Datetime(readonly=True, copy=False)
    follow_up_date = fields.Date(string='Follow-up Date', copy=False)
    pm_plan_id = fields.Many2one(
        'meddev.service.pm.plan', string='Maintenance Plan', readonly=True,
        index=True, copy=False)
    pm_due_date = fields.Date(
        string='Maintenance Due', readonly=True, index=True, copy=False)

    view_360_html = fields.Html(
        string='360° View', compute='_compute_view_360_html',
        sanitize=False, groups=INTERNAL)

    _sql_constraints = [
        ('pm_due_uniq', 'unique(equipment_id, pm_due_date)',
         'A maintenance ticket already exists for this equipment and due '
         'date.'),
    ]

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    def _default_channel(self):
        """A ticket typed in takes a call, unless the company opens no
        tickets by phone: then it is the company's own (internal)."""
        company = self.env['res.company']._company_default_get(
            'meddev.service.ticket')
        return 'phone' if company._service_channel_open('phone') \
            else 'internal'

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

    @api.depends('site_id.state_id', 'partner_id.state_id')
    def _compute_region_id(self):
        for ticket in self:
            ticket.region_id = ticket.site_id.state_id or \
                ticket.partner_id.state_id

    def _compute_pause_reason(self):
        for ticket in self:
            ticket.pause_reason = ticket.stage_id.sla_pause and (
                ticket.stage_id.pause_reason or ticket.stage_id.name)

    @api.depends('first_time_fix')
    def _compute_first_time_fix_pct(self):
        for ticket in self:
            ticket.first_time_fix_pct = 100.0 if ticket.first_time_fix \
                else 0.0

    def _compute_recall_warning(self):
        blocking = self.env['meddev.recall']._blocking_recalls(
            self.mapped('lot_id').ids)
        for ticket in self:
            recall = blocking.get(ticket.lot_id.id)
            ticket.recall_warning = recall and _(
                'The serial %(lot)s is reached by the open recall '
                '%(recall)s: follow the recall instructions.') % {
                    'lot': ticket.lot_id.name, 'recall': recall.name}

    def _compute_view_360_html(self):
        for ticket in self:
            ticket.view_360_html = self.env[
                'meddev.service.view360']._render_sections(
                ticket._service_360_sections())

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

    @api.onchange('partner_id')
    def _onchange_partner_id(self):
        """Picking another customer drops equipment of the previous one
        (the constraint below would refuse the save)."""
        if self.equipment_id and self.partner_id and \
                self.equipment_id.partner_id.commercial_partner_id != \
                self.partner_id.commercial_partner_id:
            self.equipment_id = False
            self.lot_id = False

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

    @api.constrains('equipment_id', 'partner_id', 'lot_id')
    def _check_equipment_customer_serial(self):
        """Coverage and the genealogy are read from the equipment: it must
        be the customer's own and the ticket's serial (N-4)."""
        for ticket in self.filtered('equipment_id'):
            equipment = ticket.equipment_id
            if equipment.partner_id.commercial_partner_id != \
                    ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    _('Ticket %(ticket)s: the equipment %(serial)s belongs '
                      'to %(owner)s, not to the customer %(customer)s.') % {
                        'ticket': ticket.name,
                        'serial': equipment.lot_id.name,
                        'owner': equipment.partner_id.display_name,
                        'customer': ticket.partner_id.display_name or '-'})
            # No serial is no exception: the equipment's serial is filled
            # in on create and write, a different or missing one refused.
            if ticket.lot_id != equipment.lot_id:
                raise ValidationError(
                    _('Ticket %(ticket)s: the serial number %(lot)s is not '
                      'the one of the equipment %(serial)s.') % {
                        'ticket': ticket.name,
                        'lot': ticket.lot_id.name or '-',
                        'serial': equipment.lot_id.name})

    @api.constrains('stage_id', 'fault_code_ids', 'ticket_type')
    def _check_closed_repair_fault_codes(self):
        """A closed repair keeps its fault codes, whatever the path
        (closing with the codes removed in the same write, removing them
        afterwards)."""
        for ticket in self:
            if ticket.stage_id.is_closed and \
                    not ticket.stage_id.is_cancelled and \
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
        contact, equipment from the serial (serial, product and customer
        from the equipment), first stage of the team. The device's
        context defaults count as values."""
        defaults = self._context_default_values()
        vals = dict(((name, defaults[name]) for name in DEVICE_FIELDS
                     if name in defaults), **vals)
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
            # An empty serial or customer sent with the equipment is
            # the equipment's (a different one is refused by the checks).
            if not vals.get('lot_id'):
                vals['lot_id'] = equipment.lot_id.id
            if not vals.get('partner_id'):
                vals['partner_id'] = equipment.partner_id.id
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
        # A stage the context gives (a kanban column) wins over the team's
        # first one; create() refuses a closing one.
        if vals.get('team_id') and 'stage_id' not in vals and \
                not defaults.get('stage_id'):
            vals['stage_id'] = self._first_stage(vals['team_id']).id
        return vals

    def _check_channel_open(self):
        """Refuse a ticket opened by a channel its company has switched
        off (Settings > Field Service), whoever creates it."""
        labels = dict(self._fields['channel']._description_selection(
            self.env))
        for ticket in self:
            if not ticket.company_id._service_channel_open(ticket.channel):
                raise UserError(
                    _('%(company)s does not open service tickets by '
                      '%(channel)s (Settings > Field Service): ticket '
                      '%(name)s refused.') % {
                        'company': ticket.company_id.name,
                        'channel': labels[ticket.channel],
                        'name': ticket.title or ticket.name})

    @api.model
    def create(self, vals):
        # The guards see the caller's values and context defaults, before
        # the number and the customer are filled in.
        self, vals = self._check_guarded_values(vals, create=True)
        vals = self._prepare_ticket_vals(self._ticket_team_vals(vals))
        stage = self.env['meddev.service.stage'].browse(
            vals.get('stage_id')
            or self._context_default_values().get('stage_id'))
        if stage.is_closed:
            # Closing stops the clocks, bills and plans the follow-up:
            # only a ticket that exists goes through it.
            raise UserError(
                _('The ticket %(name)s cannot be created in the closing '
                  'stage %(stage)s: create it open, then close it.') % {
                    'name': vals.get('name') or vals.get('title') or '/',
                    'stage': stage.name})
        ticket = super(MeddevServiceTicket, self).create(vals)
        ticket._check_team_required()
        ticket._check_channel_open()
        ticket._apply_requested_contract(vals.get('contract_id'))
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
        self, vals = self._check_guarded_values(vals)
        if vals.get('partner_id'):
            vals = dict(vals, partner_id=self.env['res.partner'].browse(
                vals['partner_id']).commercial_partner_id.id)
        if vals.get('equipment_id') and not vals.get('lot_id'):
            # The serial follows the equipment (checked by a constraint).
            equipment = self.env['meddev.service.equipment'].browse(
                vals['equipment_id'])
            vals = dict(vals, lot_id=equipment.lot_id.id,
                        product_id=equipment.product_id.id)
        old_flags = {ticket.id: ticket.quality_flag for ticket in self}
        old_stages = {ticket.id: ticket.stage_id for ticket in self}
        self._check_may_reopen(vals)
        moved_customer = self._customer_changing(vals)
        starting = self._starting_work(vals)
        # Started tickets whose customer or coverage may change: the
        # start check runs again once written (credit hold, S1-2).
        recheck = self.filtered('work_start_date') - starting \
            if set(vals) & set(START_CHECK_FIELDS) else self.browse()
        result = super(MeddevServiceTicket, self).write(vals)
        moved_customer._reset_credit_approval()
        # Checked once written: the same write may answer the triage.
        (starting | recheck.filtered(
            lambda ticket: not ticket.is_closed))._check_work_may_start()
        if 'stage_id' in vals:
            self._on_stage_change(old_stages)
        if set(vals) & {'priority', 'ticket_type', 'team_id', 'partner_id',
                        'product_id', 'equipment_id', 'contract_id'}:
            # A new team (calendar) or priority recomputes every running
            # clock, even when the hours stay the same.
            self._sla_apply_policy(
                force=bool(set(vals) & {'team_id', 'priority'}))
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
    def _meddev_kept_records(self):
        """An opened ticket is a regulated record; only a draft may be
        deleted: a ticket typed in by the staff (not the customer's own
        mail or portal request) that still stands in its team's first
        stage, nobody answered, dispatched, started, used parts on or
        marked for quality. Anything else already tells what the customer
        asked and what service gave: it is closed, never deleted."""
        first_stages = {}
        drafts = self.browse()
        moved = self._ids_moved_or_unassigned()
        # What makes the record is what happened, whoever asks.
        for ticket in self.sudo():
            team = ticket.team_id.id
            if team not in first_stages:
                first_stages[team] = self._first_stage(team)
            if ticket.id not in moved \
                    and ticket.channel not in ('email', 'portal') \
                    and ticket.stage_id == first_stages[team] \
                    and not (ticket.first_response_date
                             or ticket.onsite_date
                             or ticket.work_start_date
                             or ticket.close_date
                             or ticket.user_id or ticket.engineer_ids
                             or ticket.part_ids or ticket.triage_done
                             or ticket.quality_flag
                             or ticket.sale_order_id):
                drafts |= ticket
        return self - drafts

    def _ids_moved_or_unassigned(self):
        """Ids of these tickets whose chatter tracked a stage left or a
        responsible removed: once opened, a ticket taken back to its first
        stage and unassigned is not a draft again. The creation's own
        tracking (from nothing to the first stage) has no old value."""
        if not self.ids:
            return set()
        self.env.cr.execute(
            """SELECT DISTINCT message.res_id
                 FROM mail_tracking_value value
                 JOIN mail_message message
                   ON message.id = value.mail_message_id
                WHERE message.model = %s AND message.res_id IN %s
                  AND value.field IN ('stage_id', 'user_id')
                  AND value.old_value_integer > 0""",
            (self._name, tuple(self.ids)))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _meddev_keep_hint(self):
        return _('Once the customer asked by mail or portal, or it left '
                 'its first stage, was answered, dispatched, started, used '
                 'parts or was triaged, a service ticket is the record of '
                 'the service given: close it instead, with the reason in '
                 'its chatter.')

    def _subscribe_assignees(self):
        for ticket in self:
            partners = ticket.user_id.partner_id | ticket.engineer_ids.mapped(
                'user_id.partner_id')
            ticket.message_subscribe(partner_ids=partners.ids)

    @api.multi
    def _service_360_sections(self):
        """Hook: the 360° view of this ticket as a list of dicts (name,
        count, action). Other modules append their sections."""
        self.ensure_one()
        return self.env['meddev.service.view360']._ticket_sections(self)
