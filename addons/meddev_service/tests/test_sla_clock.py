"""Tests of the SLA working-time helper: plain unit tests, no database."""
import unittest
from datetime import datetime, timedelta

from hypothesis import given, settings, strategies as st

from .. import sla_clock

# Monday to Friday, 08:30-12:00 and 13:00-17:30 in Shanghai (UTC+8, no DST).
OFFICE = [(day, 8.5, 12.0) for day in range(5)] + \
    [(day, 13.0, 17.5) for day in range(5)]


def utc(local_text, offset=8):
    """Return the naive UTC datetime of a Shanghai wall-clock time."""
    return datetime.strptime(local_text, '%Y-%m-%d %H:%M') - timedelta(
        hours=offset)


class TestSlaClock(unittest.TestCase):

    def setUp(self):
        super(TestSlaClock, self).setUp()
        self.office = sla_clock.WorkingCalendar(OFFICE, tz='Asia/Shanghai')

    def test_friday_evening_to_monday_afternoon(self):
        # 2026-11-27 is a Friday: opened at 17:30 with 8 working hours,
        # the ticket is due on Monday afternoon, not on Saturday.
        due = self.office.add_hours(utc('2026-11-27 17:30'), 8)
        self.assertEqual(due, utc('2026-11-30 17:30'))
        due = self.office.add_hours(utc('2026-11-27 17:30'), 4)
        self.assertEqual(due, utc('2026-11-30 13:30'))

    def test_inside_working_day_and_lunch_break(self):
        due = self.office.add_hours(utc('2026-11-30 10:00'), 3)
        # 10:00-12:00 is 2 hours, lunch, then 1 hour from 13:00.
        self.assertEqual(due, utc('2026-11-30 14:00'))
        self.assertEqual(
            self.office.working_hours(utc('2026-11-30 10:00'), due), 3.0)

    def test_zero_hours_and_bad_input(self):
        start = utc('2026-11-30 10:00')
        self.assertEqual(self.office.add_hours(start, 0), start)
        with self.assertRaises(sla_clock.SlaClockError):
            self.office.add_hours(start, -1)
        with self.assertRaises(sla_clock.SlaClockError):
            sla_clock.WorkingCalendar([], tz='Asia/Shanghai').add_hours(
                start, 1)
        with self.assertRaises(sla_clock.SlaClockError):
            sla_clock.make_attendance(7, 8, 12)
        with self.assertRaises(sla_clock.SlaClockError):
            sla_clock.make_attendance(1, 8, 25)
        self.assertEqual(self.office.working_hours(start, start), 0.0)
        self.assertEqual(
            self.office.working_hours(start, start - timedelta(hours=1)),
            0.0)

    def test_time_zone(self):
        # The same calendar read in UTC still has 7 hours that Friday.
        london = sla_clock.WorkingCalendar(OFFICE, tz='UTC')
        start = datetime(2026, 11, 27, 9, 30)
        self.assertEqual(london.add_hours(start, 7),
                         datetime(2026, 11, 27, 17, 30))
        # In Shanghai, 09:30 UTC is 17:30 local: nothing left on Friday.
        self.assertEqual(self.office.add_hours(start, 8),
                         utc('2026-11-30 17:30'))

    def test_holidays(self):
        # National Day 2026: Thursday 1 to Wednesday 7 October off.
        holidays = [(utc('2026-10-01 00:00'), utc('2026-10-08 00:00'))]
        calendar = sla_clock.WorkingCalendar(
            OFFICE, tz='Asia/Shanghai', leaves=holidays)
        due = calendar.add_hours(utc('2026-09-30 16:30'), 2)
        self.assertEqual(due, utc('2026-10-08 09:30'))
        self.assertEqual(calendar.working_hours(
            utc('2026-09-30 16:30'), utc('2026-10-08 09:30')), 2.0)

    def test_make_up_working_day(self):
        # 调休: Saturday 10 October 2026 is worked, as a dated attendance.
        attendances = OFFICE + [
            (5, 8.5, 12.0, '2026-10-10', '2026-10-10'),
            (5, 13.0, 17.5, '2026-10-10', '2026-10-10')]
        calendar = sla_clock.WorkingCalendar(attendances, tz='Asia/Shanghai')
        due = calendar.add_hours(utc('2026-10-09 17:00'), 2)
        self.assertEqual(due, utc('2026-10-10 10:00'))
        # The following Saturday is not worked.
        due = calendar.add_hours(utc('2026-10-16 17:00'), 2)
        self.assertEqual(due, utc('2026-10-19 10:00'))

    def test_overnight_shift(self):
        # Night desk: 22:00 to 06:00, Monday to Friday nights.
        night = sla_clock.WorkingCalendar(
            [(day, 22.0, 6.0) for day in range(5)], tz='Asia/Shanghai')
        due = night.add_hours(utc('2026-11-30 23:00'), 10)
        # 7 hours to Tuesday 06:00, 3 more from Tuesday 22:00.
        self.assertEqual(due, utc('2026-12-02 01:00'))
        # Friday night runs into Saturday morning, then Monday night.
        due = night.add_hours(utc('2026-12-05 05:00'), 2)
        self.assertEqual(due, utc('2026-12-07 23:00'))

    def test_overnight_as_two_attendances_merges(self):
        calendar = sla_clock.WorkingCalendar(
            [(0, 22.0, 24.0), (1, 0.0, 6.0)], tz='Asia/Shanghai')
        intervals = list(calendar.iter_intervals(
            utc('2026-11-30 00:00'), utc('2026-12-02 00:00')))
        self.assertEqual(
            intervals, [(utc('2026-11-30 22:00'), utc('2026-12-01 06:00'))])

    def test_dst_zone(self):
        # Europe/Berlin leaves DST on 25 October 2026: still 8 local hours.
        berlin = sla_clock.WorkingCalendar(
            [(day, 9.0, 17.0) for day in range(5)], tz='Europe/Berlin')
        due = berlin.add_hours(datetime(2026, 10, 23, 15, 0), 8)
        self.assertEqual(due, datetime(2026, 10, 26, 16, 0))

    def test_deadline_with_pause_and_status(self):
        start = utc('2026-11-30 08:30')
        # 4 hours plus 2 spent paused: 3.5 before lunch, 2.5 after.
        self.assertEqual(sla_clock.deadline(self.office, start, 4, 2),
                         utc('2026-11-30 15:30'))
        deadline_at = utc('2026-11-30 12:00')
        risk_at = utc('2026-11-30 11:00')
        status = sla_clock.clock_status
        self.assertEqual(status(utc('2026-11-30 10:00'), deadline_at,
                                risk_at), 'running')
        self.assertEqual(status(utc('2026-11-30 11:30'), deadline_at,
                                risk_at), 'at_risk')
        self.assertEqual(status(utc('2026-11-30 11:30'), deadline_at,
                                risk_at, paused=True), 'paused')
        self.assertEqual(status(utc('2026-11-30 12:30'), deadline_at,
                                risk_at), 'failed')
        self.assertEqual(status(utc('2026-11-30 12:30'), deadline_at,
                                risk_at, reached=utc('2026-11-30 11:59')),
                         'met')
        # A failed clock stays failed, whatever happens next.
        self.assertEqual(status(utc('2026-11-30 10:00'), deadline_at,
                                risk_at, reached=utc('2026-11-30 10:00'),
                                failed=True), 'failed')

    @settings(max_examples=60, deadline=None)
    @given(start_minutes=st.integers(0, 60 * 24 * 14),
           hours=st.floats(0, 80, allow_nan=False))
    def test_add_then_measure(self, start_minutes, hours):
        # What add_hours adds, working_hours measures back.
        start = datetime(2026, 11, 23) + timedelta(minutes=start_minutes)
        due = self.office.add_hours(start, hours)
        self.assertGreaterEqual(due, start)
        self.assertAlmostEqual(
            self.office.working_hours(start, due), hours, places=4)
