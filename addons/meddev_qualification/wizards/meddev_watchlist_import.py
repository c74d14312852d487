import base64
import csv
import io

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import licence_text, uscc
from ..models.meddev_partner_licence import REVIEWER_GROUP


class MeddevWatchlistImport(models.TransientModel):
    """Flag the partners named in a CSV list (a regulator's notice of
    revoked or forged licences): by credit code, else by exact name. Every
    row is reported: flagged, or why not."""

    _name = 'meddev.watchlist.import'
    _description = 'Watchlist Import'

    data_file = fields.Binary(string='CSV File', required=True)
    filename = fields.Char()
    source = fields.Char(
        help="Default source for rows that give none, e.g. the notice's "
             "number.")
    report = fields.Text(readonly=True)
    flagged_count = fields.Integer(readonly=True)
    error_count = fields.Integer(readonly=True)
    state = fields.Selection(
        [('draft', 'Draft'), ('done', 'Done')], default='draft')

    @api.model
    def _decode(self, data):
        """Return the text of the file: UTF-8 (with or without BOM), else
        GB18030 as Chinese spreadsheets export it."""
        for encoding in ('utf-8-sig', 'gb18030'):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UserError(_('The file is neither UTF-8 nor GB18030 text.'))

    @api.model
    def parse_rows(self, text):
        """Return [(line number, row dict)] of the CSV ``text``; it needs a
        header with credit_code and/or name, and reason (source optional)."""
        reader = csv.DictReader(io.StringIO(text))
        try:
            header = [name.strip().lower()
                      for name in reader.fieldnames or []]
            if 'reason' not in header or not (
                    'credit_code' in header or 'name' in header):
                raise UserError(
                    _('The first line must name the columns: credit_code '
                      'and/or name, reason, and optionally source. Found: '
                      '%(header)s.')
                    % {'header': ', '.join(header) or _('nothing')})
            reader.fieldnames = header
            return [(reader.line_num, {
                key: (value or '').strip() for key, value in row.items()
                if key})
                for row in reader]
        except csv.Error as error:
            # A NUL character, or a field beyond the csv module's limit.
            raise UserError(_('The file is not a CSV list: %(error)s.') % {
                'error': error})

    @api.multi
    def action_import(self):
        """Flag the matching partners and write the report."""
        self.ensure_one()
        if not (self.env.user._is_superuser()
                or self.env.user.has_group(REVIEWER_GROUP)):
            raise AccessError(
                _('Only qualification reviewers may import a watchlist.'))
        rows = self.parse_rows(self._decode(base64.b64decode(self.data_file)))
        codes = set()
        for _line, row in rows:
            if row.get('credit_code') and uscc.is_valid(row['credit_code']):
                codes.add(uscc.normalise(row['credit_code']))
        partners = self._partners_by_code(codes)
        names = {row.get('name') for _line, row in rows if row.get('name')}
        by_name = {}
        for partner in self.env['res.partner'].search(
                [('parent_id', '=', False), ('name', 'in', list(names))]):
            by_name.setdefault(partner.name, partner)
        lines, flagged, errors = [], 0, 0
        for line, row in rows:
            partner, problem = self._match(row, partners, by_name)
            if not problem and not row.get('reason'):
                problem = _('no reason given')
            if problem:
                errors += 1
                lines.append(_('Line %(line)s: not imported, %(problem)s.') % {
                    'line': line, 'problem': problem})
                continue
            partner.write({
                'meddev_watchlist': True,
                'meddev_watchlist_reason': row['reason'],
                'meddev_watchlist_source': row.get('source') or self.source,
            })
            flagged += 1
            lines.append(_('Line %(line)s: %(partner)s flagged.') % {
                'line': line, 'partner': partner.display_name})
        self.write({'report': '\n'.join(lines), 'state': 'done',
                    'flagged_count': flagged, 'error_count': errors})
        return {
            'type': 'ir.actions.act_window', 'res_model': self._name,
            'res_id': self.id, 'view_mode': 'form', 'target': 'new',
        }

    @api.model
    def _partners_by_code(self, codes):
        """Return {credit code: commercial partner} from the partners' tax
        IDs and their licences, in two queries."""
        result = {}
        if not codes:
            return result
        for partner in self.env['res.partner'].search(
                [('vat', 'in', list(codes))]):
            result[partner.vat] = partner.commercial_partner_id
        # sudo: matching needs every licence's code, not only readable ones.
        for licence in self.env['meddev.partner.licence'].sudo().search(
                [('credit_code', 'in', list(codes))]):
            result.setdefault(licence.credit_code,
                              licence.partner_id.sudo(self.env.uid))
        return result

    @api.model
    def _match(self, row, partners, by_name):
        """Return (partner, False) or (False, why the row matches none)."""
        code = row.get('credit_code')
        if code:
            try:
                code = uscc.validate(code)
            except uscc.UsccError as error:
                return False, _('credit code %(code)s is invalid '
                                '(%(reason)s)') % {
                    'code': code,
                    'reason': self.env['meddev.partner.licence']
                    ._uscc_error_text(error)}
            if code in partners:
                return partners[code], False
        name = row.get('name')
        if name:
            partner = by_name.get(name)
            if partner:
                return partner, False
            for known, partner in by_name.items():
                if licence_text.names_match(known, name):
                    return partner, False
        if not code and not name:
            return False, _('neither credit code nor name given')
        return False, _('no partner has credit code %(code)s or name '
                        '%(name)s') % {'code': code or '-',
                                       'name': name or '-'}
