import unittest

from ..matrix import (
    MatrixError, expected_access, format_perms, parse_matrix)

HEADER = 'model,group,read,write,create,unlink,scope,note\n'


class TestAccessMatrixFile(unittest.TestCase):
    """The matrix files are read strictly: a typo must not silently grant
    or refuse anything."""

    def parse(self, *rows):
        return parse_matrix([HEADER] + [row + '\n' for row in rows], 'x.csv')

    def assertRefused(self, text, *rows):
        with self.assertRaises(MatrixError) as caught:
            self.parse(*rows)
        self.assertIn(text, str(caught.exception))

    def test_rows(self):
        matrix = self.parse(
            'meddev.capa,base.group_user,0,0,0,0,-,',
            'meddev.capa,meddev_quality_capa.group_meddev_quality_capa_user,'
            '1,1,1,0,company,quality staff',
            'meddev.service.ticket,base.group_portal,1,0,0,0,'
            'company+partner,portal')
        self.assertEqual(
            matrix[('meddev.capa', 'base.group_user')],
            {'read': False, 'write': False, 'create': False,
             'unlink': False, 'scope': ()})
        self.assertEqual(matrix[('meddev.service.ticket',
                                 'base.group_portal')]['scope'],
                         ('company', 'partner'))
        perms = matrix[('meddev.capa', 'meddev_quality_capa.'
                        'group_meddev_quality_capa_user')]
        self.assertEqual(format_perms(perms), 'rwc-')

    def test_bad_rows(self):
        self.assertRefused('line 2: read must be 0 or 1, not \'yes\'',
                           'meddev.capa,base.group_user,yes,0,0,0,-,')
        self.assertRefused('unlink must be 0 or 1, not \'\'',
                           'meddev.capa,base.group_user,1,0,0')
        self.assertRefused('line 3: meddev.capa / base.group_user is given '
                           'twice',
                           'meddev.capa,base.group_user,1,0,0,0,all,',
                           'meddev.capa,base.group_user,0,0,0,0,-,')
        self.assertRefused('model and group are required',
                           ',base.group_user,1,0,0,0,all,')
        self.assertRefused('is not an XML id',
                           'meddev.capa,User,1,0,0,0,all,')
        self.assertRefused('scope must be - when read is 0, not \'company\'',
                           'meddev.capa,base.group_user,0,0,0,0,company,')
        self.assertRefused('scope \'\' is not all, own',
                           'meddev.capa,base.group_user,1,0,0,0,,')
        self.assertRefused('scope \'company+tem\' is not',
                           'meddev.capa,base.group_user,1,0,0,0,'
                           'company+tem,')
        with self.assertRaises(MatrixError) as caught:
            parse_matrix(['model,group,read,write\n'], 'y.csv')
        self.assertIn('y.csv: missing column(s) create, unlink, scope',
                      str(caught.exception))

    def test_unlisted_group_has_what_an_employee_has(self):
        matrix = self.parse(
            'meddev.capa,base.group_user,0,0,0,0,-,',
            'meddev.capa,base.group_portal,0,0,0,0,-,',
            'meddev.trace,base.group_user,1,1,1,1,own,')
        self.assertEqual(format_perms(expected_access(
            matrix, 'meddev.capa', 'stock.group_stock_user')), '----')
        self.assertEqual(format_perms(expected_access(
            matrix, 'meddev.trace', 'stock.group_stock_user')), 'rwcu')
        self.assertIsNone(expected_access(matrix, 'meddev.recall',
                                          'base.group_user'))
