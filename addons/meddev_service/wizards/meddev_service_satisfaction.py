from odoo import api, fields, models


class MeddevServiceSatisfaction(models.TransientModel):
    """The customer's satisfaction, asked during the follow-up call and
    recorded as an Odoo rating of the ticket."""

    _name = 'meddev.service.satisfaction'
    _description = 'Record Customer Satisfaction'

    ticket_id = fields.Many2one(
        'meddev.service.ticket', required=True, ondelete='cascade')
    rating = fields.Selection([
        ('10', 'Satisfied'),
        ('5', 'Not fully satisfied'),
        ('1', 'Unhappy'),
    ], required=True, default='10')
    feedback = fields.Text()

    @api.multi
    def action_confirm(self):
        """Record the rating and close the follow-up call activity."""
        self.ensure_one()
        self.ticket_id._record_satisfaction(int(self.rating), self.feedback)
        return {'type': 'ir.actions.act_window_close'}
