"""Run the benchmark: make sure the templates of SIZE exist, copy them to
work databases, run the cases, append the figures to bench/results.json.

    .venv/bin/python bench/run.py [--size S] [--case all|confirm,...]
                                  [--reps N]

scripts/bench.sh (make bench) runs this under nice, then renders
bench/RESULTS.md and the plots with the tools' Python.
"""
import argparse
import os
import sys
import time
import traceback

import common
import templates

# Which variants each case needs, in the order they are built.
CASES = {
    'confirm': ('plain', 'deps', 'suite', 'oca'),
    'invoice': ('plain', 'deps', 'suite', 'oca'),
    'dashboards': ('suite',),
    'crons': ('suite',),
    'trace': ('suite',),
    'ocr': ('suite',),
    'load': ('suite',),
}
# BENCH_VARIANTS=plain,suite: the comparison cases on those variants only
# (the smoke test: every variant's templates cost minutes to build and
# load, and two show that the comparison runs).
ONLY = [v for v in os.environ.get('BENCH_VARIANTS', '').split(',') if v]
if ONLY:
    CASES = {name: tuple(v for v in variants if v in ONLY) or variants
             for name, variants in CASES.items()}
# Cases that commit: each runs on a copy of its own, dropped after.
OWN_COPY = ('crons', 'load')
ORDER = ('confirm', 'invoice', 'dashboards', 'crons', 'trace', 'ocr',
         'load')


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size', default='S', choices=sorted(common.SIZES))
    parser.add_argument('--case', default='all')
    parser.add_argument('--rebuild', action='store_true',
                        help="generate the size's templates again (the "
                             "addons' code changed without a new version)")
    parser.add_argument('--reps', type=int, default=0,
                        help='repetitions (default: per size)')
    return parser.parse_args()


def main():
    args = parse()
    size = args.size
    names = ORDER if args.case == 'all' else [
        name.strip() for name in args.case.split(',')]
    unknown = [name for name in names if name not in CASES]
    if unknown:
        common.log('unknown case(s) %s; known: %s' % (
            ', '.join(unknown), ', '.join(ORDER)))
        return 2
    reps = args.reps or common.SIZES[size]['reps']
    variants = []
    for name in names:
        variants += [v for v in CASES[name] if v not in variants]
    tpl = {}
    if args.rebuild:
        for variant in variants:
            common.drop_db(common.template_name(variant, size))
    for variant in variants:
        tpl[variant] = templates.ensure_sized(variant, size)
    import odoo  # noqa: imported late: templates run Odoo in children
    odoo.tools.config.parse_config(
        common.odoo_args() + ['--log-level=warn'])
    from cases import base
    # Environments live in a thread-local set that manage() opens: kept
    # open for the whole run (the script's only thread).
    manage = odoo.api.Environment.manage()
    manage.__enter__()
    status = 0
    info = common.machine()
    opened = {}

    def database(variant):
        """The variant's work database, copied once per run, kept open."""
        if variant not in opened:
            work = common.work_name(variant, size)
            common.log('copying %s to %s' % (tpl[variant], work))
            common.copy_db(tpl[variant], work)
            opened[variant] = base.Database(variant, work)
        return opened[variant]

    for name in names:
        started = time.time()
        record = {'case': name, 'size': size, 'reps': reps,
                  'templates': {v: '%s (%s)' % (tpl[v], common.template_origin(
                      tpl[v]) or 'origin not recorded')
                      for v in CASES[name]},
                  'date': time.strftime('%Y-%m-%d %H:%M UTC',
                                        time.gmtime()),
                  'machine': info, 'load_before': common.load_average()}
        try:
            if name in OWN_COPY:
                work = common.work_name('suite', size) + '_' + name
                common.copy_db(tpl['suite'], work)
                dbs = {'suite': work}
            else:
                dbs = {variant: database(variant) for variant in CASES[name]}
            common.log('case %s on %s, %d repetitions' % (name, size, reps))
            module = __import__('cases.%s' % name, fromlist=['run'])
            if name in ('confirm', 'invoice'):
                figures = module.run(dbs, common.SIZES[size]['histories'],
                                     reps, common.stats)
            else:
                figures = module.run(dbs, size, reps, common.stats)
            record.update(figures)
        except Exception:
            traceback.print_exc()
            record['error'] = traceback.format_exc().splitlines()[-1]
            status = 1
        finally:
            if name in OWN_COPY:
                odoo.sql_db.close_db(work)
                common.drop_db(work)
        record['load_after'] = common.load_average()
        record['seconds'] = round(time.time() - started, 1)
        common.append_result(record)
        common.log('case %s done in %.0f s%s' % (
            name, record['seconds'],
            ' (ERROR: %s)' % record['error'] if 'error' in record else ''))
    for db in opened.values():
        db.close()
        odoo.sql_db.close_db(db.name)
        common.drop_db(db.name)
    return status


if __name__ == '__main__':
    sys.exit(main())
