"""Render bench/results.json into bench/RESULTS.md and one PNG per case.

Runs with the tools' Python (.venv-tools: matplotlib, no Odoo):

    .venv-tools/bin/python bench/render.py

Only the latest record of each (case, size) is shown; the plots put every
size measured on one axis of volume, so that the growth shows once M and
L have run.

Records with ``"manual": true`` are figures measured outside run.py (a
before/after on a copy of a template, a cron run by bench/cron_child.py,
query counts from bench/profile_*.py): every one of them is shown, under
its case and size, after the latest run's table, so that a new run of the
case does not drop them. Fields: case, size, manual, title, source (who,
when, which commits, load average), then ``rows`` (a crons table, for
case 'crons'), ``before_after`` (rows of what / before / after / change)
and ``notes`` (bullets), each optional.
"""
import json
import os

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
# BENCH_RESULTS / BENCH_OUT: another results file and output folder
# (bench/tests renders a scratch run); NOTES.md is always bench's.
RESULTS_JSON = os.environ.get('BENCH_RESULTS') or os.path.join(
    BENCH, 'results.json')
OUT = os.environ.get('BENCH_OUT') or BENCH
SIZE_ORDER = ['T', 'S', 'M', 'L']
NOT_BUILT = []


def fmt(value, digits=1):
    if value is None:
        return '-'
    if abs(value) >= 100:
        return '%.0f' % value
    return ('%.' + str(digits) + 'f') % value


def spread(entry):
    return '%s (%s-%s, %d runs)' % (fmt(entry['median']), fmt(entry['min']),
                                    fmt(entry['max']), entry['n'])


def latest(results):
    """The latest record of each (case, size) that run.py wrote."""
    found = {}
    for record in results:
        if not record.get('manual'):
            found[(record['case'], record['size'])] = record
    return found


def manual_md(record):
    """A record measured outside run.py (see the module's docstring)."""
    out = ['#### %s' % record['title'], '', '*%s*' % record['source'], '']
    if record.get('rows') and record['case'] == 'crons':
        out += crons_md({'rows': record['rows']}) + ['']
    if record.get('before_after'):
        out += ['| what | before | after | change |',
                '|---|---:|---:|---|']
        for row in record['before_after']:
            out.append('| %s | %s | %s | %s |' % (
                row['what'], row['before'], row['after'],
                row.get('change', '')))
        out.append('')
    for note in record.get('notes', []):
        out.append('- %s' % note)
    if record.get('notes'):
        out.append('')
    return out


def header(record):
    m = record['machine']
    templates = record.get('templates')
    built = ('templates: %s; ' % '; '.join(
        '%s %s' % (variant, origin) for variant, origin
        in sorted(templates.items()))) if templates else (
        'templates: origin not recorded (before 2026-12-02 11:00); ')
    # Crons and load run once per measurement whatever --reps says (the
    # first run changes the data; the load case is a timed phase).
    reps = ('one run per measurement' if record['case'] in ('crons', 'load')
            else '%d repetitions (median, min-max)' % record['reps'])
    return ('*%s, size %s, %s; %s cores, %s '
            'RAM, %s, PostgreSQL %s; commit %s (+%s uncommitted addon files), '
            'measured: %s; %s'
            'load average before %s, after %s; case took %s s.*' % (
                record['date'], record['size'], reps, m['nproc'],
                m['memory'], m['cpu'], m['postgres'], m['commit'],
                m.get('uncommitted_addon_files', '?'),
                m.get('source', 'working tree'), built,
                ' / '.join(str(x) for x in record['load_before']),
                ' / '.join(str(x) for x in record['load_after']),
                record.get('seconds')))


