"""Uninstalling the module keeps its records: recalls, their lines (who
received which lot, notified when) and the lot genealogy links are
regulated records (ISO 13485 7.5.9 / 8.3.3). They are copied into the
schema ``meddev_traceability_archive`` (meddev_base's
``tools/uninstall_archive.py``)."""
from odoo.addons.meddev_base.tools.uninstall_archive import (
    archiving_uninstall_hook)

MODULE = 'meddev_traceability'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = (
    'meddev.recall', 'meddev.recall.line', 'meddev.lot.link',
)

uninstall_hook = archiving_uninstall_hook(MODULE, DOCUMENT_MODELS)
