"""Credit score arithmetic, free of the ORM so that it is tested alone.

A signal is a risk between 0 (no risk) and 1 (highest risk); the score is
100 times one minus the weighted average of the signals, so 100 is the best
customer and 0 the worst. Grades follow from the score through thresholds.
"""
from decimal import ROUND_HALF_UP, Decimal

GRADES = ('A', 'B', 'C', 'D')
# The usage of a zero limit that applies (the company gives no credit to
# customers without a limit, or the grade's multiplier is 0) once anything
# is owed: all of it.
ZERO_LIMIT_USAGE = 100.0


def clamp_risk(value):
    """Return ``value`` limited to the 0-1 risk scale."""
    if value is None:
        return None
    return min(max(float(value), 0.0), 1.0)


def days_late_risk(average_days_late, full_risk_days):
    """Return the risk of an average lateness: 0 when on time, 1 at
    ``full_risk_days`` or later."""
    if full_risk_days <= 0:
        raise ValueError('full_risk_days must be positive, not %r'
                         % (full_risk_days,))
    if average_days_late is None:
        return None
    return clamp_risk(average_days_late / float(full_risk_days))


def ratio_risk(part, whole):
    """Return ``part / whole`` as a risk; None when there is no base."""
    if not whole or whole <= 0:
        return None
    return clamp_risk(part / float(whole))


def weighted_score(risks, weights):
    """Return the 0-100 score of ``risks`` (code -> risk or None) weighted
    by ``weights`` (code -> weight); signals without data are left out.

    Returns None when no weighted signal has data: nothing to rate on.
    """
    total_weight = 0.0
    total_risk = 0.0
    for code, risk in risks.items():
        weight = weights.get(code, 0.0)
        if weight < 0:
            raise ValueError('the weight of %s is negative: %r' % (code, weight))
        if risk is None or not weight:
            continue
        if not 0.0 <= risk <= 1.0:
            raise ValueError('the risk of %s is outside 0-1: %r' % (code, risk))
        total_weight += weight
        total_risk += weight * risk
    if not total_weight:
        return None
    return round(100.0 * (1.0 - total_risk / total_weight), 2)


def grade_for_score(score, thresholds):
    """Return the grade of ``score`` given ``thresholds`` (grade -> lowest
    score of that grade, for A, B and C; below C's threshold is D)."""
    if score is None:
        return None
    if not 0.0 <= score <= 100.0:
        raise ValueError('score outside 0-100: %r' % (score,))
    previous = 101.0
    for grade in GRADES[:-1]:
        threshold = thresholds[grade]
        if threshold > previous:
            raise ValueError('grade thresholds must decrease from A to C: %r'
                             % (thresholds,))
        previous = threshold
    for grade in GRADES[:-1]:
        if score >= thresholds[grade]:
            return grade
    return GRADES[-1]


def grade_rank(grade):
    """Return 0 for A up to 3 for D (higher is riskier)."""
    if grade not in GRADES:
        raise ValueError('unknown grade %r' % (grade,))
    return GRADES.index(grade)


def effective_limit(credit_limit, multiplier=1.0, cap=0.0):
    """Return the limit a grade allows: the partner's limit times the
    grade's multiplier, capped by the grade's cap when one is set."""
    if credit_limit < 0 or multiplier < 0 or cap < 0:
        raise ValueError('limits, multipliers and caps cannot be negative')
    limit = credit_limit * multiplier
    if cap:
        limit = min(limit, cap)
    return limit


def round_half_up(value, digits=2):
    """Return ``value`` rounded half away from zero, as PostgreSQL's
    ROUND(numeric) does (Python's round() goes to the even digit: 0.125
    gives 0.12 there, 0.13 in SQL)."""
    return float(Decimal(repr(value)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def usage_percent(exposure, limit, limit_applies=True):
    """Return exposure as a percentage of ``limit``, rounded half up to two
    digits. Without a positive limit: 0 when no limit applies (the company
    does not check such customers), ZERO_LIMIT_USAGE when a zero limit
    applies and something is owed, so that such a customer is at risk."""
    if not limit or limit <= 0:
        if limit_applies and round_half_up(exposure) > 0:
            return ZERO_LIMIT_USAGE
        return 0.0
    return round_half_up(100.0 * exposure / limit)
