from odoo import _, fields, models


class RecallLinesXlsx(models.AbstractModel):
    """The customer lines of recalls as a workbook, for the regulator and
    the distributors."""

    _name = 'report.meddev_traceability.recall_lines_xlsx'
    _inherit = 'report.report_xlsx.abstract'

    def _line_columns(self):
        """Return (title, width, value getter) per column; overridable."""
        def date(value):
            return value and fields.Datetime.from_string(
                value).strftime('%Y-%m-%d') or ''
        return [
            (_('Customer'), 30, lambda line: line.partner_id.display_name or ''),
            (_('Product'), 30, lambda line: line.product_id.display_name or ''),
            (_('UDI-DI'), 16, lambda line: line.product_id.udi_di or ''),
            (_('Lot/Serial'), 16, lambda line: line.lot_id.name),
            (_('Delivered To'), 30,
             lambda line: line.shipping_partner_id.display_name or ''),
            (_('Delivery'), 16, lambda line: line.picking_id.name or ''),
            (_('Delivery Date'), 12, lambda line: date(line.delivery_date)),
            (_('Quantity Shipped'), 10, lambda line: line.quantity_shipped),
            (_('Quantity at Customer'), 10,
             lambda line: line.quantity_at_customer),
            (_('Notice Status'), 14, lambda line: dict(
                line._fields['notice_status']._description_selection(
                    line.env)).get(line.notice_status, '')),
            (_('Notice Sent'), 12, lambda line: date(line.notice_sent_date)),
            (_('Acknowledged'), 12, lambda line: date(line.acknowledged_date)),
            (_('Returned or Corrected'), 10,
             lambda line: line.quantity_returned),
            (_('Overdue'), 8, lambda line: line.overdue and _('Yes') or ''),
        ]

    def generate_xlsx_report(self, workbook, data, recalls):
        bold = workbook.add_format({'bold': True})
        columns = self._line_columns()
        for recall in recalls:
            # Sheet names: 31 characters at most, no '/'.
            sheet = workbook.add_worksheet(recall.name.replace('/', '-')[:31])
            sheet.write(0, 0, recall.name, bold)
            sheet.write(0, 2, recall.recall_level_id.name)
            sheet.write(0, 4, recall.decision_date)
            sheet.write(1, 0, recall.reason)
            for col, (title, width, getter) in enumerate(columns):
                sheet.set_column(col, col, width)
                sheet.write(3, col, title, bold)
            for row, line in enumerate(recall.line_ids, start=4):
                for col, (title, width, getter) in enumerate(columns):
                    sheet.write(row, col, getter(line))
