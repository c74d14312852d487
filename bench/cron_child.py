"""Run one cron twice in a fresh process and print its figures as JSON.

    .venv/bin/python bench/cron_child.py DATABASE CRON_XMLID|inline:NAME...

Several targets run one after the other in the same process (the smoke
size T does so: one registry load instead of eleven); each line printed
then names its target.

The process loads the registry first, then resets the kernel's peak-RSS
mark (/proc/self/clear_refs, 5) so that VmHWM measures the cron itself;
the growth of the peak over the RSS before the run is what the cron
needed. The second run should find nothing left to do.
"""
import json
import sys
import time

import common

import odoo
from odoo import SUPERUSER_ID, api

INLINE = {
    # What the rating cron's queued jobs do, run in the process.
    'credit_rating_inline': lambda env: env['res.partner']._cron_rate_customers(
        commit=True),
}


def status_kib(field):
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def reset_peak():
    try:
        with open('/proc/self/clear_refs', 'w') as refs:
            refs.write('5')
        return True
    except OSError:
        return False


def once(registry, target):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        before = status_kib('VmRSS')
        reset = reset_peak()
        queries = cr.sql_log_count
        start = time.perf_counter()
        cpu = time.process_time()
        if target.startswith('inline:'):
            result = INLINE[target.split(':', 1)[1]](env)
        else:
            result = env.ref(target).method_direct_trigger()
        cr.commit()
        seconds = time.perf_counter() - start
        # The process's own CPU: on a loaded machine (the benchmark runs
        # under nice) the wall time mostly measures the wait for a core.
        return {'seconds': seconds, 'queries': cr.sql_log_count - queries,
                'cpu_seconds': time.process_time() - cpu,
                'rss_before_mib': before / 1024.0,
                'peak_growth_mib': (status_kib('VmHWM') - before) / 1024.0
                if reset else None,
                'result': '' if result in (True, None) else str(result)[:40]}


def main():
    db, targets = sys.argv[1], sys.argv[2:]
    odoo.tools.config.parse_config(
        common.odoo_args() + ['-d', db, '--log-level=warn'])
    registry = odoo.registry(db)
    with api.Environment.manage():
        for target in targets:
            for run in ('first', 'second'):
                try:
                    out = once(registry, target)
                except Exception as error:  # reported, not raised
                    out = {'error': repr(error)[:120]}
                # One line per run, flushed: a run killed by the parent's
                # timeout still leaves the figures of the runs before it.
                print('CRON-JSON %s%s %s' % (
                    run, ('@' + target) if len(targets) > 1 else '',
                    json.dumps(out)), flush=True)


if __name__ == '__main__':
    main()
