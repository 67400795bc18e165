#!/usr/bin/env python3
"""End-to-end benchmark of the integration point (Python 3 standard library only).

Starts the local eFormidling network (`integrasjonspunkt sandbox network`, 3072-bit certificates) and two
integration points on it — 910077473 (A, sender) and 910075918 (B, receiver) — from one binary, first on the
embedded store (SQLite), then on PostgreSQL (a throwaway server, one database per integration point). For each:

* time from process start to `/manage/health` UP, and idle memory;
* N messages (arkivmelding.xml + a PDF, 10 KiB together) from K concurrent clients through the REST API
  (create, upload, upload, send), while B's archive system peeks, pops and deletes;
* messages per second end to end (first OPPRETTET at A -> last LEVERT at A), latency percentiles for accept
  (client: create .. send answered), SENDT, receipt at B (INNKOMMENDE_MOTTATT) and LEVERT, all from A's
  OPPRETTET status timestamp; peak resident memory (VmHWM, reset before the load) and CPU time (utime+stime)
  of every process; database growth per finished message;
* optionally one large message by PUT and by multipart, with the peak resident memory of A and B;
* with --rate R, an open-loop load: message i starts at R*i seconds whatever the answers before it, and its accept
  time counts from then; each API call's latency (create, upload, send) is reported too (32 clients by default, so
  that the clients are not what holds messages back: 8 clients at 80 ms an accept carry only 100 messages/s);
* every message is checked for loss and duplication: LEVERT once at A, taken once at B, no status twice.

    scripts/benchmark.py --binary dist/.../integrasjonspunkt [--messages 1000] [--clients 8] [--rate 100]
                         [--backends sqlite,postgres] [--large-mb 1000] [--report BENCH.md] [--set KEY=VALUE]
    scripts/benchmark.py --smoke      # CI: 50 messages with the debug build; fails only on a lost or duplicated one

Prints a Markdown report (also written to --report) with the load average, machine and command.
benchmark_processes.py and benchmark_api.py beside it hold the process and API helpers.
"""
import argparse
import hashlib
import json
import os
import platform
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile

from benchmark_api import all_statuses, archive_once, count_status, documents, sbd, send_one
from benchmark_processes import (PAYLOAD_BYTES, RECEIVER, SENDER, Network, Node, Postgres, folder_bytes,
                                 load_average, log, parse_time, percentile, proc_cpu, proc_memory, reset_peak,
                                 sqlite_bytes, tree_cpu)

# ---------------------------------------------------------------------------------------------- the runs

