"""Whether a write really changes a company option (no ORM inside).

Saving Odoo's Settings writes every related field it shows, changed or
not: an access check on company options compares old and new values
rather than looking at the keys written (see ``res.company``'s
``_meddev_guarded_settings`` in meddev_base)."""

NUMBER_TYPES = ('integer', 'float', 'monetary')
X2MANY_TYPES = ('many2many', 'one2many')


def plain_value(value):
    """Return ``value`` in the form a write sends it: the id of a record
    (anything with ``ids``), the id of a many2one as ``read()`` gives it
    ((id, name)), False for every empty value."""
    if hasattr(value, 'ids'):
        return value.ids[0] if value.ids else False
    if isinstance(value, (list, tuple)) and len(value) == 2 \
            and isinstance(value[0], int) and not isinstance(value[0], bool):
        return value[0]
    return value or False


def apply_x2many_commands(ids, commands):
    """Return the set of ids an x2many holding ``ids`` holds after the
    write ``commands`` (a plain list of ids is a replacement). A created
    record (command 0) counts as a new member (None)."""
    result = set(ids)
    for command in commands or ():
        if not isinstance(command, (list, tuple)):
            return set(commands)
        if command[0] == 6:
            result = set(command[2] or ())
        elif command[0] == 5:
            result = set()
        elif command[0] in (2, 3):
            result.discard(command[1])
        elif command[0] == 4:
            result.add(command[1])
        elif command[0] == 0:
            result.add(None)
    return result


def x2many_ids(value):
    """Return the set of ids of an x2many value: records (anything with
    ``ids``), a list of ids, or write commands (a default value)."""
    if hasattr(value, 'ids'):
        return set(value.ids)
    return apply_x2many_commands((), value)


def setting_changed(field_type, old, new):
    """Whether writing ``new`` into an option of type ``field_type`` (an
    Odoo field type) whose value is ``old`` changes it: records compare by
    id, x2many commands by the ids they leave, numbers by value (5 ==
    5.0), empty values (None, False, 0, '', no record) alike."""
    if field_type in X2MANY_TYPES:
        old_ids = x2many_ids(old)
        return apply_x2many_commands(old_ids, new) != old_ids
    old = plain_value(old)
    new = plain_value(new)
    if field_type in NUMBER_TYPES:
        try:
            return float(old or 0.0) != float(new or 0.0)
        except (TypeError, ValueError):
            # Not a number (a client's mistake): the write itself refuses
            # it; it counts as a change here, so the check runs.
            return True
    return old != new
