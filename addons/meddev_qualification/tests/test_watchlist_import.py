import base64

from odoo.exceptions import AccessError, UserError

from .common import MeddevTradeCase


class TestWatchlistImport(MeddevTradeCase):

    @classmethod
    def setUpClass(cls):
        super(TestWatchlistImport, cls).setUpClass()
        # Codes of no demo partner: the import matches the whole database.
        cls._create_licence(
            cls.distributor, cls.type_business, '91330106MA2KQ7X10J',
            long_term=True, credit_code='91330106MA2KQ7X10J')
        cls.supplier.vat = '91420100MA4KL3N50B'
        cls.hospital = cls._create_partner('西湖康复医院', 'hospital')

    def _import(self, text, user=None, encoding='utf-8'):
        wizard = self.env['meddev.watchlist.import'].sudo(
            user or self.reviewer).create({
                'data_file': base64.b64encode(text.encode(encoding)),
                'source': 'NMPA notice 12',
            })
        wizard.action_import()
        return wizard

    def test_rows_reported_one_by_one(self):
        wizard = self._import(
            'credit_code,name,reason,source\n'
            '91330106MA2KQ7X10J,,Forged licence,\n'
            '91420100MA4KL3N50B,,Recall ignored,Provincial notice 3\n'
            ',西湖康复医院,Unlicensed clinic,\n'
            '91110105MA01ABCD38,,Bad code,\n'
            '91510100MA6C8P2R0Y,Nobody Ltd,Unknown,\n'
            ',,No one,\n'
            ',Kangda Medical,,\n')
        self.assertEqual(wizard.report.split('\n'), [
            'Line 2: Kangda Medical flagged.',
            'Line 3: Maikang Devices flagged.',
            'Line 4: 西湖康复医院 flagged.',
            "Line 5: not imported, credit code 91110105MA01ABCD38 is invalid "
            "(check character should be '9', not '8').",
            'Line 6: not imported, no partner has credit code '
            '91510100MA6C8P2R0Y or name Nobody Ltd.',
            'Line 7: not imported, neither credit code nor name given.',
            'Line 8: not imported, no reason given.',
        ])
        self.assertEqual((wizard.flagged_count, wizard.error_count), (3, 4))
        self.assertTrue(self.distributor.meddev_watchlist)
        self.assertEqual(self.distributor.meddev_watchlist_reason,
                         'Forged licence')
        self.assertEqual(self.distributor.meddev_watchlist_source,
                         'NMPA notice 12')
        self.assertEqual(self.supplier.meddev_watchlist_source,
                         'Provincial notice 3')
        self.assertEqual(self.hospital.qualification_state, 'blocked')

    def test_gb18030_file(self):
        self._import('name,reason\n西湖康复医院,吊销\n', encoding='gb18030')
        self.assertEqual(self.hospital.meddev_watchlist_reason, '吊销')

    def test_header_required(self):
        with self.assertRaisesRegex(UserError, 'must name the columns'):
            self._import('91110105MA01ABCD39;Forged\n')

    def test_reviewers_only(self):
        with self.assertRaises(AccessError):
            self._import('name,reason\nX,Y\n', user=self.user)
        self.assertFalse(self.hospital.meddev_watchlist)
