import base64

import xlrd

from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.tools import xlsx_sheet

from .common import MeddevCreditCase


class TestLimitImport(MeddevCreditCase):
    """Go-live credit limits and ratings: the template exports a company's
    current limits and imports back to the same records; the dry run names
    every bad row with its reason and writes nothing; credit managers only
    import, in the company they work in."""

    @classmethod
    def setUpClass(cls):
        super(TestLimitImport, cls).setUpClass()
        # A company of its own: its limits and ratings are only the test's.
        cls.client = cls.env['res.company'].create(
            {'name': 'Limit Import Client Ltd'})
        for user in (cls.user, cls.manager):
            user.write({'company_ids': [(4, cls.client.id)],
                        'company_id': cls.client.id})
        cls.currency = cls.client.currency_id
        cls.other_currency = cls.env['res.currency'].with_context(
            active_test=False).search(
                [('id', '!=', cls.currency.id)], limit=1)
        cls.clinic = cls.env['res.partner'].create({
            'name': '西城诊所', 'ref': 'WC-01', 'customer': True,
            'is_company': True})
        cls.namesake = cls.env['res.partner'].create({
            'name': 'Twin Medical', 'customer': True, 'is_company': True})
        cls.env['res.partner'].create({
            'name': 'Twin Medical', 'customer': True, 'is_company': True})

    def _in_client(self, partner):
        return partner.with_context(force_company=self.client.id)

    def _state(self, partner):
        partner = self._in_client(partner)
        return (partner.credit_limit, partner.credit_rating or False)

    def _wizard(self, user=None, rows=None, headers=None):
        wizard = self.env['meddev.credit.limit.import'].sudo(
            user or self.manager).create({})
        if rows is not None:
            headers = headers or self._template_rows(wizard, False)[0]
            wizard.write({
                'data_file': base64.b64encode(xlsx_sheet.write_workbook(
                    'Sheet1', headers, rows=rows)),
                'filename': 'limits.xlsx'})
        return wizard

    def _template_rows(self, wizard, with_current=True):
        wizard.with_current = with_current
        wizard.action_download_template()
        book = xlrd.open_workbook(
            file_contents=base64.b64decode(wizard.template_file))
        sheet = book.sheet_by_index(0)
        return [[str(cell.value) for cell in sheet.row(row)]
                for row in range(sheet.nrows)]

    def test_round_trip(self):
        self._in_client(self.customer).sudo(self.manager).write(
            {'credit_limit': 8000.0, 'credit_rating': 'B'})
        self._in_client(self.clinic).sudo(self.manager).write(
            {'credit_limit': 12000.5})
        before = {partner: self._state(partner)
                  for partner in (self.customer, self.clinic)}
        # Credit users may export (they read the limits anyway).
        export = self._wizard(self.user)
        action = export.action_download_template()
        self.assertEqual(action['type'], 'ir.actions.act_url')
        self.assertEqual(export.template_filename,
                         'credit_limit_template.xlsx')
        content = base64.b64decode(export.template_file)
        rows = xlsx_sheet.read_rows(content)
        self.assertEqual(rows[0][1], ['Customer', 'Customer Reference',
                                      'Currency', 'Credit Limit',
                                      'Credit Rating'])
        self.assertEqual([row for _number, row in rows[1:]], [
            ['Eastern Hospital Supplies', '', self.currency.name, '8000',
             'B'],
            ['西城诊所', 'WC-01', self.currency.name, '12000.5', '']])
        # The limits are lost (say, typed wrongly); the export brings them
        # back as they were.
        self._in_client(self.customer).sudo(self.manager).write(
            {'credit_limit': 100.0, 'credit_rating': 'D'})
        self._in_client(self.clinic).sudo(self.manager).write(
            {'credit_limit': 0.0})
        wizard = self._wizard()
        wizard.write({'data_file': base64.b64encode(content),
                      'filename': 'credit_limit_template.xlsx'})
        wizard.action_check()
        self.assertEqual((wizard.row_count, wizard.error_count), (2, 0))
        result = wizard.action_import()
        self.assertEqual(sorted(result['domain'][0][2]),
                         sorted((self.customer | self.clinic).ids))
        self.assertEqual(wizard.state, 'done')
        self.assertEqual({partner: self._state(partner)
                          for partner in (self.customer, self.clinic)},
                         before)
        # In the wizard's company only.
        main = self.customer.with_context(
            force_company=self.env.ref('base.main_company').id)
        self.assertNotEqual(main.credit_limit, 8000.0)

    def test_dry_run_names_bad_rows_and_writes_nothing(self):
        self._in_client(self.customer).sudo(self.manager).credit_limit = 10.0
        wizard = self._wizard(rows=[
            ['Eastern Hospital Supplies', '', self.currency.name, '5000',
             'A'],
            ['Nobody Ltd', '', '', '100', ''],
            ['西城诊所', 'WC-01', '', '-5', ''],
            ['', 'WC-01', 'XYZ', '100', ''],
            ['', 'WC-01', self.other_currency.name, '100', ''],
            ['Twin Medical', '', '', '100', 'E'],
            ['Eastern Hospital Supplies', '', '', '1.234,5', ''],
        ])
        wizard.action_check()
        report = wizard.report
        self.assertEqual((wizard.row_count, wizard.error_count), (7, 6))
        self.assertNotIn('Row 2:', report)
        self.assertIn('Row 3: unknown customer "Nobody Ltd"', report)
        self.assertIn('Row 4: credit limit -5 is negative', report)
        self.assertIn('Row 5: unknown currency "XYZ"', report)
        self.assertIn('Row 6: credit limits of Limit Import Client Ltd are '
                      'in %s, not %s' % (self.currency.name,
                                         self.other_currency.name), report)
        self.assertIn('Row 7: 2 customers match "Twin Medical": give the '
                      'customer reference', report)
        self.assertIn('Row 7: credit rating "E" is not one of A, B, C, D',
                      report)
        self.assertIn('Row 8: credit limit "1.234,5" is not a number',
                      report)
        self.assertNotIn('Row 8: neither', report)
        self.assertEqual(self._state(self.customer), (10.0, False))
        with self.assertRaisesRegex(UserError, 'Nothing was imported from '
                                    'limits.xlsx:.*Row 3: unknown'):
            wizard.action_import()
        self.assertEqual(self._state(self.customer), (10.0, False))
        self.assertEqual(self._state(self.clinic), (0.0, False))

    def test_duplicates_and_empty_values(self):
        self._in_client(self.clinic).sudo(self.manager).write(
            {'credit_limit': 700.0, 'credit_rating': 'C'})
        wizard = self._wizard(rows=[
            ['', 'WC-01', '', '', 'A'],
            ['Eastern Hospital Supplies', '', '', '300', ''],
            ['Eastern Hospital Supplies', '', '', '400', ''],
            ['Twin Medical', 'NONE', '', '', ''],
        ])
        wizard.action_check()
        self.assertIn('Row 4: the same customer as row 3', wizard.report)
        self.assertIn('Row 5: unknown customer reference "NONE"',
                      wizard.report)
        self.assertIn('Row 5: neither a credit limit nor a rating given',
                      wizard.report)
        wizard = self._wizard(rows=[['', 'WC-01', '', '', 'A'],
                                    ['Eastern Hospital Supplies', '', '',
                                     '300', '']])
        wizard.action_import()
        # An empty cell keeps the current value.
        self.assertEqual(self._state(self.clinic), (700.0, 'A'))
        self.assertEqual(self._state(self.customer), (300.0, False))

    def test_only_credit_managers_import(self):
        rows = [['Eastern Hospital Supplies', '', '', '300', '']]
        wizard = self._wizard(self.user, rows=rows)
        with self.assertRaisesRegex(
                AccessError, 'Only a member of "Credit Control / Manager"'):
            wizard.action_check()
        with self.assertRaises(AccessError):
            wizard.action_import()
        self.assertEqual(self._state(self.customer), (0.0, False))
        with self.assertRaises(AccessError):
            self._wizard(self.employee).action_download_template()

    def test_only_the_users_companies(self):
        """A company sent by the client that the user does not work in is
        refused: the limits are written with the rights of the module."""
        stranger = self.env['res.company'].create({'name': 'Stranger Ltd'})
        wizard = self._wizard(rows=[
            ['Eastern Hospital Supplies', '', '', '300', '']])
        wizard.company_id = stranger
        for action in (wizard.action_check, wizard.action_import,
                       wizard.action_download_template):
            with self.assertRaisesRegex(AccessError,
                                        'You do not work in Stranger Ltd'):
                action()
        customer = self.customer.with_context(force_company=stranger.id)
        self.assertEqual(customer.credit_limit, 0.0)

    def test_headers_in_chinese(self):
        """A file with Chinese headers is read whatever the user's
        language."""
        lang = self.env['res.lang'].with_context(active_test=False).search(
            [('code', '=', 'zh_CN')])
        if lang:
            lang.active = True
        else:
            self.env['res.lang'].load_lang('zh_CN')
        translations = self.env['ir.translation']
        for source, value in (('Customer', '客户'),
                              ('Customer Reference', '客户编号')):
            translations.create({
                'type': 'code', 'lang': 'zh_CN', 'name': 'addons/meddev_'
                'credit/wizards/meddev_credit_limit_import.py',
                'src': source, 'value': value, 'module': 'meddev_credit',
                'state': 'translated'})
        translations.clear_caches()
        wizard = self._wizard()
        self.assertEqual(wizard._import_labels('zh_CN')['name'], '客户')
        wizard = self._wizard(
            rows=[['WC-01', '900']], headers=['客户编号', 'credit_limit'])
        self.assertRaisesRegex(UserError, 'missing: partner',
                               wizard.action_check)
        wizard = self._wizard(rows=[['西城诊所', 'WC-01', '900']],
                              headers=['客户', '客户编号', 'credit_limit'])
        wizard.action_import()
        self.assertEqual(self._state(self.clinic), (900.0, False))
