"""Patient information in complaints: the quality side of a complaint
(reportability decisions, regulatory reports, CAPAs) is for quality groups
only; other suite groups never reach complaints."""

from odoo.exceptions import AccessError

from .common import MeddevSuiteCase

# Groups of the suite that must not read complaints at all.
NO_COMPLAINTS = (
    'base.group_user', 'base.group_portal',
    'sales_team.group_sale_salesman',
    'meddev_qualification.group_meddev_qualification_manager',
    'meddev_credit.group_meddev_credit_manager',
    'meddev_traceability.group_meddev_traceability_manager',
)


class TestPersonalData(MeddevSuiteCase):
    """A service engineer reads the complaints they opened (record rule),
    never their quality side (field groups); other groups read none."""

    @classmethod
    def setUpClass(cls):
        super(TestPersonalData, cls).setUpClass()
        cls.engineer = cls._create_user('suite_pd_engineer', [
            'meddev_service.group_meddev_service_user'])
        cls.quality_user = cls._create_user('suite_pd_quality', [
            'meddev_quality_capa.group_meddev_quality_capa_user'])
        cls.hospital = cls.env['res.partner'].create({
            'name': 'Suite PD Hospital', 'is_company': True})
        # Opened by the engineer, so that the record rule lets them read
        # it: what stops them below is the fields' groups.
        cls.complaint = cls.env['meddev.complaint'].sudo(cls.engineer).create({
            'partner_id': cls.hospital.id,
            'description': 'Patient (58) received an overdose',
            'patient_involved': True, 'patient_outcome': 'serious_injury',
            'company_id': cls.company.id}).sudo()

    def test_quality_side_for_quality_groups(self):
        """A service engineer (who opens complaints from tickets) does not
        read their reportability decisions, reports or CAPAs."""
        as_engineer = self.complaint.sudo(self.engineer)
        self.assertEqual(as_engineer.read(['description'])[0]['description'],
                         'Patient (58) received an overdose')
        for field in ('decision_ids', 'report_ids', 'capa_ids'):
            with self.assertRaises(AccessError, msg=field):
                self.complaint.sudo(self.engineer).read([field])
            self.complaint.sudo(self.quality_user).read([field])

    def test_other_groups_never_read_complaints(self):
        for xml_id in NO_COMPLAINTS:
            user = self._create_user(
                'suite_pd_%s' % xml_id.replace('.', '_'), [xml_id])
            with self.assertRaises(AccessError, msg=xml_id):
                self.complaint.sudo(user).read(['description'])
