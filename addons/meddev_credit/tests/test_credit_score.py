import unittest

from hypothesis import given, strategies as st

from odoo.addons.meddev_credit import credit_score as cs

THRESHOLDS = {'A': 80, 'B': 60, 'C': 40}


class TestCreditScore(unittest.TestCase):

    def test_weighted_score(self):
        self.assertEqual(cs.weighted_score({'a': 0.0, 'b': 0.0},
                                           {'a': 1, 'b': 3}), 100.0)
        self.assertEqual(cs.weighted_score({'a': 1.0, 'b': 0.0},
                                           {'a': 1, 'b': 3}), 75.0)
        # A signal without data leaves the others' weights in charge.
        self.assertEqual(cs.weighted_score({'a': 0.5, 'b': None},
                                           {'a': 1, 'b': 3}), 50.0)
        # Signals nobody weighs (another module's, unconfigured) count 0.
        self.assertEqual(cs.weighted_score({'a': 0.5, 'x': 1.0},
                                           {'a': 1}), 50.0)
        self.assertIsNone(cs.weighted_score({'a': None}, {'a': 1}))
        self.assertIsNone(cs.weighted_score({'a': 0.3}, {'a': 0}))

    def test_weighted_score_bad_input(self):
        with self.assertRaisesRegex(ValueError, 'negative'):
            cs.weighted_score({'a': 0.5}, {'a': -1})
        with self.assertRaisesRegex(ValueError, 'outside 0-1'):
            cs.weighted_score({'a': 1.5}, {'a': 1})

    def test_grades(self):
        self.assertEqual(cs.grade_for_score(100, THRESHOLDS), 'A')
        self.assertEqual(cs.grade_for_score(80, THRESHOLDS), 'A')
        self.assertEqual(cs.grade_for_score(79.99, THRESHOLDS), 'B')
        self.assertEqual(cs.grade_for_score(40, THRESHOLDS), 'C')
        self.assertEqual(cs.grade_for_score(39.99, THRESHOLDS), 'D')
        self.assertEqual(cs.grade_for_score(0, THRESHOLDS), 'D')
        self.assertIsNone(cs.grade_for_score(None, THRESHOLDS))
        with self.assertRaisesRegex(ValueError, 'decrease'):
            cs.grade_for_score(50, {'A': 60, 'B': 70, 'C': 40})
        with self.assertRaisesRegex(ValueError, 'outside'):
            cs.grade_for_score(101, THRESHOLDS)
        self.assertEqual(cs.grade_rank('A'), 0)
        self.assertEqual(cs.grade_rank('D'), 3)
        with self.assertRaises(ValueError):
            cs.grade_rank('E')

    def test_risks(self):
        self.assertEqual(cs.days_late_risk(30, 60), 0.5)
        self.assertEqual(cs.days_late_risk(120, 60), 1.0)
        self.assertEqual(cs.days_late_risk(-5, 60), 0.0)
        self.assertIsNone(cs.days_late_risk(None, 60))
        with self.assertRaises(ValueError):
            cs.days_late_risk(10, 0)
        self.assertEqual(cs.ratio_risk(25, 100), 0.25)
        self.assertEqual(cs.ratio_risk(250, 100), 1.0)
        self.assertIsNone(cs.ratio_risk(10, 0))

    def test_limits(self):
        self.assertEqual(cs.effective_limit(1000), 1000)
        self.assertEqual(cs.effective_limit(1000, 0.5), 500)
        self.assertEqual(cs.effective_limit(1000, 1.2, 1100), 1100)
        with self.assertRaises(ValueError):
            cs.effective_limit(-1)
        self.assertEqual(cs.usage_percent(800, 1000), 80.0)
        self.assertEqual(cs.usage_percent(800, 0), cs.ZERO_LIMIT_USAGE)
        self.assertEqual(cs.usage_percent(800, 0, limit_applies=False), 0.0)
        self.assertEqual(cs.usage_percent(0.001, 0), 0.0)
        self.assertEqual(cs.usage_percent(-50, 0), 0.0)

    def test_usage_rounds_half_up_as_sql(self):
        # round() gives 0.12 (half to even); PostgreSQL's ROUND 0.13.
        self.assertEqual(cs.usage_percent(1, 800), 0.13)
        self.assertEqual(cs.usage_percent(-1, 800), -0.13)
        self.assertEqual(cs.usage_percent(801, 1000), 80.1)
        self.assertEqual(cs.round_half_up(8.005), 8.01)

    @given(st.dictionaries(
        st.sampled_from('abcde'),
        st.one_of(st.none(), st.floats(0, 1))),
        st.dictionaries(st.sampled_from('abcde'), st.floats(0, 100)))
    def test_score_stays_in_range(self, risks, weights):
        score = cs.weighted_score(risks, weights)
        if score is not None:
            self.assertTrue(0.0 <= score <= 100.0)
            self.assertIn(cs.grade_for_score(score, THRESHOLDS), cs.GRADES)
