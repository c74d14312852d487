"""Shared helpers of the benchmark: databases and templates, timing
statistics, the results file. Runs with the project's Odoo interpreter
(.venv); nothing here imports Odoo at module level, so that the plotting
side (.venv-tools) can import the figures helpers too."""
import ast
import hashlib
import json
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, 'bench')
VAR = os.path.join(ROOT, 'var', 'bench')
# BENCH_RESULTS: another results file (bench/tests writes a scratch one).
RESULTS_JSON = os.environ.get('BENCH_RESULTS') or os.path.join(
    BENCH, 'results.json')
# odoo.conf's addons_path is relative to the project root (scripts/odoo-bin
# starts Odoo there): so do the bench's scripts, wherever they are run from.
os.chdir(ROOT)
PY = os.path.join(ROOT, '.venv', 'bin', 'python')
ODOO_BIN = os.path.join(ROOT, 'scripts', 'odoo-bin')
ODOO_CONF = os.path.join(ROOT, 'odoo.conf')


def addons_dir():
    """The suite's addons the benchmark measures: by default those of the
    commit checked out (HEAD), exported with git archive under var/bench/src,
    because engineers edit the shared working tree while a run lasts; with
    BENCH_WORKTREE=1, the working tree's. Computed once per run and handed
    to the child processes through BENCH_ADDONS."""
    if os.environ.get('BENCH_ADDONS'):
        return os.environ['BENCH_ADDONS']
    if os.environ.get('BENCH_WORKTREE'):
        path = os.path.join(ROOT, 'addons')
    else:
        commit = subprocess.run(
            ['git', '-C', ROOT, 'rev-parse', '--short=12', 'HEAD'],
            stdout=subprocess.PIPE, universal_newlines=True,
            check=True).stdout.strip()
        target = os.path.join(VAR, 'src', commit)
        path = os.path.join(target, 'addons')
        if not os.path.isdir(path):
            # Exported beside, then renamed: two runs started together
            # must not read a half-extracted tree.
            os.makedirs(target, exist_ok=True)
            partial = os.path.join(target, 'addons.%d' % os.getpid())
            os.makedirs(partial)
            archive = subprocess.Popen(
                ['git', '-C', ROOT, 'archive', commit, 'addons'],
                stdout=subprocess.PIPE)
            subprocess.run(['tar', '-x', '--strip-components=1', '-C',
                            partial], stdin=archive.stdout, check=True)
            archive.wait()
            try:
                os.rename(partial, path)
            except OSError:  # another run was first
                subprocess.run(['rm', '-rf', partial])
    os.environ['BENCH_ADDONS'] = path
    return path


def odoo_args():
    """The options every Odoo started by the benchmark gets."""
    return ['-c', ODOO_CONF, '--addons-path=%s,%s' % (
        os.path.join(ROOT, '.venv', 'lib', 'python3.7', 'site-packages',
                     'odoo', 'addons'), addons_dir())]


def source():
    """What code is measured, for the results' header."""
    path = addons_dir()
    if path == os.path.join(ROOT, 'addons'):
        return 'working tree'
    return 'commit %s' % os.path.basename(os.path.dirname(path))


# Bumped whenever the generator changes what it puts in a database: the
# templates made by an older generator are then rebuilt, not reused.
GENERATOR_VERSION = '3'

SUITE = ['meddev_base', 'meddev_qualification', 'meddev_credit',
         'meddev_traceability', 'meddev_service', 'meddev_quality_capa']

# The variants compared: each is its own database, built from its own
# template. The OCA anchors go only into their own database.


def suite_dependencies():
    """The Odoo and OCA addons the suite's manifests depend on (not the
    suite's own): the 'deps' variant installs them without the suite, so
    that suite / deps is the cost of the suite's own code."""
    found = set()
    for name in SUITE:
        path = os.path.join(addons_dir(), name, '__manifest__.py')
        with open(path) as manifest:
            found.update(ast.literal_eval(manifest.read()).get(
                'depends', []))
    return sorted(dep for dep in found if not dep.startswith('meddev_'))


# l10n_generic_coa: invoices need a chart of accounts, which account's
# auto-install does not bring on a database without demo data.
VARIANTS = {
    'plain': ['sale_management', 'stock', 'l10n_generic_coa'],
    'deps': suite_dependencies() + ['sale_management', 'l10n_generic_coa'],
    'suite': SUITE + ['l10n_generic_coa'],
    'oca': ['sale_management', 'stock', 'account_financial_risk',
            'sale_financial_risk', 'l10n_generic_coa'],
}

# Volumes per size (see bench/README.md). Orders carry one line each in
# the history; "links" are genealogy links per shape (tree and DAG).
SIZES = {
    'T': dict(partners=50, orders=200, histories=(10, 50), tickets=100,
              complaints=100, licences=50, links=2000, reps=1),
    'S': dict(partners=1000, orders=10000, histories=(10, 1000, 10000),
              tickets=10000, complaints=10000, licences=1000, links=30000,
              reps=5),
    'M': dict(partners=10000, orders=100000, histories=(10, 1000, 10000),
              tickets=30000, complaints=100000, licences=10000,
              links=100000, reps=5),
    'L': dict(partners=50000, orders=500000, histories=(10, 1000, 10000),
              tickets=100000, complaints=100000, licences=50000,
              links=300000, reps=5),
}


def log(message):
    print('[bench %s] %s' % (time.strftime('%H:%M:%S'), message), flush=True)


def psql(sql, db='postgres'):
    """Run one statement with psql and return its unaligned output."""
    out = subprocess.run(['psql', '-X', '-d', db, '-tAc', sql],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True)
    if out.returncode:
        raise RuntimeError('psql failed: %s\n%s' % (sql, out.stderr))
    return out.stdout.strip()