def confirm_md(record):
    rows = {(r['variant'], r['history']): r for r in record['rows']}
    histories = sorted({r['history'] for r in record['rows']})
    out = ['| variant | invoices held | ms per confirmation | queries | '
           'vs plain Odoo |', '|---|---:|---:|---:|---:|']
    for variant in ('plain', 'deps', 'suite', 'oca'):
        for history in histories:
            row = rows.get((variant, history))
            if not row:
                continue
            plain = rows.get(('plain', history))
            ratio = row['ms']['median'] / plain['ms']['median'] \
                if plain else None
            out.append('| %s | %d | %s | %s | %s |' % (
                variant, history, spread(row['ms']),
                fmt(row['queries']['median'], 0),
                '%.2fx' % ratio if ratio else '-'))
    out.append('')
    for variant in ('plain', 'deps', 'suite', 'oca'):
        low = rows.get((variant, histories[0]))
        high = rows.get((variant, histories[-1]))
        if low and high:
            out.append('- %s: %d invoices cost %.2fx what %d cost '
                       '(queries %s -> %s).' % (
                           variant, histories[-1],
                           high['ms']['median'] / low['ms']['median'],
                           histories[0], fmt(low['queries']['median'], 0),
                           fmt(high['queries']['median'], 0)))
    suite = [rows[('suite', h)]['ms']['median'] / rows[('plain', h)]['ms'][
        'median'] for h in histories if ('suite', h) in rows
        and ('plain', h) in rows]
    oca = [rows[('oca', h)]['ms']['median'] / rows[('plain', h)]['ms'][
        'median'] for h in histories if ('oca', h) in rows
        and ('plain', h) in rows]
    if suite:
        out.append('- Suite overhead over plain Odoo: %s (target <= +10 %%).'
                   % ', '.join('%+.0f %%' % ((r - 1) * 100) for r in suite))
    own = [(rows[('suite', h)], rows[('deps', h)]) for h in histories
           if ('suite', h) in rows and ('deps', h) in rows]
    if own:
        out.append(
            "- The suite's own code over its dependencies installed "
            'without it (deps): time %s; queries %s.' % (
                ', '.join('%+.0f %%' % ((s['ms']['median'] / d['ms']['median']
                                         - 1) * 100) for s, d in own),
                ', '.join('%+.0f %%' % ((s['queries']['median']
                                         / d['queries']['median'] - 1) * 100)
                          for s, d in own)))
    if oca:
        out.append('- OCA overhead over plain Odoo: %s.' % ', '.join(
            '%+.0f %%' % ((r - 1) * 100) for r in oca))
    for problem in record.get('problems', []):
        out.append('- PROBLEM: %s' % problem)
    return out


def invoice_md(record):
    rows = {(r['variant'], r['history'], r['step']): r
            for r in record['rows']}
    out = ['| step | variant | invoices held | ms | queries | vs plain Odoo |',
           '|---|---|---:|---:|---:|---:|']
    for step in ('post', 'payment'):
        for variant in ('plain', 'deps', 'suite', 'oca'):
            for (v, history, s), row in sorted(rows.items()):
                if v != variant or s != step:
                    continue
                plain = rows.get(('plain', history, step))
                out.append('| %s | %s | %d | %s | %s | %s |' % (
                    step, variant, history, spread(row['ms']),
                    fmt(row['queries']['median'], 0),
                    '%.2fx' % (row['ms']['median'] / plain['ms']['median'])
                    if plain else '-'))
    out.append('')
    out.append('- Target: posting with the suite <= 1.05x without.')
    for problem in record.get('problems', []):
        out.append('- PROBLEM: %s' % problem)
    return out


def ocr_md(record):
    out = ['| scan | upload ms (queues the job) | job s per page | '
           'job queries | OCR state | proposals |',
           '|---|---:|---:|---:|---|---:|']
    for row in record['rows']:
        out.append('| %s | %s | %s | %s | %s | %s |' % (
            row['scan'], spread(row['upload_ms']),
            spread(row['s_per_page']) if row['s_per_page'] else '-',
            fmt(row['queries']['median'], 0) if row['queries'] else '-',
            row['ocr_state'], row['proposals']))
    out += ['', '- Target: <= 5 s per page, off the request.']
    return out


