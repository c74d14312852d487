#!/usr/bin/env bash
# `make bench`: the benchmarks of bench/ (see bench/README.md). Builds the
# data-set templates if missing (cached as databases, createdb -T), runs the
# cases under nice -n 15 and ionice -c3 (idle I/O class: the benchmark
# yields to anything else on a shared machine), appends to bench/results.json, renders bench/RESULTS.md
# and the plots. Never fails the build: a failing case is reported in
# RESULTS.md and in the output, and the script still exits 0.
#
# Options (environment, or on make's command line):
#   SIZE=T|S|M|L       data-set size (default S; T is a tiny smoke size)
#   CASE=all|confirm,invoice,dashboards,crons,trace,ocr,load   cases to run (default all)
#   REPS=n             repetitions per measurement (default per size)
#   REBUILD=1          generate the size's data-set templates again
#   TEST=1             run the benchmark's own smoke test instead
#                      (bench/tests: the generator and every case on size T,
#                      nothing timed); this one exits non-zero on failure
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

if [ -n "${TEST:-}" ]; then
    "$ROOT/scripts/setup.sh" || exit 1
    log "bench: smoke test of the generator and every case on size T"
    exec nice -n 15 ionice -c3 "$PY" -m pytest -p no:cacheprovider -p no:odoo "$ROOT/bench/tests" -q
fi

if [ ! -x "$PY" ]; then
    "$ROOT/scripts/setup.sh" || { log "bench: set-up failed, nothing run"; exit 0; }
fi
pg_ready || { log "bench: PostgreSQL is not reachable, nothing run"; exit 0; }

mkdir -p "$ROOT/var/bench"
args=(--size "${SIZE:-S}" --case "${CASE:-all}")
[ -n "${REPS:-}" ] && args+=(--reps "$REPS")
[ -n "${REBUILD:-}" ] && args+=(--rebuild)
log "bench: size ${SIZE:-S}, case ${CASE:-all} (nice -n 15 ionice -c3)"
if ! nice -n 15 ionice -c3 "$PY" "$ROOT/bench/run.py" "${args[@]}"; then
    log "bench: some case failed (see above and bench/RESULTS.md)"
fi
if [ -x "$TOOLS_VENV/bin/python" ] && [ -f "$ROOT/bench/results.json" ]; then
    nice -n 15 ionice -c3 "$TOOLS_VENV/bin/python" "$ROOT/bench/render.py" ||
        log "bench: rendering RESULTS.md failed"
fi
exit 0
