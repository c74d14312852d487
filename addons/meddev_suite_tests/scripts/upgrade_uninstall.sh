#!/usr/bin/env bash
# Upgrade and uninstall of the suite on a copy of a demo database (issue 11
# point 7), run by `make test-upgrade` (scripts/test_upgrade.sh):
#
# 1. `-u` of every addon, twice: the number of records of the suite's
#    models (and of sale orders, stock moves, messages) stays the same and
#    the update logs no error and no warning;
# 2. Odoo's sale and stock flow and the suite's crons still run;
# 3. each addon is uninstalled in turn, top of the dependency graph first
#    (quality_capa, service, traceability, credit, qualification, base):
#    after each, nothing of it is left (models, fields, views, actions,
#    tables; Odoo keeps the records other data still references, such as
#    a location with done moves: listed) and Odoo's sale and stock flow
#    and the remaining addons' crons still run; its uninstall hook kept
#    its records in the schema <addon>_archive;
# 4. the addons are installed again (without demo data: see below): no
#    error or warning, flow and crons.
#
#   addons/meddev_suite_tests/scripts/upgrade_uninstall.sh SOURCE_DB [ADDONS]
#
# ADDONS: the addons to uninstall, in this order (comma-separated; default
# all, top first). SOURCE_DB is left alone (it is copied); exit status 0
# when every check passes. Logs under var/upgrade-<pid>/.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${ROOT:-$(cd "$HERE/../../.." && pwd)}"
PY="$ROOT/.venv/bin/python"
ODOO_BIN="$ROOT/scripts/odoo-bin"
ODOO_CONF="$ROOT/odoo.conf"
SOURCE=${1:?usage: upgrade_uninstall.sh SOURCE_DB [ADDONS]}
MODULES="meddev_base,meddev_qualification,meddev_credit,meddev_traceability,meddev_service,meddev_quality_capa"
# Top of the graph first: quality_capa needs service and traceability,
# service needs traceability and credit; the other three need base only.
TOP_FIRST="meddev_quality_capa,meddev_service,meddev_traceability,meddev_credit,meddev_qualification,meddev_base"
UNINSTALL=${2:-$TOP_FIRST}
DB="meddev_upgrade_$$"
OUT="$ROOT/var/upgrade-$$"
mkdir -p "$OUT"
# odoo.conf's relative paths are read from the project root.
cd "$ROOT" || exit 1
status=0

say() { printf '[upgrade] %s\n' "$*"; }
fail() { say "FAIL: $*"; status=1; }
odoo() { "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --stop-after-init \
    --max-cron-threads=0 --log-level=info "$@" >/dev/null 2>&1; }
# check_log LOG WHAT: no ERROR, CRITICAL or WARNING line (Odoo's or the
# suite's) in LOG.
check_log() {
    local bad
    bad=$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$1")
    [ -z "$bad" ] || { fail "$2 logged:"; printf '%s\n' "$bad" | cut -c1-400 | head -20; }
}
# check_uninstall_log LOG WHAT: as check_log, except the DELETEs Odoo
# tried and rolled back because other data references the record (it logs
# the refused query as an error, then "Unable to delete" and keeps the
# record): listed in kept-*.txt. Each refused DELETE must be such a case.
check_uninstall_log() {
    local bad refused unable
    bad=$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$1" |
          grep -vE "odoo\.sql_db: bad query: b'DELETE FROM [a-z_0-9]+ WHERE id IN \([0-9]+\)'$")
    refused=$(grep -cE "odoo\.sql_db: bad query: b'DELETE FROM " "$1")
    unable=$(grep -cE "ir_model: Unable to delete " "$1")
    grep -oE "Unable to delete [0-9]+@[a-z_.]+" "$1" >"$OUT/kept-$3.txt"
    [ "$refused" -le "$unable" ] ||
        bad="$bad${bad:+$'\n'}$refused refused DELETEs but $unable records kept"
    [ -z "$bad" ] || { fail "$2 logged:"; printf '%s\n' "$bad" | cut -c1-400 | head -20; }
}
checks() { "$PY" "$HERE/upgrade_checks.py" "$ODOO_CONF" "$DB" "$@"; }
smoke() {
    if checks smoke >"$OUT/smoke-$1.txt" 2>&1 &&
            grep -q '^smoke ok' "$OUT/smoke-$1.txt"; then
        say "sale and stock flow and $(grep -c '^cron ok' "$OUT/smoke-$1.txt") crons after $1: ok"
    else
        fail "sale/stock flow or a cron after $1 (see $OUT/smoke-$1.txt)"
    fi
}
trap 'dropdb --if-exists "$DB" 2>/dev/null; rm -rf "${ROOT:?}/.odoo-data/filestore/$DB"' EXIT

