from .common import MeddevQualityCapaCase, frozen_now, rpc_write

SERIOUS_10 = '2026-03-13 23:59:59'   # EU 10 days from Tuesday 3 March
SERIOUS_15 = '2026-03-18 23:59:59'   # EU 15 days


class TestReporterRoles(MeddevQualityCapaCase):
    """EU anticipated / unanticipated serious deterioration, and the
    company's reporter role choosing the rules of its decisions."""

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def _german_complaint(self):
        return self._create_complaint(country_id=self.germany.id)

    def test_unanticipated_serious_deterioration_is_due_in_10_days(self):
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._german_complaint()
            self._decide(complaint, self.germany, q_serious=True,
                         q_expected=False)
        self.assertEqual(complaint.report_ids.mapped('rule_id'),
                         self._rule('eu_serious_injury'))
        self.assertEqual(complaint.report_ids.due_date, SERIOUS_10)

    def test_anticipated_serious_deterioration_is_due_in_15_days(self):
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._german_complaint()
            decision = self._decide(complaint, self.germany, q_serious=True,
                                    q_expected=True)
            self.assertEqual(complaint.report_ids.mapped('rule_id'),
                             self._rule('eu_serious_injury_anticipated'))
            self.assertEqual(complaint.report_ids.due_date, SERIOUS_15)
            # The decider corrects the answer: the 10-day report replaces
            # the 15-day one (cancelled, not deleted).
            rpc_write(decision.sudo(self.regulatory), {'q_expected': False})
        due = complaint.report_ids.filtered(
            lambda report: report.state == 'open')
        self.assertEqual(due.rule_id, self._rule('eu_serious_injury'))
        self.assertEqual(due.due_date, SERIOUS_10)
        self.assertEqual(complaint.report_ids.filtered(
            lambda report: report.state == 'cancel').rule_id,
            self._rule('eu_serious_injury_anticipated'))

    def test_death_is_10_days_anticipated_or_not(self):
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(
                country_id=self.germany.id, patient_outcome='death')
            self._decide(complaint, self.germany, q_expected=True)
        self.assertEqual(complaint.report_ids.rule_id,
                         self._rule('eu_death'))
        self.assertEqual(complaint.report_ids.due_date, SERIOUS_10)

    def test_company_role_selects_the_rules(self):
        self.company.meddev_reporter_role = 'distributor'
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(country_id=self.china.id)
            decision = self._decide(complaint, self.china)
        self.assertEqual(decision.reporter_role, 'distributor')
        self.assertEqual(complaint.report_ids.rule_id,
                         self._rule('cn_distributor_serious_injury'))
        self.assertIn('第二十五条', complaint.report_ids.rule_id.regulation)
        self.assertEqual(complaint.report_ids.due_date,
                         '2026-03-23 23:59:59')

    def test_decision_form_defaults_to_company_role(self):
        self.company.meddev_reporter_role = 'importer'
        defaults = self.env['meddev.reportability.decision'].sudo(
            self.regulatory).default_get(['reporter_role'])
        self.assertEqual(defaults['reporter_role'], 'importer')

    def test_eu_importer_forwards_to_manufacturer_within_24_hours(self):
        self.company.meddev_reporter_role = 'importer'
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(
                country_id=self.germany.id, patient_outcome='malfunction')
            self._decide(complaint, self.germany)
        report = complaint.report_ids
        self.assertEqual(report.rule_id,
                         self._rule('eu_importer_malfunction'))
        self.assertEqual(report.rule_id.report_kind, 'forward')
        self.assertIn('Art. 13(8)', report.rule_id.regulation)
        self.assertEqual(report.due_date, '2026-03-04 10:30:00')

    def test_decided_role_overrides_the_company_role(self):
        self.company.meddev_reporter_role = 'distributor'
        with frozen_now('2026-03-04 09:00:00'):
            complaint = self._create_complaint(
                country_id=self.usa.id, patient_outcome='death')
            self._decide(complaint, self.usa, reporter_role='user_facility')
        self.assertEqual(complaint.report_ids.rule_id,
                         self._rule('us_facility_death'))
