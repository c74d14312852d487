import base64

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import xlsx_sheet

from .common import MeddevQualityCapaCase, call_button

GTIN = '06901234567892'
OTHER_GTIN = '06901234567908'


class TestComplaintImport(MeddevQualityCapaCase):
    """Go-live open complaints: the dry run names every bad row with its
    reason and writes nothing; a clean file creates the complaints through
    intake in the user's company; the template exports them back as they
    were imported, and importing them again is refused as duplicates."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintImport, cls).setUpClass()
        # A company of its own: its complaints are only the test's.
        cls.client = cls.env['res.company'].create(
            {'name': 'Complaint Import Client Ltd'})
        cls.importer = cls._create_user('qa_importer', cls.group_user,
                                        company=cls.client)
        cls.monitor = cls.env['product.product'].create({
            'name': '监护仪 PM-500', 'type': 'product', 'tracking': 'serial',
            'default_code': 'PM-500', 'company_id': False})
        cls.monitor.product_tmpl_id.udi_di = GTIN
        cls.syringe = cls.env['product.product'].create({
            'name': '注射器 SY-1', 'type': 'product', 'tracking': 'lot',
            'default_code': 'SY-1', 'company_id': False})
        cls.monitor_serial = cls.env['stock.production.lot'].create({
            'name': 'PM500-0001', 'product_id': cls.monitor.id})
        cls.syringe_lot = cls.env['stock.production.lot'].create({
            'name': 'SY-L01', 'product_id': cls.syringe.id})
        cls.clinic = cls.env['res.partner'].create({
            'name': '杭州市第一医院', 'customer': True, 'is_company': True,
            'company_id': False, 'country_id': cls.china.id})

    def _wizard(self, rows=None, user=None):
        wizard = self.env['meddev.complaint.import'].sudo(
            user or self.importer).create({})
        if rows is not None:
            # The headers of the template (as the importer downloads it).
            headers = self._template(self.env['meddev.complaint.import']
                                     .sudo(self.importer).create({}),
                                     False)[0]
            wizard.write({
                'data_file': base64.b64encode(xlsx_sheet.write_workbook(
                    'Sheet1', headers, rows=rows)),
                'filename': 'complaints.xlsx'})
        return wizard

    def _template(self, wizard, with_current=True):
        wizard.with_current = with_current
        action = call_button(wizard, 'action_download_template')
        self.assertEqual(action['type'], 'ir.actions.act_url')
        return [row for _number, row in xlsx_sheet.read_rows(
            base64.b64decode(wizard.template_file))]

    def _client_complaints(self):
        return self.env['meddev.complaint'].search(
            [('company_id', '=', self.client.id)])

    def test_dry_run_names_every_bad_row_and_writes_nothing(self):
        wizard = self._wizard(rows=[
            ['杭州市第一医院', GTIN, 'PM500-0001', '2026-03-01 08:00',
             '2026-03-01 09:30', 'CN', 'Phone', 'Serious Injury', 'yes',
             '监护仪黑屏'],
            ['杭州市第一医院', OTHER_GTIN, '', '', '2026-03-02', 'CN', '',
             '', 'no', '未知产品'],
            ['', 'PM-500', 'SY-L01', '', '2026-03-02', 'CN', '', '', '',
             '批号不属于该产品'],
            ['', GTIN, '', '', '2099-01-01', 'CN', '', '', '', '未来日期'],
            ['', GTIN, '', '', '2026-03-02', 'Atlantis', '', '', '',
             '未知国家'],
            ['', GTIN, '', '2026-03-05', '2026-03-02', 'DE', 'Fax',
             'Bruise', 'maybe', '收到晚于知悉'],
            ['无名医院', GTIN, 'PM500-9999', '', '2026-02-30', '', '', '',
             '', ''],
        ])
        call_button(wizard, 'action_check')
        report = wizard.report
        self.assertEqual((wizard.row_count, wizard.error_count), (7, 6),
                         report)
        self.assertNotIn('Row 2:', report)
        self.assertIn('Row 3: unknown product or GTIN "%s"' % OTHER_GTIN,
                      report)
        self.assertIn('Row 4: lot or serial "SY-L01" is not of', report)
        self.assertIn('Row 5: awareness date 2099-01-01 is in the future',
                      report)
        self.assertIn('Row 6: unknown jurisdiction "Atlantis"', report)
        self.assertIn('Row 7: received date 2026-03-05 is after the '
                      'awareness date 2026-03-02', report)
        self.assertIn('Row 7: Channel "Fax" is not one of', report)
        self.assertIn('Row 7: Outcome "Bruise" is not one of', report)
        self.assertIn('Row 7: patient involved "maybe" is not yes or no',
                      report)
        self.assertIn('Row 8: unknown customer "无名医院"', report)
        self.assertIn('Row 8: unknown lot or serial "PM500-9999"', report)
        self.assertIn('Row 8: awareness date "2026-02-30" is not a date',
                      report)
        self.assertIn('Row 8: no event description', report)
        self.assertFalse(self._client_complaints())
        with self.assertRaisesRegex(UserError, 'Nothing was imported'):
            call_button(wizard, 'action_import')
        self.assertFalse(self._client_complaints())

    def test_round_trip(self):
        rows = [
            ['杭州市第一医院', GTIN, 'PM500-0001', '2026-03-01 08:00',
             '2026-03-01 09:30', 'CN', 'Phone', 'Serious Injury', 'yes',
             '监护仪黑屏，患者血氧未报警'],
            ['', 'SY-1', 'SY-L01', '2026-03-04 10:00', '2026-03-04 10:00',
             'DE', 'Distributor Feedback', 'No Harm', 'no', '注射器漏液'],
        ]
        wizard = self._wizard(rows=rows)
        call_button(wizard, 'action_check')
        self.assertEqual((wizard.row_count, wizard.error_count), (2, 0),
                         wizard.report)
        result = call_button(wizard, 'action_import')
        self.assertEqual(wizard.state, 'done')
        complaints = self._client_complaints().sorted('awareness_date')
        self.assertEqual(sorted(result['domain'][0][2]),
                         sorted(complaints.ids))
        first, second = complaints
        self.assertRegex(first.name, r'^CMP/')
        self.assertEqual(
            (first.partner_id, first.product_id, first.lot_id,
             first.received_date, first.awareness_date, first.country_id,
             first.channel, first.patient_outcome, first.patient_involved,
             first.state, first.create_uid),
            (self.clinic, self.monitor, self.monitor_serial,
             '2026-03-01 08:00:00', '2026-03-01 09:30:00', self.china,
             'phone', 'serious_injury', True, 'intake', self.importer))
        self.assertEqual(
            (second.product_id, second.lot_id, second.country_id,
             second.channel, second.patient_outcome),
            (self.syringe, self.syringe_lot, self.germany, 'distributor',
             'no_harm'))
        # The export gives the rows back as they were imported.
        export = self._template(self._wizard(), True)
        self.assertEqual(export[1:], [
            [rows[0][0], GTIN] + rows[0][2:],
            [rows[1][0], 'SY-1'] + rows[1][2:]])
        # Imported again: refused as duplicates, nothing written.
        again = self._wizard(rows=export[1:])
        call_button(again, 'action_check')
        self.assertEqual(again.error_count, 2)
        self.assertIn('Row 2: already recorded as %s' % first.name,
                      again.report)
        self.assertIn('Row 3: already recorded as %s' % second.name,
                      again.report)
        self.assertEqual(self._client_complaints(), complaints)

    def test_only_quality_users_import(self):
        row = [['', GTIN, '', '', '2026-03-02', 'CN', '', '', '', '黑屏']]
        outsider = self._create_user('qa_import_outsider', self.group_service,
                                     company=self.client)
        wizard = self._wizard(rows=row, user=outsider)
        for method in ('action_check', 'action_import',
                       'action_download_template'):
            with self.assertRaisesRegex(
                    AccessError, 'Only a member of "Quality / User"'):
                call_button(wizard, method)
        self.assertFalse(self._client_complaints())
        # A quality user imports in the company they work in only.
        wizard = self._wizard(rows=row)
        wizard.sudo().company_id = self.company
        with self.assertRaisesRegex(AccessError, 'do not work in'):
            call_button(wizard, 'action_check')
