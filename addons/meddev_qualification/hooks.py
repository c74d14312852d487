"""Uninstalling the module keeps its records: partner licences, first-business
reviews with their checklists and the log of qualification settings changes
are regulated records (GSP first-business review). They are copied into the
schema ``meddev_qualification_archive`` (meddev_base's
``tools/uninstall_archive.py``)."""
from odoo.addons.meddev_base.tools.uninstall_archive import (
    archiving_uninstall_hook)

MODULE = 'meddev_qualification'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = (
    'meddev.partner.licence', 'meddev.qualification.review',
    'meddev.qualification.review.line', 'meddev.qualification.settings.log',
)

uninstall_hook = archiving_uninstall_hook(MODULE, DOCUMENT_MODELS)
