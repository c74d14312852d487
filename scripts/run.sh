#!/usr/bin/env bash
# `make run`: set up, create the demo database once (the five addons with
# their demo data), then serve Odoo on http://127.0.0.1:8069 until Ctrl-C.
#
# Options (environment): MEDDEV_DB (database, default meddev); MEDDEV_PORT
# (HTTP port, default 8069); WORKERS=N (N >= 2: workers mode, N prefork
# workers, one cron thread and queue_job's job runner, as in production);
# MEDDEV_CHANNELS (queue_job's channels, default below: root:1 threaded,
# half the workers in workers mode);
# MEDDEV_LONGPOLLING_PORT (workers mode, default the HTTP port + 3);
# MEDDEV_UPDATE=0 (never update the addons as the server starts). Further
# arguments go to Odoo (`scripts/run.sh --logfile=var/odoo.log`).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

DB="${MEDDEV_DB:-meddev}"
PORT="${MEDDEV_PORT:-8069}"
WORKERS="${WORKERS:-0}"
installed=$(psql -d "$DB" -tAc "select count(*) from ir_module_module
    where name like 'meddev\_%' and state = 'installed'" 2>/dev/null || echo 0)
if [ "${installed:-0}" -lt 5 ]; then
    log "creating the demo database '$DB' with the five addons (a few minutes, once)"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$MEDDEV_MODULES" \
        --stop-after-init --log-level=warn
fi
# Addons changed since this database last ran (a pull, an edit): update them
# as the server starts, so the demo never runs stale views or fields.
mkdir -p var
stamp_file="var/run-$DB.stamp"
stamp=$(find addons -type f ! -path '*/__pycache__/*' -print0 | sort -z \
    | xargs -0 sha1sum | sha1sum | cut -c1-16)
update=()
if [ "${installed:-0}" -ge 5 ] && [ "${MEDDEV_UPDATE:-1}" != 0 ] \
        && [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
    log "addons changed since the last run: updating them in '$DB'"
    update=(-u "$MEDDEV_MODULES")
fi
echo "$stamp" > "$stamp_file"

# queue_job is loaded server-wide in both modes, so that its job runner
# starts with the server and hands the background jobs (licence OCR, credit
# rating batches, recall notices) to it over HTTP on this port; without it
# the jobs stay pending. Channels named by the suite's jobs are declared
# (the runner warns about unknown ones).
export ODOO_QUEUE_JOB_HOST=127.0.0.1 ODOO_QUEUE_JOB_PORT="$PORT"
mode=(--load=base,web,queue_job)
capacity=1
if [ "$WORKERS" -gt 0 ]; then
    # Workers mode: prefork workers serve HTTP and run the jobs, one cron
    # thread runs the scheduled actions.
    [ "$WORKERS" -ge 2 ] || die "WORKERS must be 2 or more (a job's PDF needs a worker free to serve its assets)"
    # The channels' total (root) capacity stays below the workers: a recall
    # notice job renders a PDF, and wkhtmltopdf fetches its CSS from this
    # same server; with every worker running a job nothing serves it and
    # the jobs hang (bench case 7). Half the workers run jobs, the others
    # serve the users (odoo.conf explains the production channels).
    capacity=$(( WORKERS / 2 ))
    mode+=(--workers="$WORKERS" --max-cron-threads=1
           --longpolling-port="${MEDDEV_LONGPOLLING_PORT:-$((PORT + 3))}"
           --limit-time-cpu=600 --limit-time-real=1200)
fi
export ODOO_QUEUE_JOB_CHANNELS="${MEDDEV_CHANNELS:-root:$capacity,root.recall:1,root.credit:1}"
[ "$WORKERS" -gt 0 ] && log "workers mode: $WORKERS workers, queue_job runner with channels $ODOO_QUEUE_JOB_CHANNELS"
log "Odoo is starting on http://127.0.0.1:$PORT  (database $DB, login admin / admin; Ctrl-C stops it)"
exec "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" "${update[@]}" "${mode[@]}" "$@"