def db_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = '%s'"
                % name) == '1'


def drop_db(name):
    subprocess.run(['dropdb', '--if-exists', name],
                   stderr=subprocess.DEVNULL)


def copy_db(template, name):
    """Create ``name`` as a copy of ``template`` (createdb -T)."""
    drop_db(name)
    subprocess.run(['createdb', '-T', template, name], check=True)


def _addons_fingerprint():
    """A hash of the suite's installable code (every file of addons/
    except tests and READMEs), so that any committed change to an addon
    (a field, a view, data, a migration) makes new templates even without
    a version bump, while a test-only change reuses them. From the
    commit's tree (git ls-tree) or, with BENCH_WORKTREE, from the files."""
    def counted(path):
        return '/tests/' not in path and not path.endswith('.md')
    path = addons_dir()
    digest = hashlib.sha1()
    if path == os.path.join(ROOT, 'addons'):
        for folder, dirs, files in sorted(os.walk(path)):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, ROOT)
                if counted('/' + rel) and not name.endswith('.pyc'):
                    with open(full, 'rb') as stream:
                        digest.update(rel.encode() + b'\0' + stream.read())
        return digest.hexdigest()
    commit = os.path.basename(os.path.dirname(path))
    listing = subprocess.run(
        ['git', '-C', ROOT, 'ls-tree', '-r', commit, 'addons'],
        stdout=subprocess.PIPE, universal_newlines=True,
        check=True).stdout
    for line in listing.splitlines():
        if counted('/' + line.split('\t', 1)[1]):
            digest.update(line.encode() + b'\n')
    return digest.hexdigest()


def _generator_fingerprint(size):
    """A hash of the generator's code and of the size's volumes: a changed
    generator makes new sized templates without GENERATOR_VERSION's bump
    (kept as a manual override)."""
    digest = hashlib.sha1(('gen' + GENERATOR_VERSION + repr(sorted(
        SIZES[size].items()))).encode())
    with open(os.path.join(BENCH, 'generate.py'), 'rb') as stream:
        digest.update(stream.read())
    return digest.hexdigest()


def template_hash(variant, size):
    """Return a short hash naming the template of ``variant`` at ``size``
    ('base': the addons installed, no data): the variant's addon list, the
    suite's code for the variants whose code is the suite's ('suite', and
    'deps' through its manifests' dependencies, in its addon list), and
    for a sized template the generator and the volumes."""
    parts = [variant, ','.join(VARIANTS[variant])]
    if variant == 'suite':
        parts.append(_addons_fingerprint())
    if size != 'base':
        parts.append(_generator_fingerprint(size))
    return hashlib.sha1(';'.join(parts).encode()).hexdigest()[:8]


def template_name(variant, size):
    return 'meddev_bench_tpl_%s_%s_%s' % (
        variant, size.lower(), template_hash(variant, size))


def measured_commit():
    """The commit whose addons are measured ('working tree' otherwise)."""
    path = addons_dir()
    if path == os.path.join(ROOT, 'addons'):
        return 'working tree'
    return os.path.basename(os.path.dirname(path))


def mark_template(name, size):
    """Record on the template database what it was built from (commit,
    date, load): read back by template_origin for RESULTS.md."""
    psql("COMMENT ON DATABASE \"%s\" IS 'built from %s, %s, %s, load %s'" % (
        name, measured_commit(), size,
        time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        ' / '.join(str(x) for x in load_average())))


def template_origin(name):
    """What mark_template recorded on ``name`` ('' when nothing)."""
    return psql("SELECT shobj_description(oid, 'pg_database') FROM "
                "pg_database WHERE datname = '%s'" % name)


def work_name(variant, size):
    return 'meddev_bench_%s_%s' % (variant, size.lower())


def load_average():
    with open('/proc/loadavg') as loadavg:
        return [float(x) for x in loadavg.read().split()[:3]]


def stats(values):
    """Median, min, max and relative spread (max-min over median)."""
    values = sorted(values)
    median = statistics.median(values)
    return {
        'median': median, 'min': values[0], 'max': values[-1],
        'n': len(values),
        'spread': (values[-1] - values[0]) / median if median else 0.0,
        'values': values,
    }


def machine():
    mem = ''
    with open('/proc/meminfo') as meminfo:
        for line in meminfo:
            if line.startswith('MemTotal'):
                mem = '%.1f GiB' % (int(line.split()[1]) / 1048576.0)
    cpu = ''
    with open('/proc/cpuinfo') as cpuinfo:
        for line in cpuinfo:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    nproc = subprocess.run(['nproc'], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.strip()
    commit = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short',
                             'HEAD'], stdout=subprocess.PIPE,
                            universal_newlines=True).stdout.strip()
    # Engineers share the checkout: say when the addons measured differ
    # from the commit.
    dirty = subprocess.run(['git', '-C', ROOT, 'status', '--porcelain',
                            'addons'], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.count('\n')
    pg = psql('SHOW server_version')
    return {'nproc': nproc, 'memory': mem, 'cpu': cpu, 'commit': commit,
            'postgres': pg, 'uncommitted_addon_files': dirty,
            'source': source()}


def append_result(record):
    """Append one case's record to bench/results.json (a JSON list)."""
    results = []
    if os.path.exists(RESULTS_JSON):
        with open(RESULTS_JSON) as stream:
            results = json.load(stream)
    results.append(record)
    with open(RESULTS_JSON, 'w') as stream:
        json.dump(results, stream, indent=1, sort_keys=True)
