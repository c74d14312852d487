"""11.0.1.2.0: the stored genealogy closure is gone.

Release 11.0.1.1.0 kept every (lot, lot containing it) pair in
``meddev_lot_link_closure`` (13.4 million rows, 1.6 GB for 612 000 links),
rebuilt it in one transaction inside the module update (11-13 minutes) and
every night, and serialised every link change on one row lock. Traces now
walk the links (see the module's README for the figures). This drops the
table, its state row, the trigger that marked it stale, and the nightly
rebuild cron (kept by ``noupdate`` otherwise, and calling a method that no
longer exists). Quick: no data is computed, only dropped.
"""
from odoo import SUPERUSER_ID, api

CRON_XMLID = 'meddev_traceability.ir_cron_meddev_lot_link_closure'


def drop_genealogy_closure(env):
    """Drop what 11.0.1.1.0 kept for the closure; idempotent."""
    cr = env.cr
    cr.execute("""
        DROP TRIGGER IF EXISTS meddev_lot_link_closure_mark ON meddev_lot_link
    """)
    cr.execute("DROP FUNCTION IF EXISTS meddev_lot_link_closure_mark()")
    cr.execute("DROP TABLE IF EXISTS meddev_lot_link_closure")
    cr.execute("DROP TABLE IF EXISTS meddev_lot_link_closure_state")
    cron = env.ref(CRON_XMLID, raise_if_not_found=False)
    if cron:
        action = cron.ir_actions_server_id
        cron.unlink()
        action.unlink()


def migrate(cr, version):
    if not version:
        return
    drop_genealogy_closure(api.Environment(cr, SUPERUSER_ID, {}))
