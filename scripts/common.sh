# Shared settings for the project's scripts; sourced, not run.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
TOOLS_VENV="$ROOT/.venv-tools"
PY="$VENV/bin/python"
ODOO_BIN="$ROOT/scripts/odoo-bin"
ODOO_CONF="$ROOT/odoo.conf"
MEDDEV_MODULES="meddev_base,meddev_qualification,meddev_credit,meddev_traceability,meddev_service,meddev_quality_capa"
# What `make test` installs and tests: the addons and the test-only addon of
# cross-module tests (never installed by `make run`: not for production).
MEDDEV_TEST_MODULES="$MEDDEV_MODULES,meddev_suite_tests"
# Left out of the install-alone checks of a full `make test`: it needs every
# addon, which the main install installs anyway (ALONE=1
# MODULES=meddev_suite_tests checks it alone under Odoo's runner).
MEDDEV_NOT_ALONE="meddev_suite_tests"
# Odoo's attachments (demo images, reports), per database (odoo.conf's data_dir).
FILESTORE="$ROOT/.odoo-data/filestore"

log() { printf '\033[1m[meddev]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[meddev] %s\033[0m\n' "$*" >&2; exit 1; }

# Without PG* variables, Odoo and psql use the local socket and the role named
# after the current user, which scripts/setup.sh creates.
pg_ready() { pg_isready -q -t 5 >/dev/null 2>&1; }

# db_exists NAME: the cluster has a database of that name.
db_exists() {
    [ -n "$(psql -d postgres -tAc "select 1 from pg_database where datname = '$1'")" ]
}

# copy_db FROM TO: TO (dropped first) becomes a copy of FROM, database and
# files. FROM must have no open connection while it is copied.
copy_db() {
    dropdb --if-exists "$2" 2>/dev/null
    rm -rf "${FILESTORE:?}/$2"
    createdb -T "$1" "$2" || return 1
    [ ! -d "$FILESTORE/$1" ] || cp -a "$FILESTORE/$1" "$FILESTORE/$2"
}

# free_port [FIRST]: a TCP port of 127.0.0.1 nobody listens to: the first
# free one from FIRST on, or any the system hands out.
free_port() {
    local port=${1:-0}
    while ! "$PY" -c 'import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
print(s.getsockname()[1])' "$port" 2>/dev/null; do
        port=$((port + 1))
    done
}
