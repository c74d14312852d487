"""The context of the records the server writes on a user's behalf.

A workflow creates and writes records for the user (a sale order when a
ticket closes, stock moves for a part, SLA clocks, regulatory reports,
activities), often under sudo. An RPC caller chooses the context it sends,
and Odoo and its addons read many keys from it: ``default_<field>`` fills a
new record's missing fields, a few switches turn off what a create or write
computes or logs, and others force values deep in other modules (stock
valuation's ``force_valuation_amount``, ``forced_quantity`` and
``force_period_date``, ``force_company`` for company properties, the suite's
own ``meddev_skip_recalled``...). A sale order born confirmed, a clock born
paused, a valuation entry of the caller's amount and date, a change without
its chatter trail would otherwise follow from one context key.

- ``workflow_sudo`` / ``workflow_context``: what the workflow creates under
  sudo gets an allow-listed context (language, time zone, the server mark,
  keys the module names);
- ``server_context`` (``meddev.guarded.mixin._meddev_as_server()``): the
  records' own writes drop the defaults, the switches and the forcing keys
  (``FORCE_KEYS``) of the caller, and keep the rest (keys the server's
  code itself set, ``force_company`` included).

The server's code may add a key after, on purpose. No ORM import here: the
helpers take contexts or records and return them.
"""

# The context key of meddev.guarded.mixin's server mark (its value is a
# per-process secret, a client cannot forge it).
SERVER_KEY = 'meddev_server_write'

# What the workflow keeps of the caller's context: the language and time
# zone of the user's messages and dates, and the server mark.
WORKFLOW_KEYS = frozenset(('lang', 'tz', SERVER_KEY))

# Context keys that change what a create or write stores or logs: stored
# computed fields left uncomputed, no tracking of the values, no creation
# message.
SWITCH_KEYS = frozenset((
    'recompute', 'tracking_disable', 'mail_notrack', 'mail_create_nolog',
))

# Context keys that force values in other modules' code: never a client's
# choice on what the server writes. (``force_company`` is not among them:
# the suite's own code sets it on purpose before writing; the workflow's
# allow-list drops it.)
FORCE_KEYS = frozenset((
    'force_valuation_amount', 'forced_quantity', 'force_period_date',
    'meddev_skip_recalled',
))

DEFAULT_PREFIX = 'default_'


def workflow_context(context, keep=()):
    """Return the part of ``context`` the workflow keeps: language, time
    zone, the server mark and the keys named in ``keep`` (the module's
    own); every other key (defaults, switches, forcing keys, anything a
    caller sent) goes."""
    return dict((key, value) for key, value in context.items()
                if key in WORKFLOW_KEYS or key in keep)


def server_context(context):
    """Return ``context`` without the ``default_*`` keys, the switches
    (``SWITCH_KEYS``) and the forcing keys (``FORCE_KEYS``); the other keys
    stay."""
    return dict((key, value) for key, value in context.items()
                if not key.startswith(DEFAULT_PREFIX)
                and key not in SWITCH_KEYS and key not in FORCE_KEYS)


def without_keys(records, keys):
    """Return ``records`` in a context without ``keys`` (the same records
    when the context has none of them)."""
    context = records.env.context
    if not any(key in context for key in keys):
        return records
    # A new context, not an extended one: the keys must go.
    return records.with_env(records.env(context=dict(
        (key, value) for key, value in context.items() if key not in keys)))


def workflow_sudo(records, keep=()):
    """Return ``records`` (a recordset or an empty model) as the superuser
    in the workflow context (``workflow_context``, with ``keep``): what the
    module creates with them takes its values from the module's code
    only."""
    records = records.sudo()
    # A new context, not an extended one: the caller's keys must go.
    return records.with_env(records.env(
        context=workflow_context(records.env.context, keep)))


def context_defaults(context, names):
    """Return ``{name: value}`` for the ``default_<name>`` keys of
    ``context`` among ``names``. Only part of what a new record gets: a
    ``create`` that checks guarded fields uses ``create_values``, which
    also sees the user's saved defaults."""
    return dict((name, context[DEFAULT_PREFIX + name]) for name in names
                if DEFAULT_PREFIX + name in context)


def create_values(model, vals, names):
    """Return ``vals`` with, for each of ``names`` (field names) that
    ``vals`` lacks, the value a ``create`` of ``model`` (an empty
    recordset, in the caller's environment) will give it: Odoo's
    ``default_get``, which reads the caller's ``default_<name>`` context
    keys, then the saved defaults (``ir.default``) of the user and their
    company, then the field's own default.

    A ``create`` that checks guarded fields checks these values, not its
    ``vals`` alone: an RPC caller sends the context it likes, and any
    internal user may save a personal default (base's access rules give
    them ``ir.default`` rows of their own), e.g. ``state='approved'`` for
    every new licence; ``create`` applies both."""
    missing = [name for name in names
               if name not in vals and name in model._fields]
    values = model.default_get(missing) if missing else {}
    values.update(vals)
    return values
