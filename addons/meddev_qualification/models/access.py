"""Who may take the qualification decisions, and a mark that lets the
workflow methods write the fields nobody may write directly.

No ORM import: the models, the wizards and the tests share it.
"""

import uuid

from odoo.addons.meddev_base.tools import with_sender

REVIEWER_GROUP = 'meddev_qualification.group_meddev_qualification_reviewer'

# The workflow methods write decision fields (reviewer, review date, note,
# tier approvals) with this context key set to a value drawn at start-up:
# a client cannot send it, so a direct write over RPC is refused.
WORKFLOW_KEY = 'meddev_qualification_workflow'
_WORKFLOW_TOKEN = uuid.uuid4().hex


def is_reviewer(env):
    """Tell whether the user of ``env`` is a qualification reviewer (or the
    superuser, which runs data loading, crons and jobs)."""
    return env.user._is_superuser() or env.user.has_group(REVIEWER_GROUP)


def as_workflow(records):
    """Return ``records`` with the mark of the workflow methods (and a
    sender address for the chatter messages of a user who has none)."""
    return with_sender(records.with_context(
        **{WORKFLOW_KEY: _WORKFLOW_TOKEN}))


def in_workflow(records):
    """Tell whether ``records`` carry the mark of the workflow methods."""
    return records.env.context.get(WORKFLOW_KEY) == _WORKFLOW_TOKEN
