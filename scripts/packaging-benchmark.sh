#!/usr/bin/env bash
# Packaging throughput and memory numbers for BENCHMARKS.md.
#   scripts/packaging-benchmark.sh [megabytes for throughput, default 256] [megabytes for streaming, default 1024]
# Needs openssl, unzip/zipinfo and python3 (the Packaging tests cross-check against them).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-256}
STREAM_MB=${2:-1024}
SCRATCH=${SCRATCH:-.build-packaging}
RELEASE=(-c release -Xswiftc -enable-testing --scratch-path "$SCRATCH")

echo "== throughput ($MB MB, release)"
PACKAGING_BENCHMARK=$MB swift test "${RELEASE[@]}" --filter PackagingBenchmark 2>&1 | grep '^BENCH'

echo "== ASiC write -> CMS encrypt -> CMS decrypt -> ASiC read+verify, $STREAM_MB MB, child process peak RSS"
PACKAGING_STREAMING_MB=$STREAM_MB swift test "${RELEASE[@]}" --filter 'flatMemory' 2>&1 | grep -E 'streaming|passed|failed|peak RSS'

echo "== openssl speed rsa3072 (reference)"
openssl speed -seconds 3 rsa3072 2>/dev/null | tail -2
echo "== openssl speed aes-256-cbc (reference)"
openssl speed -seconds 3 -evp aes-256-cbc 2>/dev/null | tail -2
