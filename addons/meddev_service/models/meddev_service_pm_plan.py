from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from odoo.addons.meddev_base.tools import commit_batch


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

    def _interval_months(self):
        """The interval of this plan: a contract's own maintenance
        interval, when it has one, comes before the plan's."""
        self.ensure_one()
        return self.contract_id.pm_interval_months or self.interval_months

    def _due_equipment(self, horizon, limit):
        """Return [(equipment id, due date)] of up to ``limit`` installed
        equipment of this plan whose next maintenance (an interval after
        the last one, or after the last cancelled cycle) falls on or before
        ``horizon`` and that has no maintenance ticket for that date nor
        one still open (SQL: no loop over the installed base)."""
        self.ensure_one()
        if self.contract_id and self.contract_id.state != 'active':
            return []
        where = ["e.state = 'installed'", 'e.company_id = %(company)s']
        if self.product_id:
            where.append('e.product_id = %(product)s')
        if self.contract_id:
            where.append("""e.id IN (
                SELECT equipment_id FROM meddev_service_contract_equipment_rel
                 WHERE contract_id = %(contract)s)""")
        else:
            # The maintenance of equipment under a contract with its own
            # plan follows that plan's interval, every cycle.
            where.append("""NOT EXISTS (
                SELECT 1 FROM meddev_service_contract_equipment_rel r
                  JOIN meddev_service_contract c ON c.id = r.contract_id
                  JOIN meddev_service_pm_plan p ON p.contract_id = c.id
                 WHERE r.equipment_id = e.id AND c.state = 'active'
                   AND p.active)""")
        # A cycle whose ticket was cancelled (the customer declined it, the
        # device was serviced elsewhere) is over without a maintenance: the
        # next one is due an interval after it, as the equipment's own
        # next maintenance date says (no other ticket for that date; a
        # dispatcher reopens the cancelled one if it is still wanted).
        # pylint: disable=sql-injection
        query = """
            SELECT id, due FROM (
                SELECT e.id, (GREATEST(
                                  COALESCE(e.last_maintenance_date,
                                           e.install_date, e.delivery_date),
                                  (SELECT MAX(t.pm_due_date)
                                     FROM meddev_service_ticket t
                                     JOIN meddev_service_stage s
                                       ON s.id = t.stage_id
                                    WHERE t.equipment_id = e.id
                                      AND s.is_cancelled))
                              + make_interval(months => %(months)s))::date
                              AS due
                  FROM meddev_service_equipment e
                 WHERE {where}
            ) due_equipment
             WHERE due IS NOT NULL AND due <= %(horizon)s
               AND NOT EXISTS (
                   SELECT 1 FROM meddev_service_ticket t
                    WHERE t.equipment_id = due_equipment.id
                      AND (t.pm_due_date = due_equipment.due
                           OR (t.ticket_type = 'pm'
                               AND NOT COALESCE(t.is_closed, FALSE))))
             ORDER BY id
             LIMIT %(limit)s
        """.format(where=' AND '.join(where))
        self.env.cr.execute(query, {
            'company': self.company_id.id, 'product': self.product_id.id,
            'contract': self.contract_id.id,
            'months': self._interval_months(), 'horizon': horizon,
            'limit': limit})
        return [(row[0], str(row[1])[:10])
                for row in self.env.cr.fetchall()]

    @api.model
    def _cron_create_pm_tickets(self, batch_size=200, today=None,
                                commit=False):
        """Create the maintenance tickets due within each plan's lead
        days: one per serial and due date whatever the plans (contract
        plans first, their interval winning), none while one is open.
        Batched, committed per batch when ``commit`` (the ir.cron
        call), idempotent."""
        today = fields.Date.from_string(
            today or fields.Date.context_today(self))
        tickets = self.env['meddev.service.ticket']
        equipment_model = self.env['meddev.service.equipment']
        created = 0
        plans = self.search([]).sorted(
            lambda plan: (not plan.contract_id, plan.id))
        for plan in plans:
            horizon = fields.Date.to_string(
                today + relativedelta(days=plan.lead_days))
            while True:
                rows = plan._due_equipment(horizon, batch_size)
                if not rows:
                    break
                for equipment_id, due_date in rows:
                    # The plan and due date are the module's to set.
                    tickets._as_server().create(plan._prepare_pm_ticket_vals(
                        equipment_model.browse(equipment_id), due_date))
                    created += 1
                commit_batch(self.env, commit)
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
            # No team on the plan: the customer's region team, so that
            # the ticket does not show to every service user.
            'team_id': (self.team_id or self.env[
                'meddev.service.ticket']._team_for_partner(
                    equipment.partner_id, equipment.company_id)).id,
            'company_id': equipment.company_id.id,
            'pm_plan_id': self.id,
            'pm_due_date': due_date,
            'planned_duration': self.planned_duration,
            'description': self.instructions or '',
            'triage_done': True,
        }
