from odoo import fields, models, tools

from ..models.meddev_sla_policy import TICKET_TYPES


class MeddevServiceFaultAnalysis(models.Model):
    """One row per ticket and fault code, for failure-mode analysis by
    product, lot, region, team and month (a many2many cannot be grouped
    on the tickets themselves)."""

    _name = 'meddev.service.fault.analysis'
    _description = 'Failure Mode Analysis'
    _auto = False
    _order = 'date_open desc'

    ticket_id = fields.Many2one(
        'meddev.service.ticket', string='Ticket', readonly=True)
    fault_code_id = fields.Many2one(
        'meddev.fault.code', string='Fault Code', readonly=True)
    kind = fields.Selection([
        ('symptom', 'Symptom'),
        ('cause', 'Cause'),
        ('remedy', 'Remedy'),
    ], readonly=True)
    ticket_type = fields.Selection(TICKET_TYPES, readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    categ_id = fields.Many2one(
        'product.category', string='Device Category', readonly=True)
    lot_id = fields.Many2one(
        'stock.production.lot', string='Serial Number', readonly=True)
    region_id = fields.Many2one(
        'res.country.state', string='Region', readonly=True)
    team_id = fields.Many2one('meddev.service.team', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    date_open = fields.Datetime(string='Opened', readonly=True)
    repair_hours = fields.Float(
        string='Hours to Repair', readonly=True, group_operator='avg')
    total_cost = fields.Float(
        readonly=True,
        help="The ticket's cost shared among its fault codes: summed over "
             "any grouping, each ticket counts once.")
    ticket_share = fields.Float(
        string='Tickets', readonly=True,
        help="1 divided by the ticket's number of fault codes: its sum is "
             "the number of tickets.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW meddev_service_fault_analysis AS (
                SELECT row_number() OVER (
                           ORDER BY rel.ticket_id, rel.fault_code_id) AS id,
                       rel.ticket_id, rel.fault_code_id, code.kind,
                       t.ticket_type, t.product_id, t.categ_id, t.lot_id,
                       t.region_id, t.team_id, t.company_id, t.date_open,
                       t.repair_hours,
                       -- A ticket's cost is shared among its codes: a sum
                       -- over the rows counts it once.
                       COALESCE(t.total_cost, 0) / COUNT(*) OVER (
                           PARTITION BY rel.ticket_id) AS total_cost,
                       1.0 / COUNT(*) OVER (
                           PARTITION BY rel.ticket_id) AS ticket_share
                  FROM meddev_service_ticket_fault_rel rel
                  JOIN meddev_service_ticket t ON t.id = rel.ticket_id
                  JOIN meddev_fault_code code ON code.id = rel.fault_code_id
            )
        """)
