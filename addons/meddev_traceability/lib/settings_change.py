"""Which company options a write really changes (no ORM inside).

Saving Odoo's Settings writes every related field it shows, changed or
not: an access check on company options must compare old and new values
rather than look at the keys written."""


def setting_value(value):
    """Return ``value`` in the form a write sends it: the id of a record
    (anything with ``ids``), False for empty values."""
    if hasattr(value, 'ids'):
        return value.ids[0] if value.ids else False
    if isinstance(value, (list, tuple)) and len(value) == 2 \
            and isinstance(value[0], int):
        # A many2one as read() returns it: (id, name).
        return value[0]
    return value or False


def changed_settings(current, asked):
    """Return the sorted names of ``asked`` ({name: new value}) whose value
    differs from ``current`` ({name: value now}); numbers compare by
    value (5 == 5.0), empty values (None, False, 0, '') alike."""
    changed = []
    for name, new in asked.items():
        old = setting_value(current.get(name))
        new = setting_value(new)
        if isinstance(old, (int, float)) and isinstance(new, (int, float)) \
                and not isinstance(old, bool) and not isinstance(new, bool):
            if float(old) != float(new):
                changed.append(name)
        elif old != new:
            changed.append(name)
    return sorted(changed)
