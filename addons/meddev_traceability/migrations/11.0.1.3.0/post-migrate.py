"""11.0.1.3.0: the overdue-notice cron commits per batch of recalls.

Its record is ``noupdate``: databases installed before keep the old code,
which runs the whole check in one transaction. This gives it the
``commit=True`` the scheduled action now passes. The company options (now
in Settings > Traceability) keep their columns; the new ones get their
defaults from the ORM (no grace days, channel root.recall, quarantine at
launch, as before), and existing recalls stay quarantined.
"""
from odoo import SUPERUSER_ID, api

CRON_XMLID = 'meddev_traceability.ir_cron_meddev_recall_overdue'
OLD_CODE = 'model._cron_flag_overdue_notices()'
NEW_CODE = 'model._cron_flag_overdue_notices(commit=True)'


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(CRON_XMLID, raise_if_not_found=False)
    # Only the code the module shipped: a code an implementer changed stays.
    if cron and (cron.code or '').strip() == OLD_CODE:
        cron.code = NEW_CODE
