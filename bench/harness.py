"""Shared pieces of the benchmarks in bench/: a throw-away PostgreSQL database, the production server started
and stopped around a run, CPU accounting from /proc, the machine's description, and bench/RESULTS.md.

Nothing here is imported by the application; the benchmarks run it from a checkout (`python bench/<name>.py`).
"""

import contextlib
import http.client
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the database ----------------------------------------------------------------------------------------


# Where the benchmarks' buyers live (Hangzhou): an address every seeded shop delivers to.
BUYER_ADDRESS = {
    "recipient": "基准买家",
    "phone": "13800138000",
    "province_code": "330000",
    "city_code": "330100",
    "county_code": "330106",
    "street": "文三路 100 号",
}


def bench_database_url(name: str) -> str:
    """The URL of the benchmark's own database `name`, on the server of DATABASE_URL if that is PostgreSQL."""
    base = os.environ.get("DATABASE_URL", "")
    if urlparse(base).scheme not in {"postgres", "postgresql"}:
        base = DEFAULT_SERVER_URL
    return urlparse(base)._replace(path=f"/{name}", query="").geturl()


def claim_database(url: str):
    """Hold a PostgreSQL advisory lock named after the benchmark database for as long as the returned connection
    is open: two runs on one database would drop it under each other. Exits if another run holds it."""
    import psycopg

    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    conn = psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True)
    (claimed,) = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [f"anxin-bench:{name}"]).fetchone()
    if not claimed:
        conn.close()
        raise SystemExit(f"another benchmark run is using database {name!r}; wait for it or pass --db-name")
    return conn


