from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .meddev_service_ticket import INTERNAL


class MeddevServiceTicket(models.Model):
    """What a ticket costs and who pays it: parts, labour and travel at
    the team's rates, warranty or contract coverage, and the credit hold
    of the customer with its approval."""

    _inherit = 'meddev.service.ticket'

    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True)
    parts_cost = fields.Monetary(
        compute='_compute_costs', store=True, group_operator='sum',
        groups=INTERNAL)
    labour_cost = fields.Monetary(
        compute='_compute_costs', store=True, group_operator='sum',
        string='Labour and Travel Cost', groups=INTERNAL)
    total_cost = fields.Monetary(
        compute='_compute_costs', store=True, group_operator='sum',
        groups=INTERNAL)
    contract_id = fields.Many2one(
        'meddev.service.contract', string='Contract',
        compute='_compute_contract_id', store=True, readonly=False,
        index=True,
        help="An active contract of the customer covering the serial; "
             "proposed from the equipment's contracts.")
    coverage = fields.Selection([
        ('warranty', 'Warranty'),
        ('contract', 'Contract'),
        ('none', 'Not Covered'),
    ], compute='_compute_coverage', store=True)
    covers_parts = fields.Boolean(compute='_compute_coverage', store=True)
    covers_labour = fields.Boolean(compute='_compute_coverage', store=True)
    covers_travel = fields.Boolean(compute='_compute_coverage', store=True)
    billable = fields.Boolean(
        compute='_compute_coverage', store=True, index=True, groups=INTERNAL,
        help="Part of the work is not covered by warranty or contract: "
             "the customer pays it.")
    sale_order_id = fields.Many2one(
        'sale.order', string='Sale Order', readonly=True, copy=False,
        groups=INTERNAL)
    credit_hold = fields.Boolean(
        compute='_compute_credit_warning', string='Customer on Credit Hold',
        groups=INTERNAL)
    credit_warning = fields.Char(
        compute='_compute_credit_warning', groups=INTERNAL)
    credit_approved_by = fields.Many2one(
        'res.users', readonly=True, copy=False, track_visibility='onchange',
        string='Credit Approved by', groups=INTERNAL)
    credit_approval_date = fields.Datetime(
        readonly=True, copy=False, groups=INTERNAL)

    @api.depends('part_ids.quantity', 'part_ids.unit_cost', 'part_ids.state',
                 'labour_hours', 'travel_hours', 'team_id.labour_rate',
                 'team_id.travel_rate')
    def _compute_costs(self):
        for ticket in self:
            # Only the parts used: a draft line is a plan, not a cost.
            ticket.parts_cost = sum(
                part.quantity * part.unit_cost for part in ticket.part_ids
                if part.state == 'done')
            ticket.labour_cost = (
                ticket.labour_hours * ticket.team_id.labour_rate
                + ticket.travel_hours * ticket.team_id.travel_rate)
            ticket.total_cost = ticket.parts_cost + ticket.labour_cost

    @api.depends('equipment_id.contract_ids.state', 'date_open')
    def _compute_contract_id(self):
        for ticket in self:
            # No equipment, no contract: a contract covers serials.
            contract = self.env['meddev.service.contract']
            if ticket.equipment_id:
                contract = ticket.equipment_id._active_contracts(
                    ticket.date_open and ticket.date_open[:10])[:1]
            ticket.contract_id = contract

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
        # Credit data for those who read it and the dispatchers (who
        # must not send billable work to a held customer unapproved).
        visible = self.env['meddev.service.view360']._may_see_credit_hold()
        for ticket in self:
            if not visible:
                ticket.credit_hold = False
                ticket.credit_warning = False
                continue
            partner = ticket._credit_partner().sudo()
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

    def _credit_partner(self):
        """Return the commercial customer read in the ticket's company."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return partner
        return partner.with_context(force_company=self.company_id.id)

    @api.constrains('contract_id', 'partner_id', 'lot_id', 'date_open')
    def _check_contract(self):
        """A ticket's contract is an active contract of its customer that
        covers its serial: another contract would give coverage (and lift
        a credit hold) the customer did not buy."""
        for ticket in self.filtered('contract_id'):
            ticket._check_contract_covers(ticket.contract_id)

    def _check_contract_covers(self, contract):
        """Raise unless ``contract`` is an active contract of this
        ticket's customer covering its serial on its opening date."""
        self.ensure_one()
        on_date = (self.date_open or fields.Datetime.now())[:10]
        customer = self.partner_id.commercial_partner_id
        covered = contract.equipment_ids.filtered(
            lambda equipment: self.lot_id
            and equipment.lot_id == self.lot_id)
        if contract.partner_id.commercial_partner_id != customer or \
                not covered or \
                contract not in covered._active_contracts(on_date):
            raise ValidationError(
                _('Ticket %(ticket)s: the contract %(contract)s is not '
                  'an active contract of %(customer)s covering the '
                  'serial %(serial)s on %(date)s.') % {
                    'ticket': self.name, 'contract': contract.name,
                    'customer': customer.display_name or '-',
                    'serial': self.lot_id.name or '-',
                    'date': on_date})

    @api.constrains('ticket_type', 'labour_hours', 'travel_hours')
    def _check_consultation_is_advice(self):
        """A consultation is free advice: it is never billed nor held for
        credit. Parts, labour or travel make it work of another type (a
        dispatcher retypes it; the credit hold and billing then apply)."""
        for ticket in self.filtered(
                lambda ticket: ticket.ticket_type == 'consultation'):
            if ticket.labour_hours or ticket.travel_hours or \
                    ticket.part_ids.filtered(
                        lambda part: part.state == 'done'):
                raise ValidationError(
                    _('Ticket %(ticket)s is a consultation (free advice): '
                      'it takes no parts, labour or travel hours. Ask a '
                      'dispatcher to make it a repair, an installation, an '
                      'inspection or a maintenance first.') % {
                        'ticket': ticket.name})

    @api.constrains('onsite_date')
    def _check_consultation_not_visited(self):
        """A consultation is advice by phone or mail. A site visit is
        work (travel, the on-site clock) the credit hold must see, and a
        consultation is never held: the visit waits until a dispatcher
        retypes the ticket (R-2). Checked when the visit is recorded, so
        a service manager may still retype visited work."""
        for ticket in self.filtered(
                lambda ticket: ticket.ticket_type == 'consultation'
                and ticket.onsite_date):
            raise ValidationError(
                _('Ticket %(ticket)s is a consultation (free advice): it '
                  'gets no site visit. Ask a dispatcher to make it a '
                  'repair, an installation, an inspection or a maintenance '
                  'first; its credit check then applies.') % {
                    'ticket': ticket.name})

    def _apply_requested_contract(self, contract_id):
        """On create the contract is computed from the equipment: one
        asked for that differs is checked, then kept."""
        self.ensure_one()
        if not contract_id or contract_id == self.contract_id.id:
            return
        contract = self.env['meddev.service.contract'].browse(contract_id)
        self._check_contract_covers(contract)
        self.write({'contract_id': contract.id})

    def _customer_changing(self, vals):
        """Return the tickets whose customer ``vals`` changes."""
        if not vals.get('partner_id'):
            return self.browse()
        customer = self.env['res.partner'].browse(
            vals['partner_id']).commercial_partner_id
        return self.filtered(
            lambda ticket: ticket.partner_id.commercial_partner_id
            != customer)

    def _reset_credit_approval(self):
        """A credit approval was given for one customer's hold: it does
        not follow the ticket to another customer."""
        approved = self.sudo().filtered('credit_approved_by')
        if not approved:
            return
        approved._as_server().write({'credit_approved_by': False,
                                     'credit_approval_date': False})
        for ticket in approved:
            ticket.message_post(
                body=_('The customer changed: the credit approval no longer '
                       'applies.'), subtype='mail.mt_note')

    @api.multi
    def action_approve_credit(self):
        """A credit manager lets billable work start despite the hold."""
        if not self.env.user.has_group(
                'meddev_credit.group_meddev_credit_manager'):
            raise AccessError(
                _('Only a credit manager may approve work on %(tickets)s '
                  'for a customer on credit hold.') % {
                    'tickets': ', '.join(self.sudo().mapped('name'))})
        # Approving is the credit manager's only change to a ticket: the
        # record rules say which tickets they may read, the write is ours.
        self.check_access_rule('read')
        author = self.env.user.partner_id
        for ticket in self.sudo():
            partner = ticket._credit_partner()
            ticket._as_server().write({
                'credit_approved_by': self.env.uid,
                'credit_approval_date': fields.Datetime.now()})
            ticket.message_post(
                body=_('Billable work approved despite the credit hold of '
                       '%(partner)s (%(reason)s).') % {
                    'partner': partner.display_name,
                    'reason': partner.credit_hold_reason or '-'},
                subtype='mail.mt_note', author_id=author.id)
        return True
