import importlib.util
import os

from odoo.exceptions import UserError, ValidationError

from .common import MeddevQualityCapaCase

MIGRATION = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), 'migrations', '11.0.1.2.0',
    'post-eu-group.py')


class TestEuJurisdiction(MeddevQualityCapaCase):
    """EU MDR rules apply to every EU/EEA country through the shipped
    country group, and a 'reportable' decision that no rule answers is
    refused when it is taken (review of issue 9, S1-2)."""

    def _rule(self, xmlid):
        return self.env.ref('meddev_quality_capa.reporting_rule_' + xmlid)

    def test_member_states_find_the_eu_rules(self):
        group = self.env.ref('meddev_quality_capa.country_group_eu_mdr')
        codes = set(group.country_ids.mapped('code'))
        self.assertEqual(len(codes), 30)
        self.assertTrue({'FR', 'DE', 'IS', 'LI', 'NO'} <= codes)
        self.assertFalse({'GB', 'CH', 'CN'} & codes)
        for code in ('fr', 'no'):
            country = self.env.ref('base.' + code)
            complaint = self._create_complaint(country_id=country.id)
            self._decide(complaint, country)
            report = complaint.report_ids
            self.assertEqual(report.rule_id, self._rule('eu_serious_injury'))
            self.assertEqual(report.due_date, '2026-03-13 23:59:59')
            # The report goes to the member state's authority.
            self.assertEqual(report.country_id, country)
        # A country outside the group does not get the EU rules.
        swiss = self.env.ref('base.ch')
        self.assertFalse(self.env['meddev.reporting.rule']._applicable(
            swiss, 'registrant', ['serious_injury'], 'domestic',
            '2026-03-03', self.company))

    def test_reportable_without_rule_refused_at_decision(self):
        japan = self.env.ref('base.jp')
        complaint = self._create_complaint(country_id=japan.id)
        # The web client's transaction rolls back with the refusal.
        with self.assertRaisesRegex(
                UserError, r'Japan.*"Registrant / Manufacturer".*'
                           r'"Serious Injury"'), self.env.cr.savepoint():
            self._decide(complaint, japan)
        complaint.invalidate_cache()
        self.assertFalse(complaint.decision_ids)
        # A role without duties there: US distributors report nothing.
        us_case = self._create_complaint(country_id=self.usa.id)
        with self.assertRaisesRegex(
                UserError, r'United States.*"Distributor"'), \
                self.env.cr.savepoint():
            self._decide(us_case, self.usa, reporter_role='distributor')
        # An outcome that is no reportable event kind.
        harmless = self._create_complaint(patient_outcome='no_harm',
                                          lot_id=False)
        self.assertFalse(harmless.group_event)
        with self.assertRaisesRegex(UserError, r'China.*"none"'), \
                self.env.cr.savepoint():
            self._decide(harmless, self.china)
        # Changing an answer so that no rule applies is refused too.
        decision = self._decide(us_case, self.usa)
        with self.assertRaisesRegex(UserError, r'"Distributor"'), \
                self.env.cr.savepoint():
            decision.sudo(self.regulatory).write(
                {'reporter_role': 'distributor'})
        decision.invalidate_cache()
        self.assertEqual(decision.reporter_role, 'registrant')
        # 'Not reportable' needs no rule.
        self._decide(complaint, japan, decision='not_reportable',
                     rationale='日本无此产品注册')

    def test_rule_has_one_jurisdiction(self):
        group = self.env.ref('meddev_quality_capa.country_group_eu_mdr')
        vals = {'name': 'Test rule', 'regulation': 'Test',
                'event_kind': 'death', 'deadline_amount': 5}
        rules = self.env['meddev.reporting.rule'].sudo(self.manager)
        with self.assertRaisesRegex(ValidationError, 'either a country'):
            rules.create(dict(vals, country_id=self.china.id,
                              country_group_id=group.id))
        with self.assertRaisesRegex(ValidationError, 'either a country'):
            rules.create(vals)
        self.assertTrue(rules.create(dict(vals, country_group_id=group.id)))

    def test_migration_moves_the_eu_rules_to_the_group(self):
        """The 11.0.1.2.0 script moves shipped EU rules still on Germany
        (noupdate) to the group, and leaves other rules alone."""
        rule = self._rule('eu_death')
        china_rule = self._rule('cn_death')
        self.env.cr.execute(
            "UPDATE meddev_reporting_rule SET country_id = %s, "
            "country_group_id = NULL WHERE id = %s",
            (self.germany.id, rule.id))
        rule.invalidate_cache()
        spec = importlib.util.spec_from_file_location('eu_group', MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, '11.0.1.1.0')
        rule.invalidate_cache()
        self.assertFalse(rule.country_id)
        self.assertEqual(
            rule.country_group_id,
            self.env.ref('meddev_quality_capa.country_group_eu_mdr'))
        self.assertEqual(china_rule.country_id, self.china)
