# shellcheck shell=bash
# Shared set-up for scripts/test and scripts/demo: make sure Odoo 18, its
# Python requirements, the suite's own requirements, PostgreSQL and Chromium
# are present, installing only what is missing.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
ODOO_HOME=${ODOO_HOME:-/opt/odoo-18.0}
ODOO_URL=${ODOO_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}

say() { printf '[%s] %s\n' "$(basename "$0")" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

apt_install() {
  say "installing system packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

odoo_importable() {
  "$PY" -c 'import odoo.release as r, sys; sys.exit(r.serie != "18.0")' 2>/dev/null
}

# Odoo 18 from a source archive: $ODOO_ARCHIVE when set, else the official
# 18.0 nightly source archive. Stops with instructions when neither works.
ensure_odoo() {
  odoo_importable && return 0
  local archive=${ODOO_ARCHIVE:-}
  if [ -z "$archive" ]; then
    archive=$(mktemp --suffix=.tar.gz)
    say "Odoo 18 is not importable: downloading $ODOO_URL"
    if ! curl -fsSL --max-time 600 -o "$archive" "$ODOO_URL"; then
      rm -f "$archive"
      die "Odoo 18.0 is not installed and could not be downloaded.
  Install it from source (README, section 'Installing Odoo 18 from source'), or
  point ODOO_ARCHIVE at a local Odoo 18.0 source archive (.tar.gz or .tar.xz)."
    fi
  fi
  [ -f "$archive" ] || die "ODOO_ARCHIVE=$archive is not a file"
  say "installing Odoo 18 from $archive into $ODOO_HOME"
  local deps=()
  for pkg in libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev python3-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || deps+=("$pkg")
  done
  [ ${#deps[@]} -eq 0 ] || apt_install "${deps[@]}"
  as_root rm -rf "$ODOO_HOME.tmp"
  as_root mkdir -p "$ODOO_HOME.tmp"
  as_root tar -xf "$archive" -C "$ODOO_HOME.tmp" --strip-components=1
  as_root rm -rf "$ODOO_HOME"
  as_root mv "$ODOO_HOME.tmp" "$ODOO_HOME"
  # cbor2 5.4.2, pinned by Odoo for Python 3.11, only builds with setuptools < 70.
  local constraint
  constraint=$(mktemp) && echo 'setuptools<70' > "$constraint"
  PIP_CONSTRAINT="$constraint" "$PY" -m pip install -q --disable-pip-version-check \
    -r "$ODOO_HOME/requirements.txt"
  "$PY" -m pip install -q --disable-pip-version-check --no-deps -e "$ODOO_HOME"
  odoo_importable || die "Odoo 18 installation failed (see above)"
}

# The suite's Python requirements and the test tools, only when missing.
ensure_python_deps() {
  local missing=0
  "$PY" - <<'PY' || missing=1
import importlib.util, sys
mods = ["requests", "pydantic", "dateutil", "phonenumbers", "pytest_odoo", "websocket",
        "openpyxl", "openapi_spec_validator", "schemathesis", "hypothesis", "standardwebhooks"]
sys.exit(any(importlib.util.find_spec(m) is None for m in mods))
PY
  if [ "$missing" = 1 ]; then
    say "installing the suite's Python requirements"
    "$PY" -m pip install -q --disable-pip-version-check $(odoo_constraints) \
      -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
  fi
}

# "-c <Odoo's requirements.txt>" when it is there: the suite's requirements
# (schemathesis and its dependencies above all) then install beside Odoo's
# pinned versions without changing any of them, or fail saying why.
odoo_constraints() {
  local requirements
  requirements="$(odoo_src 2>/dev/null)/requirements.txt"
  [ -f "$requirements" ] && printf -- '-c %s' "$requirements"
  return 0
}

ensure_lint_tools() {
  if ! "$PY" -c 'import pylint_odoo, ruff' 2>/dev/null; then
    say "installing lint tools"
    "$PY" -m pip install -q --disable-pip-version-check $(odoo_constraints) \
      -r "$ROOT/requirements-dev.txt"
  fi
}

ensure_chromium() {
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
    || command -v google-chrome >/dev/null || apt_install chromium
}

# wkhtmltopdf renders Odoo's PDF reports (the job cost report's among them).
ensure_wkhtmltopdf() {
  command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf
}

# Debian's PostgreSQL binaries live off the PATH. PG_BIN is the newest version
# that has the server (a newer client-only postgresql-client-NN has no initdb);
# PSQL is its psql, or the one on the PATH.
PG_BIN=""
PSQL=""
newest_pg_bin() {
  local dir found=""
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && found=$dir
  done
  printf '%s' "$found"
}
ensure_postgres() {
  PG_BIN=$(newest_pg_bin)
  if [ -z "$PG_BIN" ]; then
    apt_install postgresql
    PG_BIN=$(newest_pg_bin)
    [ -n "$PG_BIN" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
  fi
  if [ -x "$PG_BIN/psql" ]; then PSQL=$PG_BIN/psql; else PSQL=$(command -v psql || true); fi
  [ -n "$PSQL" ] || die "psql not found (install postgresql-client)"
}

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run_pg CMD...: run a PostgreSQL server binary as the `postgres` system user
# when we are root (PostgreSQL refuses to run as root).
# Runs from / so that the binaries do not warn about a working directory the
# postgres user cannot enter.
run_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
    (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
  else
    "$@"
  fi
}

# postgres_can_reach DIR: when we are root, make DIR and each of its parents
# searchable by the `postgres` system user (o+x, no read), which a cluster under
# a checkout in e.g. /root (mode 700) needs; says which folders it changed.
postgres_can_reach() {
  [ "$(id -u)" = 0 ] || return 0
  local rest path=""
  rest=$(cd "$1" && pwd)
  rest=${rest#/}
  while [ -n "$rest" ]; do  # from / down, so each test asks about one folder
    path="$path/${rest%%/*}"
    case $rest in */*) rest=${rest#*/} ;; *) rest="" ;; esac
    if ! run_pg test -x "$path"; then
      say "letting the postgres user enter $path (chmod o+x)"
      chmod o+x "$path"
    fi
  done
}

# init_cluster DIR PORT: a new cluster in DIR whose superuser role is `odoo`
# (Odoo refuses to connect as `postgres`), listening on 127.0.0.1:PORT.
init_cluster() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  run_pg "$PG_BIN/initdb" -D "$dir/data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
}

start_cluster() {
  local dir=$1 port=$2 extra=${3:-}
  run_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $extra" start >/dev/null \
    || { cat "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
}

stop_cluster() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] && run_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  return 0
}

# All construction_* modules of the repository, comma separated.
suite_modules() {
  (cd "$ROOT" && ls -d construction_*/__manifest__.py 2>/dev/null | cut -d/ -f1 | paste -sd, -)
}

odoo_src() {  # the folder holding the odoo package and its addons/
  "$PY" -c 'import odoo, os; print(os.path.dirname(odoo.__path__[0]))'
}

write_odoo_conf() {  # FILE DB_HOST DB_PORT DB_USER DATA_DIR
  local src; src=$(odoo_src)
  cat > "$1" <<CONF
[options]
addons_path = $src/odoo/addons,$src/addons,$ROOT
db_host = $2
db_port = $3
db_user = $4
db_password = ${PGPASSWORD:-False}
data_dir = $5
admin_passwd = admin
list_db = True
CONF
}