def load_md(record):
    if 'phases' not in record:
        return ['(a record of the first version of the case: not shown)']
    s = record['settings']
    ms = lambda v: fmt(v * 1000.0) if v is not None else '-'  # noqa: E731
    phases = [(name, record['phases'][name])
              for name in ('orders', 'orders + recall')]
    out = ['%d workers + queue_job runner (channels `%s`), %d XML-RPC '
           'clients for %d s per phase, %d customers per phase each taking '
           '%d order(s) within its limit; the second phase also launches '
           'recalls of %d customers and sends their notices as jobs.' % (
               s['workers'], s['channels'], s['clients'], s['seconds'],
               s['customers'], s['fit'], s['notices']), '',
           '| figure | %s |' % ' | '.join(name for name, _p in phases),
           '|---|' + '---:|' * len(phases)]

    def row(label, function):
        out.append('| %s | %s |' % (label, ' | '.join(
            function(p) for _n, p in phases)))
    row('confirmed orders per second',
        lambda p: '%.2f' % p['orders_per_second'])
    row('confirmations tried / confirmed / refused (limit) / errors',
        lambda p: '%d / %d / %d / %d' % (
            p['attempts'], p['confirmed'], p['refused'], p['errors']))
    row('confirmation latency p50 / p95 (ms)',
        lambda p: '%s / %s' % (ms(p['p50']), ms(p['p95'])))
    row('p95 / idle p95 (target <= 3x)',
        lambda p: '%.1fx' % (p['p95'] / record['idle_p95'])
        if p['p95'] and record['idle_p95'] else '-')
    row('serialization retries logged',
        lambda p: '%d' % p['serialization_retries'])
    row('load average before; after (uptime)',
        lambda p: '%s; %s' % (load_text(p['load_before']),
                              load_text(p['load_after'])))
    for key in sorted(phases[0][1]['checks']):
        row('check: %s' % key.replace('_', ' '),
            lambda p: str(p['checks'][key]))
    out += ['', 'Idle (one client, before the load): p50 / p95 %s / %s ms, '
            'load average %s.' % (ms(record['idle_p50']),
                                  ms(record['idle_p95']),
                                  load_text(record.get('idle_load')))]
    recall = record['recall']
    clicks = recall['clicks']

    def click(method):
        # One figure per recall (a list since two recalls, two channels).
        value = clicks.get(method)
        values = value if isinstance(value, list) else [value]
        return ', '.join(ms(v) for v in values)
    out += ['', '| recall notices as jobs | value |', '|---|---:|',
            '| recalls (one per company and channel) | %d |'
            % recall.get('recalls', 1),
            '| customers notified by the recalls | %d |'
            % recall['customers'],
            '| click: launch / send notices (ms, per recall) | %s / %s |' % (
                click('action_launch'), click('action_send_notices')),
            '| notice jobs done | %d |' % recall['notices_done'],
            '| click to last notice done (s) | %s |'
            % fmt(recall['seconds_click_to_last']),
            '| notices per second | %s |'
            % fmt(recall['notices_per_second'], 2),
            '| jobs left unrun at the end of the wait | %d |'
            % recall['left_unrun'],
            '| serialization retries logged (phase and jobs) | %d |'
            % recall['serialization_retries'],
            '| load average after the jobs | %s |'
            % load_text(recall['load_after_jobs'])]
    for job in recall['jobs']:
        out.append('| jobs: `%s` %s, %s | %d |' % (
            job['channel'], job['method'], job['state'], job['count']))
    for key, value in sorted(recall['checks'].items()):
        out.append('| check: %s | %s |' % (key.replace('_', ' '), value))
    if recall.get('click_error'):
        out.append('')
        out.append('- recall click failed: `%s`' % recall['click_error'])
    for name, p in phases:
        for sample in p.get('error_samples', []):
            out.append('- error seen (%s): `%s`' % (name, sample))
    return out


def dashboards_md(record):
    out = ['| dashboard | read_group | records | ms to first answer | '
           'groups | queries |', '|---|---|---:|---:|---:|---:|']
    for row in record['rows']:
        out.append('| %s | %s | %d | %s | %d | %s |' % (
            row['dashboard'], row['label'], row['records'],
            spread(row['ms']), row['groups'],
            fmt(row['queries']['median'], 0)))
    return out


def crons_md(record):
    out = ['| cron | rows | run | wall s | process CPU s | peak RSS growth '
           'MiB | RSS before MiB | queries | result |',
           '|---|---:|---|---:|---:|---:|---:|---:|---|']
    for row in record['rows']:
        for run in ('first', 'second'):
            data = row.get(run)
            if not data:
                continue
            out.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                row['cron'], row.get('volume', '-'), run,
                fmt(data.get('seconds'), 2), fmt(data.get('cpu_seconds'), 2),
                fmt(data.get('peak_growth_mib')),
                fmt(data.get('rss_before_mib'), 0),
                data.get('queries', '-'), data.get('result', '') or
                data.get('error', '')))
    if record.get('partial'):
        out += ['', '- PARTIAL: %s' % record['partial']]
    return out


def load_text(load):
    return ' / '.join(str(x) for x in load) if load else '-'


