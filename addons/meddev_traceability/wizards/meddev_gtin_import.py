import unicodedata

from odoo import _, fields, models

from ..udi import gs1_check_digit

# Columns of the template, in order: key, field of product.template.
COLUMNS = [
    ('record_id', 'id'),
    ('reference', 'default_code'),
    ('product', 'name'),
    ('udi_di', 'udi_di'),
]
REQUIRED = ('udi_di',)
MANAGER_GROUP = 'meddev_traceability.group_meddev_traceability_manager'
USER_GROUP = 'meddev_traceability.group_meddev_traceability_user'


class MeddevGtinImport(models.TransientModel):
    """The products' UDI-DIs (GTINs) brought in at go-live from the XLSX
    template: the template can be exported with the products that already
    have one, every row is checked first (dry run: the product exists once,
    the GTIN has 8, 12, 13 or 14 digits and its check digit is right, no
    other product has it) and each bad row is named with its reason; only
    a file without bad rows is written, in one go, through Odoo's import
    (``load``). File, dry run and template are meddev_base's
    (``meddev.import.wizard``)."""

    _name = 'meddev.gtin.import'
    _inherit = ['meddev.import.wizard']
    _description = 'Product GTIN (UDI-DI) Import'

    _import_model = 'product.template'
    _import_columns = COLUMNS
    _import_required = REQUIRED
    # Traceability users export the GTINs; recall managers who may edit
    # products import them (see _import_allowed).
    _import_manager_group = MANAGER_GROUP
    _import_export_group = USER_GROUP

    with_current = fields.Boolean(
        string='Template with Current GTINs', default=True,
        help="Fill the downloaded template with the products that have a "
             "UDI-DI, to edit and import back.")

    # ------------------------------------------------------------------
    # Hooks of meddev.import.wizard
    # ------------------------------------------------------------------

    def _import_allowed(self, operation):
        """Recall managers import only if they may also edit products
        (the import writes the products)."""
        allowed = super(MeddevGtinImport, self)._import_allowed(operation)
        if allowed and not (operation == 'template'
                            and self.env.user.has_group(USER_GROUP)):
            allowed = self.env['product.template'].check_access_rights(
                'write', raise_exception=False)
        return allowed

    def _import_refusal_text(self, company):
        return _('Only a recall manager who may edit products imports the '
                 'products\' UDI-DIs (traceability users may download the '
                 'template).')

    def _import_label_overrides(self):
        return {'id': _('Product ID'),
                'default_code': _('Internal Reference'),
                'name': _('Product')}

    def _import_template_name(self):
        return 'gtin_template', _('GTIN')

    def _import_template_hint(self):
        return _('One row per product, found by its Product ID when given '
                 '(the exported rows carry it), else by its internal '
                 'reference, else by its exact name. UDI-DI: the GTIN-8, -12, '
                 '-13 or -14 of the label\'s AI (01), check digit included '
                 '(stored as a GTIN-14); keep the cell as text so that '
                 'leading zeros stay.')

    def _import_template_rows(self):
        """The products that have a UDI-DI, by internal reference, with
        their ID: names and references need not be unique, the ID makes
        the exported file import back to the same products."""
        if not self.with_current:
            return []
        products = self.env['product.template'].search(
            [('udi_di', '!=', False)], order='default_code, name, id')
        return [[str(product.id), product.default_code or '', product.name,
                 product.udi_di] for product in products]

    def _import_row_key(self, vals):
        return vals.get('product_id')

    def _import_duplicate_text(self, row):
        return _('the same product as row %(row)s') % {'row': row}

    def _import_check_row(self, cells, reasons):
        """Return {'product_id', 'udi_di'} of one row; append why it cannot
        be imported."""
        return {'product_id': self._row_product(cells, reasons),
                'udi_di': self._row_gtin(cells.get('udi_di'), reasons)}

    def _import_check_existing(self, values):
        """Refuse a GTIN given to two products of the file, or held by a
        product the file does not change: one search for the whole
        file."""
        errors = []
        first_row = {}
        for row, vals in values:
            code = vals['udi_di']
            if code in first_row:
                errors.append((row, _(
                    'the UDI-DI %(code)s is also given on row %(row)s') % {
                        'code': code, 'row': first_row[code]}))
            else:
                first_row[code] = row
        product_ids = set(vals['product_id'] for _row, vals in values)
        # Every product counts, archived ones and those of other
        # companies too: the UDI-DI must stay unique (sudo only to say so).
        holders = self.env['product.template'].sudo().with_context(
            active_test=False).search([('udi_di', 'in', list(first_row))])
        for holder in holders.filtered(
                lambda product: product.id not in product_ids):
            errors.append((first_row[holder.udi_di], _(
                'the UDI-DI %(code)s is already the one of %(product)s') % {
                    'code': holder.udi_di, 'product': holder.display_name}))
        return errors

    def _import_load(self, values):
        """Write the UDI-DIs through Odoo's import (the product's own
        checks run again there)."""
        data = [[str(vals['product_id']), vals['udi_di']] for vals in values]
        return self.env['product.template'].load(['.id', 'udi_di'], data)

    def _import_done_text(self, count):
        return _('UDI-DIs of %(count)s products imported.') % {
            'count': count}

    def _import_done(self, ids):
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported UDI-DIs'),
            'res_model': 'product.template',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', ids)],
        }

    # ------------------------------------------------------------------
    # Row checks
    # ------------------------------------------------------------------

    def _row_product(self, cells, reasons):
        """Return the id of the row's product, by its ID when given, else
        by its internal reference, else by its exact name."""
        record_id = (cells.get('record_id') or '').strip()
        if record_id:
            return self._row_product_by_id(record_id, reasons)
        ref = (cells.get('reference') or '').strip()
        name = (cells.get('product') or '').strip()
        products = self.env['product.template']
        if ref:
            found = products.search([('default_code', '=', ref)])
            label = _('internal reference "%(ref)s"') % {'ref': ref}
        elif name:
            found = products.search([('name', '=', name)])
            label = '"%s"' % name
        else:
            reasons.append(_('no product given'))
            return None
        if not found:
            reasons.append(_('unknown product %(product)s') % {
                'product': label})
        elif len(found) > 1:
            reasons.append(
                _('%(count)s products match %(product)s: give the internal '
                  'reference') % {'count': len(found), 'product': label})
        else:
            return found.id
        return None

    def _row_product_by_id(self, text, reasons):
        """Return the product of the ID ``text`` (an exported row), if the
        user may read it."""
        product = None
        if text.isdigit() and all(char in '0123456789' for char in text):
            product = self.env['product.template'].search(
                [('id', '=', int(text))])
        if not product:
            reasons.append(_('unknown product ID "%(id)s"') % {'id': text})
            return None
        return product.id

    def _row_gtin(self, text, reasons):
        """Return the GTIN-14 of the cell ``text``; append why it is not a
        GTIN (empty, not digits, length, check digit)."""
        code = unicodedata.normalize('NFKC', text or '').strip()
        if not code:
            reasons.append(_('no UDI-DI given'))
            return None
        # ASCII digits only (str.isdigit takes other scripts' digits too).
        if any(char not in '0123456789' for char in code):
            reasons.append(
                _('UDI-DI "%(code)s" holds characters other than digits') % {
                    'code': text})
            return None
        if len(code) not in (8, 12, 13, 14):
            reasons.append(
                _('UDI-DI "%(code)s" has %(count)s digits: a GTIN has 8, 12, '
                  '13 or 14') % {'code': text, 'count': len(code)})
            return None
        expected = gs1_check_digit(code[:-1])
        if expected != code[-1]:
            reasons.append(
                _('UDI-DI "%(code)s" has the check digit %(digit)s, '
                  'expected %(expected)s (a typing error?)') % {
                    'code': text, 'digit': code[-1], 'expected': expected})
            return None
        return code.zfill(14)
