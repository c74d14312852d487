import unittest
from datetime import date

from hypothesis import given, strategies as st

from odoo.addons.meddev_credit.overdue import latest_crossing, net_overdue

TODAY = date(2026, 6, 30)


class TestNetOverdue(unittest.TestCase):

    def test_credits_settle_the_oldest_first(self):
        items = [(date(2026, 6, 20), 300.0), (date(2026, 5, 21), 200.0)]
        self.assertEqual(net_overdue(items, 0.0, TODAY),
                         ([(date(2026, 5, 21), 200.0),
                           (date(2026, 6, 20), 300.0)], 500.0, 40))
        # 250 received: the May invoice is settled, 50 of June's too.
        self.assertEqual(net_overdue(items, 250.0, TODAY),
                         ([(date(2026, 6, 20), 250.0)], 250.0, 10))
        self.assertEqual(net_overdue(items, 500.0, TODAY), ([], 0.0, 0))
        self.assertEqual(net_overdue(items, 900.0, TODAY), ([], 0.0, 0))

    def test_tolerance_amount(self):
        items = [(date(2026, 5, 1), 40.0)]
        self.assertEqual(net_overdue(items, 0.0, TODAY, tolerance=50.0),
                         ([], 0.0, 0))
        self.assertEqual(net_overdue(items, 0.0, TODAY, tolerance=39.0)[1:],
                         (40.0, 60))

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, 'negative'):
            net_overdue([], -1.0, TODAY)
        with self.assertRaisesRegex(ValueError, 'negative'):
            net_overdue([], 0.0, TODAY, tolerance=-5)
        self.assertEqual(net_overdue([], 0.0, TODAY), ([], 0.0, 0))

    def test_latest_crossing(self):
        remaining = [(date(2026, 3, 1), 10.0), (date(2026, 3, 25), 10.0),
                     (date(2026, 6, 1), 10.0)]
        # Over 90 days: March 1st crossed on May 31st, March 25th on
        # June 24th; June 1st has not crossed.
        self.assertEqual(latest_crossing(remaining, 90, TODAY),
                         date(2026, 6, 24))
        self.assertIsNone(latest_crossing(remaining[2:], 90, TODAY))

    @given(st.lists(st.tuples(st.dates(date(2025, 1, 1), date(2026, 6, 29)),
                              st.floats(0, 1e6))),
           st.floats(0, 1e7))
    def test_never_more_than_owed(self, items, unapplied):
        remaining, amount, days = net_overdue(items, unapplied, TODAY)
        owed = sum(value for __, value in items)
        self.assertLessEqual(amount, round(owed, 2) + 0.01)
        self.assertGreaterEqual(amount, round(owed - unapplied, 2) - 0.02)
        self.assertTrue(0 <= days <= 546)
