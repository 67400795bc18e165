#!/usr/bin/env bash
# Proves that a release tarball's binary runs on a machine without Swift: checks the .sha256 beside the tarball,
# lists the shared libraries the binary needs (ldd), builds a minimal Debian chroot (debootstrap --variant=minbase
# bookworm: no Swift, no SQLite, no OpenSSL libraries), unpacks the tarball inside it, runs
# `integrasjonspunkt --version` there, then starts it against the sandbox network (run outside the chroot on
# 127.0.0.1, by the same binary) and waits until /manage/health is UP; finally stops it with SIGTERM (exit 0).
#
#   scripts/verify-release.sh dist/integrasjonspunkt-X.Y.Z-linux-x86_64.tar.gz [--chroot DIR] [--fresh]
#
# Needs root (chroot, mount) and debootstrap (apt-get install debootstrap); the first run downloads about 40 MB
# from the Debian mirror ($DEBIAN_MIRROR, default http://deb.debian.org/debian) and keeps the chroot in
# .build-verify/bookworm for the next run (--fresh builds it again). Not part of ./scripts/test.sh.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tarball=""
chroot_dir="$root/.build-verify/bookworm"
fresh=false
while [ $# -gt 0 ]; do
  case "$1" in
    --chroot) chroot_dir="$2"; shift 2 ;;
    --fresh) fresh=true; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "verify-release.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) tarball="$1"; shift ;;
  esac
done

fail() { echo "verify-release.sh: FAILED: $*" >&2; exit 1; }
step() { echo "==> $*"; }

[ -n "$tarball" ] || fail "name the tarball: scripts/verify-release.sh dist/integrasjonspunkt-X.Y.Z-linux-x86_64.tar.gz"
[ -r "$tarball" ] || fail "cannot read $tarball"
[ "$(id -u)" = 0 ] || fail "run as root (chroot and mount need it)"
command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install debootstrap"
chroot_bin="$(command -v chroot)" || fail "chroot is missing (package coreutils)"
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
name="$(basename "$tarball" .tar.gz)"

if [ -r "$tarball.sha256" ]; then
  step "Checking $(basename "$tarball").sha256"
  (cd "$(dirname "$tarball")" && sha256sum -c "$(basename "$tarball").sha256") || fail "the checksum does not match"
else
  echo "note: no $tarball.sha256 beside the tarball; checksum not checked"
fi

host="$(mktemp -d "${TMPDIR:-/tmp}/ip-verify.XXXXXX")"
network_pid=""
inner_pid=""
cleanup() {
  [ -n "$inner_pid" ] && kill "$inner_pid" 2>/dev/null || true
  [ -n "$network_pid" ] && kill "$network_pid" 2>/dev/null && wait "$network_pid" 2>/dev/null || true
  mountpoint -q "$chroot_dir/proc" && umount "$chroot_dir/proc" || true
  rm -rf "$host" "$chroot_dir/opt/integrasjonspunkt" "$chroot_dir/srv/ip"
}
trap cleanup EXIT

tar -xzf "$tarball" -C "$host"
binary="$host/$name/integrasjonspunkt"
[ -x "$binary" ] || fail "the tarball has no executable $name/integrasjonspunkt"

step "Shared libraries the binary needs (ldd)"
ldd "$binary" | sed 's/^/    /' || true
if ldd "$binary" | grep -qiE 'swift|Foundation|dispatch|XCTest'; then
  fail "the binary still needs the Swift runtime from the system (build with --static-swift-stdlib)"
fi
needed_libs="$(ldd "$binary" | awk '/=>/ {print $1}')"

if $fresh || [ ! -x "$chroot_dir/bin/sh" ]; then
  step "Building a minimal Debian bookworm chroot in $chroot_dir (debootstrap --variant=minbase)"
  rm -rf "$chroot_dir" && mkdir -p "$chroot_dir"
  debootstrap --variant=minbase bookworm "$chroot_dir" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    > "$host/debootstrap.log" 2>&1 || { tail -20 "$host/debootstrap.log"; fail "debootstrap did not finish"; }
