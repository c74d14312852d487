#!/usr/bin/env bash
# `make check-workers`: jobs run in workers mode (issue 11 point 8). Starts
# a demo database with `WORKERS=4 scripts/run.sh` (what `WORKERS=4 make run`
# does: prefork workers, a cron thread, queue_job's runner) on a spare port,
# then addons/meddev_suite_tests/scripts/workers_jobs.py queues a licence
# scan's OCR and a recall's notices through XML-RPC, waits until the runner
# had every job run by a worker, and checks each job done, the OCR's
# proposals, each notice mailed once (to an SMTP server of its own); then the
# server is stopped and the database dropped.
#
# Options (environment): SOURCE_DB=name (check a copy of this database, with
# the suite installed, instead of installing one: about 2 minutes instead of
# 15-25); WORKERS (default 4); RUN_ID; KEEP_DB=1. Logs: var/workers-<run id>/.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" || exit 1

start=$(date +%s)
RUN_ID="${RUN_ID:-$$}"
DB="meddev_workers_${RUN_ID}"
OUT="$ROOT/var/workers-$RUN_ID"
mkdir -p "$OUT"
PORT=$(free_port)
server=""

cleanup() {
    if [ -n "$server" ]; then
        # The server's own session: the workers and wkhtmltopdf go with it.
        kill -TERM -- "-$server" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$server" 2>/dev/null || break; sleep 1; done
        kill -KILL -- "-$server" 2>/dev/null
    fi
    [ -n "${KEEP_DB:-}" ] && return
    dropdb --if-exists "$DB" 2>/dev/null
    rm -rf "${ROOT:?}/.odoo-data/filestore/$DB" "$ROOT/var/run-$DB.stamp"
}
trap cleanup EXIT

dropdb --if-exists "$DB" 2>/dev/null
update=1
if [ -n "${SOURCE_DB:-}" ]; then
    copy_db "$SOURCE_DB" "$DB" || die "cannot copy $SOURCE_DB"
    # A copy of a current database: no update as the server starts.
    update=0
    log "copied $SOURCE_DB to $DB"
else
    log "run.sh installs the demo database $DB first (15-25 minutes)"
fi

# setsid: the server leads a session of its own, stopped as a whole above.
MEDDEV_DB="$DB" MEDDEV_PORT="$PORT" WORKERS="${WORKERS:-4}" \
    MEDDEV_LONGPOLLING_PORT="$(free_port)" MEDDEV_UPDATE="$update" \
    setsid scripts/run.sh --logfile="$OUT/odoo.log" --log-level=info \
    >"$OUT/run.txt" 2>&1 &
server=$!

log "waiting for Odoo in workers mode on port $PORT (log: $OUT/odoo.log)"
until "$PY" -c "import xmlrpc.client, sys
xmlrpc.client.ServerProxy('http://127.0.0.1:$PORT/xmlrpc/2/common').version()" \
        2>/dev/null; do
    kill -0 "$server" 2>/dev/null || die "Odoo stopped; see $OUT/run.txt and $OUT/odoo.log"
    [ $(( $(date +%s) - start )) -lt 3600 ] || die "Odoo not answering after an hour"
    sleep 2
done
ready=$(date +%s)
log "Odoo answers after $(( ready - start )) s"
grep -q "starting jobrunner\|queue_job.jobrunner" "$OUT/odoo.log" ||
    sleep 5  # the runner starts a moment after the first worker

"$PY" addons/meddev_suite_tests/scripts/workers_jobs.py \
    "http://127.0.0.1:$PORT" "$DB" "$OUT/odoo.log" | tee "$OUT/checks.txt"
status=${PIPESTATUS[0]}
# Workers never log a traceback while serving the jobs.
if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$OUT/odoo.log"; then
    log "the server logged errors (above)"; status=1
fi
log "make check-workers took $(( $(date +%s) - start )) s ($(( $(date +%s) - ready )) s of checks)"
[ "$status" -eq 0 ] || log "make check-workers FAILED (logs: $OUT)"
exit "$status"
