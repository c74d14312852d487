from odoo import api, fields, models
from odoo.addons import decimal_precision as dp


class MeddevLotLink(models.Model):
    """One edge of the lot genealogy: a child lot went into a parent lot.

    Manufacturing, service part swaps, manual entries and imports all record
    their links here, so that a recall can trace down from a finished serial
    to its components and up from a component lot to every finished serial.
    """

    _name = 'meddev.lot.link'
    _description = 'Lot Genealogy Link'
    _order = 'date desc, id desc'

    parent_lot_id = fields.Many2one(
        'stock.production.lot', string='Parent Lot/Serial', required=True,
        index=True, ondelete='restrict',
        help="The lot or serial number that was made from, or now contains, "
             "the component lot.")
    parent_product_id = fields.Many2one(
        related='parent_lot_id.product_id', string='Parent Product',
        readonly=True)
    child_lot_id = fields.Many2one(
        'stock.production.lot', string='Component Lot/Serial', required=True,
        index=True, ondelete='restrict')
    child_product_id = fields.Many2one(
        related='child_lot_id.product_id', string='Component Product',
        readonly=True)
    quantity = fields.Float(
        required=True, default=1.0,
        digits=dp.get_precision('Product Unit of Measure'),
        help="Quantity of the component lot, in its product's unit of "
             "measure, that went into the parent.")
    origin = fields.Selection([
        ('manufacturing', 'Manufacturing'),
        ('service', 'Service'),
        ('manual', 'Manual'),
        ('import', 'Import'),
    ], required=True, default='manual', index=True,
        help="What recorded the link: a manufacturing order, a part swap "
             "during service, a user, or a data import.")
    origin_ref = fields.Char(
        string='Source Document',
        help="Reference of the document that recorded the link, e.g. a "
             "manufacturing order or a service ticket.")
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now)
    company_id = fields.Many2one(
        'res.company', string='Company', required=True, index=True,
        default=lambda self: self.env['res.company']._company_default_get(
            'meddev.lot.link'))

    _sql_constraints = [
        ('parent_child_different', 'CHECK (parent_lot_id != child_lot_id)',
         'A lot or serial number cannot be a component of itself.'),
        ('quantity_positive', 'CHECK (quantity > 0)',
         'The quantity of a lot link must be positive.'),
    ]

    @api.multi
    def name_get(self):
        """Name a link after its two lots: parent > component."""
        return [
            (link.id, '%s > %s' % (link.parent_lot_id.name,
                                   link.child_lot_id.name))
            for link in self
        ]
