"""What every case shares: open the registries of the variants' work
databases, read the generator's notes, time a call with its query count.
"""
import ast
import os
import time

import odoo
from odoo import SUPERUSER_ID, api

CTX = {'tracking_disable': True, 'mail_notrack': True}


class Database(object):
    """One variant's work database, kept open for the whole case."""

    def __init__(self, variant, name):
        self.variant = variant
        self.name = name
        self.registry = odoo.registry(name)
        self.cr = self.registry.cursor()
        env = api.Environment(self.cr, SUPERUSER_ID, {})
        self.meta = ast.literal_eval(env['ir.config_parameter'].get_param(
            'meddev_bench.meta'))

    def env(self, uid=SUPERUSER_ID):
        return api.Environment(self.cr, uid, dict(CTX))

    def reset(self):
        """Forget what the last measurement did."""
        self.cr.rollback()
        self.env().clear()

    def close(self):
        self.cr.rollback()
        self.cr.close()


def timed(cr, function):
    """Return (seconds, queries, result) of ``function()``."""
    before = cr.sql_log_count
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    return elapsed, cr.sql_log_count - before, result


def load_average():
    """The 1, 5 and 15 minute load averages, noted beside each figure."""
    with open('/proc/loadavg') as loadavg:
        return [float(x) for x in loadavg.read().split()[:3]]


def backend_cpu_ms(cr):
    """CPU time (user + system, ms) used so far by the PostgreSQL backend
    of ``cr``: on a loaded machine the wall time of a query grows with
    the load, its CPU time much less. Needs the server on this machine
    (None otherwise)."""
    pid = cr._cnx.get_backend_pid()
    try:
        with open('/proc/%d/stat' % pid) as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
    except (IOError, OSError):
        return None
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf(
        'SC_CLK_TCK')


def cpu_since(cr, before):
    """Backend CPU ms used since ``before`` (backend_cpu_ms), or None."""
    after = backend_cpu_ms(cr)
    if before is None or after is None:
        return None
    return after - before


def stats_or_none(stats, values):
    """``stats(values)`` without the Nones, None when nothing is left."""
    values = [value for value in values if value is not None]
    return stats(values) if values else None
