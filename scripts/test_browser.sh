#!/usr/bin/env bash
# `make test-browser`: the four flows of DESIGN.md clicked in headless
# chromium (Selenium + Debian's chromium-driver) against a served database.
#
# Installs the six addons with demo data (then loads Chinese) on a fresh
# database, then for each language copies it (so that every language
# starts from the same demo data), serves the copy on a free port with the
# queue_job runner (OCR and recall notices run as jobs), runs browser/ with
# the users speaking that language, stops the server. Screenshots of every
# step: var/browser/<lang>/<flow>/NN-step.png (failed-*.png/html on failure);
# server logs: var/browser/server-<lang>.log. Exits non-zero on any failure.
#
# Options (environment): LANGS="en_US zh_CN" (languages, in this order);
# ZH_FLOWS="flow3 flow4" (the tests run in the languages other than en_US,
# -k patterns of unittest; "all" for every flow); FLOWS="flow2 overview"
# (only these tests in every language, -k patterns); EN_FLOWS="flow"
# (the tests run in en_US when FLOWS is unset; default all: configuration
# screens, flows, overview); KEEP_DB=1 (keep the databases); RUN_ID=name (database
# suffix); TEMPLATE_DB=name (copy this demo database instead of installing
# one: quicker while writing tests; CI passes the one make test keeps);
# SERVER_ARGS="--addons-path=..." (more options of the served Odoo); MEDDEV_BROWSER_DOCS=docs/guide (also copy the step screenshots
# into the guide, see scripts/docs.sh); BROWSER_PORT=8269 (first port tried);
# ADDONS_REV=HEAD (install and serve the addons of that commit, extracted
# with git archive, not the working tree: for a shared checkout where others
# are mid-edit).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" || exit 1
TOOLS_PY="$TOOLS_VENV/bin/python"
[ -x "$TOOLS_PY" ] || die "no $TOOLS_PY: run make setup"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
    || die "chromium and chromium-driver are missing: run make setup"

start=$(date +%s)
RUN_ID="${RUN_ID:-$$}"
DB="meddev_browser_${RUN_ID}"
LANGS="${LANGS:-en_US zh_CN}"
ZH_FLOWS="${ZH_FLOWS:-flow3 flow4}"
OUT="$ROOT/var/browser"
mkdir -p "$OUT"
DATABASES=()
SERVER_PID=""
ADDONS_ARGS=()
if [ -n "${ADDONS_REV:-}" ]; then
    snapshot="$OUT/addons-$RUN_ID"
    rm -rf "$snapshot" && mkdir -p "$snapshot"
    git archive "$ADDONS_REV" addons | tar -x -C "$snapshot" \
        || die "cannot extract the addons of $ADDONS_REV"
    ADDONS_ARGS=(--addons-path="$VENV/lib/python3.7/site-packages/odoo/addons,$snapshot/addons")
    log "addons of $ADDONS_REV ($(git rev-parse --short "$ADDONS_REV")) from $snapshot"
fi

cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    [ -n "${KEEP_DB:-}" ] && return
    local db
    for db in "${DATABASES[@]}"; do
        dropdb --if-exists "$db" 2>/dev/null
        rm -rf "${FILESTORE:?}/$db"
    done
}
trap cleanup EXIT

# bad_lines LOG: the lines that fail a run (as scripts/test.sh judges them).
bad_lines() {
    grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^Traceback " "$1"
    grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ WARNING .*meddev" "$1"
}

[ "${TEMPLATE_DB:-}" != "$DB" ] || die "TEMPLATE_DB is this run's own database name: another RUN_ID"
DATABASES+=("$DB")
# Odoo appends to its log file: judge this run's lines only.
rm -f "$OUT/install.log"
if [ -n "${TEMPLATE_DB:-}" ]; then
    log "copying the demo database $TEMPLATE_DB to $DB (TEMPLATE_DB)"
    copy_db "$TEMPLATE_DB" "$DB" || die "cannot copy $TEMPLATE_DB"
    rc=0
else
    log "installing $MEDDEV_MODULES with demo data on $DB"
    dropdb --if-exists "$DB" 2>/dev/null
    rm -rf "${FILESTORE:?}/$DB"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" "${ADDONS_ARGS[@]}" -d "$DB" -i "$MEDDEV_MODULES" \
        --stop-after-init --max-cron-threads=0 \
        --log-level=info --logfile="$OUT/install.log" >/dev/null 2>&1
    rc=$?
fi
# The other languages are loaded once the database exists: loaded as it
# is created, the first would become its default and en_US inactive.
other_langs=$(printf '%s\n' $LANGS | grep -vx en_US | paste -sd, -)
if [ $rc -eq 0 ] && [ -n "$other_langs" ]; then
    log "loading $other_langs into $DB"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" "${ADDONS_ARGS[@]}" -d "$DB" \
        --load-language="$other_langs" \
        --stop-after-init --max-cron-threads=0 --log-level=info \
        --logfile="$OUT/install.log" >/dev/null 2>&1
    rc=$?
