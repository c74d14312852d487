"""Smoke test of the benchmark (issue 10) on the tiny size T.

Not a benchmark: it times nothing and asserts no figure's value. It checks
that

- the generator is deterministic and makes the volumes it promises: the
  cached T template of the suite (built today, else built again: the data
  set's dates follow the day) and a new generation on a copy of the same
  base template give the counts of bench/dataset.py ``expected_counts``
  and identical fingerprints (every generated table's rows hashed in id
  order);
- every case runs on T (one repetition) without error, through
  ``bench/run.py`` as ``make bench`` runs it, and returns its figures in
  the shape bench/render.py reads; render.py then writes a RESULTS.md
  with every case and a plot per case.

It writes to a scratch results file and folder (BENCH_RESULTS,
BENCH_OUT), never to bench/results.json or bench/RESULTS.md.

Run it with the project's interpreter (not part of ``make test``)::

    .venv/bin/python -m pytest -p no:cacheprovider -p no:odoo bench/tests -q

or ``make bench TEST=1``. pytest-odoo is switched off (``-p no:odoo``): it
looks for an addon manifest above every collected path.

Time: the databases are templates cached by ``make bench`` (createdb -T).
With the suite's and plain's T templates present: 4 min 27 s on the 2-core
machine at a load average of 2.5-3.5 (2026-12-03); a first run builds the
missing templates first (about 5 min more on an idle machine). The
comparison cases run on plain and suite only (BENCH_VARIANTS). Not in
``make test``.
"""
import json
import os
import subprocess
import sys
import time

import pytest

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, BENCH)

import common  # noqa: E402
import dataset  # noqa: E402
import templates  # noqa: E402

SIZE = 'T'
VARIANT = 'suite'
CASES = ('confirm', 'invoice', 'dashboards', 'crons', 'trace', 'ocr',
         'load')
STATS_KEYS = {'median', 'min', 'max', 'n', 'spread', 'values'}
# The comparison cases (confirm, invoice) on two variants: the shape of the
# comparison shows with two, and each variant's templates cost minutes to
# build and its registry to load (bench/run.py's BENCH_VARIANTS).
COMPARED = ('plain', 'suite')


