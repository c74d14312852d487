from dateutil.relativedelta import relativedelta

from odoo import _, fields, models

from odoo.addons.meddev_base.tools import xlsx_sheet
from odoo.addons.meddev_traceability.udi import UdiError, normalise_gtin14

# Columns of the template, in order: key, field of the equipment (or a
# header of the template only: gtin).
COLUMNS = [
    ('serial', 'lot_id'),
    ('product', 'product_id'),
    ('gtin', 'gtin'),
    ('customer', 'partner_id'),
    ('install_date', 'install_date'),
    ('warranty_end', 'warranty_end'),
]
REQUIRED = ('serial', 'customer', 'install_date')
MANAGER = 'meddev_service.group_meddev_service_manager'
USER = 'meddev_service.group_meddev_service_user'


class MeddevServiceEquipmentImport(models.TransientModel):
    """The installed base brought in at go-live from the XLSX template, in
    the company the user works in: serial, product (or its GTIN),
    customer, installation date and, where it differs from the product's
    warranty months, the agreed warranty end. The dry run names every bad
    row with its reason; only a file without bad rows is written, in one
    go, through Odoo's import (``load``). The file, the dry run and the
    template are meddev_base's (``meddev.import.wizard``)."""

    _name = 'meddev.service.equipment.import'
    _inherit = ['meddev.import.wizard']
    _description = 'Installed Equipment Import'

    _import_model = 'meddev.service.equipment'
    _import_columns = COLUMNS
    _import_required = REQUIRED
    # Service users export the installed base; service managers import it
    # (they set serials, customers and dates).
    _import_manager_group = MANAGER
    _import_export_group = USER
    _import_in_company = True

    company_id = fields.Many2one(
        help="The equipment is imported into this company (the one you "
             "work in).")
    with_current = fields.Boolean(
        string='Template with Current Equipment', default=False,
        help="Fill the downloaded template with the company's installed "
             "equipment (an export, e.g. to move it to another database).")

    # ------------------------------------------------------------------
    # Hooks of meddev.import.wizard
    # ------------------------------------------------------------------

    def _import_label_overrides(self):
        return {'lot_id': _('Serial Number'), 'gtin': _('GTIN'),
                'warranty_end': _('Warranty End')}

    def _import_template_name(self):
        return 'installed_equipment_template', _('Installed Equipment')

    def _import_template_hint(self):
        return _('One row per serial number. Product by its internal '
                 'reference or exact name, or by its GTIN (UDI-DI); '
                 'Customer by its reference or exact name; dates as '
                 'YYYY-MM-DD; Warranty End empty for the product\'s '
                 'warranty months from the installation date.')

    def _import_template_rows(self):
        """The company's installed equipment, by serial (the agreed
        warranty ends only: the others follow from the product)."""
        if not self.with_current:
            return []
        equipments = self.env['meddev.service.equipment'].search([
            ('company_id', '=', self._import_company().id),
            ('state', '=', 'installed')], order='id')
        return [[equipment.lot_id.name,
                 equipment.product_id.default_code
                 or equipment.product_id.name,
                 equipment.product_id.udi_di or '',
                 equipment.partner_id.ref or equipment.partner_id.name,
                 equipment.install_date or '',
                 equipment.warranty_end_agreed or '']
                for equipment in equipments]

    def _import_row_key(self, vals):
        return vals.get('serial')

    def _import_duplicate_text(self, row):
        return _('the same serial number as row %(row)s') % {'row': row}

    def _import_check_row(self, cells, reasons):
        """Return the values of one row: serial (text), product_id,
        lot_id (an existing lot of the serial, or None), partner_id,
        install_date, warranty_end_agreed; append why it cannot be
        imported."""
        product = self._row_product(cells, reasons)
        serial = (cells.get('serial') or '').strip()
        vals = {'serial': serial, 'product_id': product.id, 'lot_id': None}
        if not serial:
            reasons.append(_('no serial number given'))
        elif product:
            vals['lot_id'] = self._row_lot(serial, product, reasons)
        vals['partner_id'] = self._row_customer(cells, reasons)
        install = self._row_date(cells, 'install_date', reasons)
        today = fields.Date.from_string(fields.Date.context_today(self))
        if not install:
            if not (cells.get('install_date') or '').strip():
                reasons.append(_('no installation date given'))
        elif install > today:
            reasons.append(_('installation date %(date)s is in the '
                             'future') % {'date': install})
        vals['install_date'] = install and fields.Date.to_string(install)
        end = self._row_date(cells, 'warranty_end', reasons)
        vals['warranty_end_agreed'] = None
        if end and end < today:
            reasons.append(_('warranty end %(date)s is in the past (leave '
                             'it empty for the product\'s warranty)') % {
                                 'date': end})
        elif end and install and end < install:
            reasons.append(_('warranty end %(end)s is before the '
                             'installation date %(date)s') % {
                                 'end': end, 'date': install})
        elif end and product and install and end != install + relativedelta(
                months=product.service_warranty_months):
            # Only a warranty end apart from the product's is agreed.
            vals['warranty_end_agreed'] = fields.Date.to_string(end)
        return vals

    def _import_check_existing(self, values):
        """Serials already installed (in any company: a serial is
        installed equipment once), in one search."""
        lots = {vals['lot_id']: row for row, vals in values
                if vals.get('lot_id')}
        # Read across companies: the unique serial is the database's.
        existing = self.env['meddev.service.equipment'].sudo().search(
            [('lot_id', 'in', list(lots))])
        return [(lots[equipment.lot_id.id],
                 _('serial %(serial)s is already installed at '
                   '%(customer)s') % {
                     'serial': equipment.lot_id.name,
                     'customer': equipment.partner_id.display_name})
                for equipment in existing]

    def _import_load(self, values):
        """Create the missing serials of the products, then the equipment
        through Odoo's import, in the wizard's company."""
        company = self._import_company()
        # Service managers read lots but do not create them: the serials
        # of the installed base they import, checked above, are created
        # for them.
        lots = self.env['stock.production.lot'].sudo()
        data = []
        for vals in values:
            lot_id = vals['lot_id'] or lots.create({
                'name': vals['serial'], 'product_id': vals['product_id'],
            }).id
            data.append([str(lot_id), str(vals['partner_id']),
                         str(company.id), vals['install_date'],
                         vals['warranty_end_agreed'] or ''])
        return self.env['meddev.service.equipment'].load(
            ['lot_id/.id', 'partner_id/.id', 'company_id/.id',
             'install_date', 'warranty_end_agreed'], data)

    def _import_done_text(self, count):
        return _('%(count)s installed equipment imported in %(company)s.') % {
            'count': count, 'company': self._import_company().name}

    def _import_done(self, ids):
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported Equipment'),
            'res_model': 'meddev.service.equipment',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', ids)],
        }

    # ------------------------------------------------------------------
    # Row checks
    # ------------------------------------------------------------------

    def _row_date(self, cells, key, reasons):
        text = (cells.get(key) or '').strip()
        try:
            return xlsx_sheet.parse_date(text)
        except ValueError:
            reasons.append(_('"%(value)s" is not a date (YYYY-MM-DD)') % {
                'value': text})
            return None

    def _row_product(self, cells, reasons):
        """Return the row's product, by its GTIN and/or its internal
        reference or name (both must name the same product)."""
        products = self.env['product.product']
        gtin = (cells.get('gtin') or '').strip()
        by_gtin = products
        if gtin:
            try:
                code = normalise_gtin14(gtin)
            except (UdiError, ValueError, TypeError):
                code = None
            by_gtin = products.search([('udi_di', '=', code)], limit=2) \
                if code else products
            if not by_gtin:
                reasons.append(_('unknown GTIN "%(gtin)s"') % {'gtin': gtin})
                return products
        name = (cells.get('product') or '').strip()
        by_name = products
        if name:
            by_name = products.search([('default_code', '=', name)]) or \
                products.search([('name', '=', name)])
            if not by_name:
                reasons.append(_('unknown product "%(product)s"') % {
                    'product': name})
                return products
        if not gtin and not name:
            reasons.append(_('no product or GTIN given'))
            return products
        found = (by_gtin & by_name) if gtin and name else (by_gtin or by_name)
        if gtin and name and not found:
            reasons.append(_('GTIN %(gtin)s is not the GTIN of %(product)s') % {
                'gtin': gtin, 'product': name})
            return products
        if len(found) > 1:
            reasons.append(_('%(count)s products match "%(product)s": give '
                             'the internal reference or the GTIN') % {
                                 'count': len(found),
                                 'product': name or gtin})
            return products
        if found.tracking != 'serial':
            reasons.append(_('%(product)s is not tracked by serial '
                             'numbers') % {'product': found.display_name})
            return products
        return found

    def _row_lot(self, serial, product, reasons):
        """Return the id of the serial's lot of ``product`` when it exists
        (it is created at import otherwise), None."""
        lots = self.env['stock.production.lot'].search(
            [('name', '=', serial)])
        own = lots.filtered(lambda lot: lot.product_id == product)
        if not own and lots:
            reasons.append(_('serial %(serial)s is a serial of %(other)s, '
                             'not of %(product)s') % {
                                 'serial': serial,
                                 'other': lots[0].product_id.display_name,
                                 'product': product.display_name})
        return own[:1].id or None

    def _row_customer(self, cells, reasons):
        """Return the id of the row's customer (a commercial partner), by
        its reference, else by its exact name."""
        text = (cells.get('customer') or '').strip()
        if not text:
            reasons.append(_('no customer given'))
            return None
        partners = self.env['res.partner']
        domain = [('parent_id', '=', False)]
        found = partners.search(domain + [('ref', '=', text)]) or \
            partners.search(domain + [('name', '=', text)])
        if not found:
            reasons.append(_('unknown customer "%(customer)s"') % {
                'customer': text})
        elif len(found) > 1:
            reasons.append(_('%(count)s customers match "%(customer)s": '
                             'give the customer reference') % {
                                 'count': len(found), 'customer': text})
        else:
            return found.id
        return None
