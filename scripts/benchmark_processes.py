"""Processes for scripts/benchmark.py: the sandbox network, integration points, a throwaway PostgreSQL, and what
/proc says about them (memory, CPU time)."""
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime


SENDER, RECEIVER = "910077473", "910075918"
PROCESS = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"
PAYLOAD_BYTES = 10 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average():
    return "%.2f %.2f %.2f" % os.getloadavg()


# ---------------------------------------------------------------------------------------------- /proc readings

def proc_memory(pid):
    """(VmRSS, VmHWM) in MiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def proc_cpu(pid, children=False):
    """utime+stime in seconds (plus reaped children's when asked)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def reset_peak(pid):
    """Resets VmHWM to the current RSS (Linux >= 4.0), so a peak belongs to one phase."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def process_tree(root):
    """root and its descendants (for PostgreSQL's backends)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    result, todo = [], [root]
    while todo:
        pid = todo.pop()
        result.append(pid)
        todo.extend(children.get(pid, []))
    return result


def tree_cpu(root):
    total = 0.0
    for pid in process_tree(root):
        try:
            total += proc_cpu(pid, children=(pid == root))
        except OSError:
            pass
    return total


def folder_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, name))
            except OSError:
                pass
    return total


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# ---------------------------------------------------------------------------------------------- processes

def clean_environment():
    return {k: v for k, v in os.environ.items()
            if not k.upper().startswith(("DIFI", "SERVER", "SPRING", "LOGGING"))}


def read_properties(path):
    values = {}
    with open(path) as f:
        for line in f:
            if "=" in line and not line.lstrip().startswith("#"):
                key, _, value = line.rstrip("\n").partition("=")
                values[key.strip()] = value.replace("\\\\", "\\")
    return values


class Network:
    """`integrasjonspunkt sandbox network` in a folder of its own."""

    def __init__(self, binary, folder):
        os.makedirs(folder, exist_ok=True)
        self.folder = os.path.join(folder, "sandbox")  # the command's default folder, in its working directory
        self.log = open(os.path.join(folder, "network.log"), "w")
        self.process = subprocess.Popen([binary, "sandbox", "network"], cwd=folder,
                                        stdout=self.log, stderr=subprocess.STDOUT, env=clean_environment())
        deadline = time.monotonic() + 180
        paths = [os.path.join(self.folder, org, "integrasjonspunkt-local.properties") for org in (SENDER, RECEIVER)]
        while not all(os.path.exists(p) for p in paths):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox network did not start; see {self.log.name}")
            time.sleep(0.2)
        time.sleep(0.5)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Node:
    """One integration point, started in its organisation's folder of the network."""

    def __init__(self, binary, folder, organisation, extra_args):
        self.organisation = organisation
        self.directory = os.path.join(folder, organisation)
        properties = read_properties(os.path.join(self.directory, "integrasjonspunkt-local.properties"))
        self.username = properties["difi.security.user.name"]
        self.password = properties["difi.security.user.password"]
        self.port = free_port()
        self.log = open(os.path.join(self.directory, "integrasjonspunkt.log"), "a")
        started = time.monotonic()
        self.process = subprocess.Popen([binary, f"--server.port={self.port}", *extra_args], cwd=self.directory,
                                        stdout=self.log, stderr=subprocess.STDOUT, env=clean_environment())
        try:
            self.ready_seconds = self.wait_until_up(started)
        except RuntimeError:
            self.stop()
            raise

    @property
    def pid(self):
        return self.process.pid

    def client(self, timeout=600):
        from benchmark_api import Client  # the API module imports this one
        return Client(self.port, self.username, self.password, timeout)

    def wait_until_up(self, started):
        deadline = started + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.organisation} exited with {self.process.returncode}; see {self.log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/manage/health")
                response = connection.getresponse()
                body = response.read()
                connection.close()
                if response.status == 200 and json.loads(body).get("status") == "UP":
                    return time.monotonic() - started
            except (OSError, http.client.HTTPException, ValueError):
                pass
            time.sleep(0.02)
        raise RuntimeError(f"{self.organisation} was not UP within 120 s; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class Postgres:
    """A throwaway PostgreSQL server as scripts/test.sh starts one (defaults: fsync and synchronous commit on)."""

    def __init__(self):
        initdbs = sorted(p for p in (os.path.join("/usr/lib/postgresql", v, "bin/initdb")
                                     for v in os.listdir("/usr/lib/postgresql")) if os.path.exists(p))
        if not initdbs:
            raise RuntimeError("no initdb: apt-get install postgresql")
        self.bin = os.path.dirname(initdbs[-1])
        self.directory = tempfile.mkdtemp(prefix="ip-bench-postgres.")
        self.run = []
        if os.getuid() == 0:
            shutil.chown(self.directory, "postgres")
            self.run = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        data = os.path.join(self.directory, "data")
        subprocess.run(self.run + [f"{self.bin}/initdb", "-D", data, "-U", "ip", "--auth=trust", "--encoding=UTF8",
                                   "--locale=C"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(self.run + [f"{self.bin}/pg_ctl", "-D", data, "-l", os.path.join(self.directory, "server.log"),
                                   "-w", "-t", "60", "start", "-o",
                                   f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL)
        self.data = data
        with open(os.path.join(data, "postmaster.pid")) as f:
            self.pid = int(f.readline())

    def create(self, name):
        subprocess.run(self.run + [f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "ip", name],
                       check=True)
        return [f"--difi.datasource.url=jdbc:postgresql://127.0.0.1:{self.port}/{name}",
                "--difi.datasource.username=ip"]

    def size(self, name):
        """The database's size once rows deleted (payload chunks, outbox jobs) are vacuumed away."""
        out = subprocess.run(self.run + [f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "ip",
                                         "-d", name, "-At", "-c", "VACUUM FULL", "-c", "CHECKPOINT",
                                         "-c", "SELECT pg_database_size(current_database())"],
                             check=True, capture_output=True, text=True).stdout.split()
        return int(out[-1])

    def stop(self):
        subprocess.run(self.run + [f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.directory, ignore_errors=True)


def sqlite_bytes(directory):
    """The pages the embedded database uses (after a checkpoint; free pages left by deleted rows, which SQLite
    reuses, are not counted) plus the payload folder."""
    database = os.path.join(directory, "integrasjonspunkt.sqlite")
    connection = sqlite3.connect(database, timeout=30)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        used = connection.execute("PRAGMA page_count").fetchone()[0] - connection.execute("PRAGMA freelist_count").fetchone()[0]
        used *= connection.execute("PRAGMA page_size").fetchone()[0]
    finally:
        connection.close()
    return used + folder_bytes(os.path.join(directory, "messages"))
