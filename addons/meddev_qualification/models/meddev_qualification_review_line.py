from odoo import fields, models


class MeddevQualificationReviewLine(models.Model):
    """One item of a review's checklist."""

    _name = 'meddev.qualification.review.line'
    _description = 'First-Business Review Item'
    _order = 'review_id, sequence, id'

    review_id = fields.Many2one(
        'meddev.qualification.review', required=True, ondelete='cascade',
        index=True)
    sequence = fields.Integer()
    name = fields.Char(string='Item', required=True)
    passed = fields.Boolean()
    detail = fields.Char()
