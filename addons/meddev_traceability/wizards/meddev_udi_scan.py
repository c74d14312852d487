from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.gs1_digital_link import is_digital_link, parse_digital_link
from ..udi import UdiError, parse_udi


class MeddevUdiScan(models.TransientModel):
    """Read a scanned UDI and find the product and the lot or serial."""

    _name = 'meddev.udi.scan'
    _inherit = ['meddev.wizard.mixin']
    _description = 'UDI Scan'

    barcode = fields.Char(
        string='Scanned UDI',
        help="The GS1 element string, as scanned or as printed: "
             "(01)…(11)…(17)…(10)…(21)…, or a GS1 Digital Link "
             "(https://…/01/…/10/…).")
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
        """Return the UdiData of ``barcode`` (an element string or a GS1
        Digital Link) or raise the parser's precise error (AI, position,
        reason) as a translated UserError. A raw scan that reads more than
        one way (a lost GS separator) is refused, not guessed."""
        if barcode and not isinstance(barcode, str):
            # find_lot and the lots' UDI search are open to XML-RPC, whose
            # caller may send a number, a list...: a clear refusal, not
            # the parser's TypeError.
            raise UserError(
                _('The scanned UDI cannot be read: a scan is text, not '
                  '%(value)s.') % {'value': repr(barcode)[:40]})
        try:
            if is_digital_link(barcode):
                return parse_digital_link(barcode)
            return parse_udi(barcode or '', strict=True)
        except UdiError as error:
            raise UserError(
                _('The scanned UDI %(barcode)s cannot be read: %(error)s')
                % {'barcode': barcode or '',
                   'error': self._udi_error_text(error)})

    @api.model
    def _udi_error_text(self, error):
        """Return the parser's ``error`` in the user's language: where
        (AI, position) and why."""
        reasons = {
            'empty': _('nothing to read'),
            'syntax': _('these characters are not GS1 data'),
            'charset': _('a character outside the GS1 character set'),
            'unknown_ai': _('an application identifier (AI) that GS1 does '
                            'not define'),
            'duplicate_ai': _('the same application identifier (AI) is '
                              'given twice'),
            'truncated': _('the data is cut short'),
            'too_long': _('the data is too long'),
            'check_digit': _('bad check digit'),
            'date': _('impossible date'),
            'ambiguous': _('the data reads more than one way: a GS '
                           'separator may have been lost. Scan again, or '
                           'type the UDI with brackets, e.g. '
                           '(01)…(10)…(21)…'),
        }
        reason = reasons.get(error.reason) or error.detail
        if error.ai:
            return _('AI (%(ai)s) at position %(position)d: %(reason)s') % {
                'ai': error.ai, 'position': error.position,
                'reason': reason}
        return _('Position %(position)d: %(reason)s') % {
            'position': error.position, 'reason': reason}

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
        name = self._lot_name_for(product, data)
        lot = lots.search([('product_id', '=', product.id),
                           ('name', '=', name)], limit=1) if name else lots
        return product, lot, data

    @api.model
    def _lot_name_for(self, product, data):
        """Return the lot or serial name a scan ``data`` gives ``product``:
        the serial (AI 21) of a serial-tracked product, the lot (AI 10) of
        a lot-tracked one, each falling back on the other."""
        if product.tracking == 'serial':
            return data.serial or data.lot
        return data.lot or data.serial

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
            message = _('No product has the UDI-DI %(gtin)s: create it with '
                        '"Create Product".') % {'gtin': data.gtin}
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

    @api.multi
    def action_add_to_picking(self):
        """Read the scan and add its lot or serial to the receipt,
        recording the lot with its UDI dates when it is new; then wait for
        the next scan."""
        self.ensure_one()
        picking = self.picking_id
        if not picking:
            raise UserError(
                _('Choose the receipt first: the scanned UDI %(barcode)s '
                  'can only be added to a receipt.') % {
                    'barcode': self.barcode or ''})
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
        same_lot = lines.filtered(lambda line: line.lot_id == lot)[:1]
        free = lines.filtered(
            lambda line: not line.lot_id and not line.lot_name
            and not line.qty_done)[:1]
        if same_lot:
            # A further unit of a lot already scanned adds to its line.
            same_lot.qty_done += quantity
        elif free:
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

    @api.multi
    def action_create_product(self):
        """Open a new product with the scanned UDI-DI and the tracking the
        label implies (serial when it carries AI 21), for a scan whose
        GTIN no product has yet."""
        self.ensure_one()
        self.env['product.template'].check_access_rights('create')
        if not self.gtin or self.product_id:
            raise UserError(
                _('Scan a UDI whose UDI-DI no product has yet.'))
        return {
            'type': 'ir.actions.act_window',
            'name': _('New Product for UDI-DI %(gtin)s') % {
                'gtin': self.gtin},
            'res_model': 'product.template',
            'view_mode': 'form',
            'target': 'current',
            'context': {
                'default_udi_di': self.gtin,
                'default_type': 'product',
                'default_tracking': 'serial' if self.serial else 'lot',
            },
        }

    def _create_lot_from_scan(self):
        """Return the lot or serial the scan names, created with its UDI
        dates when it is new; a serial keeps the scanned lot (AI 10) as
        its production batch."""
        serial = self.product_id.tracking == 'serial'
        name = (self.serial or self.lot_name) if serial else (
            self.lot_name or self.serial)
        if not name:
            raise UserError(
                _('The scanned UDI %(barcode)s names no lot or serial.')
                % {'barcode': self.barcode})
        existing = self.env['stock.production.lot'].search([
            ('product_id', '=', self.product_id.id), ('name', '=', name)],
            limit=1)
        if existing:
            return existing
        vals = {
            'name': name,
            'product_id': self.product_id.id,
            'production_date': self.production_date,
            'udi_batch': self.lot_name if serial and self.serial else False,
        }
        if self.expiry_date:
            vals['life_date'] = self.expiry_date + ' 00:00:00'
        return self.env['stock.production.lot'].create(vals)
