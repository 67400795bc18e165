#!/usr/bin/env python3
"""Start-up, idle memory and /manage/health of one integration point (Python 3 standard library only).

Starts the sandbox network, then the sender's integration point several times on each backend: the first start on
a new store (migrations included), the others on the same store. For each start: seconds from spawn to
/manage/health UP, RSS and threads after --idle-seconds, and how long --health-calls further health checks take.
With --conversations N, the PostgreSQL store is filled with N finished conversations (one status each) after
the first start, to show what grows with the table.

    scripts/benchmark_startup.py --binary .build/release/integrasjonspunkt
    scripts/benchmark_startup.py --binary BINARY --backends postgres --conversations 1000000
"""
import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_processes import SENDER, Network, Node, Postgres, log, proc_memory  # noqa: E402

FILL = """
INSERT INTO conversation (conversation_id, message_id, sender, receiver, message_title, last_update, finished,
    pollable, direction, service_identifier, search_text)
SELECT 'c' || g, 'm' || g, '0192:910077473', '0192:910075918', 'title ' || g, 1700000000000000 + g, TRUE, FALSE,
    'OUTGOING', 'DPO', 'c' || g || chr(1) || 'm' || g || chr(1) || '0192:910077473' || chr(1) || '0192:910075918'
    || chr(1) || chr(1) || 'title ' || g
FROM generate_series(1, {n}) g
"""
# Each its own command: VACUUM cannot run inside the transaction psql makes of one -c with several statements.
AFTER_FILL = ["INSERT INTO message_status (conv_id, last_update, status) SELECT id, last_update, 'LEVERT' FROM conversation",
              "VACUUM ANALYZE conversation", "VACUUM ANALYZE message_status"]


def health_milliseconds(port, calls):
    times = []
    for _ in range(calls):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.monotonic()
        connection.request("GET", "/manage/health")
        connection.getresponse().read()
        connection.close()
        times.append((time.monotonic() - started) * 1000)
    return times


def fill(postgres, database, n):
    log(f"postgres: filling {database} with {n} finished conversations")
    subprocess.run(postgres.run + [f"{postgres.bin}/psql", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "ip",
                                   "-d", database, "-q", "-v", "ON_ERROR_STOP=1", "-c", FILL.format(n=n),
                                   *[arg for sql in AFTER_FILL for arg in ("-c", sql)]],
                   check=True, stdout=subprocess.DEVNULL)


def measure(args, network, backend, postgres):
    extra = postgres.create("ip_startup") if backend == "postgres" else []
    for start in range(args.starts):
        node = Node(args.binary, network.folder, SENDER, extra)
        time.sleep(args.idle_seconds)
        rss, _ = proc_memory(node.pid)
        threads = len(os.listdir(f"/proc/{node.pid}/task"))
        health = health_milliseconds(node.port, args.health_calls)
        node.stop()
        which = "new store" if start == 0 else "existing store"
        print(f"| {backend} | {which} | {node.ready_seconds:.3f} s | {rss:.1f} MiB | {threads} | "
              f"{min(health):.0f}–{max(health):.0f} ms |", flush=True)
        if start == 0 and backend == "postgres" and args.conversations:
            fill(postgres, "ip_startup", args.conversations)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the integrasjonspunkt binary")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite, postgres or both (default)")
    parser.add_argument("--starts", type=int, default=4, help="starts per backend (default 4)")
    parser.add_argument("--idle-seconds", type=float, default=3, help="wait after UP before reading RSS")
    parser.add_argument("--health-calls", type=int, default=10, help="health checks timed after each start")
    parser.add_argument("--conversations", type=int, default=0,
                        help="fill the PostgreSQL store with this many conversations after its first start")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    work = tempfile.mkdtemp(prefix="ip-startup.")
    network = Network(args.binary, work)
    postgres = Postgres() if "postgres" in backends else None
    try:
        print("| Backend | Start | spawn → health UP | idle RSS | threads | further health checks |")
        print("|---|---|---|---|---|---|")
        for backend in backends:
            measure(args, network, backend, postgres)
    finally:
        if postgres:
            postgres.stop()
        network.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