class Run:
    """One backend: a network, two integration points, the load, the large messages."""

    def __init__(self, args, backend, postgres):
        self.args, self.backend, self.postgres = args, backend, postgres
        self.folder = os.path.join(args.work, backend)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.result = {"backend": backend, "load_before": load_average()}

    def start(self):
        log(f"{self.backend}: starting the sandbox network (3072-bit certificates)")
        self.network = Network(self.args.binary, self.folder)
        settings = [f"--{setting}" for setting in self.args.set]
        extra = {SENDER: list(settings), RECEIVER: list(settings)}
        self.databases = {}
        if self.backend == "postgres":
            tag = uuid.uuid4().hex[:6]
            for org in (SENDER, RECEIVER):
                self.databases[org] = f"ip_{org}_{tag}"
                extra[org] += self.postgres.create(self.databases[org])
        self.a = Node(self.args.binary, self.network.folder, SENDER, extra[SENDER])
        self.b = Node(self.args.binary, self.network.folder, RECEIVER, extra[RECEIVER])
        self.result["ready_seconds"] = {"A": self.a.ready_seconds, "B": self.b.ready_seconds}
        log(f"{self.backend}: A UP after {self.a.ready_seconds:.2f} s, B after {self.b.ready_seconds:.2f} s")
        time.sleep(self.args.idle_seconds)
        self.result["idle_rss_mib"] = {"A": proc_memory(self.a.pid)[0], "B": proc_memory(self.b.pid)[0],
                                       "network": proc_memory(self.network.process.pid)[0]}
        self.result["startup_hwm_mib"] = {"A": proc_memory(self.a.pid)[1], "B": proc_memory(self.b.pid)[1]}

    def disk(self, org):
        node = self.a if org == SENDER else self.b
        if self.backend == "postgres":
            return self.postgres.size(self.databases[org]) + folder_bytes(os.path.join(node.directory, "messages"))
        return sqlite_bytes(node.directory)

    def processes(self):
        pids = {"A": self.a.pid, "B": self.b.pid, "network": self.network.process.pid}
        return pids

    def load(self):
        n, k = self.args.messages, self.args.clients
        log(f"{self.backend}: sending {n} messages from {k} clients")
        disk_before = {org: self.disk(org) for org in (SENDER, RECEIVER)}
        cpu_before = {name: proc_cpu(pid) for name, pid in self.processes().items()}
        if self.postgres and self.backend == "postgres":
            cpu_before["postgres"] = tree_cpu(self.postgres.pid)
        for pid in self.processes().values():
            reset_peak(pid)
        profilers = self.start_profilers()
        self.result["load_start"] = load_average()

        ids = [str(uuid.uuid4()) for _ in range(n)]
        work = queue.Queue()
        for index, message_id in enumerate(ids):
            work.put((index, message_id))
        accept, calls, errors = {}, {}, []
        stop = threading.Event()
        popped, popped_lock = [], threading.Lock()
        rate = self.args.rate
        self.result["offered_rate"] = rate

        def sender():
            client = self.a.client()
            while not stop.is_set():
                try:
                    index, message_id = work.get_nowait()
                except queue.Empty:
                    return
                # Open loop: each message has its own start time on a fixed schedule, and its accept time counts
                # from then, so a slow answer delays the measurement of the messages after it instead of hiding it.
                due = started + index / rate if rate else None
                if due is not None and due > time.monotonic():
                    time.sleep(due - time.monotonic())
                try:
                    took = send_one(client, message_id, calls)
                    accept[message_id] = (time.monotonic() - due) if due is not None else took
                except Exception as error:  # noqa: BLE001 - reported, the run goes on
                    errors.append(f"send {message_id}: {error}")

        def archive():
            client = self.b.client()
            while not stop.is_set() and len(popped) < n:
                try:
                    message_id = archive_once(client)
                except Exception as error:  # noqa: BLE001
                    errors.append(f"archive: {error}")
                    time.sleep(0.5)
                    continue
                if message_id is None:
                    time.sleep(0.05)
                else:
                    with popped_lock:
                        popped.append(message_id)

        started = time.monotonic()
        threads = [threading.Thread(target=sender) for _ in range(k)]
        threads += [threading.Thread(target=archive) for _ in range(self.args.archive_clients)]
        for thread in threads:
            thread.start()
        status_client = self.a.client()
        deadline = started + self.args.timeout
        levert = 0
        while time.monotonic() < deadline:
            time.sleep(1)
            levert = count_status(status_client, "LEVERT")
            if levert >= n:
                break
            if len(errors) > 20:
                break
        wall = time.monotonic() - started
        stop.set()
        for thread in threads:
            thread.join()
        self.stop_profilers(profilers)
        self.result["load_end"] = load_average()
        self.result["errors"] = errors[:20]
        self.result["error_count"] = len(errors)
        self.result["levert"] = levert
        self.result["wall_seconds"] = wall
        log(f"{self.backend}: {levert}/{n} LEVERT after {wall:.1f} s, {len(errors)} errors")

        processes = self.processes()
        self.result["cpu_seconds"] = {name: proc_cpu(pid) - cpu_before[name] for name, pid in processes.items()}
        self.result["peak_rss_mib"] = {name: proc_memory(pid)[1] for name, pid in processes.items()}
        if "postgres" in cpu_before:
            self.result["cpu_seconds"]["postgres"] = tree_cpu(self.postgres.pid) - cpu_before["postgres"]
        self.result["cpu_ms_per_message"] = {name: 1000 * seconds / max(levert, 1)
                                             for name, seconds in self.result["cpu_seconds"].items()}
        self.result["calls"] = {name: {"count": len(values), "p50": percentile(values, 50),
                                       "p90": percentile(values, 90), "p99": percentile(values, 99)}
                                for name, values in calls.items()}
        self.latencies(ids, accept)
        time.sleep(2)  # let B register the last deliveries
        self.result["problems"] = self.lost_or_duplicated(ids, popped)
        self.result["disk_bytes_per_message"] = {
            ("A" if org == SENDER else "B"): (self.disk(org) - disk_before[org]) / max(levert, 1)
            for org in (SENDER, RECEIVER)}

    def start_profilers(self):
        """With --perf-dir: `perf record` (CPU-clock samples with call graphs) on A, B and the network during the
        load, one file per process (`perf report -i DIR/sqlite-A.data`)."""
        if not self.args.perf_dir:
            return []
        os.makedirs(self.args.perf_dir, exist_ok=True)
        profilers = []
        for name, pid in self.processes().items():
            output = os.path.join(os.path.abspath(self.args.perf_dir), f"{self.backend}-{name}.data")
            profilers.append(subprocess.Popen(
                ["perf", "record", "-q", "-e", "cpu-clock", "-F", "499", "-g", "-p", str(pid), "-o", output],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(0.5)
        return profilers

    @staticmethod
    def stop_profilers(profilers):
        for profiler in profilers:
            profiler.send_signal(signal.SIGINT)
        for profiler in profilers:
            try:
                profiler.wait(60)
            except subprocess.TimeoutExpired:
                profiler.kill()

    def lost_or_duplicated(self, ids, popped):
        """What went wrong with the messages themselves, whatever the time: a message sent but not LEVERT at A or
        not taken at B (lost), taken twice, or with a status twice (duplicated)."""
        wanted, problems = set(ids), []
        for name, client in (("A", self.a.client()), ("B", self.b.client())):
            seen = {}
            for status in all_statuses(client):
                if status.get("messageId") in wanted:
                    key = (status["messageId"], status["status"])
                    seen[key] = seen.get(key, 0) + 1
            for (message_id, status), count in sorted(seen.items()):
                if count > 1:
                    problems.append(f"{message_id} has {status} {count} times at {name}")
            final = "LEVERT" if name == "A" else "INNKOMMENDE_LEVERT"
            missing = [m for m in ids if (m, final) not in seen]
            if missing:
                problems.append(f"{len(missing)} messages never reached {final} at {name} (lost), e.g. {missing[0]}")
        taken = {}
        for message_id in popped:
            taken[message_id] = taken.get(message_id, 0) + 1
        problems += [f"{m} was taken {c} times at B" for m, c in taken.items() if c > 1]
        problems += [f"B offered {m}, which was not sent" for m in taken if m not in wanted]
        missing = wanted - set(taken)
        if missing:
            problems.append(f"{len(missing)} messages were never taken at B (lost), e.g. {sorted(missing)[0]}")
        return problems

    def latencies(self, ids, accept):
        wanted = set(ids)
        at_a, at_b = {}, {}
        for status in all_statuses(self.a.client()):
            if status.get("messageId") in wanted:
                at_a.setdefault(status["messageId"], {}).setdefault(status["status"], parse_time(status["lastUpdate"]))
        for status in all_statuses(self.b.client()):
            if status.get("messageId") in wanted:
                at_b.setdefault(status["messageId"], {}).setdefault(status["status"], parse_time(status["lastUpdate"]))
        series = {"accept": list(accept.values()), "SENDT": [], "receipt at B": [], "LEVERT": []}
        for message_id in ids:
            statuses = at_a.get(message_id, {})
            created = statuses.get("OPPRETTET")
            if created is None:
                continue
            if "SENDT" in statuses:
                series["SENDT"].append(statuses["SENDT"] - created)
            if "INNKOMMENDE_MOTTATT" in at_b.get(message_id, {}):
                series["receipt at B"].append(at_b[message_id]["INNKOMMENDE_MOTTATT"] - created)
            if "LEVERT" in statuses:
                series["LEVERT"].append(statuses["LEVERT"] - created)
        self.result["latency"] = {name: {"count": len(values), "p50": percentile(values, 50),
                                         "p90": percentile(values, 90), "p99": percentile(values, 99)}
                                  for name, values in series.items()}
        created = [s["OPPRETTET"] for s in at_a.values() if "OPPRETTET" in s]
        delivered = [s["LEVERT"] for s in at_a.values() if "LEVERT" in s]
        if created and delivered:
            span = max(delivered) - min(created)
            self.result["end_to_end_seconds"] = span
            self.result["messages_per_second"] = len(delivered) / span if span > 0 else float("nan")

    def large(self):
        # Decimal megabytes: DPO's upload limit (difi.move.dpo.upload-size-limit) is 1 GiB for all files together,
        # so "1 GB" is 1000 MB = 10^9 bytes, which leaves room for the arkivmelding.xml.
        size = self.args.large_mb * 1000 * 1000
        source = os.path.join(self.args.work, f"large-{self.args.large_mb}mb.pdf")
        if not os.path.exists(source) or os.path.getsize(source) != size:
            log(f"writing {self.args.large_mb} MB of random bytes to {source}")
            with open(source, "wb") as f:
                left = size
                while left > 0:
                    block = os.urandom(64) * (1 << 14)  # 1 MiB, different in every block
                    f.write(block[:min(left, len(block))])
                    left -= min(left, len(block))
        digest = hashlib.sha256()
        with open(source, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        expected = digest.hexdigest()
        self.result["large"] = []
        for path in ("PUT", "multipart"):
            self.result["large"].append(self.large_one(path, source, size, expected))

    def large_one(self, path, source, size, expected):
        log(f"{self.backend}: one {self.args.large_mb} MB message by {path}")
        idle = {"A": proc_memory(self.a.pid)[0], "B": proc_memory(self.b.pid)[0]}
        for pid in (self.a.pid, self.b.pid):
            reset_peak(pid)
        load = load_average()
        message_id = str(uuid.uuid4())
        client = self.a.client(timeout=3600)
        xml, _ = documents(message_id)
        started = time.monotonic()
        if path == "PUT":
            client.json("POST", "/api/messages/out", sbd(message_id))
            client.request("PUT", f"/api/messages/out/{message_id}", xml, {
                "Content-Type": "application/xml",
                "Content-Disposition": 'attachment; name="Arkivmelding"; filename="arkivmelding.xml"'})
            with open(source, "rb") as f:
                status, reply = client.request("PUT", f"/api/messages/out/{message_id}", f, {
                    "Content-Type": "application/pdf", "Content-Length": str(size),
                    "Content-Disposition": 'attachment; name="Vedtak"; filename="vedtak.pdf"'})
            if status != 200:
                raise RuntimeError(f"PUT of the large file answered {status}: {reply[:300]!r}")
            uploaded = time.monotonic() - started
            status, reply = client.request("POST", f"/api/messages/out/{message_id}")
        else:
            boundary = "bench" + uuid.uuid4().hex
            head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"sbd\"\r\nContent-Type: application/json\r\n\r\n"
                    + json.dumps(sbd(message_id)) + f"\r\n--{boundary}\r\nContent-Disposition: form-data; "
                    "name=\"Arkivmelding\"; filename=\"arkivmelding.xml\"\r\nContent-Type: application/xml\r\n\r\n").encode() \
                + xml + (f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"Vedtak\"; filename=\"vedtak.pdf\"\r\n"
                         "Content-Type: application/pdf\r\n\r\n").encode()
            tail = f"\r\n--{boundary}--\r\n".encode()

            def body():
                yield head
                with open(source, "rb") as f:
                    while chunk := f.read(1 << 20):
                        yield chunk
                yield tail
            status, reply = client.request("POST", "/api/messages/out/multipart", body(), {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail))})
            uploaded = time.monotonic() - started
        if status != 200:
            raise RuntimeError(f"{path} send answered {status}: {reply[:300]!r}")
        sent = time.monotonic()
        receiver = self.b.client(timeout=3600)
        container = os.path.join(self.args.work, "large-popped.asice")
        deadline = sent + self.args.timeout
        taken = None
        while taken is None and time.monotonic() < deadline:
            with open(container, "wb") as out:
                taken = archive_once(receiver, stream_to=out)
            if taken is None:
                time.sleep(0.2)
        popped = time.monotonic()
        if taken != message_id:
            raise RuntimeError(f"B did not get the large message (got {taken})")
        ok = self.verify_container(container, expected)
        while time.monotonic() < deadline:
            statuses = client.json("GET", f"/api/statuses/{message_id}?size=100")["content"]
            if any(s["status"] == "LEVERT" for s in statuses):
                break
            time.sleep(0.5)
        os.remove(container)
        return {"path": path, "load": load, "upload_seconds": uploaded, "send_to_popped_seconds": popped - sent,
                "idle_rss_mib": idle, "peak_rss_mib": {"A": proc_memory(self.a.pid)[1], "B": proc_memory(self.b.pid)[1]},
                "content_matches": ok}

    @staticmethod
    def verify_container(container, expected):
        with zipfile.ZipFile(container) as archive:
            for name in archive.namelist():
                if name.endswith("vedtak.pdf"):
                    digest = hashlib.sha256()
                    with archive.open(name) as f:
                        while chunk := f.read(1 << 20):
                            digest.update(chunk)
                    return digest.hexdigest() == expected
        return False

    def stop(self):
        for node in (getattr(self, "a", None), getattr(self, "b", None)):
            if node:
                code = node.stop()
                self.result.setdefault("exit_codes", {})[node.organisation] = code
        if getattr(self, "network", None):
            self.network.stop()


