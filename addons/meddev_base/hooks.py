"""Uninstalling the module keeps the electronic signatures: regulated
records (21 CFR 11.50 / 11.70: the signature stays linked to what was
signed), copied with the module's other tables, added columns, chatter,
files and audit log into the schema ``meddev_base_archive``
(``tools/uninstall_archive.py``, which every MedDev addon's hook uses)."""
from .tools.uninstall_archive import archiving_uninstall_hook

MODULE = 'meddev_base'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = ('meddev.esignature',)

uninstall_hook = archiving_uninstall_hook(MODULE, DOCUMENT_MODELS)