def recreate_database(url: str) -> None:
    """Drop and create the database of `url` (connecting to the server's `postgres` database)."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    if "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: a benchmark database name must contain 'bench'")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def postgres_settings(url: str) -> dict[str, str]:
    import psycopg

    names = ("server_version", "max_connections", "shared_buffers", "synchronous_commit", "fsync")
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(names)]).fetchall()
    return dict(rows)


def export_source(rev: str, dest: Path) -> tuple[str, Path]:
    """Extract src/ of commit `rev` into `dest` (read-only for the repository: `git archive`, no worktree).

    Returns the short commit and the directory to put first on PYTHONPATH, so the benchmark measures that
    commit even while the working tree is being edited.
    """
    commit = subprocess.run(
        ["git", "rev-parse", "--short", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.Popen(["git", "archive", commit, "src"], cwd=ROOT, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"git archive {commit} failed")
    return commit, dest / "src"


def run_anxin(args: list[str], env: dict[str, str]) -> None:
    """`python -m anxin ARGS` in a child process (migrate, audit ...); raises on a non-zero exit."""
    subprocess.run([sys.executable, "-m", "anxin", *args], env=env, cwd=ROOT, check=True)


# --- the machine ---------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def calibrate() -> float:
    """CPU milliseconds of a fixed pure-Python workload (best of 5): how fast this machine is right now.

    On shared virtual machines the same code costs more CPU when the host is busy; compare rows with this.
    """
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        table: dict[str, int] = {}
        for i in range(200_000):
            key = f"k{i % 5000}"
            table[key] = table.get(key, 0) + len(key)
        best = min(best, time.process_time() - start)
    return best * 1000


def machine(load: float | None = None) -> str:
    """Cores, CPU model, the 1-minute load average (the machines are shared; pass the one seen when the command
    started, before our own load) and the calibration time measured now (lower is faster)."""
    load = os.getloadavg()[0] if load is None else load
    return f"{os.cpu_count()} cores, {cpu_model()}, load {load:.1f}, calib {calibrate():.0f} ms"


def git_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    # Other engineers edit src/ at the same time: say when the measured code is not exactly the commit.
    return commit + ("+dirty" if git("status", "--porcelain", "--", "src") else "")


def command_line() -> str:
    """The exact command, relative to the repository root when it can be."""

    def rel(path: str) -> str:
        try:
            return os.path.relpath(path, ROOT) if os.path.isabs(path) else path
        except ValueError:
            return path

    return shlex.join([rel(sys.executable), rel(os.path.abspath(sys.argv[0])), *sys.argv[1:]])


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- CPU accounting ------------------------------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[str, int, int, float] | None:
    """(comm, ppid, pgid, cpu seconds) of a live process, from /proc/<pid>/stat."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state): ppid=4, pgrp=5, utime=14, stime=15
    return comm, int(rest[1]), int(rest[2]), (int(rest[11]) + int(rest[12])) / CLK_TCK


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def thread_count(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _machine_busy() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields[:8]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / CLK_TCK


@dataclass
class CpuSplit:
    """CPU seconds used during a phase: by the server, PostgreSQL for us, this process, everything else."""

    server: float
    postgres: float
    client: float
    other: float
    wall: float

    @property
    def busy_share(self) -> float:
        return (self.server + self.postgres + self.client + self.other) / (self.wall * (os.cpu_count() or 1))


class CpuMonitor(threading.Thread):
    """Samples /proc every `interval` seconds during a phase and splits the CPU used by who used it.

    Sampling (rather than two snapshots) keeps the CPU of processes that end during the phase: the server's
    PostgreSQL backends are replaced when a connection reaches ANXIN_CONN_MAX_AGE. A PostgreSQL backend of
    another database (other people's tests on a shared machine) counts as "other", as does anything else.
    """

    def __init__(self, database_url: str, server_pgid: int | None, interval: float = 0.5):
        super().__init__(daemon=True)
        self.url, self.server_pgid, self.interval = database_url, server_pgid, interval
        self.database = unquote(urlparse(database_url).path.lstrip("/"))
        self.baseline: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}  # pid -> (kind, cpu seconds when last seen)
        self.foreign: set[int] = set()
        self.waits: Counter[str] = Counter()  # "Lock:transactionid", "IO:WalSync", "CPU" ... over all samples
        self.samples = 0
        self.halt = threading.Event()
        self._conn = None

    def _foreign_backends(self) -> set[int]:
        """Backends of other databases; also tallies what this database's busy backends are doing."""
        import psycopg

        if self._conn is None:
            self._conn = psycopg.connect(self.url, autocommit=True)
        rows = self._conn.execute(
            "SELECT pid, datname, state, wait_event_type, wait_event FROM pg_stat_activity"
            " WHERE datname IS NOT NULL AND pid <> pg_backend_pid()"
        ).fetchall()
        self.samples += 1
        for _pid, datname, state, wait_type, wait in rows:
            if datname == self.database and state == "active":
                self.waits[f"{wait_type}:{wait}" if wait_type else "running"] += 1
        return {pid for pid, datname, *_rest in rows if datname != self.database}

    def backend_activity(self) -> str:
        """Average number of this database's active backends per sample, by what they waited on."""
        if not self.samples:
            return "no samples"
        parts = [f"{name} {count / self.samples:.2f}" for name, count in self.waits.most_common(6)]
        return ", ".join(parts) or "none active"

    def _sample(self, first: bool = False) -> None:
        self.foreign |= self._foreign_backends()
        me = os.getpid()
        for pid in _all_pids():
            stat = _proc_stat(pid)
            if stat is None:
                continue
            comm, _ppid, pgid, seconds = stat
            if self.server_pgid is not None and pgid == self.server_pgid:
                kind = "server"
            elif pid == me:
                kind = "client"
            elif (comm == "postgres" or comm.startswith("postgres:")) and pid not in self.foreign:
                kind = "postgres"
            else:
                kind = "other"
            if first:
                self.baseline[pid] = seconds
            self.last[pid] = (kind, seconds)

    def start(self) -> None:
        self.busy0, self.at0 = _machine_busy(), time.perf_counter()
        self._sample(first=True)
        super().start()

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            self._sample()

    def stop(self) -> CpuSplit:
        self.halt.set()
        self.join()
        self._sample()
        busy, wall = _machine_busy() - self.busy0, time.perf_counter() - self.at0
        if self._conn is not None:
            self._conn.close()
        used = {"server": 0.0, "postgres": 0.0, "client": 0.0}
        for pid, (kind, seconds) in self.last.items():
            if kind in used:
                used[kind] += seconds - self.baseline.get(pid, 0.0)
        ours = sum(used.values())
        return CpuSplit(used["server"], used["postgres"], used["client"], max(0.0, busy - ours), wall)


