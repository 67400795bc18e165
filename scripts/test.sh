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
command -v zipinfo >/dev/null || need+=(unzip)
python3 -c 'import cryptography' 2>/dev/null || need+=(python3-cryptography)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

swift build --build-tests
swift test --skip-build "$@"

# The NextMove API against its OpenAPI document: schemathesis, over 1,000 generated requests (issue 8).
./scripts/fuzz-api.sh