@pytest.fixture(scope='module')
def generated():
    """Fingerprints of two generations of the suite's T data set: the
    cached T template (one generation, made now if missing; the cases
    below run on it) and a new one on a copy of the same base template.
    The template's name covers the generator's code and the addons', so
    both come from the same code; not from the same day, though: the data
    set's dates are relative to the day of generation (licences expiring
    around today for the crons), so a template built on another day is
    built again first."""
    cached = common.template_name(VARIANT, SIZE)
    today = time.strftime('%Y-%m-%d', time.gmtime())
    if common.db_exists(cached) and today not in common.template_origin(
            cached):
        common.drop_db(cached)
    template = templates.ensure_sized(VARIANT, SIZE)
    base = templates.ensure_base(VARIANT)
    name = 'meddev_bench_test_gen'
    common.copy_db(base, name)
    try:
        child = subprocess.run(
            [common.PY, os.path.join(BENCH, 'generate.py'), VARIANT, SIZE,
             name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=900)
        assert child.returncode == 0, child.stdout[-3000:]
        yield [dataset.fingerprint(db, VARIANT, SIZE)
               for db in (template, name)]
    finally:
        common.drop_db(name)


def test_generator_makes_the_promised_volumes(generated):
    expected = dataset.expected_counts(VARIANT, SIZE)
    counts = {name: count for name, (count, _md5) in generated[0].items()}
    for name, count in expected.items():
        assert counts[name] == count, name
    assert counts['dag_links'] > 0


def test_generator_is_deterministic(generated):
    first, second = generated
    assert first == second


@pytest.fixture(scope='module')
def run_all(tmp_path_factory):
    """Every case on T, one repetition, into a scratch results file,
    then rendered into a scratch folder."""
    out = tmp_path_factory.mktemp('bench')
    env = dict(os.environ, BENCH_RESULTS=str(out / 'results.json'),
               BENCH_OUT=str(out), BENCH_VARIANTS=','.join(COMPARED))
    process = subprocess.run(
        [common.PY, os.path.join(BENCH, 'run.py'), '--size', SIZE,
         '--reps', '1', '--case', ','.join(CASES)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=1800)
    records = {}
    if (out / 'results.json').exists():
        for record in json.loads((out / 'results.json').read_text()):
            records[record['case']] = record
    return {'rc': process.returncode, 'output': process.stdout,
            'records': records, 'out': out, 'env': env}


def record_of(run_all, case):
    record = run_all['records'].get(case)
    assert record, 'no record for %s:\n%s' % (case, run_all['output'][-3000:])
    assert 'error' not in record, record['error']
    assert record['size'] == SIZE
    assert {'date', 'machine', 'load_before', 'load_after',
            'seconds'} <= set(record)
    return record


def assert_stats(entry):
    assert STATS_KEYS <= set(entry)
    assert entry['n'] == len(entry['values']) >= 1
    assert entry['min'] <= entry['median'] <= entry['max']


def test_run_exits_cleanly(run_all):
    assert run_all['rc'] == 0, run_all['output'][-3000:]


def test_confirm_and_invoice_shape(run_all):
    histories = common.SIZES[SIZE]['histories']
    confirm = record_of(run_all, 'confirm')
    assert confirm['problems'] == []
    seen = {(row['variant'], row['history']) for row in confirm['rows']}
    assert seen == {(variant, history) for variant in COMPARED
                    for history in histories}
    for row in confirm['rows']:
        assert_stats(row['ms'])
        assert row['queries']['median'] > 0
    invoice = record_of(run_all, 'invoice')
    assert invoice['problems'] == []
    assert {row['step'] for row in invoice['rows']} == {'post', 'payment'}
    assert {row['variant'] for row in invoice['rows']} == set(COMPARED)
    for row in invoice['rows']:
        assert_stats(row['ms'])


def test_dashboards_and_crons_shape(run_all):
    dashboards = record_of(run_all, 'dashboards')
    assert {row['dashboard'] for row in dashboards['rows']} == {
        'credit exposure', 'service SLA', 'complaints'}
    for row in dashboards['rows']:
        assert_stats(row['ms'])
        assert row['records'] > 0
    crons = record_of(run_all, 'crons')
    from cases import crons as crons_case
    assert [row['cron'] for row in crons['rows']] == [
        label for label, _target, _table in crons_case.CRONS]
    for row in crons['rows']:
        for run_name in ('first', 'second'):
            assert 'error' not in row[run_name], (row['cron'], row[run_name])
            assert {'seconds', 'queries'} <= set(row[run_name])


def test_trace_shape(run_all):
    trace = record_of(run_all, 'trace')
    assert {row['shape'] for row in trace['rows']} == {'tree', 'dag'}
    for row in trace['rows']:
        assert row['lots'] > 0
        assert_stats(row['ms'])
    assert trace['odoo'], 'no comparison with Odoo report'
    for row in trace['odoo']:
        if row['odoo_complete']:
            assert row['odoo_same_lots'], row['lot']
    recall = trace['recall']
    assert recall['customers'] > 0
    launch = recall['action_launch()']
    assert launch['customers'] == recall['customers']
    assert recall['action_send_notices()']['jobs'] >= 1


def test_ocr_shape(run_all):
    ocr = record_of(run_all, 'ocr')
    assert {row['pages'] for row in ocr['rows']} == {1, 3}
    for row in ocr['rows']:
        assert_stats(row['upload_ms'])
        assert row['ocr_state'] == 'done', row


def test_load_shape_and_invariants(run_all):
    load = record_of(run_all, 'load')
    assert load['idle_p50'] and load['idle_p95']
    for name, phase in load['phases'].items():
        assert phase['confirmed'] > 0, name
        assert phase['errors'] == 0, (name, phase['error_samples'])
        checks = phase['checks']
        assert checks['orders_lost'] == 0
        assert checks['customers_over_limit'] == 0
        assert checks['orders_confirmed_twice'] == 0
        assert checks['refused_but_confirmed'] == 0
        assert checks['confirmed_but_not_in_sale'] == 0
    recall = load['recall']
    assert recall['click_error'] is None
    assert recall['notices_done'] == recall['customers'] > 0
    checks = recall['checks']
    assert checks['customers_in_recall'] == recall['customers']
    assert checks['customers_without_notice'] == 0
    assert checks['customers_with_two_notice_mails'] == 0
    assert checks['notice_mails'] == recall['customers']
    assert checks['jobs_failed'] == 0
    # Two recalls of two companies: their notices through two channels,
    # each recall's jobs on its company's.
    from cases import load as load_case
    assert {job['channel'] for job in recall['jobs']} == set(
        load_case.RECALL_CHANNELS)
    assert checks['jobs_off_their_company_channel'] == 0


def test_render_writes_every_case(run_all):
    tools = os.path.join(common.ROOT, '.venv-tools', 'bin', 'python')
    subprocess.run([tools, os.path.join(BENCH, 'render.py')],
                   env=run_all['env'], check=True, timeout=300)
    text = (run_all['out'] / 'RESULTS.md').read_text()
    assert '**Failed:**' not in text
    for case in CASES:
        assert (run_all['out'] / ('plot_%s.png' % case)).exists(), case
    assert text.count('### Size T') == len(CASES)
