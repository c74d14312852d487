"""Uninstalling the module: keep its records before Odoo drops them.

Recalls, their lines (who received which lot, notified when) and the lot
genealogy links are regulated records (traceability of medical devices,
ISO 13485 7.5.9 / 8.3.3): never lost. Odoo drops the tables of an
uninstalled module's models and the columns it added to other modules'
tables, and leaves their chatter, attachments, approvals and audit log
pointing at a model that is gone. The hook first copies all of it into a
new schema ``meddev_traceability_archive`` (``_2``, ``_3``... when it
exists; tables prefixed ``archived_``, the added columns in
``archived_<table>__columns``: meddev_base's
``tools/uninstall_archive.py``), which the uninstall leaves alone; then it
deletes the activities and approval rows of the module's records, which
would stay behind orphaned. Reinstalling the module does not bring the
records back: a database administrator reads them there or copies them
back.

The records themselves refuse deletion (regulated records): Odoo's
clean-up logs "Unable to delete" for those the module created as data and
drops their tables after; nothing else stops the uninstall (``make
test-upgrade`` uninstalls every addon)."""
from odoo.addons.meddev_base.tools.uninstall_archive import (
    archive_module_records, clear_document_rows, module_model_names)

MODULE = 'meddev_traceability'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = (
    'meddev.recall', 'meddev.recall.line', 'meddev.lot.link',
)


def archive_regulated_records(cr, registry):
    """Copy the module's records into a new archive schema; return its
    name and the number of archived rows per document model."""
    return archive_module_records(cr, registry, MODULE, DOCUMENT_MODELS)


def uninstall_hook(cr, registry):
    """Archive the module's records, then delete the activities and
    approval rows of its models' records before Odoo's clean-up."""
    archive_regulated_records(cr, registry)
    clear_document_rows(cr, module_model_names(registry, MODULE))
