"""Uninstalling the module keeps its records: credit overrides (who asked,
who decided, the figures at the time), the per-company rating and hold of
each customer and the rating history are the credit decisions' audit
trail. They are copied into the schema ``meddev_credit_archive`` (meddev_base's
``tools/uninstall_archive.py``)."""
from odoo.addons.meddev_base.tools.uninstall_archive import (
    archiving_uninstall_hook)

MODULE = 'meddev_credit'
# The module's documents: counted in the archive's log line.
DOCUMENT_MODELS = (
    'meddev.credit.override', 'meddev.credit.partner.state',
    'meddev.credit.rating.history',
)

uninstall_hook = archiving_uninstall_hook(MODULE, DOCUMENT_MODELS)
