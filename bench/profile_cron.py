"""Where a cron's queries go: one run of a scheduled action (its own code,
as ``ir.cron.method_direct_trigger`` runs it) in a database, its SQL
statements grouped by shape (numbers and literals blanked), sorted by total
time, then rolled back (the cron's per-batch commits are switched off for
the run, so the data stay as they were).

    .venv/bin/python bench/profile_cron.py DATABASE CRON_XMLID [TOP]

Use a copy, not a template (an open connection blocks createdb -T).
"""
import sys
import time

import common

import odoo
from odoo import SUPERUSER_ID, api

from profile_confirm import tracer


def main():
    db_name, xmlid = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    odoo.tools.config.parse_config(
        common.odoo_args() + ['-d', db_name, '--log-level=warn'])
    registry = odoo.registry(db_name)
    seen = {}
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        execute = cr.execute
        commit = cr.commit
        cr.execute = tracer(execute, seen)
        # Batches commit in the scheduled action: not here (rolled back).
        cr.commit = lambda: None
        queries = cr.sql_log_count
        start = time.perf_counter()
        env.ref(xmlid).method_direct_trigger()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        cr.execute = execute
        cr.commit = commit
        cr.rollback()
    print('%.2f s, %d queries' % (seconds, queries))
    for text, (count, total) in sorted(seen.items(),
                                       key=lambda item: -item[1][1])[:top]:
        print('%7.1f ms %5d x  %s' % (total * 1000, count, text))


if __name__ == '__main__':
    main()