# --- the server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """The web tier started as in production, in its own session so it can be stopped as a whole."""

    kind: str  # "serve": `python -m anxin serve --no-worker`; "gunicorn": gunicorn directly, no access log
    workers: int
    threads: int
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.workers}x{self.threads}"

    def command(self) -> list[str]:
        bind = f"127.0.0.1:{self.port}"
        if self.kind == "serve":
            return [
                sys.executable, "-m", "anxin", "serve", "--no-worker", "--bind", bind,
                "--workers", str(self.workers), "--threads", str(self.threads),
            ]  # fmt: skip
        if self.kind == "gunicorn":
            # serve.py's gunicorn command without `--access-logfile -`, to see what the access log costs.
            return [
                sys.executable, "-m", "gunicorn", "anxin.wsgi:application", "--bind", bind,
                "--workers", str(self.workers), "--threads", str(self.threads), "--graceful-timeout", "10",
            ]  # fmt: skip
        raise ValueError(f"unknown server kind {self.kind!r}")

    def start(self, ready_path: str, headers: dict[str, str], timeout: float = 60.0) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", ready_path, headers=headers)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"the server did not answer {ready_path} with 200 within {timeout:.0f}s (last log line: "
            f"{self._last_error()!r}); see {self.log_path}"
        )

    def _last_error(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        errors = [line for line in lines if "Error" in line or "Exception" in line]
        return (errors or lines or [""])[-1][:300]

    @property
    def pgid(self) -> int | None:
        return self.process.pid if self.process else None

    def processes(self) -> dict[str, list[int]]:
        """The gunicorn master and its workers (as seen in /proc), to check the flags were honoured."""
        group = {}
        for pid in _all_pids():
            stat = _proc_stat(pid)
            if stat and stat[2] == self.pgid:
                group[pid] = stat
        masters = [pid for pid, (_c, ppid, _g, _s) in group.items() if pid != self.pgid and ppid in (self.pgid,)]
        if self.kind == "gunicorn":
            masters = [self.pgid]
        workers = [pid for pid, (_c, ppid, _g, _s) in group.items() if ppid in masters]
        return {"masters": masters, "workers": workers}

    def stop(self) -> None:
        """SIGTERM to the server (serve stops gunicorn itself), then to its whole group; SIGKILL if needed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            time.sleep(0.5 if sig == signal.SIGTERM else 0)
        if self.process.poll() is None:
            self.process.wait(timeout=5)
        self.process = None

    def worker_class(self) -> str:
        try:
            for line in reversed(self.log_path.read_text(errors="replace").splitlines()):
                if "Using worker:" in line:
                    return line.rsplit("Using worker:", 1)[1].strip()
        except OSError:
            pass
        return "?"


# --- results -------------------------------------------------------------------------------------------


def append_result(file_intro: str, section: str, section_intro: str, columns: list[str], row: list[str]) -> None:
    """Append one markdown row to the table of `section` in bench/RESULTS.md, creating file and section if new.

    Each benchmark owns one section (`## <section>`) with one table; rows are added at the end of that table.
    """
    text = RESULTS.read_text() if RESULTS.exists() else ""
    lines = text.splitlines()
    if not text.strip():
        lines = [*file_intro.rstrip().splitlines(), ""]
    heading = f"## {section}"
    cells = "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |"
    if heading not in lines:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [heading, "", *section_intro.rstrip().splitlines(), ""]
        lines += ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|", cells]
    else:
        at = lines.index(heading) + 1
        while at < len(lines) and not lines[at].startswith("|"):
            at += 1
        while at < len(lines) and lines[at].startswith("|"):
            at += 1
        lines.insert(at, cells)
    RESULTS.write_text("\n".join(lines) + "\n")
