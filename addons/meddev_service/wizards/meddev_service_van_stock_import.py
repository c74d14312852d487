from odoo import _, fields, models

from odoo.addons.meddev_base.tools import xlsx_sheet

# Columns of the template, in order: key, field of stock.inventory.line.
COLUMNS = [
    ('van', 'location_id'),
    ('product', 'product_id'),
    ('lot', 'prod_lot_id'),
    ('quantity', 'product_qty'),
]
REQUIRED = ('van', 'product', 'quantity')
MANAGER = 'meddev_service.group_meddev_service_manager'
USER = 'meddev_service.group_meddev_service_user'


class MeddevServiceVanStockImport(models.TransientModel):
    """The spare parts each engineer's van carries, brought in at go-live
    from the XLSX template: one row per van, product and lot with the
    quantity on hand. The dry run names every bad row with its reason;
    a file without bad rows becomes one inventory adjustment, written
    through Odoo's import (``load``) and validated, so that the van stock
    is what the file says. The file, the dry run and the template are
    meddev_base's (``meddev.import.wizard``)."""

    _name = 'meddev.service.van.stock.import'
    _inherit = ['meddev.import.wizard']
    _description = 'Van Stock Import'

    _import_model = 'stock.inventory.line'
    _import_columns = COLUMNS
    _import_required = REQUIRED
    # Service users export the van stock; service managers import it.
    _import_manager_group = MANAGER
    _import_export_group = USER
    _import_in_company = True

    company_id = fields.Many2one(
        help="The vans are those of this company's engineers (the company "
             "you work in).")
    with_current = fields.Boolean(
        string='Template with Current Van Stock', default=True,
        help="Fill the downloaded template with what the vans hold now, to "
             "count, edit and import back.")

    # ------------------------------------------------------------------
    # Hooks of meddev.import.wizard
    # ------------------------------------------------------------------

    def _import_label_overrides(self):
        return {'location_id': _('Van Location'), 'product_id': _('Product'),
                'prod_lot_id': _('Lot/Serial Number'),
                'product_qty': _('Quantity')}

    def _import_template_name(self):
        return 'van_stock_template', _('Van Stock')

    def _import_template_hint(self):
        return _('One row per van, product and lot. Van Location by its '
                 'full name (e.g. WH/Stock/Van Zhang) or its engineer\'s '
                 'name; Product by its internal reference or exact name; '
                 'Lot/Serial Number for tracked products (a new one is '
                 'created); Quantity on hand, 0 to empty.')

    def _vans(self):
        """Return the van locations of the company's engineers."""
        # Engineers are read for their van only (dispatch data).
        engineers = self.env['meddev.service.engineer'].sudo().search(
            [('company_id', '=', self._import_company().id),
             ('van_location_id', '!=', False)])
        return engineers.mapped('van_location_id')

    def _import_template_rows(self):
        """What the vans hold now, one row per van, product and lot."""
        if not self.with_current:
            return []
        vans = self._vans()
        # The van stock the service reads (quants are stock data).
        groups = self.env['stock.quant'].sudo().read_group(
            [('location_id', 'in', vans.ids)],
            ['location_id', 'product_id', 'lot_id', 'quantity'],
            ['location_id', 'product_id', 'lot_id'], lazy=False)
        rows = []
        locations = self.env['stock.location'].sudo()
        products = self.env['product.product'].sudo()
        lots = self.env['stock.production.lot'].sudo()
        for group in groups:
            if group['quantity'] <= 0:
                continue
            product = products.browse(group['product_id'][0])
            lot = lots.browse(group['lot_id'] and group['lot_id'][0])
            rows.append([
                locations.browse(group['location_id'][0]).complete_name,
                product.default_code or product.name, lot.name or '',
                group['quantity']])
        return sorted(rows)

    def _import_row_key(self, vals):
        return (vals.get('location_id'), vals.get('product_id'),
                vals.get('lot_name'))

    def _import_duplicate_text(self, row):
        return _('the same van, product and lot as row %(row)s') % {
            'row': row}

    def _import_check_row(self, cells, reasons):
        """Return location_id, product_id, lot_id (existing lot or None),
        lot_name and product_qty of one row; append why it cannot be
        imported."""
        vals = {'location_id': self._row_van(cells, reasons)}
        product = self._row_product(cells, reasons)
        vals['product_id'] = product.id
        lot_name = (cells.get('lot') or '').strip()
        vals['lot_name'] = lot_name
        vals['lot_id'] = self._row_lot(lot_name, product, reasons) \
            if product else None
        text = cells.get('quantity')
        try:
            quantity = xlsx_sheet.parse_number(text)
        except ValueError:
            quantity = None
            reasons.append(_('quantity "%(value)s" is not a number') % {
                'value': text})
        if not (text or '').strip():
            reasons.append(_('no quantity given'))
        elif quantity is not None and quantity < 0:
            reasons.append(_('quantity %(value)s is negative') % {
                'value': text})
        elif quantity and product.tracking == 'serial' and quantity > 1:
            reasons.append(_('quantity %(value)s of serial %(lot)s: a '
                             'serial number is one piece') % {
                                 'value': text, 'lot': lot_name})
        vals['product_qty'] = quantity
        return vals

    def _import_load(self, values):
        """Write the quantities as one inventory adjustment of the vans
        through Odoo's import, and validate it."""
        company = self._import_company()
        # Service managers hold no stock rights: the adjustment of their
        # vans (locations and lots checked above) is made for them.
        inventories = self.env['stock.inventory'].sudo()
        lots = self.env['stock.production.lot'].sudo()
        inventory = inventories.create({
            'name': _('Van stock import: %(file)s') % {
                'file': self.filename or '-'},
            'filter': 'partial', 'company_id': company.id,
            'location_id': values[0]['location_id']})
        inventory.action_start()
        data = []
        for vals in values:
            lot_id = vals['lot_id']
            if vals['lot_name'] and not lot_id:
                lot_id = lots.create({'name': vals['lot_name'],
                                      'product_id': vals['product_id']}).id
            data.append([str(inventory.id), str(vals['location_id']),
                         str(vals['product_id']), str(lot_id or ''),
                         repr(vals['product_qty'])])
        result = self.env['stock.inventory.line'].sudo().load(
            ['inventory_id/.id', 'location_id/.id', 'product_id/.id',
             'prod_lot_id/.id', 'product_qty'], data)
        if result['ids'] and not [message for message in result['messages']
                                  if message.get('type') == 'error']:
            inventory.action_done()
        return result

    def _import_done_text(self, count):
        return _('Van stock of %(count)s rows imported in %(company)s.') % {
            'count': count, 'company': self._import_company().name}

    def _import_done(self, ids):
        vans = self._vans()
        return {
            'type': 'ir.actions.act_window',
            'name': _('Van Stock'),
            'res_model': 'stock.quant',
            'view_mode': 'tree',
            'domain': [('location_id', 'in', vans.ids)],
        }

    # ------------------------------------------------------------------
    # Row checks
    # ------------------------------------------------------------------

    def _row_van(self, cells, reasons):
        """Return the id of the row's van: a van location of one of the
        company's engineers, by its full name, its name or the
        engineer's name."""
        text = (cells.get('van') or '').strip()
        if not text:
            reasons.append(_('no van location given'))
            return None
        vans = self._vans()
        found = vans.filtered(lambda van: van.complete_name == text) or \
            vans.filtered(lambda van: van.name == text)
        if not found:
            engineers = self.env['meddev.service.engineer'].sudo().search([
                ('name', '=', text),
                ('company_id', '=', self._import_company().id)])
            found = engineers.mapped('van_location_id')
        if not found:
            reasons.append(_('unknown van "%(van)s": not the stock location '
                             'of an engineer\'s van in %(company)s') % {
                                 'van': text,
                                 'company': self._import_company().name})
        elif len(found) > 1:
            reasons.append(_('%(count)s vans match "%(van)s": give the full '
                             'location name') % {
                                 'count': len(found), 'van': text})
        else:
            return found.id
        return None

    def _row_product(self, cells, reasons):
        """Return the row's stockable product, by its internal reference
        or exact name."""
        products = self.env['product.product']
        name = (cells.get('product') or '').strip()
        if not name:
            reasons.append(_('no product given'))
            return products
        found = products.search([('default_code', '=', name)]) or \
            products.search([('name', '=', name)])
        if not found:
            reasons.append(_('unknown product "%(product)s"') % {
                'product': name})
        elif len(found) > 1:
            reasons.append(_('%(count)s products match "%(product)s": give '
                             'the internal reference') % {
                                 'count': len(found), 'product': name})
        elif found.type != 'product':
            reasons.append(_('%(product)s is not a stockable product') % {
                'product': found.display_name})
        else:
            return found
        return products

    def _row_lot(self, lot_name, product, reasons):
        """Return the id of the lot ``lot_name`` of ``product`` when it
        exists (a new one is created at import), None."""
        if product.tracking == 'none':
            if lot_name:
                reasons.append(_('%(product)s is not tracked by lots: leave '
                                 'the lot empty') % {
                                     'product': product.display_name})
            return None
        if not lot_name:
            reasons.append(_('%(product)s is tracked by lots: give the lot '
                             'or serial number') % {
                                 'product': product.display_name})
            return None
        lots = self.env['stock.production.lot'].search(
            [('name', '=', lot_name)])
        own = lots.filtered(lambda lot: lot.product_id == product)
        if not own and lots:
            reasons.append(_('lot %(lot)s is not a lot of %(product)s (it is '
                             'one of %(other)s)') % {
                                 'lot': lot_name,
                                 'product': product.display_name,
                                 'other': lots[0].product_id.display_name})
        return own[:1].id or None
