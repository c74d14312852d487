from odoo import _, models

from ..wizards.meddev_licence_import import COLUMNS, HEADER_LANGS


class LicenceImportTemplate(models.AbstractModel):
    """The XLSX template of the partner licence import: one header row of
    field labels in the user's language (what Odoo's import recognises),
    each with a note giving the English and Chinese labels and the format."""

    _name = 'report.meddev_qualification.licence_import_template'
    _inherit = 'report.report_xlsx.abstract'

    def generate_xlsx_report(self, workbook, data, objs):
        licences = self.env['meddev.partner.licence']
        names = [name for _key, name in COLUMNS]
        labels = licences.fields_get(names, ['string'])
        others = {
            lang: licences.with_context(lang=lang).fields_get(
                names, ['string']) for lang in HEADER_LANGS}
        sheet = workbook.add_worksheet(_('Partner Licences'))
        bold = workbook.add_format({'bold': True, 'bg_color': '#D9E1F2'})
        hint = _('Dates as YYYY-MM-DD; Long-Term: 1 or 0; Partner by its '
                 'exact name, Licence Type by its name or code (e.g. '
                 'CN-BL).')
        for column, name in enumerate(names):
            sheet.write(0, column, labels[name]['string'], bold)
            sheet.write_comment(0, column, ' / '.join(
                [others[lang][name]['string'] for lang in HEADER_LANGS]
                + [hint]))
            sheet.set_column(column, column, 22)
