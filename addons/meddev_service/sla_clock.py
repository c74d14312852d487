"""Working-time arithmetic for SLA clocks, without the ORM.

A calendar is plain data: weekly attendances (weekday 0 = Monday, hours as
floats in the calendar's time zone, optionally valid between two dates, an
``hour_to`` at or before ``hour_from`` running overnight into the next day),
leaves as (start, end) naive UTC datetimes (public holidays, an engineer's
days off) and make-up working days (China's 调休 weekends) given as dated
attendances. Every datetime in and out is naive UTC, as Odoo stores them.
"""
from collections import namedtuple
from datetime import date, datetime, time, timedelta

import pytz

# Beyond ten years of looking, the calendar is taken for one without work.
MAX_DAYS = 3660

Attendance = namedtuple(
    'Attendance', 'weekday hour_from hour_to date_from date_to')


class SlaClockError(ValueError):
    """Bad input: a calendar without working time, negative hours..."""


def make_attendance(weekday, hour_from, hour_to, date_from=None,
                    date_to=None):
    """Return an Attendance after checking its values; dates may be
    ``date`` objects or 'YYYY-MM-DD' strings."""
    weekday = int(weekday)
    if weekday < 0 or weekday > 6:
        raise SlaClockError('weekday must be 0 (Monday) to 6 (Sunday)')
    hour_from, hour_to = float(hour_from), float(hour_to)
    if not (0 <= hour_from < 24 and 0 <= hour_to <= 24):
        raise SlaClockError('hours must lie between 0 and 24')
    return Attendance(weekday, hour_from, hour_to,
                      _to_date(date_from), _to_date(date_to))


def _to_date(value):
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.strptime(value[:10], '%Y-%m-%d').date()


def _hours_to_time(hours):
    minutes = int(round(hours * 60))
    return time(minutes // 60, minutes % 60)


class WorkingCalendar(object):
    """Working intervals of one calendar in one time zone."""

    def __init__(self, attendances, tz='UTC', leaves=()):
        self.attendances = [
            att if isinstance(att, Attendance) else make_attendance(*att)
            for att in attendances]
        self.tz = pytz.timezone(tz or 'UTC')
        self.leaves = sorted(
            (start, end) for start, end in leaves if end > start)

    # -- intervals ------------------------------------------------------

    def _to_utc(self, day, hours):
        """Return the naive UTC datetime of local ``day`` at ``hours``
        (24 meaning the next midnight)."""
        if hours >= 24:
            local = datetime.combine(day + timedelta(days=1), time(0))
        else:
            local = datetime.combine(day, _hours_to_time(hours))
        return self.tz.localize(local, is_dst=False).astimezone(
            pytz.utc).replace(tzinfo=None)

    def _local_date(self, moment):
        return pytz.utc.localize(moment).astimezone(self.tz).date()

    def day_intervals(self, day):
        """Return the working intervals that start on local ``day``,
        before leaves, as sorted naive UTC pairs."""
        result = []
        for att in self.attendances:
            if att.weekday != day.weekday():
                continue
            if att.date_from and day < att.date_from:
                continue
            if att.date_to and day > att.date_to:
                continue
            start = self._to_utc(day, att.hour_from)
            if att.hour_to > att.hour_from:
                end = self._to_utc(day, att.hour_to)
            else:
                # Overnight shift: ends the next day.
                end = self._to_utc(day + timedelta(days=1), att.hour_to)
            result.append((start, end))
        return sorted(result)

    def _minus_leaves(self, start, end):
        """Yield the parts of [start, end) outside every leave."""
        for leave_start, leave_end in self.leaves:
            if leave_end <= start:
                continue
            if leave_start >= end:
                break
            if leave_start > start:
                yield start, leave_start
            start = max(start, leave_end)
            if start >= end:
                return
        if start < end:
            yield start, end

    def iter_intervals(self, start, end=None):
        """Yield the merged working intervals from ``start`` on (up to
        ``end`` when given), leaves removed, in order, naive UTC."""
        if end is not None and end <= start:
            return
        day = self._local_date(start) - timedelta(days=1)
        last_day = self._local_date(end) if end is not None else None
        pending = None
        for _offset in range(MAX_DAYS):
            if last_day is not None and day > last_day:
                break
            for iv_start, iv_end in self.day_intervals(day):
                iv_start, iv_end = max(iv_start, start), iv_end
                if end is not None:
                    iv_end = min(iv_end, end)
                if iv_end <= iv_start:
                    continue
                if pending and iv_start <= pending[1]:
                    pending = (pending[0], max(pending[1], iv_end))
                    continue
                if pending:
                    for part in self._minus_leaves(*pending):
                        yield part
                pending = (iv_start, iv_end)
            day += timedelta(days=1)
        if pending:
            for part in self._minus_leaves(*pending):
                yield part

    # -- clock arithmetic ----------------------------------------------

    def add_hours(self, start, hours):
        """Return the moment when ``hours`` working hours have passed
        after ``start`` (naive UTC)."""
        if hours is None or hours < 0:
            raise SlaClockError('working hours must be zero or more')
        if not self.attendances:
            raise SlaClockError('the calendar has no working time')
        remaining = timedelta(hours=hours)
        if not remaining:
            return start
        for iv_start, iv_end in self.iter_intervals(start):
            length = iv_end - iv_start
            if length >= remaining:
                return iv_start + remaining
            remaining -= length
        raise SlaClockError(
            'the calendar has no working time within %d days' % MAX_DAYS)

    def working_hours(self, start, end):
        """Return the working hours between ``start`` and ``end`` (0 when
        ``end`` is not after ``start``)."""
        if not start or not end or end <= start:
            return 0.0
        total = timedelta(0)
        for iv_start, iv_end in self.iter_intervals(start, end):
            total += iv_end - iv_start
        return total.total_seconds() / 3600.0


def deadline(calendar, start, target_hours, paused_working_hours=0.0):
    """Return the deadline of a clock started at ``start`` with
    ``target_hours`` to run, pushed back by the working hours it spent
    paused."""
    return calendar.add_hours(
        start, target_hours + (paused_working_hours or 0.0))


def clock_status(now, deadline_at, at_risk_at, reached=None, paused=False,
                 failed=False):
    """Return the status of one clock: 'met', 'failed', 'paused',
    'at_risk' or 'running'. A failed clock stays failed."""
    if failed:
        return 'failed'
    if reached:
        return 'met' if reached <= deadline_at else 'failed'
    if deadline_at and now > deadline_at:
        return 'failed'
    if paused:
        return 'paused'
    if at_risk_at and now >= at_risk_at:
        return 'at_risk'
    return 'running'
