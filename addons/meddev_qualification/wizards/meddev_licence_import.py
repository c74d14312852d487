import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import licence_import_file, uscc

# Columns of the template, in order: key, field of meddev.partner.licence.
COLUMNS = [
    ('partner', 'partner_id'),
    ('licence_type', 'licence_type_id'),
    ('number', 'number'),
    ('holder_name', 'holder_name'),
    ('credit_code', 'credit_code'),
    ('valid_from', 'valid_from'),
    ('valid_to', 'valid_to'),
    ('long_term', 'long_term'),
]
REQUIRED = ('partner', 'licence_type', 'number')
# Header languages the file may use, whatever the importing user's.
HEADER_LANGS = ('en_US', 'zh_CN')


class MeddevLicenceImport(models.TransientModel):
    """Existing partner licences brought in at go-live from the XLSX
    template: every row is checked first (dry run) and each bad row named
    with its reason; only a file without bad rows is imported, in one go,
    through Odoo's import (``load``), as draft licences to review."""

    _name = 'meddev.licence.import'
    _inherit = ['meddev.wizard.mixin']
    _description = 'Partner Licence Import'

    data_file = fields.Binary(string='XLSX File', required=True)
    filename = fields.Char()
    report = fields.Text(readonly=True)
    row_count = fields.Integer(readonly=True)
    error_count = fields.Integer(readonly=True)
    state = fields.Selection(
        [('draft', 'Draft'), ('checked', 'Checked'), ('done', 'Done')],
        default='draft')

    @api.model
    def header_aliases(self):
        """Return {lower-case header: column key}: the field labels in
        English and Chinese (those of the template and of Odoo's import)
        and the technical field names."""
        licences = self.env['meddev.partner.licence']
        names = [name for _key, name in COLUMNS]
        aliases = {}
        for lang in HEADER_LANGS:
            labels = licences.with_context(lang=lang).fields_get(
                names, ['string'])
            for key, name in COLUMNS:
                aliases[labels[name]['string'].lower()] = key
        for key, name in COLUMNS:
            aliases[name] = key
        return aliases

    def _rows(self):
        """Return the header row, the data rows of the file and the cell
        problems by row number (see ``licence_import_file.read_sheet``)."""
        self.ensure_one()
        name = self.filename or _('The file')
        try:
            rows, problems = licence_import_file.read_sheet(
                base64.b64decode(self.data_file or b''))
        except licence_import_file.SheetLimitError as error:
            raise UserError(self._limit_text(name, error))
        except ValueError as error:
            raise UserError(
                _('%(file)s is not an XLSX file: %(error)s') % {
                    'file': name, 'error': error})
        if not rows:
            raise UserError(_('%(file)s is empty.') % {'file': name})
        if len(rows) == 1:
            raise UserError(
                _('%(file)s has a header row but no licence rows: fill in '
                  'one row per licence under the header.') % {'file': name})
        return rows[0][1], rows[1:], problems

    def _limit_text(self, name, error):
        megabytes = 1024 * 1024
        texts = {
            'size': _('%(file)s is %(value)s MB: the import takes files up '
                      'to %(limit)s MB. Split it into several files.'),
            'unpacked': _('%(file)s unpacks to %(value)s MB of sheet data: '
                          'the import takes up to %(limit)s MB. Split it '
                          'into several files.'),
            'rows': _('%(file)s has %(value)s rows: the import takes up to '
                      '%(limit)s licences per file. Split it into several '
                      'files.'),
            'columns': _('%(file)s has %(value)s columns: the template has '
                         '%(count)s, the import reads up to %(limit)s.'),
        }
        in_mb = error.kind in ('size', 'unpacked')
        return texts[error.kind] % {
            'file': name,
            'value': round(error.value / megabytes, 1) if in_mb
            else error.value,
            'limit': error.limit // megabytes if in_mb else error.limit,
            'count': len(COLUMNS)}

    def check_rows(self):
        """Return (values, errors): the field values of every good row, and
        (row number, reason) for every problem of every bad row."""
        headers, rows, problems = self._rows()
        columns, unknown = licence_import_file.map_columns(
            headers, self.header_aliases())
        missing = [key for key in REQUIRED if key not in columns]
        if missing or unknown:
            raise UserError(
                _('The header row of %(file)s does not match the template '
                  '(missing: %(missing)s; unknown: %(unknown)s).') % {
                    'file': self.filename or _('the file'),
                    'missing': ', '.join(missing) or '-',
                    'unknown': ', '.join(unknown) or '-'})
        values = []
        errors = []
        seen = {}
        for row_number, row in rows:
            cells = {key: row[index] if index < len(row) else ''
                     for key, index in columns.items()}
            # A cell that holds an error or an unsaved formula is named;
            # the row's other checks would only echo it ("no partner").
            reasons = self._cell_reasons(
                headers, row_number, problems.get(row_number, []))
            vals = {} if reasons else self._row_values(cells, reasons)
            key = (vals.get('partner_id'), vals.get('licence_type_id'),
                   vals.get('number'))
            if all(key) and key in seen:
                reasons.append(_('the same licence as row %(row)s') % {
                    'row': seen[key]})
            elif all(key):
                seen[key] = row_number
            if reasons:
                errors += [(row_number, reason) for reason in reasons]
            else:
                values.append((row_number, vals))
        errors += self._recorded_already(values)
        bad_rows = set(row for row, _reason in errors)
        errors.sort(key=lambda error: error[0])
        return ([vals for row, vals in values if row not in bad_rows],
                errors)

    def _cell_reasons(self, headers, row_number, problems):
        """Reasons for the cells of a row holding an Excel error or a
        formula without saved value."""
        reasons = []
        for problem in problems:
            cell = '%s%s' % (licence_import_file.column_name(problem.column),
                             row_number)
            header = headers[problem.column] \
                if problem.column < len(headers) else ''
            label = header and '%s (%s)' % (cell, header) or cell
            if problem.kind == 'error':
                reasons.append(_('cell %(cell)s holds the error %(error)s') % {
                    'cell': label, 'error': problem.detail})
            else:
                reasons.append(
                    _('cell %(cell)s holds a formula without a saved value: '
                      'open the file in Excel or WPS and save it, or paste '
                      'the values instead of the formulas') % {'cell': label})
        return reasons

    def _recorded_already(self, values):
        """(row number, reason) for the rows whose licence (partner, type,
        number) is already recorded; one search for the whole file."""
        numbers = list(set(vals['number'] for _row, vals in values))
        existing = {}
        for licence in self.env['meddev.partner.licence'].search(
                [('number', 'in', numbers)]):
            existing[(licence.partner_id.id, licence.licence_type_id.id,
                      licence.number)] = licence
        states = dict(self.env['meddev.partner.licence']._fields[
            'state']._description_selection(self.env))
        errors = []
        for row, vals in values:
            licence = existing.get((vals['partner_id'],
                                    vals['licence_type_id'], vals['number']))
            if licence:
                errors.append((row, _(
                    'licence %(number)s of %(partner)s is already recorded '
                    '(%(state)s)') % {
                        'number': licence.number,
                        'partner': licence.partner_id.display_name,
                        'state': states.get(licence.state, licence.state)}))
        return errors

    def _row_values(self, cells, reasons):
        """Return the licence values of one row; append to ``reasons`` why
        it cannot be imported."""
        vals = {}
        partner_name = cells.get('partner')
        partners = self.env['res.partner'].search([
            ('name', '=', partner_name), ('parent_id', '=', False)])
        if not partner_name:
            reasons.append(_('no partner given'))
        elif not partners:
            reasons.append(_('unknown partner "%(name)s"') % {
                'name': partner_name})
        elif len(partners) > 1:
            reasons.append(_('%(count)s partners are named "%(name)s"') % {
                'count': len(partners), 'name': partner_name})
        else:
            vals['partner_id'] = partners.id
        type_name = cells.get('licence_type')
        licence_type = self.env['meddev.licence.type'].search(
            ['|', ('name', '=', type_name), ('code', '=', type_name)],
            limit=1) if type_name else self.env['meddev.licence.type']
        if not licence_type:
            reasons.append(_('unknown licence type "%(name)s"') % {
                'name': type_name or ''})
        else:
            vals['licence_type_id'] = licence_type.id
        number = cells.get('number')
        if not number:
            reasons.append(_('no licence number given'))
        elif licence_type and not licence_type.check_number(number):
            reasons.append(
                _('licence number "%(number)s" does not match the pattern '
                  'of %(type)s%(example)s') % {
                    'number': number, 'type': licence_type.name,
                    'example': licence_type.number_example and _(
                        ' (e.g. %(example)s)') % {
                        'example': licence_type.number_example} or ''})
        vals['number'] = number
        vals['holder_name'] = cells.get('holder_name') or False
        code = cells.get('credit_code')
        if code:
            try:
                vals['credit_code'] = uscc.validate(code)
            except uscc.UsccError as error:
                reasons.append(
                    _('credit code "%(code)s": %(reason)s') % {
                        'code': code,
                        'reason': self.env['meddev.partner.licence']
                        ._uscc_error_text(error)})
        self._row_dates(cells, vals, reasons, licence_type)
        return vals

    def _row_dates(self, cells, vals, reasons, licence_type):
        """Read the validity of one row: real dates, an end date not yet
        past, long-term only where the type allows it."""
        today = fields.Date.from_string(fields.Date.context_today(self))
        dates = {}
        for key, label in (('valid_from', _('valid-from date')),
                           ('valid_to', _('valid-to date'))):
            try:
                dates[key] = licence_import_file.parse_date(cells.get(key))
            except ValueError:
                reasons.append(_('%(label)s "%(value)s" is not a date') % {
                    'label': label, 'value': cells.get(key)})
        try:
            long_term = licence_import_file.parse_bool(cells.get('long_term'))
        except ValueError:
            reasons.append(_('long-term "%(value)s" is neither yes nor no')
                           % {'value': cells.get('long_term')})
            long_term = False
        valid_from, valid_to = dates.get('valid_from'), dates.get('valid_to')
        if long_term and valid_to:
            reasons.append(_('a long-term licence has no valid-to date '
                             '(%(date)s given)') % {'date': valid_to})
        if long_term and licence_type and not licence_type.allow_long_term:
            reasons.append(_('licences of type %(type)s cannot be '
                             'long-term') % {'type': licence_type.name})
        if valid_to and valid_to < today:
            reasons.append(_('valid-to date %(date)s is already past') % {
                'date': valid_to})
        if valid_from and valid_to and valid_to < valid_from:
            reasons.append(_('valid-to date %(to)s is before the valid-from '
                             'date %(from)s') % {
                'to': valid_to, 'from': valid_from})
        vals.update({
            'valid_from': valid_from and fields.Date.to_string(valid_from),
            'valid_to': not long_term and valid_to
            and fields.Date.to_string(valid_to) or False,
            'long_term': long_term,
        })

    @api.multi
    def action_check(self):
        """Dry run: check every row, write nothing, list the bad rows."""
        self.ensure_one()
        values, errors = self.check_rows()
        line = _('Row %(row)s: %(reason)s')
        if errors:
            report = '\n'.join(line % {'row': row, 'reason': reason}
                               for row, reason in errors)
        else:
            report = _('%(count)s rows are ready to import.') % {
                'count': len(values)}
        self.write({
            'state': 'checked', 'report': report,
            'row_count': len(values) + len({row for row, _r in errors}),
            'error_count': len({row for row, _r in errors}),
        })
        return self._reopen()

    @api.multi
    def action_import(self):
        """Import every row as a draft licence, through Odoo's import,
        after the same check as the dry run: one bad row and nothing is
        written."""
        self.ensure_one()
        values, errors = self.check_rows()
        if errors:
            line = _('Row %(row)s: %(reason)s')
            raise UserError(
                _('Nothing was imported from %(file)s:\n%(rows)s') % {
                    'file': self.filename or _('the file'),
                    'rows': '\n'.join(line % {'row': row, 'reason': reason}
                                      for row, reason in errors)})
        names = ['partner_id/.id', 'licence_type_id/.id', 'number',
                 'holder_name', 'credit_code', 'valid_from', 'valid_to',
                 'long_term']
        data = [[str(vals['partner_id']), str(vals['licence_type_id']),
                 vals['number'], vals['holder_name'] or '',
                 vals.get('credit_code') or '', vals['valid_from'] or '',
                 vals['valid_to'] or '', '1' if vals['long_term'] else '0']
                for vals in values]
        result = self.env['meddev.partner.licence'].load(names, data)
        problems = [message for message in result['messages']
                    if message.get('type') == 'error']
        if problems or not result['ids']:
            raise UserError(
                _('Nothing was imported from %(file)s:\n%(rows)s') % {
                    'file': self.filename or _('the file'),
                    'rows': '\n'.join(message['message']
                                      for message in problems)})
        self.write({'state': 'done', 'row_count': len(result['ids']),
                    'error_count': 0,
                    'report': _('%(count)s licences imported as drafts.') % {
                        'count': len(result['ids'])}})
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported Licences'),
            'res_model': 'meddev.partner.licence',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', result['ids'])],
        }

    @api.multi
    def action_download_template(self):
        """Return the XLSX template, headers in the user's language."""
        return self.env.ref(
            'meddev_qualification.licence_import_template_report'
        ).report_action(self)
