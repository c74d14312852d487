import threading

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models


class MeddevServicePmPlan(models.Model):
    """Preventive maintenance of a product (every installed serial) or of
    a contract's equipment: tickets are created N days before each due
    date."""

    _name = 'meddev.service.pm.plan'
    _description = 'Preventive Maintenance Plan'
    _order = 'name'

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    product_id = fields.Many2one(
        'product.product', string='Product',
        help="Every installed serial of this product; empty with a "
             "contract: the contract's equipment.")
    contract_id = fields.Many2one(
        'meddev.service.contract', string='Contract')
    interval_months = fields.Integer(
        string='Interval (months)', required=True, default=6)
    lead_days = fields.Integer(
        string='Create Days Ahead', required=True, default=14)
    team_id = fields.Many2one('meddev.service.team', string='Team')
    planned_duration = fields.Float(string='Planned Hours', default=2.0)
    instructions = fields.Text(translate=True)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.service.pm.plan'))

    def _equipment_domain(self):
        self.ensure_one()
        domain = [('state', '=', 'installed'),
                  ('company_id', '=', self.company_id.id)]
        if self.contract_id:
            domain.append(('id', 'in', self.contract_id.equipment_ids.ids))
        if self.product_id:
            domain.append(('product_id', '=', self.product_id.id))
        return domain

    def _due_date(self, equipment):
        """Return the next due date of ``equipment`` under this plan."""
        start = equipment.last_maintenance_date or equipment.install_date \
            or equipment.delivery_date
        if not start:
            return False
        return fields.Date.to_string(fields.Date.from_string(start)
                                     + relativedelta(
                                         months=self.interval_months))

    @api.model
    def _cron_create_pm_tickets(self, batch_size=200, today=None):
        """Create the maintenance tickets due within each plan's lead
        days, never twice for one equipment, plan and due date (a unique
        index backs this). Commits per batch outside tests."""
        today = fields.Date.from_string(
            today or fields.Date.context_today(self))
        tickets = self.env['meddev.service.ticket']
        created = 0
        for plan in self.search([]):
            horizon = fields.Date.to_string(
                today + relativedelta(days=plan.lead_days))
            equipments = self.env['meddev.service.equipment'].search(
                plan._equipment_domain())
            for start in range(0, len(equipments), batch_size):
                batch = equipments[start:start + batch_size]
                due = {equipment.id: plan._due_date(equipment)
                       for equipment in batch}
                existing = set(
                    (ticket.equipment_id.id, ticket.pm_due_date)
                    for ticket in tickets.search([
                        ('pm_plan_id', '=', plan.id),
                        ('equipment_id', 'in', batch.ids)]))
                for equipment in batch:
                    due_date = due[equipment.id]
                    if not due_date or due_date > horizon or \
                            (equipment.id, due_date) in existing:
                        continue
                    tickets.create(plan._prepare_pm_ticket_vals(
                        equipment, due_date))
                    created += 1
                if not getattr(threading.currentThread(), 'testing', False):
                    # Each batch stays done if a later one fails.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        return created

    def _prepare_pm_ticket_vals(self, equipment, due_date):
        self.ensure_one()
        return {
            'title': _('Preventive maintenance %(plan)s, due %(date)s') % {
                'plan': self.name, 'date': due_date},
            'ticket_type': 'pm',
            'channel': 'proactive',
            'priority': '1',
            'equipment_id': equipment.id,
            'team_id': self.team_id.id,
            'company_id': equipment.company_id.id,
            'pm_plan_id': self.id,
            'pm_due_date': due_date,
            'planned_duration': self.planned_duration,
            'description': self.instructions or '',
            'triage_done': True,
        }
