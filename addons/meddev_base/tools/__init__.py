"""Helpers shared by the MedDev addons (import them from here):

- ``schedule_todo``: one to-do activity per record and user, duplicates
  skipped, for a whole recordset at once; ``schedule_todos``: its
  set-based form for crons (each record its own users, summary, note and
  deadline, a few INSERTs), ``subscribe`` the followers it adds;
- ``commit_batch`` / ``search_batches`` / ``slice_batches``: cron batches
  that commit only when the scheduled action asked for it;
- ``write_tracked``: the chatter trail of a state change written for
  a whole batch at once (one message per record, set-based);
  ``snapshot_tracked`` / ``log_tracking``: the same trail for a write
  made by SQL; ``post_notes``: one internal note per record, set-based;
- ``with_sender`` / ``sender_address``: chatter messages of a user who has
  no email address (Odoo refuses them otherwise);
- ``workflow_sudo`` / ``workflow_context`` / ``server_context`` /
  ``without_keys``: the records the server writes for a user, without the
  caller's ``default_*`` keys, switches (``SWITCH_KEYS``) and forcing keys
  (see ``context``); ``create_values``: the values a create's checks
  must see besides its ``vals`` (the caller's ``default_*`` keys and the
  user's saved defaults, ``ir.default``); ``context_defaults``: the
  ``default_*`` keys alone;
- ``setting_changed``: whether a write really changes a company option
  (the settings guard of ``res.company``, see ``settings_change``);
- ``archive_module_records`` / ``clear_document_rows``: an addon's
  uninstall hook keeps its records in a schema of their own
  (``uninstall_archive``).
"""

from .activity import schedule_todo, schedule_todos, subscribe  # noqa: F401
from .batch import commit_batch, search_batches, slice_batches  # noqa: F401
from .context import (  # noqa: F401
    SWITCH_KEYS, context_defaults, create_values, server_context,
    without_keys, workflow_context, workflow_sudo)
from .settings_change import setting_changed  # noqa: F401
from .sender import sender_address, with_sender  # noqa: F401
from .tracking import (  # noqa: F401
    log_tracking, post_notes, snapshot_tracked, write_tracked)
from .uninstall_archive import (  # noqa: F401
    archive_module_records, clear_document_rows, module_model_names)