# ---------------------------------------------------------------------------------------------- the report

def machine():
    memory = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / (1 << 20)
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}, Linux {platform.release()}"


def fmt(value, digits=2):
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def report(args, results, command):
    lines = [f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {machine()}; "
             f"binary: `{args.version}`.", f"Command: `{command}`", ""]
    runs = [r for r in results if "latency" in r]
    if runs:
        offered = (f"offered open-loop at {args.rate:g} messages/s (accept counts from each message's scheduled start)"
                   if args.rate else "each client sending as soon as its previous message was accepted")
        lines += [f"{args.messages} messages (arkivmelding.xml + vedtak.pdf, {PAYLOAD_BYTES // 1024} KiB), "
                  f"{args.clients} sending clients, {offered}, {args.archive_clients} archive clients at B.", ""]
        header = "| | " + " | ".join(r["backend"] for r in runs) + " |"
        lines += [header, "|---|" + "---|" * len(runs)]

        def row(name, get):
            lines.append(f"| {name} | " + " | ".join(get(r) for r in runs) + " |")
        row("load average (1/5/15 min) before → after", lambda r: f"{r['load_start']} → {r['load_end']}")
        row("delivered (LEVERT at A) / errors", lambda r: f"{r['levert']} / {r['error_count']}")
        row("**messages/s end to end** (first OPPRETTET → last LEVERT)",
            lambda r: f"**{fmt(r.get('messages_per_second'), 1)}** ({fmt(r.get('end_to_end_seconds'), 1)} s)")
        for name in ("accept", "SENDT", "receipt at B", "LEVERT"):
            row(f"{name} p50 / p90 / p99 (s)",
                lambda r, n=name: " / ".join(fmt(r["latency"][n][p]) for p in ("p50", "p90", "p99")))
        for name in ("create", "upload", "send"):
            row(f"API call {name} p50 / p90 / p99 (ms)",
                lambda r, n=name: " / ".join(fmt(1000 * r["calls"].get(n, {}).get(p, float("nan")), 1)
                                             for p in ("p50", "p90", "p99")))
        for proc in ("A", "B", "network", "postgres"):
            row(f"CPU time during the load, {proc} (s)", lambda r, p=proc: fmt(r["cpu_seconds"].get(p), 1))
        for proc in ("A", "B", "network", "postgres"):
            row(f"CPU per delivered message, {proc} (ms)", lambda r, p=proc: fmt(r["cpu_ms_per_message"].get(p), 1))
        for proc in ("A", "B", "network"):
            row(f"peak RSS during the load, {proc} (MiB)", lambda r, p=proc: fmt(r["peak_rss_mib"].get(p), 1))
        row("idle RSS A / B (MiB)", lambda r: f"{fmt(r['idle_rss_mib']['A'], 1)} / {fmt(r['idle_rss_mib']['B'], 1)}")
        row("start → /manage/health UP, A / B (s)",
            lambda r: f"{fmt(r['ready_seconds']['A'])} / {fmt(r['ready_seconds']['B'])}")
        row("data kept per finished message, A / B (bytes)",
            lambda r: f"{r['disk_bytes_per_message']['A']:.0f} / {r['disk_bytes_per_message']['B']:.0f}")
        row("exit status on SIGTERM, A / B", lambda r: " / ".join(str(v) for v in r.get("exit_codes", {}).values()))
        lines.append("")
    large = [(r["backend"], item) for r in results for item in r.get("large", [])]
    if large:
        lines += [f"One {args.large_mb} MB message (random bytes as vedtak.pdf, STORED) from A to B:", "",
                  "| Backend | Path | Load | Upload until accepted | Send → popped at B | A idle → peak RSS | "
                  "B idle → peak RSS | Content at B |", "|---|---|---|---|---|---|---|---|"]
        for backend, item in large:
            lines.append(
                f"| {backend} | {item['path']} | {item['load'].split()[0]} | {item['upload_seconds']:.1f} s | "
                f"{item['send_to_popped_seconds']:.1f} s | {item['idle_rss_mib']['A']:.0f} → "
                f"{item['peak_rss_mib']['A']:.0f} MiB | {item['idle_rss_mib']['B']:.0f} → {item['peak_rss_mib']['B']:.0f} MiB"
                f" | {'SHA-256 equal' if item['content_matches'] else 'DIFFERS'} |")
        lines.append("")
    for r in results:
        if r.get("errors"):
            lines.append(f"First errors ({r['backend']}): " + "; ".join(r["errors"][:5]))
        if r.get("problems"):
            lines.append(f"Lost or duplicated ({r['backend']}): " + "; ".join(r["problems"][:10]))
        if r.get("failure"):
            lines.append(f"The {r['backend']} run failed: {r['failure']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", help="the integrasjonspunkt binary (e.g. from the release tarball; "
                                         "with --smoke the debug build by default)")
    parser.add_argument("--smoke", action="store_true",
                        help="a quick check for CI: 50 messages on the embedded store; fails only when a message is "
                             "lost or duplicated, never on time")
    parser.add_argument("--rate", type=float, default=0,
                        help="open loop: offer this many messages/s on a fixed schedule (0: each client sends as soon "
                             "as its previous message was accepted)")
    parser.add_argument("--messages", type=int, default=1000, help="N, messages per backend (default 1000)")
    parser.add_argument("--clients", type=int, default=None,
                        help="K, concurrent sending clients (default 8; 32 with --rate)")
    parser.add_argument("--archive-clients", type=int, default=2, help="archive clients peeking at B (default 2)")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite, postgres or both (default)")
    parser.add_argument("--large-mb", type=int, default=0,
                        help="also send one message of this many MB (10^6 bytes; 0: none; 1000 for the 1 GB figures)")
    parser.add_argument("--large-backends", default="sqlite", help="backends for the large message (default sqlite)")
    parser.add_argument("--idle-seconds", type=float, default=10, help="wait after UP before reading idle memory")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for all LEVERT (default 1800)")
    parser.add_argument("--work", default=None, help="work folder (default: a new temporary folder, removed)")
    parser.add_argument("--report", help="also write the Markdown report to this file")
    parser.add_argument("--perf-dir", help="profile A, B and the network with `perf record` during the load; "
                                           "the data files go to this folder")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a configuration value for both integration points, e.g. "
                             "--set difi.move.queue.background-nice=0 (repeatable)")
    parser.add_argument("--json", help="write the raw figures as JSON to this file")
    args = parser.parse_args()
    if args.smoke:
        smoke_defaults(parser, args)
    if args.clients is None:
        args.clients = 32 if args.rate else 8
    if not args.binary:
        parser.error("--binary is required")
    args.binary = os.path.abspath(args.binary)
    args.version = subprocess.run([args.binary, "--version"], capture_output=True, text=True).stdout.strip()
    keep = args.work is not None
    args.work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="ip-bench."))
    os.makedirs(args.work, exist_ok=True)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    large_backends = [b.strip() for b in args.large_backends.split(",") if b.strip()] if args.large_mb else []
    postgres = Postgres() if "postgres" in backends + large_backends else None
    results = []
    try:
        for backend in backends + [b for b in large_backends if b not in backends]:
            run = Run(args, backend, postgres)
            results.append(run.result)
            try:
                run.start()
                if backend in backends and args.messages > 0:
                    run.load()
                if backend in large_backends:
                    run.large()
            except Exception as error:  # noqa: BLE001 - the report says what failed
                run.result["failure"] = str(error)
                log(f"{backend}: FAILED: {error}")
            finally:
                run.stop()
    finally:
        if postgres:
            postgres.stop()
        if not keep:
            shutil.rmtree(args.work, ignore_errors=True)
    text = report(args, results, " ".join([os.path.relpath(sys.argv[0])] + sys.argv[1:]))
    print(text)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    if args.smoke:
        problems = [p for r in results for p in r.get("problems", []) + r.get("errors", [])
                    + ([r["failure"]] if r.get("failure") else [])]
        print(f"smoke: {'FAILED' if problems else 'no message lost or duplicated'}")
        return 1 if problems else 0
    return 1 if any(r.get("failure") or r.get("error_count") or r.get("problems") for r in results) else 0


def smoke_defaults(parser, args):
    """--smoke: 50 messages on the embedded store with the debug build, short waits, a generous deadline."""
    given = {a.lstrip("-").split("=")[0].replace("-", "_") for a in sys.argv[1:] if a.startswith("--")}
    defaults = {"messages": 50, "clients": 4, "backends": "sqlite", "idle_seconds": 0.5, "timeout": 600,
                "large_mb": 0}
    for name, value in defaults.items():
        if name not in given:
            setattr(args, name, value)
    if not args.binary:
        args.binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "debug",
                                   "integrasjonspunkt")


if __name__ == "__main__":
    sys.exit(main())
