"""Fast tests of the pure deadline helper (no database needed)."""
import datetime
import unittest

from hypothesis import given, strategies as st

from ..deadline import DeadlineError, compute_deadline, format_time_left

dt = datetime.datetime
END = datetime.time(23, 59, 59)


class TestComputeDeadline(unittest.TestCase):

    # Tuesday 2026-03-03, 10:30.
    start = dt(2026, 3, 3, 10, 30)

    def test_calendar_days_end_of_last_day(self):
        self.assertEqual(compute_deadline(self.start, 7, 'calendar_days'),
                         dt(2026, 3, 10, 23, 59, 59))
        self.assertEqual(compute_deadline(self.start, 20, 'calendar_days'),
                         dt(2026, 3, 23, 23, 59, 59))
        # Weekends and holidays count as calendar days.
        self.assertEqual(
            compute_deadline(self.start, 2, 'calendar_days',
                             holidays=[datetime.date(2026, 3, 4)]),
            dt(2026, 3, 5, 23, 59, 59))

    def test_calendar_days_cross_month_and_leap_year(self):
        self.assertEqual(
            compute_deadline(dt(2028, 2, 20, 8, 0), 10, 'calendar_days'),
            dt(2028, 3, 1, 23, 59, 59))
        self.assertEqual(
            compute_deadline(dt(2026, 12, 25, 23, 0), 30, 'calendar_days'),
            dt(2027, 1, 24, 23, 59, 59))

    def test_working_days_skip_weekend(self):
        # Tuesday + 5 working days = next Tuesday.
        self.assertEqual(compute_deadline(self.start, 5, 'working_days'),
                         dt(2026, 3, 10, 23, 59, 59))
        # Friday + 1 working day = Monday.
        self.assertEqual(
            compute_deadline(dt(2026, 3, 6, 9, 0), 1, 'working_days'),
            dt(2026, 3, 9, 23, 59, 59))
        # Aware on a Saturday: the count starts on Monday.
        self.assertEqual(
            compute_deadline(dt(2026, 3, 7, 9, 0), 1, 'working_days'),
            dt(2026, 3, 9, 23, 59, 59))

    def test_working_days_skip_holidays(self):
        # China's National Day week: 1-7 October 2026 not worked.
        holidays = [datetime.date(2026, 10, day) for day in range(1, 8)]
        self.assertEqual(
            compute_deadline(dt(2026, 9, 30, 15, 0), 5, 'working_days',
                             holidays=holidays),
            dt(2026, 10, 14, 23, 59, 59))
        # 21 CFR 803.30: 10 working days, a US holiday on the way.
        self.assertEqual(
            compute_deadline(dt(2026, 11, 20, 9, 0), 10, 'working_days',
                             holidays=[datetime.date(2026, 11, 26)]),
            dt(2026, 12, 7, 23, 59, 59))

    def test_working_days_other_week(self):
        # A six-day week (Monday to Saturday).
        self.assertEqual(
            compute_deadline(dt(2026, 3, 6, 9, 0), 1, 'working_days',
                             workdays=range(6)),
            dt(2026, 3, 7, 23, 59, 59))

    def test_hours(self):
        self.assertEqual(compute_deadline(self.start, 12, 'hours'),
                         dt(2026, 3, 3, 22, 30))
        self.assertEqual(compute_deadline(self.start, 24, 'hours'),
                         dt(2026, 3, 4, 10, 30))
        # Hours run through nights, weekends and holidays.
        self.assertEqual(
            compute_deadline(dt(2026, 3, 6, 20, 0), 12, 'hours',
                             holidays=[datetime.date(2026, 3, 7)]),
            dt(2026, 3, 7, 8, 0))

    def test_bad_input(self):
        for amount in (0, -3, 1.5, '7', None, True):
            with self.assertRaisesRegex(DeadlineError, 'positive'):
                compute_deadline(self.start, amount, 'calendar_days')
        with self.assertRaisesRegex(DeadlineError, 'unit'):
            compute_deadline(self.start, 7, 'weeks')
        with self.assertRaisesRegex(DeadlineError, 'date and time'):
            compute_deadline(datetime.date(2026, 3, 3), 7, 'calendar_days')
        with self.assertRaisesRegex(DeadlineError, 'no weekday'):
            compute_deadline(self.start, 7, 'working_days', workdays=())
        every_day = [datetime.date(2026, 3, 3) + datetime.timedelta(days=n)
                     for n in range(4000)]
        with self.assertRaisesRegex(DeadlineError, 'no 1 working days'):
            compute_deadline(self.start, 1, 'working_days',
                             holidays=every_day)

    @given(st.datetimes(min_value=dt(2000, 1, 1), max_value=dt(2090, 1, 1)),
           st.integers(min_value=1, max_value=60),
           st.sets(st.dates(min_value=datetime.date(2000, 1, 1),
                            max_value=datetime.date(2090, 6, 1)),
                   max_size=20))
    def test_working_days_properties(self, start, amount, holidays):
        due = compute_deadline(start, amount, 'working_days',
                               holidays=holidays)
        self.assertEqual(due.time(), END)
        self.assertLess(due.weekday(), 5)
        self.assertNotIn(due.date(), holidays)
        worked = [start.date() + datetime.timedelta(days=n)
                  for n in range(1, (due.date() - start.date()).days + 1)]
        worked = [day for day in worked
                  if day.weekday() < 5 and day not in holidays]
        self.assertEqual(len(worked), amount)
        # Never earlier than the same number of calendar days.
        self.assertGreaterEqual(
            due, compute_deadline(start, amount, 'calendar_days'))


class TestFormatTimeLeft(unittest.TestCase):

    def test_left_and_overdue(self):
        now = dt(2026, 3, 3, 10, 0)
        self.assertEqual(format_time_left(dt(2026, 3, 6, 14, 0), now),
                         '3 d 4 h')
        self.assertEqual(format_time_left(dt(2026, 3, 3, 15, 20), now),
                         '5 h 20 min')
        self.assertEqual(format_time_left(dt(2026, 3, 3, 8, 0), now),
                         'overdue 2 h 0 min')
        self.assertEqual(
            format_time_left(dt(2026, 3, 1, 8, 0), now,
                             {'d': '天', 'h': '小时', 'overdue': '已逾期'}),
            '已逾期 2 天 2 小时')
