from .common import MeddevQualityCapaCase, frozen_now


class TestDeadlineSummerTime(MeddevQualityCapaCase):
    """Deadlines spanning a change to or from summer time, counted in the
    company's time zone: hours elapse (24 hours are 24 hours, not 23 or
    25), days end at midnight local time (review of issue 9, S2 a)."""

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def _due(self, rule, start):
        return rule._compute_due(start, self.company)

    def test_berlin_both_transitions(self):
        self.company.partner_id.tz = 'Europe/Berlin'
        forward = self._rule('eu_importer_death')      # 24 hours
        threat = self._rule('eu_public_threat')        # 2 calendar days
        # Spring, Sunday 29 March 2026: Saturday 12:00 CET (11:00 UTC)
        # plus 24 hours is Sunday 13:00 CEST, 11:00 UTC.
        self.assertEqual(self._due(forward, '2026-03-28 11:00:00'),
                         '2026-03-29 11:00:00')
        # Monday 30 March ends at 23:59:59 CEST, 21:59:59 UTC.
        self.assertEqual(self._due(threat, '2026-03-28 11:00:00'),
                         '2026-03-30 21:59:59')
        # Autumn, Sunday 25 October 2026: Saturday 12:00 CEST (10:00 UTC)
        # plus 24 hours is Sunday 11:00 CET, 10:00 UTC.
        self.assertEqual(self._due(forward, '2026-10-24 10:00:00'),
                         '2026-10-25 10:00:00')
        # Monday 26 October ends at 23:59:59 CET, 22:59:59 UTC.
        self.assertEqual(self._due(threat, '2026-10-24 10:00:00'),
                         '2026-10-26 22:59:59')

    def test_new_york_both_transitions(self):
        self.company.partner_id.tz = 'America/New_York'
        hours = self.env['meddev.reporting.rule'].create({
            'name': 'US: test 72 hours', 'regulation': 'test',
            'country_id': self.usa.id, 'event_kind': 'public_threat',
            'deadline_amount': 72, 'deadline_unit': 'hours'})
        # Spring, Sunday 8 March 2026: Saturday 12:00 EST (17:00 UTC)
        # plus 72 hours is Tuesday 13:00 EDT, 17:00 UTC.
        self.assertEqual(self._due(hours, '2026-03-07 17:00:00'),
                         '2026-03-10 17:00:00')
        # Five working days from Friday 6 March: Friday 13 March ends at
        # 23:59:59 EDT, 03:59:59 UTC.
        self.assertEqual(
            self._due(self._rule('us_remedial'), '2026-03-06 15:00:00'),
            '2026-03-14 03:59:59')
        # Autumn, Sunday 1 November 2026: Saturday 10:00 EDT (14:00 UTC)
        # plus 72 hours is Tuesday 09:00 EST, 14:00 UTC.
        self.assertEqual(self._due(hours, '2026-10-31 14:00:00'),
                         '2026-11-03 14:00:00')
        # 30 calendar days from 31 October end on 30 November, 23:59:59
        # EST: 04:59:59 UTC.
        self.assertEqual(
            self._due(self._rule('us_death'), '2026-10-31 14:00:00'),
            '2026-12-01 04:59:59')

    def test_decision_in_germany_across_the_change(self):
        """Through the user's path: an EU importer decides a serious
        incident reportable on the Saturday before the change."""
        self.company.partner_id.tz = 'Europe/Berlin'
        with frozen_now('2026-03-28 12:00:00'):
            complaint = self._create_complaint(
                country_id=self.germany.id,
                awareness_date='2026-03-28 11:00:00',
                received_date='2026-03-28 11:00:00')
            self._decide(complaint, self.germany, reporter_role='importer')
        report = complaint.report_ids
        self.assertEqual(report.rule_id,
                         self._rule('eu_importer_serious_injury'))
        self.assertEqual(report.due_date, '2026-03-29 11:00:00')
