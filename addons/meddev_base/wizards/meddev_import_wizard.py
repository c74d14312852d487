import base64

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import xlsx_sheet

# Header languages a file may use, whatever the importing user's.
HEADER_LANGS = ('en_US', 'zh_CN')


class MeddevImportWizard(models.AbstractModel):
    """Go-live import of an XLSX template, shared by the suite's import
    wizards: the template download (headers in the user's language, a note
    giving them in English and Chinese), a dry run that checks every row and
    names each bad one with its reason, and the import through Odoo's
    ``load()`` of a file without bad rows only, in one go.

    A concrete wizard sets ``_import_model`` and ``_import_columns`` and
    implements ``_import_check_row``; it names who may use it in
    ``_import_manager_group`` / ``_import_export_group`` and sets
    ``_import_in_company`` when it works in the user's company
    (``company_id``); the other ``_import_*`` methods are hooks with
    defaults. A wizard redefines only the attributes of ``company_id`` and
    ``with_current`` that differ (their help, say)."""

    _name = 'meddev.import.wizard'
    _inherit = ['meddev.wizard.mixin']
    _description = 'MedDev XLSX Import'

    # Target model of the import, and the template's columns in order:
    # (key, field of the target model whose label is the header).
    _import_model = None
    _import_columns = []
    # Keys of the columns that the header row must hold.
    _import_required = ()
    # Who may use the import (group xml ids; None: whoever may open the
    # wizard): the group that checks and imports the file, and the group
    # whose members may also download the template (an export, with the
    # current records when ``with_current`` is set).
    _import_manager_group = None
    _import_export_group = None
    # Whether the import works in one company, ``company_id``: checked to
    # be one the user works in (the rows are written with the module's
    # rights, and a client may send any company).
    _import_in_company = False

    company_id = fields.Many2one(
        'res.company', string='Company', readonly=True,
        default=lambda self: self.env.user.company_id,
        help="The records are imported into and exported from this "
             "company (the one you work in).")
    with_current = fields.Boolean(
        string='Template with Current Records',
        help="Fill the downloaded template with the current records, to "
             "edit and import back.")

    data_file = fields.Binary(string='XLSX File')
    filename = fields.Char()
    report = fields.Text(readonly=True)
    row_count = fields.Integer(readonly=True)
    error_count = fields.Integer(readonly=True)
    state = fields.Selection(
        [('draft', 'Draft'), ('checked', 'Checked'), ('done', 'Done')],
        default='draft')
    template_file = fields.Binary(string='Template', readonly=True)
    template_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _import_check_access(self, operation):
        """Raise AccessError when the user may not run ``operation``:
        'check' (the dry run), 'import' or 'template' (the download): the
        wizard's company first (``_import_in_company``), then the user's
        groups (``_import_allowed``)."""
        company = self._import_company() if self._import_in_company \
            else self.env['res.company']
        if not self._import_allowed(operation):
            raise AccessError(self._import_refusal_text(company))
        return True

    def _import_allowed(self, operation):
        """Whether the user's groups let them run ``operation``: members
        of ``_import_export_group`` download the template, members of
        ``_import_manager_group`` do everything."""
        user = self.env.user
        if operation == 'template' and self._import_export_group and \
                user.has_group(self._import_export_group):
            return True
        return not self._import_manager_group or \
            user.has_group(self._import_manager_group)

    def _import_refusal_text(self, company):
        """Return why the user may not use this import (``company``: the
        wizard's, when it works in one)."""
        # sudo: the names of groups and of a model, told to every user.
        groups = self.env['res.groups'].sudo()
        text = _('Only a member of "%(group)s" may use the %(import)s.') % {
            'group': groups.env.ref(self._import_manager_group).full_name,
            'import': self.env['ir.model'].sudo()._get(self._name).name}
        if self._import_export_group:
            text += ' ' + _('Members of "%(group)s" may download the '
                            'template.') % {'group': groups.env.ref(
                                self._import_export_group).full_name}
        return text

    def _import_company(self):
        """Return the wizard's company, which must be one the user works
        in (a company sent by the client is checked here)."""
        company = self.company_id or self.env.user.company_id
        if company not in self.env.user.company_ids:
            raise AccessError(
                _('You do not work in %(company)s: its records cannot be '
                  'imported or exported by you (%(import)s).') % {
                    'company': company.sudo().name,
                    'import': self.env['ir.model'].sudo()._get(
                        self._name).name})
        return company

    def _import_label_overrides(self):
        """Return {field: header} for the columns whose header is not the
        field's label (translated with ``_()`` in the language of the
        context)."""
        return {}

    def _import_check_row(self, cells, reasons):
        """Return the values of one row ({column key: text} in ``cells``);
        append to ``reasons`` every reason why it cannot be imported."""
        raise NotImplementedError()

    def _import_row_key(self, vals):
        """Return what makes a row unique in a file (two rows with the same
        key are refused), or None for no such check."""
        return None

    def _import_duplicate_text(self, row):
        """Return why a row repeats the record of an earlier ``row``."""
        return _('the same record as row %(row)s') % {'row': row}

    def _import_check_existing(self, values):
        """Return (row number, reason) for good rows (``values``: [(row
        number, vals)]) that the database refuses, e.g. already recorded;
        one search for the whole file."""
        return []

    def _import_load(self, values):
        """Write the rows (a list of vals) through Odoo's ``load()`` and
        return its result ({'ids': [...], 'messages': [...]})."""
        raise NotImplementedError()

    def _import_done(self, ids):
        """Return the action that shows the imported records."""
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported Records'),
            'res_model': self._import_model,
            'view_mode': 'tree,form',
            'domain': [('id', 'in', ids)],
        }

    def _import_done_text(self, count):
        return _('%(count)s rows imported.') % {'count': count}

    def _import_template_name(self):
        """Return the file name (without extension) and the sheet name of
        the template."""
        return 'import_template', _('Import')

    def _import_template_hint(self):
        """Return the format note added to every header's comment."""
        return ''

    def _import_template_rows(self):
        """Return the data rows written under the template's header (the
        existing records, for an export that imports back), [] for an
        empty template."""
        return []

    # ------------------------------------------------------------------
    # Reading and checking the file
    # ------------------------------------------------------------------

    def _import_labels(self, lang=None):
        """Return {field: label} of the template's columns in ``lang`` (the
        user's when None)."""
        model = self.env[self._import_model]
        if lang:
            model = model.with_context(lang=lang)
        names = [name for _key, name in self._import_columns]
        labels = {name: description['string'] for name, description
                  in model.fields_get(names, ['string']).items()}
        labels.update((self.with_context(lang=lang) if lang else self)
                      ._import_label_overrides())
        return labels

    @api.model
    def _import_header_aliases(self):
        """Return {lower-case header: column key}: the field labels in
        English and Chinese (those of the template and of Odoo's import)
        and the technical field names."""
        aliases = {}
        for lang in HEADER_LANGS:
            labels = self._import_labels(lang)
            for key, name in self._import_columns:
                aliases[labels[name].lower()] = key
        for key, name in self._import_columns:
            aliases[name] = key
        return aliases

    def _import_file_name(self):
        return self.filename or _('The file')

    def _import_rows(self):
        """Return the header row, the data rows of the file and the cell
        problems by row number (see ``xlsx_sheet.read_sheet``)."""
        self.ensure_one()
        name = self._import_file_name()
        if not self.data_file:
            raise UserError(_('Choose the XLSX file to check first.'))
        try:
            rows, problems = xlsx_sheet.read_sheet(
                base64.b64decode(self.data_file))
        except xlsx_sheet.SheetLimitError as error:
            raise UserError(self._import_limit_text(name, error))
        except (ValueError, OverflowError) as error:
            raise UserError(
                _('%(file)s is not an XLSX file: %(error)s') % {
                    'file': name, 'error': error})
        if not rows:
            raise UserError(_('%(file)s is empty.') % {'file': name})
        if len(rows) == 1:
            raise UserError(
                _('%(file)s has a header row but no data rows: fill in one '
                  'row per record under the header.') % {'file': name})
        return rows[0][1], rows[1:], problems

    def _import_limit_text(self, name, error):
        megabytes = 1024 * 1024
        texts = {
            'size': _('%(file)s is %(value)s MB: the import takes files up '
                      'to %(limit)s MB. Split it into several files.'),
            'unpacked': _('%(file)s unpacks to %(value)s MB of sheet data: '
                          'the import takes up to %(limit)s MB. Split it '
                          'into several files.'),
            'rows': _('%(file)s has %(value)s rows: the import takes up to '
                      '%(limit)s rows per file. Split it into several '
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
            'count': len(self._import_columns)}

    def _import_check_all(self):
        """Return (values, errors): the values of every good row, and (row
        number, reason) for every problem of every bad row."""
        headers, rows, problems = self._import_rows()
        columns, unknown, duplicates = xlsx_sheet.map_columns(
            headers, self._import_header_aliases())
        missing = [key for key in self._import_required
                   if key not in columns]
        if missing or unknown:
            raise UserError(
                _('The header row of %(file)s does not match the template '
                  '(missing: %(missing)s; unknown: %(unknown)s).') % {
                    'file': self.filename or _('the file'),
                    'missing': ', '.join(missing) or '-',
                    'unknown': ', '.join(unknown) or '-'})
        if duplicates:
            raise UserError(
                _('The header row of %(file)s has the same column twice '
                  '(%(columns)s): keep one of them.') % {
                    'file': self.filename or _('the file'),
                    'columns': ', '.join(duplicates)})
        values = []
        errors = []
        seen = {}
        for row_number, row in rows:
            cells = {key: row[index] if index < len(row) else ''
                     for key, index in columns.items()}
            # A cell that holds an error or an unsaved formula is named;
            # the row's other checks would only echo it ("no partner").
            reasons = self._import_cell_reasons(
                headers, row_number, problems.get(row_number, []))
            vals = {} if reasons else self._import_check_row(cells, reasons)
            key = None if reasons else self._import_row_key(vals)
            if key is not None and key in seen:
                reasons.append(self._import_duplicate_text(seen[key]))
            elif key is not None:
                seen[key] = row_number
            if reasons:
                errors += [(row_number, reason) for reason in reasons]
            else:
                values.append((row_number, vals))
        errors += self._import_check_existing(values)
        bad_rows = set(row for row, _reason in errors)
        errors.sort(key=lambda error: error[0])
        return ([vals for row, vals in values if row not in bad_rows],
                errors)

    def _import_cell_reasons(self, headers, row_number, problems):
        """Return why the cells of one row cannot be read: an Excel error
        or a formula whose value the file does not hold."""
        reasons = []
        for problem in problems:
            cell = '%s%s' % (xlsx_sheet.column_name(problem.column),
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

    def _import_error_lines(self, errors):
        line = _('Row %(row)s: %(reason)s')
        return '\n'.join(line % {'row': row, 'reason': reason}
                         for row, reason in errors)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    @api.multi
    def action_check(self):
        """Dry run: check every row, write nothing, list the bad rows."""
        self.ensure_one()
        self._import_check_access('check')
        values, errors = self._import_check_all()
        if errors:
            report = self._import_error_lines(errors)
        else:
            report = _('%(count)s rows are ready to import.') % {
                'count': len(values)}
        bad_rows = len(set(row for row, _reason in errors))
        self.write({
            'state': 'checked', 'report': report,
            'row_count': len(values) + bad_rows,
            'error_count': bad_rows,
        })
        return self._reopen()

    @api.multi
    def action_import(self):
        """Import every row through Odoo's import, after the same check as
        the dry run: one bad row and nothing is written."""
        self.ensure_one()
        self._import_check_access('import')
        values, errors = self._import_check_all()
        if errors:
            raise UserError(
                _('Nothing was imported from %(file)s:\n%(rows)s') % {
                    'file': self.filename or _('the file'),
                    'rows': self._import_error_lines(errors)})
        result = self._import_load(values)
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
                    'report': self._import_done_text(len(result['ids']))})
        return self._import_done(result['ids'])

    def _import_template_content(self):
        """Return the XLSX template (bytes): headers in the user's
        language (what Odoo's import recognises), each with a note giving
        the English and Chinese labels and the format, then the rows of
        ``_import_template_rows``."""
        self._import_check_access('template')
        names = [name for _key, name in self._import_columns]
        labels = self._import_labels()
        others = [self._import_labels(lang) for lang in HEADER_LANGS]
        hint = self._import_template_hint()
        notes = [' / '.join([other[name] for other in others]
                            + ([hint] if hint else []))
                 for name in names]
        sheet_name = self._import_template_name()[1]
        return xlsx_sheet.write_workbook(
            sheet_name, [labels[name] for name in names], notes,
            self._import_template_rows())

    @api.multi
    def action_download_template(self):
        """Download the XLSX template of this import."""
        self.ensure_one()
        filename = '%s.xlsx' % self._import_template_name()[0]
        self.write({
            'template_file': base64.b64encode(
                self._import_template_content()),
            'template_filename': filename})
        return {
            'type': 'ir.actions.act_url',
            'target': 'self',
            'url': '/web/content/?model=%s&id=%s&field=template_file'
                   '&filename_field=template_filename&download=true' % (
                       self._name, self.id),
        }