fi
step "The chroot has no Swift and no SQLite, OpenSSL or ICU libraries:"
found="$(cd "$chroot_dir" && ls usr/lib/x86_64-linux-gnu 2>/dev/null | grep -E '^lib(swift|sqlite3|ssl|crypto|icu|Foundation)' || true)"
[ -z "$found" ] || { echo "$found" | sed 's/^/    /'; fail "the chroot is not minimal: it has the libraries above"; }
echo "    (none of libswift*, libsqlite3*, libssl*, libcrypto*, libicu*, libFoundation* in /usr/lib/x86_64-linux-gnu)"
step "Each shared library the binary needs, in the minimal system:"
missing=""
for lib in $needed_libs; do
  if [ -e "$chroot_dir/usr/lib/x86_64-linux-gnu/$lib" ] || [ -e "$chroot_dir/lib/x86_64-linux-gnu/$lib" ]; then
    echo "    $lib: present"
  else
    echo "    $lib: MISSING"
    missing="$missing $lib"
  fi
done
[ -z "$missing" ] || fail "a minimal Debian lacks$missing: link it statically (scripts/release.sh) or name its package in the README"

mkdir -p "$chroot_dir/opt/integrasjonspunkt"
tar -xzf "$tarball" -C "$chroot_dir/opt/integrasjonspunkt"
inner_binary="/opt/integrasjonspunkt/$name/integrasjonspunkt"
mountpoint -q "$chroot_dir/proc" || mount -t proc proc "$chroot_dir/proc"

step "integrasjonspunkt --version inside the chroot"
version="$(env -i PATH=/usr/bin:/bin "$chroot_bin" "$chroot_dir" "$inner_binary" --version 2>&1)" \
  || { echo "$version"; fail "the binary does not run inside the chroot"; }
echo "    $version"

step "Starting the sandbox network outside the chroot (3072-bit certificates; takes a while)"
(cd "$host" && exec "$binary" sandbox network) > "$host/network.log" 2>&1 &
network_pid=$!
properties="$host/sandbox/910077473/integrasjonspunkt-local.properties"
for _ in $(seq 1 900); do
  [ -s "$properties" ] && break
  kill -0 "$network_pid" 2>/dev/null || { cat "$host/network.log"; fail "the sandbox network stopped"; }
  sleep 0.2
done
[ -s "$properties" ] || fail "the sandbox network wrote no configuration within 180 s"
sleep 0.5

step "Starting the integration point inside the chroot against the network"
mkdir -p "$chroot_dir/srv/ip"
cp "$host/sandbox/910077473/virksomhetssertifikat.p12" "$chroot_dir/srv/ip/"
# The keystore path in the written configuration is the host's; inside the chroot the file is in /srv/ip.
sed "s|^difi.move.org.keystore.path=.*|difi.move.org.keystore.path=/srv/ip/virksomhetssertifikat.p12|" \
  "$properties" > "$chroot_dir/srv/ip/integrasjonspunkt-local.properties"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
env -i PATH=/usr/bin:/bin HOME=/srv/ip "$chroot_bin" "$chroot_dir" /bin/sh -c \
  "cd /srv/ip && exec $inner_binary --server.port=$port" > "$host/ip.log" 2>&1 &
inner_pid=$!
started=$(date +%s.%N)
health=""
for _ in $(seq 1 600); do
  kill -0 "$inner_pid" 2>/dev/null || { tail -30 "$host/ip.log"; fail "the integration point stopped inside the chroot"; }
  health="$(python3 - "$port" <<'EOF' 2>/dev/null || true
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/manage/health", timeout=2) as r:
    print(json.load(r).get("status", ""))
EOF
)"
  [ "$health" = "UP" ] && break
  sleep 0.1
done
[ "$health" = "UP" ] || { tail -30 "$host/ip.log"; fail "/manage/health was not UP within 60 s (last: '${health:-no answer}')"; }
echo "    /manage/health UP after $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s"

step "Stopping it with SIGTERM"
kill -TERM "$inner_pid"
code=0
wait "$inner_pid" || code=$?
inner_pid=""
[ "$code" = 0 ] || { tail -30 "$host/ip.log"; fail "the integration point exited with $code on SIGTERM"; }
echo "    exited 0"
echo "verify-release.sh: OK — $name runs without Swift on Debian bookworm (minbase)."
