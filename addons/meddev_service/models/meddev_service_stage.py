from odoo import fields, models


class MeddevServiceStage(models.Model):
    """A step of the service ticket pipeline, shown as a kanban column."""

    _name = 'meddev.service.stage'
    _description = 'Service Ticket Stage'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        string='Folded in Kanban',
        help="Fold this stage's column in the kanban view of tickets.")
    is_closed = fields.Boolean(
        string='Closing Stage',
        help="Tickets in this stage are done: their SLA clock stops.")
    description = fields.Text(translate=True)
