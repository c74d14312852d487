"""Case 4: the suite's crons, each in its own process (bench/cron_child.py)
on a fresh copy of the suite's template: wall time, peak RSS growth over
the process's RSS before the run, queries; then a second run that should
find nothing to do. The cron's own code runs (ir.cron's
method_direct_trigger, committing as scheduled); the rating cron queues
its batches as jobs, so its inline variant (what the jobs do) is timed
too. One run per cron: the first run changes the data.
"""
import json
import os
import subprocess

import common

# A cron that takes longer is killed and reported as such (seconds, both
# runs together): on a shared machine, make bench must end.
TIMEOUT = {'T': 300, 'S': 240, 'M': 900, 'L': 1800}
# Sizes whose crons all run in one process (see run_shared).
SHARED_PROCESS = ('T',)

CRONS = [
    ('licence expiry', 'meddev_qualification.ir_cron_licence_expiry',
     'meddev_partner_licence'),
    ('credit rating (queues jobs)', 'meddev_credit.ir_cron_meddev_credit_rating',
     'account_invoice'),
    ('credit rating (inline, what the jobs do)',
     'inline:credit_rating_inline', 'account_invoice'),
    ('credit override expiry',
     'meddev_credit.ir_cron_meddev_credit_override_expiry',
     'meddev_credit_override'),
    ('recall overdue notices',
     'meddev_traceability.ir_cron_meddev_recall_overdue',
     'meddev_recall_notice'),
    ('SLA status', 'meddev_service.ir_cron_check_sla',
     'meddev_service_ticket_sla'),
    ('preventive maintenance', 'meddev_service.ir_cron_pm_tickets',
     'meddev_service_pm_plan'),
    ('warranty ending', 'meddev_service.ir_cron_warranty_ending',
     'meddev_service_equipment'),
    ('contract dates', 'meddev_service.ir_cron_contract_dates',
     'meddev_service_contract'),
    ('reporting deadlines',
     'meddev_quality_capa.ir_cron_meddev_report_deadlines',
     'meddev_regulatory_report'),
    ('CAPA overdue actions',
     'meddev_quality_capa.ir_cron_meddev_capa_overdue_actions',
     'meddev_capa_action'),
]


def selected():
    """The crons to run, in order: all, or those BENCH_CRONS names (a
    semicolon-separated list of labels or xml ids, in the order given: on a
    loaded machine, a size M run takes the slow ones last)."""
    wanted = [w.strip() for w in os.environ.get('BENCH_CRONS', '').split(';')
              if w.strip()]
    if not wanted:
        return CRONS
    by_name = {}
    for cron in CRONS:
        by_name[cron[0]] = by_name[cron[1]] = cron
    return [by_name[name] for name in wanted]


def run(dbs, size, reps, stats):
    db = dbs['suite']
    if size in SHARED_PROCESS:
        return {'rows': run_shared(db, size), 'shared_process': True}
    rows = []
    # Each finished cron is also written here at once: a run stopped
    # before its end (a deadline on a loaded machine) keeps its figures.
    partial = os.path.join(common.VAR, 'crons-%s-partial.json' % size)
    for label, target, table in selected():
        common.log('cron %s (%d rows in %s)' % (label, volume(db, table),
                                                table))
        stdout, stderr, late = child(db, [target], TIMEOUT.get(size, 600))
        row = {'cron': label, 'target': target, 'table': table,
               'volume': volume(db, table)}
        for line in stdout.splitlines():
            if line.startswith('CRON-JSON '):
                run_name, data = line[len('CRON-JSON '):].split(' ', 1)
                row[run_name] = json.loads(data)
        fill_missing(row, late, stderr)
        rows.append(row)
        with open(partial, 'w') as stream:
            json.dump(rows, stream, indent=1)
    return {'rows': rows}


def volume(db, table):
    try:
        return int(common.psql('SELECT count(*) FROM %s' % table, db))
    except RuntimeError:
        return 0


def child(db, targets, timeout):
    """Run cron_child.py on ``targets``; return (stdout, stderr, why it
    was killed or None)."""
    process = subprocess.Popen(
        [common.PY, os.path.join(common.BENCH, 'cron_child.py'), db]
        + targets, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        return stdout, stderr, None
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        return stdout, stderr, 'killed after %d s' % timeout


def fill_missing(row, late, stderr):
    for run_name in ('first', 'second'):
        if run_name not in row:
            row[run_name] = {'error': late or (
                stderr.strip().splitlines() or ['no output'])[-1][:120]}
            break


def run_shared(db, size):
    """Every cron in one process (the smoke size: one registry load, not
    eleven); the memory figures then include what the crons before left
    behind."""
    volumes = {table: volume(db, table) for _l, _t, table in CRONS}
    stdout, stderr, late = child(db, [target for _l, target, _t in CRONS],
                                 TIMEOUT.get(size, 600))
    rows = {target: {'cron': label, 'target': target, 'table': table,
                     'volume': volumes[table]}
            for label, target, table in CRONS}
    for line in stdout.splitlines():
        if line.startswith('CRON-JSON '):
            tag, data = line[len('CRON-JSON '):].split(' ', 1)
            run_name, target = tag.split('@', 1)
            rows[target][run_name] = json.loads(data)
    out = []
    for _label, target, _table in CRONS:
        fill_missing(rows[target], late, stderr)
        out.append(rows[target])
    return out
