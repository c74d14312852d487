import pytz

from odoo import _, fields, models

from odoo.addons.meddev_base.tools import xlsx_sheet

from ..import_cells import gtin_candidates, match_choice, parse_moment

# Columns of the template, in order: key, field of meddev.complaint.
COLUMNS = [
    ('partner', 'partner_id'),
    ('product', 'product_id'),
    ('lot', 'lot_id'),
    ('received', 'received_date'),
    ('awareness', 'awareness_date'),
    ('country', 'country_id'),
    ('channel', 'channel'),
    ('outcome', 'patient_outcome'),
    ('patient', 'patient_involved'),
    ('description', 'description'),
]
REQUIRED = ('product', 'awareness', 'description')
USER_GROUP = 'meddev_quality_capa.group_meddev_quality_capa_user'
CHOICE_LANGS = ('en_US', 'zh_CN')
# How a moment is written in the template (in the company's time zone).
MOMENT_FORMAT = '%Y-%m-%d %H:%M'


class MeddevComplaintImport(models.TransientModel):
    """Complaints still open in the previous system brought in at go-live
    from the XLSX template, in the company the user works in: every row is
    checked first (dry run) and each bad row named with its reason (unknown
    product or GTIN, a lot or serial of another product, an awareness date
    in the future, an unknown jurisdiction...); only a file without bad
    rows is written, in one go, through Odoo's import (``load``), so the
    complaints go through intake as if typed in (numbers, clusters,
    trends). The template can be exported with the company's open
    complaints. File, dry run and template are meddev_base's
    (``meddev.import.wizard``)."""

    _name = 'meddev.complaint.import'
    _inherit = ['meddev.import.wizard']
    _description = 'Open Complaint Import'

    _import_model = 'meddev.complaint'
    _import_columns = COLUMNS
    _import_required = REQUIRED
    # Quality users take complaints in: they check, import and download
    # the template.
    _import_manager_group = USER_GROUP
    _import_in_company = True

    company_id = fields.Many2one(
        help="The complaints are imported into this company (the one you "
             "work in); their dates are read in its time zone.")
    with_current = fields.Boolean(
        string='Template with Open Complaints',
        help="Fill the downloaded template with this company's open "
             "complaints (as an example, or to compare with the previous "
             "system: importing them again is refused as a duplicate).")

    # ------------------------------------------------------------------
    # Hooks of meddev.import.wizard
    # ------------------------------------------------------------------

    def _import_label_overrides(self):
        return {'product_id': _('Product (GTIN or Internal Reference)')}

    def _import_template_name(self):
        return 'open_complaints_template', _('Open Complaints')

    def _import_template_hint(self):
        return _('One row per complaint. Product by its GTIN (UDI-DI), '
                 'barcode or internal reference; Lot/Serial of that product; '
                 'dates as 2026-03-01 or 2026-03-01 10:30 in the company\'s '
                 'time zone, awareness not in the future, received no later '
                 'than awareness (empty: the awareness date); Event Country '
                 'by its code (CN) or name (empty: the customer\'s); '
                 'Channel and Outcome by their label; Patient Involved yes '
                 'or no.')

    def _import_template_rows(self):
        """The company's open complaints, oldest first."""
        if not self.with_current:
            return []
        company = self._import_company()
        complaints = self.env['meddev.complaint'].search([
            ('company_id', '=', company.id),
            ('state', 'not in', ('closed', 'cancel'))],
            order='awareness_date, id')
        channels = dict(self._selection('channel'))
        outcomes = dict(self._selection('patient_outcome'))
        return [[
            complaint.partner_id.name or '',
            self._product_code(complaint.product_id),
            complaint.lot_id.name or '',
            self._local_text(complaint.received_date),
            self._local_text(complaint.awareness_date),
            complaint.country_id.code or '',
            channels.get(complaint.channel, ''),
            outcomes.get(complaint.patient_outcome, ''),
            _('yes') if complaint.patient_involved else _('no'),
            complaint.description or '',
        ] for complaint in complaints]

    def _import_row_key(self, vals):
        return (vals['partner_id'], vals['product_id'], vals['lot_id'],
                vals['awareness_date'])

    def _import_duplicate_text(self, row):
        return _('the same complaint as row %(row)s') % {'row': row}

    def _import_check_existing(self, values):
        """Refuse rows already recorded: a complaint of the company with
        the same customer, product, lot and awareness date (one search for
        the whole file)."""
        if not values:
            return []
        company = self._import_company()
        dates = list(set(vals['awareness_date'] for _row, vals in values))
        existing = {}
        for complaint in self.env['meddev.complaint'].sudo().search([
                ('company_id', '=', company.id),
                ('awareness_date', 'in', dates)]):
            existing[(complaint.partner_id.id or False,
                      complaint.product_id.id or False,
                      complaint.lot_id.id or False,
                      complaint.awareness_date)] = complaint.name
        text = _('already recorded as %(name)s')
        return [(row, text % {'name': existing[self._import_row_key(vals)]})
                for row, vals in values
                if self._import_row_key(vals) in existing]

    def _import_check_row(self, cells, reasons):
        """Return the complaint's values of one row; append why it cannot
        be imported."""
        product = self._row_product(cells, reasons)
        vals = {
            'partner_id': self._row_partner(cells, reasons),
            'product_id': product.id or False,
            'lot_id': self._row_lot(cells, product, reasons),
            'country_id': self._row_country(cells, reasons),
            'description': (cells.get('description') or '').strip(),
        }
        if not vals['country_id'] and vals['partner_id']:
            # As on a complaint typed in: the customer's country.
            vals['country_id'] = self.env['res.partner'].browse(
                vals['partner_id']).country_id.id or False
        if not vals['description']:
            reasons.append(_('no event description'))
        vals.update(self._row_dates(cells, reasons))
        for key, name in (('channel', 'channel'),
                          ('outcome', 'patient_outcome')):
            vals[name] = self._row_choice(cells, key, name, reasons)
        try:
            vals['patient_involved'] = xlsx_sheet.parse_bool(
                cells.get('patient'))
        except ValueError:
            reasons.append(_('patient involved "%(value)s" is not yes or '
                             'no') % {'value': cells.get('patient')})
        return vals

    def _import_load(self, values):
        """Create the complaints through Odoo's import, in the wizard's
        company; dates are given in UTC."""
        company = self._import_company()
        complaints = self.env['meddev.complaint'].with_context(
            tz='UTC', force_company=company.id)
        names = ['partner_id/.id', 'product_id/.id', 'lot_id/.id',
                 'received_date', 'awareness_date', 'country_id/.id',
                 'channel', 'patient_outcome', 'patient_involved',
                 'description', 'company_id/.id']
        data = []
        for vals in values:
            data.append([
                str(vals['partner_id'] or ''), str(vals['product_id']),
                str(vals['lot_id'] or ''), vals['received_date'],
                vals['awareness_date'], str(vals['country_id'] or ''),
                vals['channel'] or 'phone',
                vals['patient_outcome'] or 'no_harm',
                '1' if vals['patient_involved'] else '0',
                vals['description'], str(company.id)])
        return complaints.load(names, data)

    def _import_done_text(self, count):
        return _('%(count)s open complaints imported in %(company)s.') % {
            'count': count, 'company': self._import_company().name}

    def _import_done(self, ids):
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported Complaints'),
            'res_model': 'meddev.complaint',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', ids)],
        }

    # ------------------------------------------------------------------
    # Row checks
    # ------------------------------------------------------------------

    def _selection(self, name, lang=None):
        model = self.env['meddev.complaint']
        if lang:
            model = model.with_context(lang=lang)
        return model._fields[name]._description_selection(model.env)

    def _row_choice(self, cells, key, name, reasons):
        labels = {}
        for lang in CHOICE_LANGS:
            for code, label in self._selection(name, lang):
                labels.setdefault(code, []).append(label)
        try:
            return match_choice(cells.get(key), list(labels.items()))
        except ValueError:
            reasons.append(_('%(column)s "%(value)s" is not one of '
                             '%(choices)s') % {
                'column': self._import_labels()[name],
                'value': cells.get(key),
                'choices': ', '.join(label for _code, label
                                     in self._selection(name))})
        return None

    def _product_code(self, product):
        return product.udi_di or product.barcode or \
            product.default_code or ''

    def _row_product(self, cells, reasons):
        """Return the row's product: by its GTIN (UDI-DI), barcode or
        internal reference."""
        text = (cells.get('product') or '').strip()
        products = self.env['product.product']
        if not text:
            reasons.append(_('no product given'))
            return products
        # A GTIN-8, -12 or -13 is stored as its GTIN-14 (leading zeros).
        codes = gtin_candidates(text)
        found = products.search([
            '|', '|', ('udi_di', 'in', codes), ('barcode', 'in', codes),
            ('default_code', '=', text)])
        if not found:
            reasons.append(_('unknown product or GTIN "%(code)s"') % {
                'code': text})
        elif len(found) > 1:
            reasons.append(_('%(count)s products match "%(code)s": give '
                             'its GTIN') % {'count': len(found),
                                            'code': text})
        else:
            return found
        return products

    def _row_lot(self, cells, product, reasons):
        """Return the id of the row's lot or serial, which must be one of
        the product's."""
        name = (cells.get('lot') or '').strip()
        if not name:
            return False
        lots = self.env['stock.production.lot'].search(
            [('name', '=', name)])
        if not lots:
            reasons.append(_('unknown lot or serial "%(lot)s"') % {
                'lot': name})
            return False
        mine = lots.filtered(lambda lot: lot.product_id == product)
        if product and not mine:
            reasons.append(_('lot or serial "%(lot)s" is not of %(product)s '
                             'but of %(others)s') % {
                'lot': name, 'product': product.display_name,
                'others': ', '.join(lots.mapped('product_id.display_name'))})
            return False
        return mine[:1].id

    def _row_partner(self, cells, reasons):
        """Return the id of the row's customer (a commercial partner), by
        its exact name; none given is allowed (an anonymous report)."""
        name = (cells.get('partner') or '').strip()
        if not name:
            return False
        partners = self.env['res.partner'].search(
            [('parent_id', '=', False), ('name', '=', name)])
        if not partners:
            reasons.append(_('unknown customer "%(customer)s"') % {
                'customer': name})
        elif len(partners) > 1:
            reasons.append(_('%(count)s customers are named "%(customer)s"')
                           % {'count': len(partners), 'customer': name})
        else:
            return partners.id
        return False

    def _row_country(self, cells, reasons):
        """Return the id of the event's country (the jurisdiction that
        treats it as domestic), by its code or its name in English or
        Chinese."""
        text = (cells.get('country') or '').strip()
        if not text:
            return False
        countries = self.env['res.country']
        found = countries.browse()
        if len(text) == 2:
            found = countries.search([('code', '=', text.upper())])
        for lang in CHOICE_LANGS:
            found = found or countries.with_context(lang=lang).search(
                [('name', '=ilike', text)])
        if len(found) != 1:
            reasons.append(_('unknown jurisdiction "%(country)s"') % {
                'country': text})
            return False
        return found.id

    def _row_dates(self, cells, reasons):
        """Return the received and awareness dates in UTC (strings), read
        in the company's time zone: awareness not in the future, received
        no later than awareness."""
        moments = {}
        for key, label in (('awareness', _('awareness date')),
                           ('received', _('received date'))):
            text = cells.get(key)
            try:
                moments[key] = self._utc_text(parse_moment(text))
            except ValueError:
                reasons.append(_('%(label)s "%(value)s" is not a date') % {
                    'label': label, 'value': text})
                moments[key] = None
        awareness = moments['awareness']
        received = moments['received'] or awareness
        now = fields.Datetime.now()
        if not awareness and not (cells.get('awareness') or '').strip():
            reasons.append(_('no awareness date'))
        if awareness and awareness > now:
            reasons.append(_('awareness date %(date)s is in the future') % {
                'date': cells.get('awareness')})
        if received and awareness and received > awareness:
            reasons.append(_('received date %(received)s is after the '
                             'awareness date %(awareness)s') % {
                'received': cells.get('received'),
                'awareness': cells.get('awareness')})
        return {'received_date': received, 'awareness_date': awareness}

    def _utc_text(self, moment):
        if moment is None:
            return None
        tz = self._import_company()._meddev_quality_tz()
        return fields.Datetime.to_string(
            tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None))

    def _local_text(self, value):
        if not value:
            return ''
        tz = self._import_company()._meddev_quality_tz()
        return pytz.utc.localize(fields.Datetime.from_string(value)) \
            .astimezone(tz).strftime(MOMENT_FORMAT)
