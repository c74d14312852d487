from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

from odoo.addons.meddev_base.tools import create_values

from .mail_message import QUALITY_FLAG, QUALITY_SUBTYPE

PATIENT_OUTCOMES = [
    ('death', 'Death'),
    ('serious_injury', 'Serious Injury'),
    ('malfunction', 'Malfunction that Could Cause Serious Injury'),
    ('no_harm', 'No Harm'),
]
# Fields whose change moves the reporting clocks (see _sync_reports).
CLOCK_FIELDS = ('awareness_date', 'patient_outcome', 'group_event',
                'group_event_date', 'public_threat', 'remedial_action',
                'country_id', 'new_information_date')
GROUP_REGULATORY = 'meddev_quality_capa.group_meddev_quality_capa_regulatory'
GROUP_MANAGER = 'meddev_quality_capa.group_meddev_quality_capa_manager'


class MeddevComplaint(models.Model):
    """A complaint about a device: what happened, to whom, with which lot,
    from when the company knew (the awareness date starts the reporting
    clocks), the reportability decisions per jurisdiction and the reports
    due. A regulated record: cancelled, never deleted."""

    _name = 'meddev.complaint'
    _description = 'Complaint'
    _inherit = ['meddev.quality.context.mixin',
                'meddev.quality.closed.mixin',
                'meddev.regulated.mixin', 'mail.thread',
                'mail.activity.mixin', 'meddev.guarded.mixin']
    _order = 'awareness_date desc, id desc'
    # Aliases opening complaints (quality-complaints, quality-distributors)
    # are managed by quality managers only (meddev_base's protected
    # aliases: Odoo 11 lets every employee edit any alias).
    _meddev_alias_manager_group = \
        'meddev_quality_capa.group_meddev_quality_capa_manager'
    # An out-of-office or a bounce to those aliases opens no complaint (a
    # complaint is never deleted): meddev_service's gateway drops it.
    _meddev_no_automatic_mail = True
    # Set by the workflow and the clocks only (see meddev.guarded.mixin).
    _meddev_guarded_fields = (
        'name', 'state', 'ticket_id', 'closed_date', 'cluster_alert',
        'next_due_date', 'report_overdue', 'handling_days',
        'new_information_date', 'trend_alert', 'fault_code_id')

    name = fields.Char(
        string='Reference', required=True, copy=False, readonly=True,
        default='/', index=True)
    channel = fields.Selection([
        ('service_ticket', 'Service Ticket'),
        ('email', 'Email'),
        ('phone', 'Phone'),
        ('portal', 'Portal'),
        ('distributor', 'Distributor Feedback'),
        ('regulator', 'Regulator'),
        ('literature', 'Literature'),
    ], required=True, default='phone', track_visibility='onchange')
    received_date = fields.Datetime(
        required=True, default=fields.Datetime.now,
        track_visibility='onchange')
    awareness_date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True,
        track_visibility='onchange',
        help="When the company knew enough to tell that the event may be "
             "reportable: the reporting clocks start here.")
    reporter_id = fields.Many2one(
        'res.partner', string='Reported By', ondelete='restrict',
        track_visibility='onchange')
    partner_id = fields.Many2one(
        'res.partner', string='Customer', index=True, ondelete='restrict',
        track_visibility='onchange')
    country_id = fields.Many2one(
        'res.country', string='Event Country', index=True,
        track_visibility='onchange',
        help="Where the event happened; decides which jurisdictions treat "
             "it as domestic.")
    state_id = fields.Many2one(
        'res.country.state', string='Region', index=True)
    product_id = fields.Many2one(
        'product.product', string='Product', index=True, ondelete='restrict',
        track_visibility='onchange')
    lot_id = fields.Many2one(
        'stock.production.lot', string='Lot/Serial', index=True,
        ondelete='restrict',
        track_visibility='onchange')
    lot_ids = fields.Many2many(
        'stock.production.lot', 'meddev_complaint_lot_rel', 'complaint_id',
        'lot_id', string='Other Lots/Serials',
        help="Further lots or serials involved (several devices, a kit, a "
             "consumable used with the device): they count for the cluster "
             "alert and list the complaint with the main one.")
    udi = fields.Char(
        string='UDI',
        help="Scan the device's UDI: the product and the lot or serial are "
             "found from it.")
    description = fields.Text(string='Event Description', required=True)
    patient_involved = fields.Boolean(track_visibility='onchange')
    patient_outcome = fields.Selection(
        PATIENT_OUTCOMES, string='Outcome', required=True, default='no_harm',
        index=True, track_visibility='onchange')
    patients_affected = fields.Integer(default=1)
    group_event = fields.Boolean(
        track_visibility='onchange',
        help="Several patients are affected by the same device or lot.")
    group_event_date = fields.Datetime(
        track_visibility='onchange',
        help="When the group event was recognised: set when the group event "
             "is marked (by hand or by the cluster alert); its clocks count "
             "from here. Only regulatory affairs or a quality manager change "
             "it, with a reason.")
    public_threat = fields.Boolean(
        string='Public Health Threat', track_visibility='onchange')
    remedial_action = fields.Boolean(
        string='Remedial Action Needed', track_visibility='onchange',
        help="Action is needed to prevent an unreasonable risk of "
             "substantial harm, or the regulator asked for a report.")
    new_information_date = fields.Datetime(
        readonly=True, copy=False, track_visibility='onchange',
        help="When regulatory affairs last recorded new information on the "
             "event: supplemental reports (US 21 CFR 803.56) count from "
             "here.")
    ticket_id = fields.Many2one(
        'meddev.service.ticket', string='Service Ticket', index=True,
        readonly=True, copy=False)
    fault_code_ids = fields.Many2many(
        'meddev.fault.code', string='Fault Codes')
    fault_code_id = fields.Many2one(
        'meddev.fault.code', string='Main Fault Code',
        compute='_compute_fault_code_id', store=True, index=True,
        help="The first of the fault codes (those of the service ticket "
             "the complaint came from): the fault dimension of the trends.")
    picking_ids = fields.Many2many(
        'stock.picking', string='Deliveries',
        help="The deliveries that brought the device to the customer.")
    evidence_ids = fields.Many2many(
        'ir.attachment', 'meddev_complaint_evidence_rel', 'complaint_id',
        'attachment_id', string='Evidence')
    state = fields.Selection([
        ('intake', 'Intake'),
        ('assessment', 'Assessment'),
        ('investigation', 'Investigation'),
        ('closed', 'Closed'),
        ('cancel', 'Cancelled'),
    ], default='intake', required=True, readonly=True, copy=False,
        index=True, track_visibility='onchange')
    user_id = fields.Many2one(
        'res.users', string='Responsible', default=lambda self: self.env.user,
        ondelete='restrict',
        track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.complaint'))
    decision_ids = fields.One2many(
        'meddev.reportability.decision', 'complaint_id',
        string='Reportability Decisions',
        groups='meddev_quality_capa.group_meddev_quality_capa_user')
    report_ids = fields.One2many(
        'meddev.regulatory.report', 'complaint_id',
        string='Regulatory Reports',
        groups='meddev_quality_capa.group_meddev_quality_capa_user')
    capa_ids = fields.Many2many(
        'meddev.capa', 'meddev_capa_complaint_rel', 'complaint_id',
        'capa_id', string='CAPAs', copy=False,
        groups='meddev_quality_capa.group_meddev_quality_capa_user')
    closed_date = fields.Datetime(readonly=True, copy=False)
    handling_days = fields.Float(
        compute='_compute_handling_days', store=True,
        help="Days from receipt to closure.")
    cluster_alert = fields.Boolean(
        readonly=True, copy=False, index=True,
        help="Set when this complaint completed a cluster of complaints on "
             "the same lot within the company's window.")
    closure_note = fields.Text(track_visibility='onchange')
    investigation_count = fields.Integer(
        compute='_compute_investigation_count',
        groups='meddev_quality_capa.group_meddev_quality_capa_user')

    @api.model_cr
    def init(self):
        # The dashboard and the alerts count a company's complaints over a
        # period of receipt dates.
        tools.create_index(self._cr, 'meddev_complaint_company_received_idx',
                           self._table, ['company_id', 'received_date'])

    @api.depends('received_date', 'closed_date')
    def _compute_handling_days(self):
        for complaint in self:
            if complaint.closed_date and complaint.received_date:
                delta = fields.Datetime.from_string(complaint.closed_date) - \
                    fields.Datetime.from_string(complaint.received_date)
                complaint.handling_days = delta.total_seconds() / 86400.0
            else:
                complaint.handling_days = 0.0

    def _compute_investigation_count(self):
        counts = dict(
            (row['complaint_id'][0], row['complaint_id_count'])
            for row in self.env['meddev.complaint.investigation'].read_group(
                [('complaint_id', 'in', self.ids)], ['complaint_id'],
                ['complaint_id']))
        for complaint in self:
            complaint.investigation_count = counts.get(complaint.id, 0)

    @api.onchange('partner_id')
    def _onchange_partner_id(self):
        if self.partner_id and not self.country_id:
            self.country_id = self.partner_id.country_id
            self.state_id = self.partner_id.state_id

    @api.onchange('lot_id')
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    def _prepare_udi_vals(self, vals):
        """Return ``vals`` completed with the product and lot named by the
        scanned UDI they carry; an unreadable scan raises the parser's
        precise error, an unknown product says so."""
        if not vals.get('udi') or vals.get('lot_id'):
            return vals
        product, lot, _data = self.env['meddev.udi.scan'].find_lot(
            vals['udi'])
        if not product:
            raise UserError(
                _('No product has the UDI-DI of the scanned UDI %(udi)s.')
                % {'udi': vals['udi']})
        vals = dict(vals, product_id=product.id)
        if lot:
            vals['lot_id'] = lot.id
        return vals

    @api.constrains('awareness_date', 'group_event_date')
    def _check_awareness_not_future(self):
        """The clocks start when the company knew (or recognised the group
        event): not in the future (a later start would postpone every
        deadline)."""
        # A minute of tolerance for the clocks of client and server.
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            + timedelta(minutes=1))
        for complaint in self:
            if complaint.awareness_date and complaint.awareness_date > limit:
                raise ValidationError(
                    _('%(name)s: the awareness date %(date)s is in the '
                      'future.') % {'name': complaint.name,
                                    'date': complaint.awareness_date})
            if complaint.group_event_date and \
                    complaint.group_event_date > limit:
                raise ValidationError(
                    _('%(name)s: the group event date %(date)s is in the '
                      'future.') % {'name': complaint.name,
                                    'date': complaint.group_event_date})

    @api.constrains('received_date', 'awareness_date')
    def _check_received_date(self):
        """A complaint is received no later than the company became aware
        of the event, and not in the future: the handling time and the
        cluster window count from it."""
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            + timedelta(minutes=1))
        for complaint in self:
            if complaint.received_date > limit:
                raise ValidationError(
                    _('%(name)s: the received date %(date)s is in the '
                      'future.') % {'name': complaint.name,
                                    'date': complaint.received_date})
            if complaint.received_date > complaint.awareness_date:
                raise ValidationError(
                    _('%(name)s: the received date %(received)s is after the '
                      'awareness date %(awareness)s (the company cannot know '
                      'of a complaint before receiving it).') % {
                        'name': complaint.name,
                        'received': complaint.received_date,
                        'awareness': complaint.awareness_date})

    def _check_group_event_date_allowed(self, vals, create=False):
        """The group event's clocks start at ``group_event_date``: the
        server sets it when the group event is marked; anyone else who
        sets it (on create too, by a context default) must be regulatory
        affairs or a quality manager and write the reason. So is clearing
        a group event once marked (it drops the group reports)."""
        if self._meddev_is_server():
            return
        value = vals.get('group_event_date')
        if create:
            value = value or self.env.context.get('default_group_event_date')
            changed = bool(value)
        else:
            changed = 'group_event_date' in vals and any(
                (complaint.group_event_date or False) != (value or False)
                for complaint in self)
            changed = changed or ('group_event' in vals and not vals[
                'group_event'] and any(self.mapped('group_event')))
        if not changed:
            return
        names = ', '.join(self.mapped('name')) or self._description
        if not self.env.user.has_group(GROUP_REGULATORY):
            raise AccessError(
                _('%(names)s: the group event date is set when the group '
                  'event is marked; only regulatory affairs or a quality '
                  'manager may change it (it moves the group reporting '
                  'deadlines).') % {'names': names})
        if not (vals.get('clock_change_reason') or '').strip():
            raise UserError(
                _('%(names)s: write the reason for changing the group event '
                  'date first (it moves the reporting deadlines).') % {
                    'names': names})

    def _changed_capa_ids(self, commands):
        """Return the ids of the CAPAs whose link to these complaints the
        x2many ``commands`` add or remove (a write on a linked CAPA goes
        through the CAPA's own rules)."""
        current = set(self.sudo().mapped('capa_ids').ids)
        if commands and not isinstance(commands[0], (list, tuple)):
            commands = [(6, 0, commands)]
        changed = set()
        for command in commands or ():
            if command[0] in (2, 3):
                changed.add(command[1])
            elif command[0] == 4:
                changed.add(command[1])
            elif command[0] == 5:
                changed |= current
            elif command[0] == 6:
                changed |= current.symmetric_difference(command[2] or ())
        return changed

    def _check_closed_capa_links(self, vals):
        """A closed or cancelled CAPA is frozen on its side (its complaints
        included): linking or unlinking it from a complaint is refused
        too."""
        if 'capa_ids' not in vals or self._meddev_is_server():
            return
        capas = self.env['meddev.capa'].sudo().browse(
            self._changed_capa_ids(vals['capa_ids'])).exists()
        locked = capas.filtered(
            lambda capa: capa.state in ('closed', 'cancel'))
        if locked:
            raise UserError(
                _('%(capas)s is closed or cancelled: its complaints can no '
                  'longer change (%(names)s).') % {
                    'capas': ', '.join(locked.mapped('name')),
                    'names': ', '.join(self.mapped('name'))
                    or self._description})

    def _receive_no_later_than(self, vals):
        """An awareness date moved (with the rights and reason it needs)
        before the received date moves the received date with it: the
        complaint was received by then (it lengthens the handling time,
        never shortens it)."""
        if not vals.get('awareness_date') or 'received_date' in vals:
            return True
        earlier = self.filtered(
            lambda complaint: complaint.received_date > vals[
                'awareness_date'])
        if not earlier:
            return True
        return super(MeddevComplaint, earlier._meddev_as_server()).write(
            {'received_date': vals['awareness_date']})

    def _stamp_group_event_date(self):
        """The group event of these complaints was just marked: its clocks
        start now (a date already set, never in the future, stays)."""
        unstamped = self.filtered(
            lambda complaint: complaint.group_event
            and not complaint.group_event_date)
        if not unstamped:
            return True
        # The next class's write: no second clock check or sync here.
        return super(MeddevComplaint, unstamped._meddev_as_server()).write(
            {'group_event_date': fields.Datetime.now()})

    @api.depends('fault_code_ids')
    def _compute_fault_code_id(self):
        for complaint in self:
            complaint.fault_code_id = complaint.fault_code_ids[:1]

    @api.model
    def create(self, vals):
        self._check_group_event_date_allowed(vals, create=True)
        # The CAPAs and the evidence the complaint gets, from the values or
        # from the caller's default_* keys and saved defaults alike.
        values = create_values(self, vals, ['capa_ids', 'evidence_ids'])
        self._check_closed_capa_links(values)
        self = self._meddev_check_guarded(vals, create=True)
        vals = dict(vals)
        if vals.get('group_event') and not vals.get('group_event_date') \
                and not self.env.context.get('default_group_event_date'):
            # A group event known at intake was known from the awareness
            # date on (its clocks start no later than the others).
            vals['group_event_date'] = vals.get('awareness_date') or \
                self.env.context.get('default_awareness_date') or \
                fields.Datetime.now()
        if 'received_date' not in vals and \
                not self.env.context.get('default_received_date'):
            # Received now, or when the company became aware if earlier.
            vals['received_date'] = min(
                vals.get('awareness_date') or self.env.context.get(
                    'default_awareness_date') or fields.Datetime.now(),
                fields.Datetime.now())
        if vals.get('name', '/') == '/':
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'meddev.complaint') or '/'
        vals = self._prepare_udi_vals(vals)
        if vals.get('lot_id') and not vals.get('product_id'):
            vals['product_id'] = self.env['stock.production.lot'].browse(
                vals['lot_id']).product_id.id
        if vals.get('partner_id') and not vals.get('country_id'):
            partner = self.env['res.partner'].browse(vals['partner_id'])
            vals.setdefault('country_id', partner.country_id.id)
            vals.setdefault('state_id', partner.state_id.id)
        attachments = self.env['ir.attachment']
        if values.get('evidence_ids'):
            attachments._meddev_check_evidence_link(
                self, 'evidence_ids', values['evidence_ids'])
        complaint = super(MeddevComplaint, self).create(vals)
        attachments._meddev_rehome_evidence(
            complaint, complaint.sudo().evidence_ids)
        if complaint.group_event:
            # A group event known at intake: its clock runs from now on,
            # whoever opened it (a service user from a ticket).
            complaint.sudo()._sync_reports(notify=True)
        complaint._detect_cluster()
        complaint._detect_trend()
        return complaint

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the quality alias opens a complaint from its sender,
        received now, the mail's text as the event description."""
        values = dict(custom_values or {})
        values.setdefault('channel', 'email')
        values.setdefault('description', html2plaintext(
            msg_dict.get('body') or '') or msg_dict.get('subject') or '-')
        # mail.thread would name the record after the subject: number it.
        values['name'] = '/'
        author = self.env['res.partner'].browse(msg_dict.get('author_id'))
        if author:
            values.setdefault('reporter_id', author.id)
            values.setdefault('partner_id', author.commercial_partner_id.id)
        return super(MeddevComplaint, self).message_new(
            msg_dict, custom_values=values)

    @api.multi
    def write(self, vals):
        self._meddev_check_guarded(vals)
        self._check_not_locked(vals)
        self._check_received_date_change(vals)
        self._check_closed_capa_links(vals)
        attachments = self.env['ir.attachment']
        if vals.get('evidence_ids'):
            attachments._meddev_check_evidence_link(
                self, 'evidence_ids', vals['evidence_ids'])
        vals = self._prepare_udi_vals(vals)
        if 'company_id' in vals and not self._meddev_is_server() and any(
                complaint.company_id.id != vals['company_id']
                for complaint in self):
            raise UserError(
                _('%(names)s: a complaint stays in the company that received '
                  'it.') % {'names': ', '.join(self.mapped('name'))})
        clock_changed = self.env['meddev.complaint']
        if set(CLOCK_FIELDS).intersection(vals):
            clock_changed = self.filtered(lambda c: any(
                c._fields[name].convert_to_write(c[name], c) != vals[name]
                for name in CLOCK_FIELDS if name in vals))
            clock_changed._check_clock_change_allowed(vals)
            clock_changed._check_group_event_date_allowed(vals)
        detect = self.env['meddev.complaint']
        if set(['lot_id', 'product_id', 'received_date']).intersection(vals):
            detect = self.filtered(lambda c: any(
                c._fields[name].convert_to_write(c[name], c) != vals[name]
                for name in ('lot_id', 'product_id', 'received_date')
                if name in vals))
        if 'lot_ids' in vals:
            detect = self
        self._receive_no_later_than(vals)
        result = super(MeddevComplaint, self).write(vals)
        if vals.get('evidence_ids'):
            attachments._meddev_rehome_evidence(
                self, self.sudo().evidence_ids)
        if vals.get('group_event'):
            self._stamp_group_event_date()
        if clock_changed:
            clock_changed._sync_reports(notify=True)
        # A lot or product known only after intake (mail, phone) counts for
        # the cluster and trend alerts too.
        for complaint in detect.filtered(lambda c: c.state != 'cancel'):
            complaint._detect_cluster()
            complaint._detect_trend()
        return result

    def _post_quality_note(self, body):
        """Post ``body`` on these complaints for the quality groups only
        (investigation, reportability, reports, CAPAs): service users who
        read the complaint do not read how quality handles it."""
        for complaint in self:
            # Flagged by the server (the hiding goes by the flag, whatever
            # the subtype's xml id points to by then).
            complaint._meddev_as_server().message_post(
                body=body, subtype=QUALITY_SUBTYPE, **{QUALITY_FLAG: True})
        return True

    @api.multi
    def action_open_capa(self):
        """Open a CAPA from this complaint, or show the one it has."""
        self.ensure_one()
        capa = self.capa_ids[:1]
        if not capa:
            capa = self.env['meddev.capa'].create(
                self._prepare_capa_vals())
            self._post_quality_note(_('CAPA %(capa)s opened.') % {
                'capa': capa.name})
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'meddev.capa',
            'res_id': capa.id,
            'view_mode': 'form',
        }

    def _prepare_capa_vals(self):
        """Return the values of the CAPA opened from this complaint."""
        return {
            'source': 'complaint',
            'complaint_ids': [(6, 0, self.ids)],
            'product_id': self.product_id.id,
            'problem': _('%(name)s: %(description)s') % {
                'name': self.name, 'description': self.description},
            'company_id': self.company_id.id,
        }

    @api.multi
    def action_trace_lot(self):
        """Open the forward trace of the complaint's lot: every lot
        containing it and every customer that received one."""
        self.ensure_one()
        if not self.lot_id:
            raise UserError(_('%(name)s names no lot or serial.') % {
                'name': self.name})
        return self.lot_id.action_trace_forward()

    @api.multi
    def action_view_same_lot(self):
        """Open every other complaint on one of this complaint's lots or
        serials (main or other)."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_quality_capa.meddev_complaint_action').read()[0]
        lots = self.lot_id | self.lot_ids
        action['domain'] = ['|', ('lot_id', 'in', lots.ids),
                            ('lot_ids', 'in', lots.ids),
                            ('id', '!=', self.id)]
        action['context'] = {}
        return action

    @api.multi
    def action_view_investigations(self):
        """Open the investigations of this complaint."""
        self.ensure_one()
        action = self.env.ref('meddev_quality_capa.'
                              'meddev_complaint_investigation_action').read()[0]
        action['domain'] = [('complaint_id', '=', self.id)]
        action['context'] = {'default_complaint_id': self.id,
                             'default_name': self.name}
        return action

    @api.multi
    def action_view_lot_tickets(self):
        """Open the service tickets on the complaint's lot or serial."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Tickets on %(lot)s') % {'lot': self.lot_id.name},
            'res_model': 'meddev.service.ticket',
            'view_mode': 'tree,form',
            'domain': [('lot_id', '=', self.lot_id.id)],
        }
