#!/usr/bin/env bash
# `make test`: set up, lint, check that each addon installs alone on a fresh
# database, install them all (with demo data) on a fresh database, run every
# test with pytest-odoo, print pytest's closing line, drop the databases.
#
# The addons are the suite's and meddev_suite_tests (cross-module tests:
# access matrix, companies kept apart); the latter has no install-alone check
# in a full run (it needs every addon: the main install covers it).
#
# `make test` skips the install-alone checks (SKIP_ALONE=1, the Makefile) to
# stay well under 45 minutes on two cores; `make test-alone` runs only them
# (ALONE_ONLY=1, no lint); CI runs both.
#
# Options (environment): MODULES=meddev_x[,meddev_y]  only these addons, and
# no install-alone checks (unless ALONE=1); SKIP_LINT=1; SKIP_ALONE=1;
# ALONE_ONLY=1 (the install-alone checks, then stop); KEEP_DB=1;
# JOBS=n install-alone checks at a time (default: the number of cores);
# CORE=1 also run Odoo's own tests with and without the suite
# (scripts/test_core.sh; `make test-full`); LANES=n pytest processes at a
# time (default one per core, at most two), each on its own copy of the
# database; DEMO_DB=name keep a copy of the six addons installed with demo
# data, made before meddev_suite_tests and the tests touch it (CI; full
# runs only; the caller drops it).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" || exit 1

modules=${MODULES:-$MEDDEV_TEST_MODULES}
[ -n "${MODULES:-}" ] && [ -z "${ALONE:-}" ] && SKIP_ALONE=1
[ -n "${ALONE_ONLY:-}" ] && SKIP_ALONE=
RUN_ID="${RUN_ID:-$$}"
# Hypothesis keeps its example database under var/, out of the work tree.
export HYPOTHESIS_STORAGE_DIRECTORY="$ROOT/var/hypothesis"
OUT="$ROOT/var/test-$RUN_ID"
mkdir -p "$OUT"
DATABASES=()
declare -a lane_pids=() lane_dbs=()

cleanup() {
    # Pytest lanes still running (an interrupted run): stop them first.
    local pid
    for pid in "${lane_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    [ -n "${KEEP_DB:-}" ] && return
    local db
    for db in "${DATABASES[@]}"; do
        dropdb --if-exists "$db" 2>/dev/null
        rm -rf "${FILESTORE:?}/$db"
    done
}
trap cleanup EXIT

