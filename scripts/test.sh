#!/usr/bin/env bash
# Runs every test of the integration point on a fresh machine: installs what the tests need from Debian's
# packages when it is missing, builds, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v keytool >/dev/null || need+=(openjdk-17-jdk-headless)
[ -e /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v unzip >/dev/null || need+=(unzip)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v zipinfo >/dev/null || need+=(unzip)
python3 -c 'import cryptography' 2>/dev/null || need+=(python3-cryptography)
python3 -c 'import jsonschema' 2>/dev/null || need+=(python3-jsonschema)  # the DPI business message against Digdir's schemas
command -v xmlsec1 >/dev/null || need+=(xmlsec1)                          # the DPI XAdES signature
[ -x /usr/bin/chromium ] || need+=(chromium)           # the admin pages' browser test
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ -n "${IP_TEST_POSTGRES_URL:-}" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install --quiet selenium \
  || python3 -m pip install --quiet --break-system-packages selenium

# A throwaway PostgreSQL for the store contract suite, unless IP_TEST_POSTGRES_URL names a server already:
# initdb in a temporary folder, a free loopback port, a socket in that folder, removed again on exit.
start_postgres() {
  local initdb bin port run=()
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  [ -n "$initdb" ] || { echo "No initdb found: the PostgreSQL store tests will fail." >&2; return; }
  bin=$(dirname "$initdb")
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ip-test-postgres.XXXXXX")
  if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U ip --auth=trust --encoding=UTF8 --locale=C -N >"$PG_DIR/initdb.log"
  trap stop_postgres EXIT
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  # The data is thrown away afterwards, so durability is switched off for speed.
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start -o \
    "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U ip integrasjonspunkt_test
  export IP_TEST_POSTGRES_URL="postgresql://ip@127.0.0.1:$port/integrasjonspunkt_test"
  echo "PostgreSQL for the tests: $IP_TEST_POSTGRES_URL (data in $PG_DIR)"
}
stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_STOP[@]}" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
[ -n "${IP_TEST_POSTGRES_URL:-}" ] || start_postgres

swift build --build-tests

# The NextMove API against its OpenAPI document: schemathesis, over 1,000 generated requests.
./scripts/fuzz-api.sh

# The whole product once, as an operator runs it: 50 messages between two integration points on the sandbox
# network, each checked to arrive exactly once (never a timing check). Skipped when only some tests are asked for.
if [ $# -eq 0 ]; then
  python3 ./scripts/benchmark.py --smoke --binary .build/debug/integrasjonspunkt
fi

swift test --skip-build "$@"
