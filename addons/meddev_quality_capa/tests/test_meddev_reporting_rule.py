from odoo.exceptions import ValidationError

from .common import MeddevQualityCapaCase


class TestReportingRule(MeddevQualityCapaCase):

    def test_days_positive(self):
        rules = self.env['meddev.reporting.rule'].sudo(self.manager)
        rule = rules.create({
            'name': 'Test rule: death in China',
            'country_id': self.china.id,
            'severity': 'death',
            'days': 1,
        })
        self.assertEqual(rule.days, 1)
        for days in (0, -7):
            with self.assertRaisesRegex(
                    ValidationError, 'Test rule: death in China'), \
                    self.cr.savepoint():
                rule.write({'days': days})
            with self.assertRaises(ValidationError), self.cr.savepoint():
                rules.create({
                    'name': 'Test rule: other in China',
                    'country_id': self.china.id,
                    'severity': 'other',
                    'days': days,
                })

    def test_order(self):
        other = self._create_rule('Test: other', self.china, 'other', 30)
        injury = self._create_rule(
            'Test: injury', self.china, 'serious_injury', 20)
        death = self._create_rule('Test: death', self.china, 'death', 7)
        rules = self.env['meddev.reporting.rule'].sudo(self.user).search(
            [('id', 'in', (other | injury | death).ids)])
        # Within a country, the most urgent deadline comes first.
        self.assertEqual(rules.ids, [death.id, injury.id, other.id])
