"""The context of the records the service workflow creates for a user.

Closing a ticket creates a sale order, using a part creates stock moves and
genealogy links, a new ticket creates its SLA clocks, the workflow schedules
activities: all under sudo, on the user's behalf. Odoo fills a new record's
missing fields from the ``default_<field>`` keys of the context, and a few
keys switch off what a create computes or logs; an RPC caller chooses that
context. The workflow creates those records in a context without them (a
sale order born confirmed, a clock born paused, a genealogy link born
retired would otherwise follow from one context key).

No ORM import here: the helpers take records and return records.
"""

# Context keys that change what a create stores or logs: stored computed
# fields left uncomputed, no tracking of the values, no creation message.
SWITCH_KEYS = frozenset((
    'recompute', 'tracking_disable', 'mail_notrack', 'mail_create_nolog',
))


def workflow_context(context):
    """Return ``context`` without the ``default_*`` keys and the switches
    (``SWITCH_KEYS``); language, time zone, company and the module's own
    keys stay."""
    return dict((key, value) for key, value in context.items()
                if not key.startswith('default_') and key not in SWITCH_KEYS)


def workflow_sudo(records):
    """Return ``records`` (a recordset or an empty model) as the superuser
    in the workflow context: what the module creates with them takes its
    values from the module's code only."""
    records = records.sudo()
    # A new context, not an extended one: the caller's keys must go.
    return records.with_env(records.env(
        context=workflow_context(records.env.context)))
