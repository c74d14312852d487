from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.meddev_base.tools import schedule_todo, search_batches

# The serial, customer, dates, contracts and state decide the warranty,
# the coverage (so the billing and the credit hold) and the maintenance
# and warranty crons of the equipment, the site where engineers are sent
# (dispatch distance, addresses): a service manager sets them, or the
# module (deliveries, closed maintenance).
MANAGER_FIELDS = ('lot_id', 'partner_id', 'install_date', 'delivery_date',
                  'contract_ids', 'last_maintenance_date', 'company_id',
                  'state', 'warranty_end_agreed', 'site_id')
# Kept by the module only.
SYSTEM_FIELDS = ('warranty_reminded',)
MANAGER = 'meddev_service.group_meddev_service_manager'


class MeddevServiceEquipment(models.Model):
    """A serial delivered to a customer: installed equipment with its
    site, warranty, maintenance dates and service history."""

    _name = 'meddev.service.equipment'
    _description = 'Installed Equipment'
    _inherit = ['mail.thread', 'mail.activity.mixin', 'meddev.guarded.mixin']
    _order = 'partner_id, product_id, lot_id'
    _rec_name = 'lot_id'

    lot_id = fields.Many2one(
        'stock.production.lot', string='Serial Number', required=True,
        index=True, ondelete='restrict')
    product_id = fields.Many2one(
        'product.product', related='lot_id.product_id', store=True,
        readonly=True, index=True)
    categ_id = fields.Many2one(
        'product.category', related='product_id.categ_id', store=True,
        readonly=True, string='Device Category')
    partner_id = fields.Many2one(
        'res.partner', string='Customer', required=True, index=True,
        track_visibility='onchange')
    # The installed base's site is the device's location record: its
    # deletion is refused rather than emptied (as the customer's, required).
    site_id = fields.Many2one(
        'res.partner', string='Site', ondelete='restrict',
        help="Where the equipment is installed (a delivery address).")
    delivery_date = fields.Date()
    install_date = fields.Date(
        string='Installation Date', track_visibility='onchange')
    warranty_end_agreed = fields.Date(
        string='Agreed Warranty End', track_visibility='onchange',
        help="A warranty end agreed apart from the product's warranty "
             "months (an extended warranty, or the date of the previous "
             "system at go-live); set by a service manager.")
    warranty_end = fields.Date(
        compute='_compute_warranty_end', store=True,
        help="The agreed warranty end, else the installation (or "
             "delivery) date plus the product's warranty months.")
    warranty_reminded = fields.Boolean(
        readonly=True, copy=False,
        help="The warranty-ending activity was scheduled.")
    contract_ids = fields.Many2many(
        'meddev.service.contract', 'meddev_service_contract_equipment_rel',
        'equipment_id', 'contract_id', string='Contracts')
    last_maintenance_date = fields.Date(track_visibility='onchange')
    next_maintenance_date = fields.Date(
        compute='_compute_next_maintenance_date', store=True)
    pm_interval_months = fields.Integer(
        compute='_compute_next_maintenance_date', store=True,
        string='Maintenance Interval (months)')
    ticket_ids = fields.One2many(
        'meddev.service.ticket', 'equipment_id', string='Service History')
    ticket_count = fields.Integer(compute='_compute_ticket_count')
    state = fields.Selection([
        ('installed', 'Installed'),
        ('returned', 'Returned'),
        ('scrapped', 'Scrapped'),
    ], default='installed', required=True, track_visibility='onchange')
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.equipment'))
    can_manage = fields.Boolean(
        compute='_compute_can_manage',
        help="The current user may set the serial, customer, dates and "
             "contracts (a service manager).")

    _sql_constraints = [
        ('lot_uniq', 'unique(lot_id)',
         'A serial number is installed equipment only once.'),
    ]

    @api.depends('install_date', 'delivery_date', 'warranty_end_agreed',
                 'product_id.service_warranty_months')
    def _compute_warranty_end(self):
        for equipment in self:
            if equipment.warranty_end_agreed:
                equipment.warranty_end = equipment.warranty_end_agreed
                continue
            start = equipment.install_date or equipment.delivery_date
            months = equipment.product_id.service_warranty_months
            equipment.warranty_end = fields.Date.to_string(
                fields.Date.from_string(start) + relativedelta(
                    months=months)) if start and months else False

    @api.depends('last_maintenance_date', 'install_date',
                 'product_id.service_pm_interval_months',
                 'contract_ids.pm_interval_months', 'contract_ids.state',
                 'ticket_ids.stage_id', 'ticket_ids.pm_due_date')
    def _compute_next_maintenance_date(self):
        cancelled = self._cancelled_pm_due_dates()
        for equipment in self:
            intervals = [contract.pm_interval_months for contract
                         in equipment.contract_ids
                         if contract.state == 'active'
                         and contract.pm_interval_months]
            interval = min(intervals) if intervals else \
                equipment.product_id.service_pm_interval_months
            equipment.pm_interval_months = interval
            start = equipment.last_maintenance_date or \
                equipment.install_date or equipment.delivery_date
            # A cancelled cycle is over, without a maintenance: the next
            # one is due an interval after it, not overdue from then on
            # (the maintenance plans' cron counts the same way).
            skipped = cancelled.get(equipment.id)
            if skipped and (not start or skipped > start):
                start = skipped
            equipment.next_maintenance_date = fields.Date.to_string(
                fields.Date.from_string(start) + relativedelta(
                    months=interval)) if start and interval else False

    def _cancelled_pm_due_dates(self):
        """Return {equipment id: due date of its last maintenance cycle
        whose ticket was cancelled} for these equipment (the stage's flag:
        the ticket's stored copy may not be recomputed yet)."""
        if not self.ids:
            return {}
        due_dates = {}
        # Dates the module keeps, whoever's tickets they are.
        for row in self.env['meddev.service.ticket'].sudo().search_read([
                ('equipment_id', 'in', self.ids),
                ('pm_due_date', '!=', False),
                ('stage_id.is_cancelled', '=', True)],
                ['equipment_id', 'pm_due_date']):
            equipment_id = row['equipment_id'][0]
            due_dates[equipment_id] = max(
                due_dates.get(equipment_id) or row['pm_due_date'],
                row['pm_due_date'])
        return due_dates

    @property
    def _meddev_guarded_fields(self):
        # meddev.guarded.mixin refuses the module's own and computed
        # fields (warranty end, next maintenance) to everybody.
        return SYSTEM_FIELDS + tuple(self._computed_field_names())

    def _computed_field_names(self):
        return [name for name, field in self._fields.items()
                if field.store and field.compute and not field.inverse]

    @api.constrains('contract_ids', 'partner_id')
    def _check_contract_customer(self):
        """A contract covers its own customer's equipment, whichever
        side the link was written from."""
        for equipment in self:
            customer = equipment.partner_id.commercial_partner_id
            others = equipment.contract_ids.filtered(
                lambda contract: contract.partner_id.commercial_partner_id
                != customer)
            if others:
                raise ValidationError(
                    _('The equipment %(serial)s belongs to %(customer)s: '
                      'the contract %(contracts)s of another customer '
                      'cannot cover it.') % {
                        'serial': equipment.lot_id.name,
                        'customer': customer.display_name,
                        'contracts': ', '.join(others.mapped('name'))})

    def _check_manager_values(self, vals, create=False):
        """Refuse the serial, customer, dates and contracts to a user
        who is not a service manager (context defaults included on
        create); values equal to the current ones pass."""
        if self._meddev_is_server() or self.env.user.has_group(MANAGER):
            return
        if create:
            values = dict(
                (key[8:], value) for key, value in self.env.context.items()
                if key.startswith('default_'))
            values.update(vals)
            changed = [name for name in MANAGER_FIELDS if values.get(name)]
        else:
            changed = []
            for name in MANAGER_FIELDS:
                if name not in vals:
                    continue
                field = self._fields[name]
                for equipment in self:
                    current = field.convert_to_write(
                        equipment[name], equipment)
                    if field.type == 'many2many' or (
                            current != vals[name]
                            and (current or vals[name])):
                        changed.append(name)
                        break
        if changed:
            raise AccessError(
                _('Only a service manager may set %(fields)s of the '
                  'equipment %(serials)s: they decide its warranty, its '
                  'contract coverage and where engineers are sent.') % {
                    'fields': ', '.join(sorted(
                        self._fields[name]._description_string(self.env)
                        for name in changed)),
                    'serials': ', '.join(self.mapped('lot_id.name'))
                    or _('(new)')})

    @api.model
    def create(self, vals):
        self._check_manager_values(vals, create=True)
        self = self._meddev_check_guarded(vals, create=True)
        return super(MeddevServiceEquipment, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_manager_values(vals)
        self._meddev_check_guarded(vals)
        if not self._meddev_is_server():
            # Equal to the computed values (checked above): recomputed.
            computed = set(self._computed_field_names())
            vals = dict((key, value) for key, value in vals.items()
                        if key not in computed)
        return super(MeddevServiceEquipment, self).write(vals)

    def _compute_can_manage(self):
        can = self.env.user.has_group(MANAGER)
        for equipment in self:
            equipment.can_manage = can

    def _compute_ticket_count(self):
        counts = self.env['meddev.service.ticket'].read_group(
            [('equipment_id', 'in', self.ids)], ['equipment_id'],
            ['equipment_id'])
        by_id = {row['equipment_id'][0]: row['equipment_id_count']
                 for row in counts}
        for equipment in self:
            equipment.ticket_count = by_id.get(equipment.id, 0)

    @api.multi
    def name_get(self):
        return [(equipment.id, '%s (%s)' % (
            equipment.lot_id.name, equipment.product_id.name))
            for equipment in self]

    def _active_contracts(self, on_date=None):
        """Return the active contracts covering this equipment."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        return self.contract_ids.filtered(
            lambda contract: contract.state == 'active'
            and contract.date_start <= on_date
            and (not contract.date_end or contract.date_end >= on_date))

    def _in_warranty(self, on_date=None):
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        return bool(self.warranty_end and self.warranty_end >= on_date)

    @api.model
    def _record_deliveries(self, lot_ids):
        """Create the installed equipment of the serials among
        ``lot_ids`` delivered to a customer and not yet recorded, from
        the traceability module's delivery trace (one query)."""
        known = set(self.search([('lot_id', 'in', list(lot_ids))]).mapped(
            'lot_id').ids)
        lots = self.env['stock.production.lot'].browse(
            [lot_id for lot_id in lot_ids if lot_id not in known]).filtered(
            lambda lot: lot.product_id.tracking == 'serial')
        if not lots:
            return self.browse()
        rows = self.env['meddev.lot.link']._deliveries(lots.ids)
        latest = {}
        for row in rows:
            if row['quantity'] - (row.get('returned') or 0.0) <= 0:
                continue
            if not row.get('partner_id'):
                # A transfer without partner: no customer to install at
                # (the delivery itself goes through).
                continue
            latest[row['lot_id']] = row
        created = self.browse()
        for lot_id, row in latest.items():
            partner = self.env['res.partner'].browse(row['partner_id'])
            # The delivery day where the user is (a delivery at 01:00 in
            # Shanghai is on that day, not on the UTC day before).
            delivery = fields.Date.context_today(
                self, timestamp=fields.Datetime.from_string(row['date']))
            # Deliveries are recorded by the module (stock hook).
            created |= self._meddev_as_server().create({
                'lot_id': lot_id,
                'partner_id': partner.commercial_partner_id.id,
                'site_id': partner.id,
                'delivery_date': delivery,
                'install_date': delivery,
            })
        return created.with_env(self.env)

    @api.model
    def _cron_warranty_ending(self, days=None, batch_size=500,
                              commit=False):
        """Schedule, once per equipment, an activity to offer a service
        contract when the warranty ends within ``days`` days (each
        company's reminder days when None) and no active contract covers
        it. Batched, committed per batch when ``commit`` (the ir.cron
        call); the reminded flag makes a rerun skip what is done."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        done = 0
        # Options are configuration: the cron reads every company's.
        for company in self.env['res.company'].sudo().search([]):
            ahead = company.service_warranty_reminder_days \
                if days is None else days
            done += self._warranty_reminders(
                company, today, today + relativedelta(days=ahead),
                batch_size, commit)
        return done

    def _warranty_reminders(self, company, today, limit, batch_size,
                            commit):
        """Remind the equipment of ``company`` whose warranty ends between
        ``today`` and ``limit``; return how many were handled."""
        domain = [
            ('company_id', '=', company.id),
            ('state', '=', 'installed'), ('warranty_reminded', '=', False),
            ('warranty_end', '>=', fields.Date.to_string(today)),
            ('warranty_end', '<=', fields.Date.to_string(limit))]
        done = 0
        for equipments in search_batches(self, domain, batch_size,
                                         commit=commit):
            for equipment in equipments.filtered(
                    lambda equipment: not equipment._active_contracts()):
                equipment._schedule_contract_offer(
                    equipment.partner_id.user_id or self.env.user)
            equipments._meddev_as_server().write({'warranty_reminded': True})
            done += len(equipments)
        return done

    def _schedule_contract_offer(self, user):
        """Ask ``user`` to offer a service contract before the warranty
        of this equipment ends."""
        self.ensure_one()
        schedule_todo(
            self, user, _('Offer a service contract: warranty ends on '
                          '%(date)s') % {'date': self.warranty_end},
            deadline=self.warranty_end)

    @api.multi
    def action_view_tickets(self):
        """Open the service history of this equipment."""
        self.ensure_one()
        action = self.env.ref(
            'meddev_service.meddev_service_ticket_action').read()[0]
        action['domain'] = [('equipment_id', '=', self.id)]
        action['context'] = {
            'default_equipment_id': self.id,
            'default_partner_id': self.partner_id.id,
            'default_lot_id': self.lot_id.id,
            'default_product_id': self.product_id.id}
        return action
