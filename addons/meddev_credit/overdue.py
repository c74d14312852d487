"""Overdue arithmetic, free of the ORM so that it is tested alone.

A customer who paid but whose payment is not matched yet is not late: the
money received and the open credit notes settle the oldest overdue
invoices first, as an accountant would match them.
"""
from datetime import timedelta


def net_overdue(items, unapplied, today, tolerance=0.0, precision=0.005):
    """Return ``(remaining, amount, days)`` for overdue ``items``.

    ``items`` are ``(date_due, open amount)`` pairs of overdue invoices,
    ``unapplied`` the money received or credited and not yet applied (a
    positive amount); they settle the oldest items first. ``remaining``
    lists what is still overdue, oldest first; ``amount`` is its total and
    ``days`` the age of the oldest. When ``amount`` is within
    ``tolerance``, nothing counts as overdue.
    """
    if unapplied < 0 or tolerance < 0:
        raise ValueError('unapplied credits and tolerance cannot be '
                         'negative: %r, %r' % (unapplied, tolerance))
    remaining = []
    left = float(unapplied)
    for date_due, amount in sorted(items, key=lambda item: item[0]):
        if amount <= precision:
            continue
        applied = min(left, amount)
        left -= applied
        if amount - applied > precision:
            remaining.append((date_due, amount - applied))
    total = sum(amount for __, amount in remaining)
    if not remaining or total <= tolerance + precision:
        return [], 0.0, 0
    return remaining, round(total, 2), (today - remaining[0][0]).days


def latest_crossing(remaining, threshold, today):
    """Return the last date on which an item of ``remaining`` became
    overdue by more than ``threshold`` days, or None if none is."""
    crossings = [date_due + timedelta(days=threshold + 1)
                 for date_due, __ in remaining
                 if (today - date_due).days > threshold]
    return max(crossings) if crossings else None
