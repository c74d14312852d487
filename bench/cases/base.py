"""What every case shares: open the registries of the variants' work
databases, read the generator's notes, time a call with its query count.
"""
import ast
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
