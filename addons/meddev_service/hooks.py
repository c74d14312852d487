"""Uninstalling the module keeps its records: service tickets, the parts used
on them, the installed equipment and the service contracts are the service
history of delivered devices (ISO 13485 7.5.4 servicing records). They are
copied into the schema ``meddev_service_archive`` (meddev_base's
``tools/uninstall_archive.py``)."""
from odoo.addons.meddev_base.tools.uninstall_archive import (
    archiving_uninstall_hook)

MODULE = 'meddev_service'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = (
    'meddev.service.ticket', 'meddev.service.ticket.part',
    'meddev.service.equipment', 'meddev.service.contract',
)

uninstall_hook = archiving_uninstall_hook(MODULE, DOCUMENT_MODELS)
