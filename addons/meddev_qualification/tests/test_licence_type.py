from odoo.exceptions import AccessError, ValidationError

from .common import MeddevQualificationCase


class TestLicenceType(MeddevQualificationCase):

    def _create(self, **values):
        vals = {'code': 'T-X', 'name': 'Test type'}
        vals.update(values)
        return self.env['meddev.licence.type'].sudo(self.manager).create(vals)

    def test_bad_pattern_refused(self):
        with self.assertRaisesRegex(
                ValidationError, 'number pattern of licence type "Test type" '
                'is not a valid regular expression'):
            self._create(number_pattern='[0-9')

    def test_alert_days(self):
        licence_type = self._create(alert_days=' 7, 90,30 ,')
        self.assertEqual(licence_type.get_alert_days(), [90, 30, 7])
        for bad in ('90;30', '-5', 'soon', '0'):
            with self.assertRaisesRegex(ValidationError, 'alert thresholds'):
                licence_type.write({'alert_days': bad})

    def test_number_check_is_full_match(self):
        licence_type = self._create(number_pattern=r'.+械经营许\d{8}号')
        self.assertTrue(licence_type.check_number('京食药监械经营许20150035号'))
        self.assertFalse(
            licence_type.check_number('京食药监械经营许20150035号 extra'))
        self.assertFalse(licence_type.check_number('20150035'))
        self.assertTrue(self._create(code='T-Y').check_number('anything'))

    def test_classes_and_kinds(self):
        licence_type = self._create(
            authorises_class_ii=True, authorises_class_iii=True,
            for_hospital=True)
        self.assertEqual(licence_type.authorised_classes(), ('II', 'III'))
        self.assertEqual(licence_type.required_kinds(), ('hospital',))

    def test_only_managers_configure(self):
        with self.assertRaises(AccessError):
            self.env['meddev.licence.type'].sudo(self.reviewer).create(
                {'code': 'T-Z', 'name': 'Z'})

    def test_shipped_configuration(self):
        ref = self.env.ref
        trading = ref('meddev_qualification.licence_type_operation')
        self.assertEqual(trading.authorised_classes(), ('III',))
        self.assertTrue(trading.has_scope)
        self.assertTrue(trading.check_number(trading.number_example))
        for xmlid in ('business', 'class2_filing', 'operation', 'production',
                      'institution'):
            licence_type = ref('meddev_qualification.licence_type_' + xmlid)
            self.assertTrue(
                licence_type.check_number(licence_type.number_example),
                licence_type.code)
        categories = self.env['meddev.device.category'].search(
            [('parent_id', '=', False), ('code', 'in', [
                '%02d' % number for number in range(1, 23)])])
        self.assertEqual(len(categories), 22)
        self.assertEqual(
            ref('meddev_qualification.device_category_21').name,
            'Medical software')

    def test_shipped_translations(self):
        self.env['ir.translation'].load_module_terms(
            ['meddev_qualification'], ['zh_CN'])
        self.env['meddev.device.category'].invalidate_cache()
        software = self.env.ref(
            'meddev_qualification.device_category_21').with_context(
                lang='zh_CN')
        self.assertEqual(software.name, '医用软件')
        self.assertEqual(
            self.env.ref('meddev_qualification.licence_type_operation')
            .with_context(lang='zh_CN').name, '医疗器械经营许可证')