def trace_md(record):
    out = ['| shape | what | links in table | lots reached | first call ms '
           '| ms | backend CPU ms | queries | load avg |',
           '|---|---|---:|---:|---:|---:|---:|---:|---|']
    for row in record['rows']:
        cpu = row.get('db_cpu_ms')
        out.append('| %s | %s | %d | %s | %s | %s | %s | %s | %s |' % (
            row['shape'], row['label'], row['links'], row.get('lots', '-'),
            fmt(row.get('first_ms')), spread(row['ms']),
            fmt(cpu['median'], 0) if cpu else '-',
            fmt(row['queries']['median'], 0), load_text(row.get('load'))))
    if record.get('odoo'):
        out += ['', "Against Odoo's `stock.traceability.report` on the same "
                'lots (downstream, every line unfolded as the web client '
                'does, one request per line, stopped after 60 s):', '',
                '| shape | lot | suite: lots | suite ms | Odoo: lots found '
                '| Odoo requests | complete | same lots | Odoo ms | Odoo '
                'queries | Odoo / suite | load avg (suite; Odoo) |',
                '|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|']
        for row in record['odoo']:
            suite = row['suite']['ms']['median']
            odoo = row['odoo_ms']['median']
            out.append(
                '| %s | %s (%s) | %d | %s | %d | %d | %s | %s | %s | %s | '
                '%s | %s; %s |' % (
                    row['shape'], row['which'], row['lot'],
                    row['suite_lots'], spread(row['suite']['ms']),
                    row['odoo_lots'], row['odoo_requests'],
                    'yes' if row['odoo_complete'] else 'no (cut at 60 s)',
                    'yes' if row['odoo_same_lots'] else '-',
                    spread(row['odoo_ms']),
                    fmt(row['odoo_queries']['median'], 0),
                    ('%sx' % fmt(odoo / suite)) if suite else '-',
                    load_text(row['suite'].get('load')),
                    load_text(row.get('odoo_load'))))
    recall = record.get('recall')
    if recall:
        out += ['', 'Recall of the tree\'s component lot (%d lots reached), '
                'its finished lots delivered to %d customers:' % (
                    recall['lots_reached'], recall['customers']), '',
                '| step | ms | backend CPU ms | queries | recall lines | '
                'customers | jobs queued | load avg |',
                '|---|---:|---:|---:|---:|---:|---:|---|']
        for label in ('action_launch()', 'action_send_notices()',
                      'dispatch job'):
            data = recall.get(label)
            if not data:
                continue
            cpu = data.get('db_cpu_ms')
            out.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
                label, spread(data['ms']),
                fmt(cpu['median'], 0) if cpu else '-',
                fmt(data['queries']['median'], 0), data['lines'] or '-',
                data['customers'] or '-', data['jobs'],
                load_text(data['load'])))
    return out


TITLES = {
    'confirm': 'Case 1: sale confirmation of a 20-line order',
    'invoice': 'Case 2: invoice posting and payment registration',
    'dashboards': 'Case 6: dashboards and pivots, time to first answer',
    'crons': 'Case 4: the crons, first run and no-op rerun',
    'trace': "Case 3: forward trace from one component lot",
    'ocr': 'Case 5: OCR of a licence scan, as a job',
    'load': 'Case 7: load in workers mode',
}
RENDER = {'confirm': confirm_md, 'invoice': invoice_md,
          'dashboards': dashboards_md,
          'crons': crons_md, 'trace': trace_md, 'ocr': ocr_md,
          'load': load_md}


