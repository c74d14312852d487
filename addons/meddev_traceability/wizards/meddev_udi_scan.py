from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..udi import UdiError, parse_udi


class MeddevUdiScan(models.TransientModel):
    """Read a scanned UDI and find the product and the lot or serial."""

    _name = 'meddev.udi.scan'
    _description = 'UDI Scan'

    barcode = fields.Char(
        string='Scanned UDI',
        help="The GS1 element string, as scanned or as printed: "
             "(01)…(11)…(17)…(10)…(21)…")
    gtin = fields.Char(string='UDI-DI', readonly=True)
    lot_name = fields.Char(string='Lot (10)', readonly=True)
    serial = fields.Char(string='Serial (21)', readonly=True)
    production_date = fields.Date(readonly=True)
    expiry_date = fields.Date(readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    lot_id = fields.Many2one('stock.production.lot', readonly=True)
    message = fields.Char(readonly=True)
    picking_id = fields.Many2one(
        'stock.picking', string='Receipt',
        help="When set, each scan adds the lot or serial to this transfer.")
    quantity = fields.Float(
        default=1.0, help="Quantity received with this scan.")

    @api.model
    def _parse_or_raise(self, barcode):
        """Return the UdiData of ``barcode`` or raise the parser's precise
        error (AI, position, reason) as a UserError."""
        try:
            return parse_udi(barcode or '')
        except UdiError as error:
            raise UserError(
                _('The scanned UDI %(barcode)s cannot be read: %(error)s')
                % {'barcode': barcode or '', 'error': error})

    @api.model
    def find_lot(self, barcode):
        """Return (product, lot, data) for a scanned UDI: the product whose
        UDI-DI is the scan's GTIN, and its lot or serial named in the scan
        (empty recordsets when absent)."""
        data = self._parse_or_raise(barcode)
        products = self.env['product.product']
        lots = self.env['stock.production.lot']
        if not data.gtin:
            raise UserError(
                _('The scanned UDI %(barcode)s holds no UDI-DI (AI 01).')
                % {'barcode': barcode})
        product = products.search([('udi_di', '=', data.gtin)], limit=1)
        if not product:
            return products, lots, data
        if data.serial:
            lot = lots.search([('product_id', '=', product.id),
                               ('name', '=', data.serial)], limit=1)
        elif data.lot:
            lot = lots.search([('product_id', '=', product.id),
                               ('name', '=', data.lot)], limit=1)
        else:
            lot = lots
        return product, lot, data

    @api.multi
    def action_scan(self):
        """Read the scan and show what it names."""
        self.ensure_one()
        self._read_scan()
        return self._reopen()

    def _read_scan(self):
        """Fill the wizard from the scan; return the product found."""
        product, lot, data = self.find_lot(self.barcode)
        if not product:
            message = _('No product has the UDI-DI %(gtin)s.') % {
                'gtin': data.gtin}
        elif not lot:
            message = _('%(product)s found; the lot or serial is not '
                        'recorded yet.') % {'product': product.display_name}
        else:
            message = _('%(product)s, %(lot)s found.') % {
                'product': product.display_name, 'lot': lot.name}
        self.write({
            'gtin': data.gtin, 'lot_name': data.lot, 'serial': data.serial,
            'production_date': data.production_date and
            fields.Date.to_string(data.production_date),
            'expiry_date': data.expiry_date and
            fields.Date.to_string(data.expiry_date),
            'product_id': product.id, 'lot_id': lot.id,
            'message': message,
        })
        return product

    def _reopen(self):
        return {
            'type': 'ir.actions.act_window',
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'target': 'new',
        }

    @api.multi
    def action_add_to_picking(self):
        """Read the scan and add its lot or serial to the receipt,
        recording the lot with its UDI dates when it is new; then wait for
        the next scan."""
        self.ensure_one()
        picking = self.picking_id
        product = self._read_scan()
        if not product:
            raise UserError(self.message)
        move = picking.move_lines.filtered(
            lambda m: m.product_id == product
            and m.state not in ('done', 'cancel'))[:1]
        if not move:
            raise UserError(
                _('%(picking)s has nothing to receive of %(product)s.') % {
                    'picking': picking.name,
                    'product': product.display_name})
        if not self.lot_id:
            self.lot_id = self._create_lot_from_scan()
        lot = self.lot_id
        quantity = 1.0 if product.tracking == 'serial' else self.quantity
        lines = move.move_line_ids
        if product.tracking == 'serial' and lot in lines.mapped('lot_id'):
            raise UserError(
                _('The serial %(lot)s is already in %(picking)s.') % {
                    'lot': lot.name, 'picking': picking.name})
        free = lines.filtered(
            lambda line: not line.lot_id and not line.lot_name
            and not line.qty_done)[:1]
        if free:
            free.write({'lot_id': lot.id, 'qty_done': quantity})
        else:
            self.env['stock.move.line'].create({
                'move_id': move.id,
                'picking_id': picking.id,
                'product_id': product.id,
                'product_uom_id': move.product_uom.id,
                'lot_id': lot.id,
                'qty_done': quantity,
                'location_id': move.location_id.id,
                'location_dest_id': move.location_dest_id.id,
            })
        following = self.create({
            'picking_id': picking.id,
            'message': _('%(lot)s added to %(picking)s. Scan the next '
                         'UDI.') % {'lot': lot.name, 'picking': picking.name},
        })
        return following._reopen()

    @api.multi
    def action_open_lot(self):
        """Open the lot or serial found."""
        self.ensure_one()
        if not self.lot_id:
            raise UserError(_('No lot or serial was found for this scan.'))
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'stock.production.lot',
            'res_id': self.lot_id.id,
            'view_mode': 'form',
        }

    @api.multi
    def action_create_lot(self):
        """Record the scanned lot or serial with its UDI dates."""
        self.ensure_one()
        if not self.product_id or self.lot_id:
            raise UserError(
                _('Scan a UDI whose product is known and whose lot is not '
                  'recorded yet.'))
        self.lot_id = self._create_lot_from_scan()
        return self.action_open_lot()

    def _create_lot_from_scan(self):
        """Create the lot or serial the scan names, with its UDI dates;
        a serial keeps the scanned lot (AI 10) as its production batch."""
        serial = self.product_id.tracking == 'serial'
        name = (self.serial or self.lot_name) if serial else (
            self.lot_name or self.serial)
        if not name:
            raise UserError(
                _('The scanned UDI %(barcode)s names no lot or serial.')
                % {'barcode': self.barcode})
        vals = {
            'name': name,
            'product_id': self.product_id.id,
            'production_date': self.production_date,
            'udi_batch': self.lot_name if serial and self.serial else False,
        }
        if self.expiry_date:
            vals['life_date'] = self.expiry_date + ' 00:00:00'
        return self.env['stock.production.lot'].create(vals)
