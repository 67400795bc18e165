#!/usr/bin/env bash
# Builds a release of the integration point: a statically linked (Swift runtime, SQLite and libxml2 included)
# Linux x86_64 binary, packed as dist/integrasjonspunkt-X.Y.Z-linux-x86_64.tar.gz with the README, the changelog, a sample
# integrasjonspunkt-local.properties and the systemd unit; a .sha256 beside it, and a detached signature
# (.sig, RSA or EC with SHA-256) when a signing key is given.
#
#   scripts/release.sh [--signing-key KEY.pem] [--out DIR] [--binary PATH] [--print-version]
#
# The version is BuildInfo.version (Sources/integrasjonspunkt/BuildInfo.swift), the only place it is written;
# CHANGELOG.md must have a section for it. The binary is built from the committed HEAD (a clean copy made with
# git archive), and records that commit: `integrasjonspunkt --version` and /manage/info show it.
# --binary packs an already built binary instead (for CI pipelines that build elsewhere, and for the tests).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/dist"
signing_key="${RELEASE_SIGNING_KEY:-}"
binary=""
print_version=false

while [ $# -gt 0 ]; do
  case "$1" in
    --signing-key) signing_key="$2"; shift 2 ;;
    --signing-key=*) signing_key="${1#*=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --binary) binary="$2"; shift 2 ;;
    --binary=*) binary="${1#*=}"; shift ;;
    --print-version) print_version=true; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "release.sh: $*" >&2; exit 1; }