createdb -T "$SOURCE" "$DB" || { say "cannot copy $SOURCE"; exit 1; }
checks counts >"$OUT/counts-before.txt" 2>>"$OUT/checks.err"
for round in 1 2; do
    start=$SECONDS
    odoo -u "$MODULES" --logfile="$OUT/update-$round.log" ||
        fail "-u round $round exited non-zero"
    check_log "$OUT/update-$round.log" "-u round $round"
    checks counts >"$OUT/counts-after-$round.txt" 2>>"$OUT/checks.err"
    if diff -u "$OUT/counts-before.txt" "$OUT/counts-after-$round.txt"; then
        say "-u round $round ($((SECONDS - start)) s): every record kept"
    else
        fail "-u round $round changed the number of records"
    fi
done
smoke upgrade

for leaf in ${UNINSTALL//,/ }; do
    start=$SECONDS
    "$PY" - "$ODOO_CONF" "$DB" "$leaf" "$OUT/uninstall-$leaf.log" \
        >"$OUT/uninstall-$leaf.txt" 2>&1 <<'PYEOF'
import sys
import odoo
from odoo import SUPERUSER_ID, api
conf, db, leaf, logfile = sys.argv[1:5]
odoo.tools.config.parse_config(['-c', conf, '-d', db, '--logfile', logfile,
                                '--max-cron-threads=0'])
with api.Environment.manage(), odoo.registry(db).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    # What Settings > Apps > Uninstall does.
    env['ir.module.module'].search(
        [('name', '=', leaf)]).button_immediate_uninstall()
    cr.commit()
with api.Environment.manage(), odoo.registry(db).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    print(env['ir.module.module'].search([('name', '=', leaf)]).state)
PYEOF
    check_uninstall_log "$OUT/uninstall-$leaf.log" "uninstall of $leaf" "$leaf"
    if tail -1 "$OUT/uninstall-$leaf.txt" | grep -qx uninstalled; then
        say "uninstall of $leaf ($((SECONDS - start)) s): ok ($(wc -l <"$OUT/kept-$leaf.txt") records kept: referenced)"
    else
        fail "uninstall of $leaf (see $OUT/uninstall-$leaf.txt)"
    fi
    # Every addon's uninstall hook keeps its records in <addon>_archive
    # (meddev_base's tools/uninstall_archive.py): the schema and its
    # copies of the addon's tables must be there.
    archived=$(psql -d "$DB" -tAc "select count(*) from information_schema.tables
        where table_schema = '${leaf}_archive' and table_name like 'archived\_%'")
    if [ "${archived:-0}" -gt 0 ]; then
        say "records of $leaf kept: $archived tables in schema ${leaf}_archive"
    else
        fail "no archive schema ${leaf}_archive after the uninstall of $leaf"
    fi
    if checks leftovers "$leaf" >"$OUT/leftovers-$leaf.txt" \
            2>>"$OUT/checks.err"; then
        say "nothing of $leaf left ($(grep -c '^kept' "$OUT/leftovers-$leaf.txt") xml ids kept: see leftovers-$leaf.txt)"
    else
        fail "$leaf left behind:"; grep '^left' "$OUT/leftovers-$leaf.txt" | head -20
    fi
    smoke "uninstall of $leaf"
done

# Reinstalled without demo data, as on a production database: the demo
# records Odoo kept at the uninstall (lots with stock moves) stand for the
# customer's data. Demo data cannot load over them: Odoo's stock refuses
# any write of a lot's product_id once the lot has moves, even the same
# product (stock/models/stock_production_lot.py, write), and an install
# writes every record of the demo file. An addon installs with demo data
# when any installed module has it: the flag goes off for all.
psql -q -d "$DB" -c "UPDATE ir_module_module SET demo = FALSE"
start=$SECONDS
odoo -i "$MODULES" --without-demo=all --logfile="$OUT/reinstall.log" ||
    fail "reinstall exited non-zero"
check_log "$OUT/reinstall.log" "reinstall"
missing=$(psql -d "$DB" -tAc "select string_agg(name, ',') from ir_module_module
    where name = any(string_to_array('$MODULES', ',')) and state <> 'installed'")
if [ -z "$missing" ]; then
    say "reinstall of the suite ($((SECONDS - start)) s): ok"
else
    fail "reinstall: not installed: $missing"
fi
smoke reinstall

[ $status -eq 0 ] && say "all checks passed (logs: $OUT)" ||
    say "some checks FAILED (logs: $OUT)"
exit $status
