#!/usr/bin/env bash
# `make run`: set up, create the demo database once (the five addons with
# their demo data), then serve Odoo on http://127.0.0.1:8069 until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

DB="${MEDDEV_DB:-meddev}"
PORT="${MEDDEV_PORT:-8069}"
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
if [ "${installed:-0}" -ge 5 ] && [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
    log "addons changed since the last run: updating them in '$DB'"
    update=(-u "$MEDDEV_MODULES")
fi
echo "$stamp" > "$stamp_file"
log "Odoo is starting on http://127.0.0.1:$PORT  (database $DB, login admin / admin; Ctrl-C stops it)"
exec "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" \
    --http-port="$PORT" "${update[@]}"
