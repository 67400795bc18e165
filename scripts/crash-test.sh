#!/usr/bin/env bash
# Crash test (not in the quick suite): kills the sending integration point with SIGKILL at random moments under
# load, IP_CRASH_KILLS times (default 20), restarting it each time, then checks on the receiving side that every
# message the API accepted was delivered exactly once with a complete status history.
# Extra arguments go to `swift build`/`swift test` (e.g. --scratch-path .build-x).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests "$@"
IP_CRASH_TEST=1 swift test --skip-build "$@" --filter CrashTests
