"""Adverse-event reporting deadlines: calendar days, working days or hours
counted from the moment the company became aware of the event.

Regulations count days from the awareness date: "within 20 days" means by
the end of the 20th day after it (the awareness day itself is day 0), and
"within 5 working days" by the end of the 5th working day after it, working
days being the weekdays worked that are not holidays. Hours run from the
awareness time itself. Times are naive local times of the jurisdiction's
calendar: the caller converts to and from UTC.

Standard library only, no ORM: usable from models, reports, scripts and
tests alike, on Python 3.5 to 3.7.
"""
import datetime

__all__ = ['UNITS', 'DeadlineError', 'compute_deadline', 'format_time_left']

UNITS = ('calendar_days', 'working_days', 'hours')
# A working-day count never needs to look further than this many days ahead
# (a year of holidays would be a configuration error, not a deadline).
_MAX_SCAN_DAYS = 3660
_END_OF_DAY = datetime.time(23, 59, 59)


class DeadlineError(ValueError):
    """A deadline that cannot be computed, and why (in English)."""


def _check(start, amount, unit, workdays):
    if not isinstance(start, datetime.datetime):
        raise DeadlineError('the start must be a date and time, not %r'
                            % (start,))
    if unit not in UNITS:
        raise DeadlineError('unknown deadline unit %r' % (unit,))
    if isinstance(amount, bool) or not isinstance(amount, int) \
            or amount <= 0:
        raise DeadlineError('the deadline must be a positive whole number, '
                            'not %r' % (amount,))
    if unit == 'working_days' and not set(workdays) & set(range(7)):
        raise DeadlineError('no weekday is a working day')


def compute_deadline(start, amount, unit, holidays=(),
                     workdays=(0, 1, 2, 3, 4)):
    """Return the naive local datetime by which a report is due.

    ``start``: the awareness datetime (naive, local); ``amount``: a positive
    integer; ``unit``: one of UNITS; ``holidays``: dates not worked (used by
    working days only); ``workdays``: weekday numbers worked (Monday = 0).
    Days-based deadlines end at 23:59:59 of their last day.
    """
    _check(start, amount, unit, workdays)
    if unit == 'hours':
        return start + datetime.timedelta(hours=amount)
    if unit == 'calendar_days':
        day = start.date() + datetime.timedelta(days=amount)
        return datetime.datetime.combine(day, _END_OF_DAY)
    holidays = frozenset(holidays)
    workdays = frozenset(workdays)
    day = start.date()
    counted = 0
    for _step in range(_MAX_SCAN_DAYS):
        day += datetime.timedelta(days=1)
        if day.weekday() in workdays and day not in holidays:
            counted += 1
            if counted == amount:
                return datetime.datetime.combine(day, _END_OF_DAY)
    raise DeadlineError('no %d working days within %d days of %s'
                        % (amount, _MAX_SCAN_DAYS, start.date()))


def format_time_left(due, now, labels=None):
    """Return the time left until ``due`` at ``now`` as a short text
    ('3 d 4 h', '5 h 20 min') or, once past, the time overdue prefixed by
    the 'overdue' label. ``labels`` maps 'd', 'h', 'min' and 'overdue' to
    their (translated) texts."""
    labels = dict({'d': 'd', 'h': 'h', 'min': 'min', 'overdue': 'overdue'},
                  **(labels or {}))
    delta = due - now
    late = delta.total_seconds() < 0
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = '%d %s %d %s' % (days, labels['d'], hours, labels['h'])
    else:
        text = '%d %s %d %s' % (hours, labels['h'], minutes, labels['min'])
    return '%s %s' % (labels['overdue'], text) if late else text