def plot_confirm(records, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for size, record in records:
        rows = [r for r in record['rows']]
        for variant, color in (('plain', 'tab:gray'), ('deps', 'tab:green'),
                               ('suite', 'tab:blue'), ('oca', 'tab:orange')):
            points = sorted((r['history'], r['ms']) for r in rows
                            if r['variant'] == variant)
            if not points:
                continue
            xs = [p[0] for p in points]
            ys = [p[1]['median'] for p in points]
            err = [[p[1]['median'] - p[1]['min'] for p in points],
                   [p[1]['max'] - p[1]['median'] for p in points]]
            ax.errorbar(xs, ys, yerr=err, marker='o', capsize=3,
                        color=color, label='%s (%s)' % (variant, size),
                        linestyle='-' if size != 'M' else '--')
    ax.set_xscale('log')
    ax.set_xlabel("posted invoices held by the customer")
    ax.set_ylabel('ms per confirmation (median, min-max)')
    ax.set_title('Confirming a 20-line order')
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_series(records, path, key, title, ylabel, xfield, yfield,
                xlabel='records in the data set (all sizes run)'):
    """One line per ``key`` of the rows, x = row[xfield] (volume)."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    series = {}
    for _size, record in records:
        for row in record['rows']:
            value = yfield(row)
            if value is None:
                continue
            series.setdefault(key(row), []).append((row[xfield], value))
    for label, points in sorted(series.items()):
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker='o',
                label=label)
    ax.set_xscale('log')
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot(case, records, path):
    if case == 'load':
        fig, ax = plt.subplots(figsize=(6, 4))
        labels, values = [], []
        for size, record in records:
            if 'phases' not in record:
                continue
            labels += ['%s idle p50' % size, '%s idle p95' % size]
            values += [record['idle_p50'] * 1000.0,
                       record['idle_p95'] * 1000.0]
            for name, p in sorted(record['phases'].items()):
                for key in ('p50', 'p95'):
                    if p.get(key) is not None:
                        labels.append('%s %s %s' % (size, name, key))
                        values.append(p[key] * 1000.0)
        ax.bar(labels, values, color='tab:blue')
        ax.set_ylabel('ms per confirmation')
        ax.set_title('Confirmation latency, idle and under load')
        plt.setp(ax.get_xticklabels(), rotation=30, fontsize=7,
                 ha='right')
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
    elif case == 'confirm':
        plot_confirm(records, path)
    elif case == 'invoice':
        for _s, rec in records:
            for row in rec['rows']:
                row['key'] = '%s %s' % (row['variant'], row['step'])
        plot_series(records, path, lambda r: r['key'],
                    'Invoice posting and payment', 'ms (median)', 'history',
                    lambda r: r['ms']['median'],
                    xlabel='posted invoices held by the customer')
    elif case == 'dashboards':
        plot_series(records, path, lambda r: '%s: %s' % (
            r['dashboard'], r['label']),
            'read_group time to first answer', 'ms (median)', 'records',
            lambda r: r['ms']['median'])
    elif case == 'crons':
        for row in [r for _s, rec in records for r in rec['rows']]:
            row.setdefault('records', row.get('volume', 0))
        plot_series(records, path, lambda r: r['cron'],
                    'Crons: first-run wall time', 's', 'records',
                    lambda r: (r.get('first') or {}).get('seconds'))
    elif case == 'ocr':
        fig, ax = plt.subplots(figsize=(6, 4))
        _size, record = records[-1]
        labels = [r['scan'] for r in record['rows'] if r['s_per_page']]
        values = [r['s_per_page']['median'] for r in record['rows']
                  if r['s_per_page']]
        ax.bar(labels, values, color='tab:blue')
        ax.axhline(5, color='tab:red', linestyle='--', label='target 5 s')
        ax.set_ylabel('seconds per page (job)')
        ax.set_title('OCR of a licence scan')
        ax.legend()
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
    elif case == 'trace':
        plot_series(records, path, lambda r: '%s: %s' % (
            r['shape'], r['label']), 'Forward trace', 'ms (median)',
            'links', lambda r: r['ms']['median'],
            xlabel='genealogy links in the table (all sizes run)')


def main():
    with open(RESULTS_JSON) as stream:
        results = json.load(stream)
    found = latest(results)
    manual = [r for r in results if r.get('manual')]
    lines = ['# Benchmark results', '',
             'Generated by `make bench` (bench/render.py) from '
             '`bench/results.json`: the latest run of each case and size. '
             'How to read them: bench/README.md.', '']
    cases = [c for c in ('confirm', 'invoice', 'dashboards', 'crons',
                         'trace', 'ocr', 'load')
             if any(k[0] == c for k in found)
             or any(r['case'] == c for r in manual)]
    for case in cases:
        lines += ['## %s' % TITLES[case], '']
        sized = sorted(((s, r) for (c, s), r in found.items() if c == case),
                       key=lambda x: SIZE_ORDER.index(x[0]))
        sizes = sorted({s for s, _r in sized} | {
            r['size'] for r in manual if r['case'] == case},
            key=SIZE_ORDER.index)
        for size in sizes:
            lines += ['### Size %s' % size, '']
            record = found.get((case, size))
            if record:
                lines += [header(record), '']
                if 'error' in record:
                    lines += ['**Failed:** `%s`' % record['error'], '']
                else:
                    lines += RENDER[case](record) + ['']
            for kept in manual:
                if (kept['case'], kept['size']) == (case, size):
                    lines += manual_md(kept)
        good = [(s, r) for s, r in sized if 'error' not in r]
        if good:
            name = 'plot_%s.png' % case
            plot(case, good, os.path.join(OUT, name))
            lines += ['![%s](%s)' % (TITLES[case], name), '']
    notes = os.path.join(BENCH, 'NOTES.md')
    if os.path.exists(notes):
        # Findings written by hand after reading the figures.
        with open(notes) as stream:
            lines += [stream.read().strip(), '']
    if NOT_BUILT:
        lines += ['## Not built yet', '']
        lines += ['- case %s: %s' % item for item in NOT_BUILT]
        lines.append('')
    with open(os.path.join(OUT, 'RESULTS.md'), 'w') as stream:
        stream.write('\n'.join(lines))
    print('wrote %s and %d plot(s)' % (os.path.join(OUT, 'RESULTS.md'),
                                       len(cases)))


if __name__ == '__main__':
    main()
