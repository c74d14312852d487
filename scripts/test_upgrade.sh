#!/usr/bin/env bash
# `make test-upgrade`: the suite's upgrade and uninstall checks
# (addons/meddev_suite_tests/scripts/upgrade_uninstall.sh: `-u` of every
# addon twice keeps every record and logs no warning; each addon
# uninstalled, top of the dependency graph first, leaves nothing behind and
# sale, stock and the remaining addons' crons working; the suite installs
# again) on a fresh database with the suite's demo data.
#
# CI runs it after make test-alone, beside make test-core (.ci/run).
#
# Options (environment): UNINSTALL=a,b (the addons uninstalled, in this
# order; default every addon, top first); RUN_ID=name (database suffix);
# KEEP_DB=1 (keep the demo database); SOURCE_DB=name (check a copy of this
# database instead of installing one). Logs: var/upgrade-<pid>/ (the
# checks) and var/test-upgrade-<run id>.log (the install).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" || exit 1
start=$(date +%s)
RUN_ID="${RUN_ID:-$$}"
DB="${SOURCE_DB:-meddev_upgrade_src_${RUN_ID}}"
mkdir -p "$ROOT/var"

cleanup() {
    [ -n "${SOURCE_DB:-}" ] || [ -n "${KEEP_DB:-}" ] && return
    dropdb --if-exists "$DB" 2>/dev/null
    rm -rf "${FILESTORE:?}/$DB"
}
trap cleanup EXIT

if [ -z "${SOURCE_DB:-}" ]; then
    install_log="$ROOT/var/test-upgrade-$RUN_ID.log"
    rm -f "$install_log"
    log "installing $MEDDEV_MODULES with demo data on $DB"
    dropdb --if-exists "$DB" 2>/dev/null
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$MEDDEV_MODULES" \
        --stop-after-init --max-cron-threads=0 --log-level=info \
        --logfile="$install_log" >/dev/null 2>&1
    rc=$?
    missing=$(psql -d "$DB" -tAc "select string_agg(name, ',') from ir_module_module
        where name = any(string_to_array('$MEDDEV_MODULES', ','))
        and state <> 'installed'" 2>/dev/null)
    if [ $rc -ne 0 ] || [ -n "$missing" ]; then
        die "install FAILED (exit $rc${missing:+, not installed: $missing}); log: $install_log"
    fi
    log "install took $(( $(date +%s) - start )) s"
fi

ROOT="$ROOT" addons/meddev_suite_tests/scripts/upgrade_uninstall.sh \
    "$DB" ${UNINSTALL:+"$UNINSTALL"}
status=$?
log "make test-upgrade took $(( $(date +%s) - start )) s"
[ $status -ne 0 ] && log "make test-upgrade FAILED (see above)"
exit $status