version="$(sed -n 's/^ *static let version = "\([^"]*\)".*/\1/p' "$root/Sources/integrasjonspunkt/BuildInfo.swift")"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
  || fail "BuildInfo.version is '$version', not a semantic version MAJOR.MINOR.PATCH"
if $print_version; then echo "$version"; exit 0; fi

grep -q "^## \[$version\]" "$root/CHANGELOG.md" \
  || fail "CHANGELOG.md has no section '## [$version]'; describe this release there first"

commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  echo "release.sh: note: the working tree has uncommitted changes; the release is built from commit $commit without them" >&2
fi

arch=x86_64
name="integrasjonspunkt-$version-linux-$arch"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

files="$root"   # where the README, the changelog and the packaging files come from
if [ -z "$binary" ]; then
  [ "$(uname -s)-$(uname -m)" = "Linux-$arch" ] || fail "build on Linux $arch (this is $(uname -s) $(uname -m)), or pass --binary"
  work="$root/.build-release"
  src="$work/src"
  # The clean copy is refreshed file by file: unchanged files keep their times, so a second release build
  # after a small commit recompiles only what changed instead of everything (a full build takes long).
  fresh="$work/src.fresh"
  rm -rf "$fresh" && mkdir -p "$fresh" "$src"
  git -C "$root" archive --format=tar HEAD | tar -x -C "$fresh"
  (cd "$fresh" && find . -type f) | while IFS= read -r file; do
    cmp -s "$fresh/$file" "$src/$file" || { mkdir -p "$(dirname "$src/$file")"; cp -p "$fresh/$file" "$src/$file"; }
  done
  (cd "$src" && find . -path ./Sources/integrasjonspunkt/BuildCommit.swift -prune -o -type f -print) | while IFS= read -r file; do
    [ -e "$fresh/$file" ] || rm -f "$src/$file"
  done
  rm -rf "$fresh"
  [ -f "$root/Package.resolved" ] && cp "$root/Package.resolved" "$src/"
  printf '// Written by scripts/release.sh.\nenum BuildCommit {\n    static let commit = "%s"\n}\n' "$commit" \
    > "$src/Sources/integrasjonspunkt/BuildCommit.swift.new"
  cmp -s "$src/Sources/integrasjonspunkt/BuildCommit.swift.new" "$src/Sources/integrasjonspunkt/BuildCommit.swift" \
    && rm "$src/Sources/integrasjonspunkt/BuildCommit.swift.new" \
    || mv "$src/Sources/integrasjonspunkt/BuildCommit.swift.new" "$src/Sources/integrasjonspunkt/BuildCommit.swift"
  # SQLite and libxml2 (FoundationXML's parser, with the ICU it needs) are linked statically too, so the binary
  # needs nothing from the system beyond glibc, libstdc++, zlib and liblzma (all in every Debian/Ubuntu/RHEL base
  # system). GRDB links "-lsqlite3" and FoundationXML "-lxml2"; a folder holding only Debian's static archives
  # (libsqlite3-dev, libxml2-dev, libicu-dev) must be searched before the system folder, or the shared libraries
  # win. The system folder reaches the link first through zlib's pkg-config file (ZIPFoundation's CZLib), so a copy
  # of that file (same flags, the static folder in front) is put first on PKG_CONFIG_PATH; clang's own -L covers
  # builds where no pkg-config file names the system folder (a -Xlinker -L would come after it).
  lib_dir="/usr/lib/$(uname -m)-linux-gnu"
  mkdir -p "$work/static-libs"
  for library in sqlite3:libsqlite3-dev xml2:libxml2-dev icuuc:libicu-dev icudata:libicu-dev; do
    archive="$lib_dir/lib${library%%:*}.a"
    [ -r "$archive" ] || fail "no static library $archive: install ${library#*:} (apt-get install ${library#*:})"
    ln -sf "$archive" "$work/static-libs/lib${library%%:*}.a"
  done
  zlib_pc="$(pkg-config --variable=pcfiledir zlib 2>/dev/null || echo "$lib_dir/pkgconfig")/zlib.pc"
  [ -r "$zlib_pc" ] || fail "no $zlib_pc: install zlib1g-dev"
  mkdir -p "$work/pkgconfig"
  sed "s|^Libs:|Libs: -L$work/static-libs|" "$zlib_pc" > "$work/pkgconfig/zlib.pc"
  export PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  build=(swift build -c release --static-swift-stdlib
         -Xswiftc -Xclang-linker -Xswiftc -L"$work/static-libs"
         -Xlinker -licuuc -Xlinker -licudata -Xlinker -llzma -Xlinker -lz
         --package-path "$src" --scratch-path "$work/scratch")
  echo "Building $name from commit $commit (swift build -c release --static-swift-stdlib; SQLite and libxml2 static)…"
  "${build[@]}" --product integrasjonspunkt
  binary="$("${build[@]}" --show-bin-path)/integrasjonspunkt"
  files="$src"
  if command -v ldd >/dev/null && ldd "$binary" | grep -qE 'lib(sqlite3|xml2|icuuc)\.so'; then
    ldd "$binary" >&2
    fail "the binary still needs SQLite, libxml2 or ICU as shared libraries (see above): the static linking did not take"
  fi
fi
[ -x "$binary" ] || fail "no executable binary at $binary"

reported="$("$binary" --version 2>&1 || true)"
[[ "$reported" == "integrasjonspunkt $version"* ]] \
  || fail "the binary reports '$reported', not version $version"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name"
install -m 0755 "$binary" "$stage/$name/integrasjonspunkt"
install -m 0644 "$files/README.md" "$files/CHANGELOG.md" "$stage/$name/"
install -m 0644 "$files/packaging/integrasjonspunkt-local.properties" "$stage/$name/integrasjonspunkt-local.properties"
install -m 0644 "$files/packaging/systemd/integrasjonspunkt.service" "$stage/$name/integrasjonspunkt.service"
printf '%s\n' "$version" > "$stage/$name/VERSION"
printf 'version=%s\ncommit=%s\n' "$version" "$commit" > "$stage/$name/BUILD-INFO"

# Reproducible archive: fixed order, owner and times (the commit's time).
stamp="$(git -C "$root" log -1 --format=%cI HEAD 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)"
tarball="$out/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$stamp" -C "$stage" -cf - "$name" | gzip -n -9 > "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

if [ -n "$signing_key" ]; then
  [ -r "$signing_key" ] || fail "cannot read the signing key $signing_key"
  openssl dgst -sha256 -sign "$signing_key" -out "$tarball.sig" "$tarball"
  public="$(mktemp)"
  openssl pkey -in "$signing_key" -pubout -out "$public"
  openssl dgst -sha256 -verify "$public" -signature "$tarball.sig" "$tarball" >/dev/null \
    || fail "the signature just made does not verify"
  rm -f "$public"
else
  rm -f "$tarball.sig"
fi

echo "Released $name (commit $commit):"
for file in "$tarball" "$tarball.sha256" "$tarball.sig"; do
  [ -e "$file" ] && echo "  $file"
done
if command -v ldd >/dev/null && ldd "$stage/$name/integrasjonspunkt" >/dev/null 2>&1; then
  echo "Shared libraries the binary needs from the system (the Swift runtime is built in):"
  ldd "$stage/$name/integrasjonspunkt" | sed 's/^/  /'
fi
