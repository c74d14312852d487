# Shared settings for the project's scripts; sourced, not run.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
TOOLS_VENV="$ROOT/.venv-tools"
PY="$VENV/bin/python"
ODOO_BIN="$ROOT/scripts/odoo-bin"
ODOO_CONF="$ROOT/odoo.conf"
MEDDEV_MODULES="meddev_base,meddev_qualification,meddev_credit,meddev_traceability,meddev_service,meddev_quality_capa"

log() { printf '\033[1m[meddev]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[meddev] %s\033[0m\n' "$*" >&2; exit 1; }

# Without PG* variables, Odoo and psql use the local socket and the role named
# after the current user, which scripts/setup.sh creates.
pg_ready() { pg_isready -q -t 5 >/dev/null 2>&1; }
