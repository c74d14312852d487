"""Case 4, reporting deadlines only: put the M/L complaints and their
regulatory reports into a smaller suite database, to time the
reporting-deadline cron at full volume without generating a whole M or L
data set (both hold 100 000 complaints; the cron reads nothing else).

    .venv/bin/python bench/deadline_volume.py DATABASE [COMPLAINTS]

DATABASE is a copy of a suite template (e.g. ``createdb -T
meddev_bench_tpl_suite_t_<hash> DATABASE``) updated to the code measured
(``-u meddev_quality_capa``). The complaints and reports come from the
generator's own ``make_complaints`` / ``make_reports`` (so the mix is
case 4's: one report per five complaints, two in ten of them to warn or
to mark missed), COMPLAINTS of them (default 100 000, M's and L's).
Then time the cron as case 4 does, in its own process::

    BENCH_WORKTREE=1 .venv/bin/python bench/cron_child.py DATABASE \\
        meddev_quality_capa.ir_cron_meddev_report_deadlines
"""
import sys
import time

import common
import generate

import odoo
from odoo import SUPERUSER_ID, api


def main():
    db = sys.argv[1]
    complaints = int(sys.argv[2]) if len(sys.argv) > 2 else \
        common.SIZES['L']['complaints']
    odoo.tools.config.parse_config(
        common.odoo_args() + ['-d', db, '--log-level=warn'])
    start = time.time()
    registry = odoo.registry(db)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, generate.CTX)
        gen = generate.Generator(env, 'suite', 'M')
        gen.vol = dict(gen.vol, complaints=complaints)
        gen.partners = env['res.partner'].search(
            [('customer', '=', True)], limit=3, order='id').ids
        # The template's own generation made the quality manager already:
        # make_reports makes it again.
        cr.execute("""UPDATE res_users SET login = login || '_template'
                       WHERE login = 'bench_quality_manager'""")
        # Only the volume made here is measured: the template's own
        # reports are out of the cron's way.
        cr.execute("""UPDATE meddev_regulatory_report
                         SET state = 'submitted' WHERE state = 'open'""")
        gen.make_complaints()
        gen.make_reports()
        cr.execute("""SELECT count(*) FILTER (WHERE state = 'open'
                                                AND due_date <= now()),
                             count(*) FILTER (WHERE state = 'open'
                                                AND warn_date <= now()
                                                AND due_date > now()),
                             count(*)
                        FROM meddev_regulatory_report""")
        missed, to_warn, total = cr.fetchone()
        cr.execute('SELECT count(*) FROM meddev_complaint')
        common.log('%d complaints, %d reports: %d to warn, %d past due, '
                   'in %.0f s' % (cr.fetchone()[0], total, to_warn, missed,
                                  time.time() - start))
        cr.commit()


if __name__ == '__main__':
    main()
