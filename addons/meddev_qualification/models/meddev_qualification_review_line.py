from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .access import in_workflow


class MeddevQualificationReviewLine(models.Model):
    """One item of a review's checklist. The checklist of a decided review
    is the record of what was checked: it no longer changes."""

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

    @api.model
    def create(self, vals):
        self._check_review_open(self.env['meddev.qualification.review']
                                .browse(vals.get('review_id')))
        return super(MeddevQualificationReviewLine, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_review_open(
            self.mapped('review_id') | self.env[
                'meddev.qualification.review'].browse(vals.get('review_id')))
        return super(MeddevQualificationReviewLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_review_open(self.mapped('review_id'))
        return super(MeddevQualificationReviewLine, self).unlink()

    @api.model
    def _check_review_open(self, reviews):
        """Refuse to change the checklist of decided ``reviews``."""
        if self.env.user._is_superuser() or in_workflow(self):
            return
        decided = reviews.filtered(
            lambda review: review.state != 'draft')
        if decided:
            raise UserError(
                _('The checklist of %(reviews)s has been decided on and no '
                  'longer changes.') % {
                    'reviews': ', '.join(decided.mapped('name'))})
