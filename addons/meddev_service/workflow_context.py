"""The context of the records the service workflow creates for a user.

Closing a ticket creates a sale order, using a part creates stock moves and
genealogy links, a new ticket creates its SLA clocks, the workflow schedules
activities: all under sudo, on the user's behalf, in an allow-listed context
(language, time zone, the server mark and the module's own mail flag): no
caller's ``default_*`` keys, switches, stock valuation or company forcing.
The helpers live in meddev_base (``meddev_base.tools.context``), shared with
the other modules; these names stay importable from here for the service
code.
"""

from odoo.addons.meddev_base.tools import context as base_context
from odoo.addons.meddev_base.tools.context import SWITCH_KEYS

__all__ = ['SERVICE_KEYS', 'SWITCH_KEYS', 'workflow_context', 'workflow_sudo']

# The module's own keys the workflow keeps: a mail the module sends itself
# is no first response (meddev_service_ticket_mail.message_post).
SERVICE_KEYS = ('meddev_auto_mail',)


def workflow_context(context):
    """Return the part of ``context`` the service workflow keeps."""
    return base_context.workflow_context(context, keep=SERVICE_KEYS)


def workflow_sudo(records):
    """Return ``records`` as the superuser in the service workflow's
    context: what the module creates with them takes its values from the
    module's code only."""
    return base_context.workflow_sudo(records, keep=SERVICE_KEYS)
