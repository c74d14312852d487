"""Where an invoice's queries go: case 2's measurement (bench/cases/
invoice.py: a 5-line customer invoice posted, then its payment) run once
in a variant's work or template database, the SQL statements of each
timed step grouped by shape (numbers and literals blanked, see
profile_confirm.py), sorted by total time.

    .venv/bin/python bench/profile_invoice.py DATABASE HISTORY [TOP]

TOP 0 prints every shape with its count, no times, sorted by shape, the
column lists of the ORM's reads and inserts left out (their order changes
from one process to the next, and the suite adds columns): diff two
variants' outputs (suite and deps) to see which statements one sends
more. The case's own code is run, only its timer wrapped, so the counts
are the case's. Read-only in effect: everything is rolled back. Use a
copy, not a template (an open connection blocks createdb -T).
"""
import re

from cases import base, invoice
from profile_confirm import open_from_argv, shape, tracer

STEPS = ('post', 'payment')
# The ORM's read and insert column lists: "table"."column" as "column",
# and ("id", "column", ...) VALUES (...).
READ_COLUMNS = re.compile(r'^\s*SELECT\s+("[a-z_0-9]+"\."[a-z_0-9]+" as '
                          r'"[a-z_0-9]+",?)+\s+FROM')
INSERT_COLUMNS = re.compile(r'^\s*INSERT INTO ("[a-z_0-9]+") \(.*?\) VALUES'
                            r'.*', re.DOTALL)


def brief_shape(query):
    """``query``'s shape (profile_confirm.shape) with the column list of an
    ORM read or insert left out."""
    text = query if isinstance(query, str) else query.decode()
    text = READ_COLUMNS.sub('SELECT <columns> FROM', text)
    return shape(INSERT_COLUMNS.sub(
        r'INSERT INTO \1 (<columns>) VALUES (...)', text))


def traced_timer(timed, steps, shaper):
    """Return ``timed`` (base.timed) that also records, for each call in
    turn, the count and time of its statements by ``shaper(query)`` in a
    new dict ({shape: [count, seconds]}) appended to ``steps``."""
    def traced_timed(cr, function):
        seen = {}
        steps.append(seen)
        execute = cr.execute
        cr.execute = tracer(execute, seen, shaper)
        try:
            return timed(cr, function)
        finally:
            cr.execute = execute
    return traced_timed


def main():
    db, history, top = open_from_argv()
    invoice.once(db, history)  # warm the caches
    steps = []
    timed = base.timed
    base.timed = traced_timer(timed, steps, brief_shape if not top else shape)
    try:
        post, paid, state = invoice.once(db, history)
    finally:
        base.timed = timed
    print('invoice left %s' % state)
    for step, (seconds, queries, _r), seen in zip(STEPS, (post, paid),
                                                  steps):
        print('%s: %.0f ms, %d queries' % (step, seconds * 1000, queries))
        if not top:
            for text, (count, _total) in sorted(seen.items()):
                print('%s %5d x  %s' % (step, count, text))
            continue
        for text, (count, total) in sorted(
                seen.items(), key=lambda item: -item[1][1])[:top]:
            print('%s %7.1f ms %5d x  %s' % (step, total * 1000, count,
                                             text))
    db.close()


if __name__ == '__main__':
    main()
