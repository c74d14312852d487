import psycopg2

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import MeddevQualificationCase


class TestDeviceCategory(MeddevQualificationCase):

    @classmethod
    def setUpClass(cls):
        super(TestDeviceCategory, cls).setUpClass()
        cls.imaging = cls._create_device_category(
            'Medical imaging devices', 'T06')
        cls.xray = cls._create_device_category(
            'X-ray equipment', 'T06-01', cls.imaging)
        cls.ct = cls._create_device_category(
            'CT scanners', 'T06-01-02', cls.xray)
        cls.dental = cls._create_device_category('Dental devices', 'T17')

    def test_complete_name(self):
        self.assertEqual(
            self.ct.complete_name,
            'Medical imaging devices / X-ray equipment / CT scanners')
        self.assertEqual(self.ct.display_name, self.ct.complete_name)
        # Renaming an ancestor renames the stored path of its descendants.
        self.imaging.sudo(self.manager).name = 'Imaging'
        self.assertEqual(
            self.ct.complete_name, 'Imaging / X-ray equipment / CT scanners')

    def test_child_of(self):
        categories = self.env['meddev.device.category'].sudo(self.user)
        self.assertEqual(
            categories.search([('id', 'child_of', self.imaging.id)]),
            self.imaging | self.xray | self.ct)
        self.assertEqual(
            categories.search([('id', 'parent_of', self.ct.id)]),
            self.imaging | self.xray | self.ct)
        # Moving a branch moves its descendants in the nested set too.
        self.xray.sudo(self.manager).parent_id = self.dental
        self.assertEqual(
            categories.search([('id', 'child_of', self.dental.id)]),
            self.dental | self.xray | self.ct)

    def test_recursion_refused(self):
        with self.assertRaisesRegex(ValidationError, 'Medical imaging'):
            self.imaging.sudo(self.manager).parent_id = self.ct
        with self.assertRaises(ValidationError):
            self.xray.sudo(self.manager).parent_id = self.xray

    def test_code_unique(self):
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self._create_device_category('Other imaging', 'T06')
