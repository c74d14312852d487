from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    recall_contact_category_id = fields.Many2one(
        'res.partner.category', string='Recall Contact Tag',
        default=lambda self: self.env.ref(
            'meddev_traceability.partner_category_recall_contact',
            raise_if_not_found=False),
        help="Recall notices go to the customer's contacts carrying this "
             "tag (its quality or recall officer); to the customer itself "
             "when none does.")
