from odoo import _, fields, models

from odoo.addons.meddev_base.tools import xlsx_sheet

from .. import uscc

USER_GROUP = 'meddev_qualification.group_meddev_qualification_user'

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


class MeddevLicenceImport(models.TransientModel):
    """Existing partner licences brought in at go-live from the XLSX
    template: every row is checked first (dry run) and each bad row named
    with its reason; only a file without bad rows is imported, in one go,
    through Odoo's import (``load``), as draft licences to review. The
    file, the dry run and the template are meddev_base's
    (``meddev.import.wizard``); the checks of a licence row are here."""

    _name = 'meddev.licence.import'
    _inherit = ['meddev.import.wizard']
    _description = 'Partner Licence Import'

    _import_model = 'meddev.partner.licence'
    _import_columns = COLUMNS
    _import_required = REQUIRED
    # Qualification users record licences: they alone check, import and
    # download the template (a wizard is open to every user, portal
    # included; without a group, anyone could run the dry run).
    _import_manager_group = USER_GROUP

    def _import_row_key(self, vals):
        key = (vals.get('partner_id'), vals.get('licence_type_id'),
               vals.get('number'))
        return key if all(key) else None

    def _import_duplicate_text(self, row):
        return _('the same licence as row %(row)s') % {'row': row}

    def _import_check_row(self, cells, reasons):
        return self._row_values(cells, reasons)

    def _import_check_existing(self, values):
        return self._recorded_already(values)

    def _import_template_name(self):
        return 'partner_licence_template', _('Partner Licences')

    def _import_template_hint(self):
        return _('Dates as YYYY-MM-DD; Long-Term: 1 or 0; Partner by its '
                 'exact name, Licence Type by its name or code (e.g. '
                 'CN-BL).')

    def _import_done_text(self, count):
        return _('%(count)s licences imported as drafts.') % {
            'count': count}

    def _import_done(self, ids):
        return {
            'type': 'ir.actions.act_window',
            'name': _('Imported Licences'),
            'res_model': 'meddev.partner.licence',
            'view_mode': 'tree,form',
            'domain': [('id', 'in', ids)],
        }

    def _import_load(self, values):
        """Create the licences as drafts through Odoo's import."""
        names = ['partner_id/.id', 'licence_type_id/.id', 'number',
                 'holder_name', 'credit_code', 'valid_from', 'valid_to',
                 'long_term']
        data = [[str(vals['partner_id']), str(vals['licence_type_id']),
                 vals['number'], vals['holder_name'] or '',
                 vals.get('credit_code') or '', vals['valid_from'] or '',
                 vals['valid_to'] or '', '1' if vals['long_term'] else '0']
                for vals in values]
        return self.env['meddev.partner.licence'].load(names, data)

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
                dates[key] = xlsx_sheet.parse_date(cells.get(key))
            except ValueError:
                reasons.append(_('%(label)s "%(value)s" is not a date') % {
                    'label': label, 'value': cells.get(key)})
        try:
            long_term = xlsx_sheet.parse_bool(cells.get('long_term'))
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