# install DB MODULES LOG [ODOO ARGS...]: install addons with demo data on a
# database (created if missing), then fail on a non-zero exit, any
# ERROR/CRITICAL line (a failing test under --test-enable logs one), a WARNING
# that comes from the suite, or an addon left uninstalled.
install() {
    local db=$1 mods=$2 logfile=$3 rc bad
    shift 3
    DATABASES+=("$db")
    # Odoo appends to its log file: a rerun with the same RUN_ID must not
    # read the ERROR lines of an earlier run.
    : > "$logfile"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" -i "$mods" --stop-after-init \
        --log-level=info --logfile="$logfile" \
        --max-cron-threads=0 "$@" >/dev/null 2>&1
    rc=$?
    bad=$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$logfile";
          grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ WARNING .*meddev" "$logfile")
    local missing
    missing=$(psql -d "$db" -tAc "select string_agg(name, ',') from ir_module_module
        where name = any(string_to_array('$mods', ',')) and state <> 'installed'" \
        2>/dev/null)
    if [ $rc -ne 0 ] || [ -n "$bad" ] || [ -n "$missing" ]; then
        log "install of $mods on $db FAILED (exit $rc${missing:+, not installed: $missing}); log: $logfile"
        [ -n "$bad" ] && printf '%s\n' "$bad" | head -40 >&2
        # The reason, kept for the closing summary (the alone checks run in
        # subshells): the flagged lines, or the log's tail when there are none.
        { printf 'install of %s on %s: exit %s%s\n' "$mods" "$db" "$rc" \
              "${missing:+, not installed: $missing}"
          if [ -n "$bad" ]; then printf '%s\n' "$bad" | head -20
          else tail -20 "$logfile"; fi
        } >"$logfile.why"
        return 1
    fi
    return 0
}

status=0
# What failed, repeated at the very end: CI keeps only the tail of the output.
failures=()
fail() { status=1; failures+=("$1"); }
if [ -z "${SKIP_LINT:-}" ]; then
    "$ROOT/scripts/lint.sh" 2>&1 | tee "$OUT/lint.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "lint (see $OUT/lint.log):
$(grep -v ' ok$' "$OUT/lint.log" | tail -30)"
fi

# depends MOD: the addon's manifest dependencies, comma-separated.
depends() {
    "$PY" -c 'import ast, sys
print(",".join(ast.literal_eval(open(sys.argv[1]).read()).get("depends", [])))' \
        "$ROOT/addons/$1/__manifest__.py"
}

# alone MOD: install the addon alone on a fresh database, in two steps: its
# dependencies, then the addon with --test-enable, so that Odoo's own runner
# (what integrators and OCA-style CI use) runs this addon's tests, and only
# this addon's, as it installs with demo data (at_install, then post_install).
# Writes 0 or 1 to $OUT/alone-MOD.rc (it runs in the background).
alone() {
    local mod=$1 db="meddev_alone_${RUN_ID}_$1" rc=1
    dropdb --if-exists "$db" 2>/dev/null
    if install "$db" "$(depends "$mod")" "$OUT/alone-$mod-deps.log" &&
       install "$db" "$mod" "$OUT/alone-$mod.log" --test-enable; then
        log "$mod installs alone, and its tests pass under Odoo's runner: ok"
        rc=0
    else
        cat "$OUT/alone-$mod-deps.log.why" "$OUT/alone-$mod.log.why" \
            >"$OUT/alone-$mod.why" 2>/dev/null
    fi
    [ -z "${KEEP_DB:-}" ] && dropdb --if-exists "$db" 2>/dev/null
    echo $rc >"$OUT/alone-$mod.rc"
}

# The install-alone checks run JOBS at a time (default: one per core).
alone_modules=()
for mod in ${modules//,/ }; do
    if [ -z "${ALONE:-}" ] && [[ ",$MEDDEV_NOT_ALONE," == *",$mod,"* ]]; then
        continue
    fi
    alone_modules+=("$mod")
done
if [ -z "${SKIP_ALONE:-}" ]; then
    jobs_max=${JOBS:-$(nproc)}
    for mod in "${alone_modules[@]}"; do
        DATABASES+=("meddev_alone_${RUN_ID}_$mod")
        rm -f "$OUT/alone-$mod.rc" "$OUT/alone-$mod.why"
        alone "$mod" &
        while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
    done
    wait
    for mod in "${alone_modules[@]}"; do
        [ "$(cat "$OUT/alone-$mod.rc" 2>/dev/null)" = 0 ] ||
            fail "$mod does not install alone: $(cat "$OUT/alone-$mod.why" 2>/dev/null)"
    done
fi
if [ -n "${ALONE_ONLY:-}" ]; then
    if [ $status -ne 0 ]; then
        log "make test-alone FAILED:"
        printf -- '- %s\n' "${failures[@]}"
    fi
    exit $status
fi

DB="meddev_test_$RUN_ID"
dropdb --if-exists "$DB" 2>/dev/null
install_failed() {
    printf '0 passed, 0 failed, 1 errors (install failed)\n'
    cat "$1.why"
    [ ${#failures[@]} -gt 0 ] && printf -- '- %s\n' "${failures[@]}"
    exit 1
}
demo_modules=$(printf '%s\n' ${modules//,/ } | grep -vx meddev_suite_tests | paste -sd, -)
if [ -n "${DEMO_DB:-}" ] && db_exists "$DEMO_DB"; then
    die "DEMO_DB=$DEMO_DB exists: drop it first (make test never overwrites a database it did not make)"
fi
if [ -n "${DEMO_DB:-}" ] && [ "$demo_modules" = "$MEDDEV_MODULES" ]; then
    # DEMO_DB=name (CI): keep a copy of the suite with its demo data, made
    # before the test-only addon and the tests touch it, for the steps that
    # follow (Odoo's own tests, the browser flows, the upgrade check): one
    # install instead of four. The caller drops it.
    log "installing $demo_modules with demo data on $DB (kept as $DEMO_DB)"
    install "$DB" "$demo_modules" "$OUT/install-demo.log" ||
        install_failed "$OUT/install-demo.log"
    copy_db "$DB" "$DEMO_DB" || fail "cannot copy $DB to $DEMO_DB"
    rest=meddev_suite_tests
else
    rest=$modules
fi
log "installing $rest with demo data on $DB"
install "$DB" "$rest" "$OUT/install.log" || install_failed "$OUT/install.log"

# The tests run in LANES pytest processes at a time (default: one per core,
# at most two), each on its own copy of the database, the addons dealt to
# them largest first (by their number of tests): pytest runs one test at a
# time, Odoo's Python keeps one core busy and PostgreSQL only part of the
# other.
lanes=${LANES:-$(nproc)}
[ "$lanes" -gt 2 ] && lanes=2
mods=(${modules//,/ })
[ "$lanes" -gt ${#mods[@]} ] && lanes=${#mods[@]}
declare -a lane_paths lane_weight
for ((i = 0; i < lanes; i++)); do lane_paths[i]=""; lane_weight[i]=0; done
while read -r weight mod; do
    best=0
    for ((i = 1; i < lanes; i++)); do
        [ "${lane_weight[i]}" -lt "${lane_weight[best]}" ] && best=$i
    done
    lane_paths[best]+=" addons/$mod"
    lane_weight[best]=$((lane_weight[best] + weight))
done < <(for mod in "${mods[@]}"; do
             printf '%s %s\n' "$(cat "addons/$mod"/tests/test_*.py 2>/dev/null |
                                  grep -c '^ *def test_')" "$mod"
         done | sort -rn)
log "running the tests ($lanes at a time)"
reports=()
# The copies first: the source must have no connection while it is copied.
for ((i = 0; i < lanes; i++)); do
    lane_dbs[i]=$DB
    [ "$i" -gt 0 ] || continue
    lane_dbs[i]="${DB}_$i"
    DATABASES+=("${lane_dbs[i]}")
    copy_db "$DB" "${lane_dbs[i]}" || { fail "cannot copy $DB to ${lane_dbs[i]}"
                                        lane_dbs[i]=""; }
done
for ((i = 0; i < lanes; i++)); do
    # A lane without addons (weights of 0) or without its copy runs nothing:
    # its addons then show "no test ran" in the summary.
    [ -n "${lane_dbs[i]}" ] && [ -n "${lane_paths[i]// /}" ] || continue
    rm -f "$OUT/junit-$i.xml"
    reports+=("$OUT/junit-$i.xml")
    # shellcheck disable=SC2086 # a lane's paths are words
    "$PY" -m pytest -p no:cacheprovider --odoo-config="$ODOO_CONF" \
        --odoo-database="${lane_dbs[i]}" --junitxml="$OUT/junit-$i.xml" -q -ra \
        ${lane_paths[i]} >"$OUT/pytest-$i.log" 2>&1 &
    lane_pids[i]=$!
done
pytest_rc=0
for ((i = 0; i < lanes; i++)); do
    [ -n "${lane_pids[i]:-}" ] || continue
    wait "${lane_pids[i]}"
    rc=$?
    # 5: no tests collected; the summary below turns that into a failure.
    [ $rc -ne 0 ] && [ $rc -ne 5 ] && pytest_rc=$rc
    log "tests of${lane_paths[i]//addons\//} on ${lane_dbs[i]}:"
    cat "$OUT/pytest-$i.log"
done
lane_pids=()
for report in "${reports[@]}"; do
    if [ ! -f "$report" ]; then
        printf '0 passed, 0 failed, 1 errors (pytest did not run: %s)\n' "$report"
        exit 1
    fi
done
"$PY" "$ROOT/scripts/test_summary.py" "$(IFS=,; echo "${reports[*]}")" ${modules//,/ } ||
    fail "tests (summary above)"
[ $pytest_rc -ne 0 ] && fail "pytest exited with $pytest_rc"
# make test-full: Odoo's own test suites on a copy of this database (suite
# installed with demo data) and on plain Odoo, compared.
if [ -n "${CORE:-}" ]; then
    SUITE_DB="$DB" RUN_ID="$RUN_ID" "$ROOT/scripts/test_core.sh" || fail "Odoo's own tests"
fi
# examples/: a client's configuration module installs on top of the suite
# (demo data) and its tests pass under Odoo's runner (full runs only).
if [ -z "${MODULES:-}" ]; then
    log "installing examples/meddev_client_acme on $DB"
    install "$DB" meddev_client_acme "$OUT/example-acme.log" --test-enable \
        --addons-path="$ROOT/.venv/lib/python3.7/site-packages/odoo/addons,$ROOT/addons,$ROOT/examples" \
        || fail "example module: $(cat "$OUT/example-acme.log.why" 2>/dev/null)"
fi
if [ $status -ne 0 ]; then
    log "make test FAILED:"
    printf -- '- %s\n' "${failures[@]}"
fi
exit $status