fi
log "database ready in $(( $(date +%s) - start )) s"
missing=$(psql -d "$DB" -tAc "select string_agg(name, ',') from ir_module_module
    where name = any(string_to_array('$MEDDEV_MODULES', ',')) and state <> 'installed'" \
    2>/dev/null)
bad=$(bad_lines "$OUT/install.log")
if [ $rc -ne 0 ] || [ -n "$missing" ] || [ -n "$bad" ]; then
    log "install FAILED (exit $rc${missing:+, not installed: $missing}); log: $OUT/install.log"
    [ -n "$bad" ] && printf '%s\n' "$bad" | head -20 >&2
    exit 1
fi

status=0
PASSED=0
FAILED=0
# count_results LOG: add a unittest run's results to PASSED and FAILED; a
# run that ran no test fails (a -k pattern that matches nothing).
count_results() {
    local ran bad=0 n
    ran=$(sed -n 's/^Ran \([0-9][0-9]*\) tests\{0,1\} in .*/\1/p' "$1" | tail -1)
    ran=${ran:-0}
    for n in $(sed -n 's/^FAILED (\(.*\))$/\1/p' "$1" | tail -1 |
               grep -oE '(failures|errors|unexpected successes)=[0-9]+' | cut -d= -f2); do
        bad=$((bad + n))
    done
    if [ "$ran" -eq 0 ]; then
        log "no test ran (see $1)"
        FAILED=$((FAILED + 1))
        status=1
    fi
    PASSED=$((PASSED + ran - bad))
    FAILED=$((FAILED + bad))
}

for lang in $LANGS; do
    lang_start=$(date +%s)
    db="${DB}_$(echo "$lang" | tr 'A-Z' 'a-z')"
    dropdb --if-exists "$db" 2>/dev/null
    DATABASES+=("$db")
    copy_db "$DB" "$db" || { status=1; continue; }
    port=$(free_port "${BROWSER_PORT:-8269}")
    # wkhtmltopdf fetches the report's CSS from web.base.url.
    psql -q -d "$db" -c "update ir_config_parameter set value =
        'http://127.0.0.1:$port' where key = 'web.base.url'" >/dev/null
    server_log="$OUT/server-$lang.log"
    rm -f "$server_log"
    log "$lang: serving $db on http://127.0.0.1:$port"
    # The suite's job channels (OCR, rating, recall notices): declared, so
    # that the runner does not warn about each job's unknown channel.
    ODOO_QUEUE_JOB_CHANNELS="root:1,root.ocr:1,root.credit:1,root.recall:1" \
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" "${ADDONS_ARGS[@]}" -d "$db" --db-filter="^$db\$" \
        --http-port="$port" --workers=0 --max-cron-threads=0 \
        --load=web,queue_job --log-level=info --logfile="$server_log" \
        ${SERVER_ARGS:-} >/dev/null 2>&1 &
    SERVER_PID=$!
    # No request before the registry has loaded: the first request imports
    # every addon (http.Root.load_addons); running alongside the preload's
    # own imports, it can hand the registry a half-imported module, whose
    # later models then miss from the registry ("Missing model sale.report").
    up=""
    for _ in $(seq 1 300); do
        if grep -q "odoo.modules.loading: Modules loaded" "$server_log" 2>/dev/null &&
           curl -fs -o /dev/null "http://127.0.0.1:$port/web/login"; then
            up=1; break
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 1
    done
    if [ -z "$up" ]; then
        log "$lang: the server did not answer; log: $server_log"
        status=1
        FAILED=$((FAILED + 1))
    else
        select=()
        if [ -n "${FLOWS:-}" ]; then
            for pattern in $FLOWS; do select+=(-k "$pattern"); done
        elif [ "$lang" != en_US ] && [ "$ZH_FLOWS" != all ]; then
            for pattern in $ZH_FLOWS; do select+=(-k "$pattern"); done
        elif [ "$lang" = en_US ] && [ -n "${EN_FLOWS:-}" ]; then
            for pattern in $EN_FLOWS; do select+=(-k "$pattern"); done
        fi
        log "$lang: running browser/ ${select[*]}"
        MEDDEV_BROWSER_URL="http://127.0.0.1:$port" MEDDEV_BROWSER_DB="$db" \
        MEDDEV_BROWSER_LOG="$server_log" MEDDEV_BROWSER_LANG="$lang" \
        MEDDEV_BROWSER_OUT="$OUT" \
            "$TOOLS_PY" -m unittest discover -s browser -t . -p 'test_*.py' \
            -v "${select[@]}" 2>&1 | tee "$OUT/unittest-$lang.log"
        [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
        count_results "$OUT/unittest-$lang.log"
    fi
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
    log "$lang took $(( $(date +%s) - lang_start )) s (copy, server start, tests)"
done

log "browser tests took $(( $(date +%s) - start )) s; screenshots under $OUT/"
[ $status -ne 0 ] && log "make test-browser FAILED (see above and $OUT/)"
# The closing line in the plain form CI reads (tests of every language).
echo "browser: $PASSED passed, $FAILED failed"
exit $status
