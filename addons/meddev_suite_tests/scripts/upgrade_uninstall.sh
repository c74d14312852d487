#!/usr/bin/env bash
# Upgrade and uninstall of the suite on a copy of a demo database (issue 11
# point 7): `-u` of every addon twice keeps every record and logs no
# warning; uninstalling a leaf addon (meddev_quality_capa by default)
# leaves Odoo's sale and stock flow and the other addons' crons working;
# reinstalling it works. Too long for `make test` (about 15 minutes on a
# loaded 2-core machine): run by hand or in a nightly job.
#
#   addons/meddev_suite_tests/scripts/upgrade_uninstall.sh SOURCE_DB [LEAF]
#
# SOURCE_DB is left alone (it is copied); exit status 0 when every check
# passes. Logs under var/upgrade-<pid>/.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${ROOT:-$(cd "$HERE/../../.." && pwd)}"
PY="$ROOT/.venv/bin/python"
ODOO_BIN="$ROOT/scripts/odoo-bin"
ODOO_CONF="$ROOT/odoo.conf"
SOURCE=${1:?usage: upgrade_uninstall.sh SOURCE_DB [LEAF]}
LEAF=${2:-meddev_quality_capa}
MODULES="meddev_base,meddev_qualification,meddev_credit,meddev_traceability,meddev_service,meddev_quality_capa"
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
check_log() {
    local bad
    bad=$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$1";
          grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ WARNING .*meddev" "$1")
    [ -z "$bad" ] || { fail "$2 logged:"; printf '%s\n' "$bad" | head -20; }
}
counts() { "$PY" "$HERE/upgrade_checks.py" "$ODOO_CONF" "$DB" counts \
    2>>"$OUT/checks.err"; }
smoke() {
    if "$PY" "$HERE/upgrade_checks.py" "$ODOO_CONF" "$DB" smoke \
        >"$OUT/smoke-$1.txt" 2>&1 && grep -q '^smoke ok' "$OUT/smoke-$1.txt"
    then say "sale and stock flow and crons after $1: ok"
    else fail "sale/stock flow or a cron after $1 (see $OUT/smoke-$1.txt)"; fi
}
trap 'dropdb --if-exists "$DB" 2>/dev/null' EXIT

createdb -T "$SOURCE" "$DB" || { say "cannot copy $SOURCE"; exit 1; }
counts >"$OUT/counts-before.txt"
for round in 1 2; do
    start=$SECONDS
    odoo -u "$MODULES" --logfile="$OUT/update-$round.log" ||
        fail "-u round $round exited non-zero"
    check_log "$OUT/update-$round.log" "-u round $round"
    counts >"$OUT/counts-after-$round.txt"
    if diff -u "$OUT/counts-before.txt" "$OUT/counts-after-$round.txt"; then
        say "-u round $round ($((SECONDS - start)) s): every record kept"
    else
        fail "-u round $round changed the number of records"
    fi
done
smoke upgrade

start=$SECONDS
"$PY" - "$ODOO_CONF" "$DB" "$LEAF" "$OUT/uninstall.log" \
    >"$OUT/uninstall.txt" 2>&1 <<'PYEOF'
import sys
import odoo
from odoo import SUPERUSER_ID, api
conf, db, leaf, logfile = sys.argv[1:5]
odoo.tools.config.parse_config(['-c', conf, '-d', db, '--logfile', logfile])
registry = odoo.registry(db)
with api.Environment.manage(), registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    module = env['ir.module.module'].search([('name', '=', leaf)])
    module.button_immediate_uninstall()
    cr.commit()
with api.Environment.manage(), odoo.registry(db).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    print(env['ir.module.module'].search([('name', '=', leaf)]).state)
PYEOF
check_log "$OUT/uninstall.log" "uninstall of $LEAF"
if tail -1 "$OUT/uninstall.txt" | grep -q uninstalled; then
    say "uninstall of $LEAF ($((SECONDS - start)) s): ok"
else
    fail "uninstall of $LEAF (see $OUT/uninstall.txt)"
fi
counts >"$OUT/counts-uninstalled.txt"
smoke "uninstall of $LEAF"

start=$SECONDS
odoo -i "$LEAF" --logfile="$OUT/reinstall.log" || fail "reinstall exited"
check_log "$OUT/reinstall.log" "reinstall of $LEAF"
state=$(psql -d "$DB" -tAc \
    "select state from ir_module_module where name = '$LEAF'")
[ "$state" = installed ] && say "reinstall of $LEAF ($((SECONDS - start)) s): ok" ||
    fail "reinstall of $LEAF: state $state"
smoke "reinstall of $LEAF"

[ $status -eq 0 ] && say "all checks passed (logs: $OUT)" ||
    say "some checks FAILED (logs: $OUT)"
exit $status
