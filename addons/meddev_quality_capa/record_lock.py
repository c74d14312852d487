"""Which fields of a closed record may still change.

A closed complaint or CAPA is a record of what was done: its content is
frozen, while the chatter (messages, followers) and the activities go on
(a late reply, a reminder). Standard library only, no ORM.
"""

__all__ = ['OPEN_PREFIXES', 'frozen_fields']

# Mail threads and activities write these on every message or activity.
OPEN_PREFIXES = ('message_', 'activity_', 'website_message_')


def frozen_fields(vals, also_open=()):
    """Return the sorted names in ``vals`` that a closed record refuses:
    every name but the chatter's and activities', and ``also_open``."""
    return sorted(name for name in vals
                  if not name.startswith(OPEN_PREFIXES)
                  and name not in also_open)
