"""Where a confirmation's queries go: one 20-line confirmation in a
variant's work or template database, its SQL statements grouped by shape
(numbers and literals blanked), sorted by total time.

    .venv/bin/python bench/profile_confirm.py DATABASE HISTORY [TOP]

Read-only in effect: everything is rolled back. Use a copy, not a
template (an open connection blocks createdb -T).
"""
import re
import sys
import time

import common

import odoo

from cases import base, confirm


def shape(query):
    text = query if isinstance(query, str) else query.decode()
    text = re.sub(r"'[^']*'", "'?'", text)
    text = re.sub(r'\b\d+\b', '?', text)
    return re.sub(r'\s+', ' ', text).strip()[:200]


def tracer(execute, seen, shaper=shape):
    """Return ``execute`` (a cursor's) wrapped to count and time each
    statement by ``shaper(query)`` in ``seen`` ({shape: [count,
    seconds]})."""
    def traced(query, params=None, log_exceptions=None):
        start = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            entry = seen.setdefault(shaper(query), [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - start
    return traced


MANAGED = []


def open_from_argv():
    """Return (the work database of ``DATABASE``, ``HISTORY``, ``TOP``)
    read from the command line, Odoo configured as the bench runs it."""
    db_name, history = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    odoo.tools.config.parse_config(
        common.odoo_args() + ['--log-level=warn'])
    # Environments live in a thread-local set that manage() opens: kept
    # open for the script's life (its only thread); the context manager is
    # held, or its collection would close the set again.
    MANAGED.append(odoo.api.Environment.manage())
    MANAGED[-1].__enter__()
    return base.Database('?', db_name), history, top


def main():
    db, history, top = open_from_argv()
    confirm.confirm_once(db, history)  # warm the caches
    seen = {}
    execute = db.cr.execute
    db.cr.execute = tracer(execute, seen)
    seconds, queries, state = confirm.confirm_once(db, history)
    db.cr.execute = execute
    print('%.0f ms, %d queries, %s' % (seconds * 1000, queries, state))
    print('(query shapes seen while creating the quotation too)')
    for text, (count, total) in sorted(seen.items(),
                                       key=lambda item: -item[1][1])[:top]:
        print('%7.1f ms %5d x  %s' % (total * 1000, count, text))
    db.close()


if __name__ == '__main__':
    main()
