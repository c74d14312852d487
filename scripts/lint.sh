#!/usr/bin/env bash
# Lint the addons: flake8 (88 columns), pylint-odoo's mandatory checks, OCA's
# XML/CSV checks, manifest dependencies, and Python 3.5 syntax (the official
# odoo:11.0 image runs 3.5).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
T="$TOOLS_VENV/bin"
mapfile -t ADDONS < <(ls -d addons/*/ | sed 's#/$##')
status=0
step() {
    local name=$1; shift
    if "$@"; then log "lint: $name ok"; else log "lint: $name FAILED"; status=1; fi
}
step flake8 "$T/flake8" addons scripts scripts/odoo-bin
step pylint-odoo "$T/pylint" --rcfile=.pylintrc "${ADDONS[@]}"
step "oca xml/csv checks" "$T/oca-checks-odoo-module" "${ADDONS[@]}"
step "translation files" "$PY" scripts/check_po.py "${ADDONS[@]}"
step "manifest dependencies" "$PY" scripts/check_manifest_deps.py "${ADDONS[@]}"
step "python 3.5 syntax" "$T/vermin" -q --no-tips --violations -t=3.5- \
    --no-parse-comments addons
exit $status
