"""Uninstalling the module: keep the electronic signatures before Odoo
drops them.

Electronic signatures are regulated records (21 CFR 11.50 / 11.70: the
signature stays linked to what was signed): never lost. Odoo drops the
tables of an uninstalled module's models; the hook first copies them, with
the columns the module adds to other tables and the chatter, files and
audit log of its records, into a new schema ``meddev_base_archive``
(``_2``, ``_3``... when it exists; ``tools/uninstall_archive.py``, which
the other MedDev addons' hooks use too), which the uninstall leaves alone.
Reinstalling the module does not bring them back: a database administrator
reads them there or copies them back."""
from .tools.uninstall_archive import (
    archive_module_records, clear_document_rows, module_model_names)

MODULE = 'meddev_base'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = ('meddev.esignature',)


def archive_regulated_records(cr, registry):
    """Copy the module's records into a new archive schema; return its
    name and the number of archived rows per document model."""
    return archive_module_records(cr, registry, MODULE, DOCUMENT_MODELS)


def uninstall_hook(cr, registry):
    """Archive the module's records, then delete the activities and
    approval rows of its models' records before Odoo's clean-up."""
    archive_regulated_records(cr, registry)
    clear_document_rows(cr, module_model_names(registry, MODULE))
