"""Templates of the benchmark's databases.

Two levels, each cached as a PostgreSQL database used with createdb -T:

- base: the variant's addons installed without demo data (one per
  variant, whatever the size);
- sized: the base plus the data set of one SIZE (bench/generate.py).

The names carry a hash of what made them (common.template_hash): the
suite's code (any committed change to an addon outside its tests), the
variant's addon list, the generator's code and the size's volumes; so a
changed addon or generator makes new templates. Each template also says,
as its database comment, which commit built it, when and at which load
(printed with every case in RESULTS.md).
"""
import os
import subprocess
import sys

import common


def _rename(source, target):
    common.psql('ALTER DATABASE "%s" RENAME TO "%s"' % (source, target))


def _install(db, modules, logfile):
    """Install ``modules`` without demo data on ``db`` (created)."""
    cmd = [common.PY, common.ODOO_BIN] + common.odoo_args() + [
        '-d', db, '-i', ','.join(modules), '--without-demo=all',
        '--stop-after-init', '--max-cron-threads=0',
        '--log-level=warn', '--logfile=%s' % logfile]
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    missing = common.psql(
        "SELECT string_agg(name, ',') FROM ir_module_module WHERE name = "
        "ANY(string_to_array('%s', ',')) AND state <> 'installed'"
        % ','.join(modules), db)
    if rc or missing:
        raise RuntimeError('install of %s on %s failed (exit %s, missing %s)'
                           '; log: %s' % (modules, db, rc, missing, logfile))


def ensure_base(variant):
    """Return the base template of ``variant``, built if missing."""
    name = common.template_name(variant, 'base')
    if common.db_exists(name):
        return name
    os.makedirs(common.VAR, exist_ok=True)
    build = name + '_build'
    common.drop_db(build)
    common.log('installing %s (%s) on %s' % (
        variant, ','.join(common.VARIANTS[variant]), build))
    subprocess.run(['createdb', build], check=True)
    _install(build, common.VARIANTS[variant],
             os.path.join(common.VAR, 'install-%s.log' % variant))
    _rename(build, name)
    common.mark_template(name, 'base')
    common.log('base template %s ready' % name)
    return name


def ensure_sized(variant, size):
    """Return the template of ``variant`` with the data set of ``size``,
    generated (in a child process, so that no connection stays open on
    it) if missing."""
    name = common.template_name(variant, size)
    if common.db_exists(name):
        return name
    base = ensure_base(variant)
    build = name + '_build'
    common.copy_db(base, build)
    common.log('generating the %s data set of %s on %s' % (
        size, variant, build))
    rc = subprocess.run([common.PY, os.path.join(common.BENCH,
                                                 'generate.py'),
                         variant, size, build]).returncode
    if rc:
        raise RuntimeError('generation of %s %s failed' % (variant, size))
    common.psql('VACUUM ANALYZE', build)
    _rename(build, name)
    common.mark_template(name, size)
    common.log('template %s ready' % name)
    return name


if __name__ == '__main__':
    for arg in sys.argv[1:]:
        ensure_base(arg)
