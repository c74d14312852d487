from odoo import fields, models


class MeddevRecall(models.Model):
    _inherit = 'meddev.recall'

    capa_id = fields.Many2one(
        'meddev.capa', string='Source CAPA', index=True, readonly=True,
        copy=False, ondelete='restrict',
        help="The CAPA whose root cause launched this recall.")
