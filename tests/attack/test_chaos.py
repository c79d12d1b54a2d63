"""Chaos on PostgreSQL: `anxin serve` under a load of checkouts and payments while its processes are killed.

A fresh database is made, migrated and given a small world; `anxin serve` (gunicorn with 2 workers, plus the
deadline worker) runs as a subprocess on a free port. A few buyers place orders with an Idempotency-Key, open
the payment and have the simulated provider approve it, over HTTP, while a gunicorn worker and the anxin worker
are killed with SIGKILL several times. A dropped connection may be retried (the same request, the same key);
an HTTP 5xx never. An unpaid checkout whose payment window closes after the last kill must still be expired by
the (restarted) worker, and `anxin audit` must be clean at the end.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
BUYERS = 4
LOAD_SECONDS = 45
KILL_EVERY_S = 5.0
RETRY_FOR_S = 30.0
# the payment window is set to 1 minute: the checkout left unpaid, placed as the load starts, expires
# 60 s later, after the last kill (at most LOAD_SECONDS - KILL_EVERY_S in)
EXPIRY_WAIT_S = 45.0

LEFT_UNPAID = {"Idempotency-Key": "left-unpaid"}

SEED = """
import json
from anxin.accounts import services as accounts
from anxin.checkout import services as checkouts
from anxin.core import config
from anxin.geo.services import ensure_builtin_regions
from tests import factories as f

ensure_builtin_regions()
config.set_value("orders.unpaid_expiry_minutes", 1)
shop = f.merchant()
skus = [f.product(shop, stock=100_000, price_fen=1990 + 100 * i).skus.first().pk for i in range(3)]
buyers = []
for _ in range(%(buyers)d):
    buyer = f.buyer()
    buyers.append({"token": accounts.issue_token(buyer), "address_id": f.address(buyer).pk})
late = f.buyer()
checkouts.add_to_cart(late, skus[0], 1)
unpaid = {"token": accounts.issue_token(late), "address_id": f.address(late).pk}
print(json.dumps({"skus": skus, "buyers": buyers, "unpaid": unpaid}))
"""


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the chaos test needs PostgreSQL; CI runs it with DATABASE_URL=postgres://...")
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _admin(url: str, sql: str) -> None:
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _anxin(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "anxin", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is `pid`, with their command lines (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append((int(entry.name), cmdline))
    return found


def _child_matching(pid: int, word: str) -> int | None:
    return next((child for child, cmdline in _children(pid) if word in cmdline), None)


@dataclass
class Tally:
    """What the load saw: every status answered, the connection errors retried, the checkouts paid."""

    statuses: list[tuple[str, int]] = field(default_factory=list)
    retries: int = 0
    paid: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def server_errors(self) -> list[tuple[str, int]]:
        return [(what, status) for what, status in self.statuses if status >= 500]


class Site:
    """HTTP calls to the served site; a connection error is retried, the same request, for a while."""

    def __init__(self, port: int, tally: Tally):
        self.port = port
        self.tally = tally

    def call(self, method: str, path: str, *, token: str = "", body=None, headers=None) -> tuple[int, dict]:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        give_up = time.monotonic() + RETRY_FOR_S
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            try:
                conn.request(method, path, body=data, headers=sent)
                response = conn.getresponse()
                status, raw = response.status, response.read()
                break
            except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
                if time.monotonic() > give_up:
                    raise
                with self.tally.lock:
                    self.tally.retries += 1
                time.sleep(0.2)
            finally:
                conn.close()
        with self.tally.lock:
            self.tally.statuses.append((f"{method} {path}", status))
        try:
            return status, json.loads(raw) if raw else {}
        except ValueError:
            return status, {"raw": raw[:200].decode(errors="replace")}

    def wait_until_up(self, seconds: float) -> None:
        give_up = time.monotonic() + seconds
        while time.monotonic() < give_up:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("anxin serve did not answer /api/health")


def _buy_and_pay(site: Site, buyer: dict, sku_id: int) -> bool:
    """One checkout of one unit, paid through the simulated provider; True when the payment succeeded."""
    token = buyer["token"]
    status, _cart = site.call("POST", "/api/cart/lines", token=token, body={"sku_id": sku_id, "quantity": 1})
    if status != 201:
        return False
    key = {"Idempotency-Key": uuid.uuid4().hex}
    status, checkout = site.call(
        "POST", "/api/checkouts", token=token, body={"address_id": buyer["address_id"]}, headers=key
    )
    if status != 201:
        return False
    status, payment = site.call("POST", f"/api/checkouts/{checkout['id']}/payment", token=token, headers=key)
    if status != 201:
        return False
    status, approved = site.call("POST", f"/api/payments/{payment['id']}/simulate", token=token)
    return status == 200 and approved["state"] == "succeeded"


def _load(site: Site, buyer: dict, skus: list[int], until: float) -> None:
    turn = 0
    while time.monotonic() < until:
        if _buy_and_pay(site, buyer, skus[turn % len(skus)]):
            with site.tally.lock:
                site.tally.paid += 1
        turn += 1


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have exited on its own meanwhile
        os.kill(pid, signal.SIGKILL)


def _chaos(serve_pid: int, until: float) -> dict[str, int]:
    """Every few seconds, SIGKILL a gunicorn worker or the anxin worker (in turn), once each is back."""
    kills = {"gunicorn worker": 0, "anxin worker": 0}
    turn = 0
    while time.monotonic() + KILL_EVERY_S < until:
        time.sleep(KILL_EVERY_S)
        master = _child_matching(serve_pid, "gunicorn")
        if turn % 2 == 0 and master is not None:
            workers = [pid for pid, _cmd in _children(master)]
            if workers:
                _kill(workers[turn % len(workers)])
                kills["gunicorn worker"] += 1
        else:
            worker = _child_matching(serve_pid, "anxin worker")
            if worker is not None:
                _kill(worker)
                kills["anxin worker"] += 1
        turn += 1
    return kills


@pytest.fixture
def served(tmp_path):
    """A fresh database with a small world and `anxin serve` on it; both gone afterwards."""
    url = _postgres_url()
    name = f"anxin_chaos_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _admin(url, f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": _with_database(url, name),
        "ANXIN_DATA_DIR": str(tmp_path / "data"),
        "ANXIN_PAYMENT_PROVIDER": "simulated",
        "ANXIN_DEBUG": "false",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    serve = None
    try:
        migrated = _anxin(env, "migrate", "--no-input")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        seeded = _anxin(env, "shell", "-c", SEED % {"buyers": BUYERS})
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        world = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = _free_port()
        log = (tmp_path / "serve.log").open("w")
        serve = subprocess.Popen(
            [sys.executable, "-m", "anxin", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        yield {"env": env, "port": port, "pid": serve.pid, "log": tmp_path / "serve.log", **world}
    finally:
        if serve is not None:
            serve.terminate()
            try:
                serve.wait(timeout=30)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait()
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_site_keeps_answering_while_its_processes_are_killed_under_load(served):
    tally = Tally()
    site = Site(served["port"], tally)
    site.wait_until_up(60)
    late = served["unpaid"]
    status, unpaid = site.call(
        "POST", "/api/checkouts", token=late["token"], body={"address_id": late["address_id"]}, headers=LEFT_UNPAID
    )
    assert status == 201, unpaid
    until = time.monotonic() + LOAD_SECONDS
    buyers = [
        threading.Thread(target=_load, args=(site, buyer, served["skus"], until), daemon=True)
        for buyer in served["buyers"]
    ]
    for thread in buyers:
        thread.start()
    kills = _chaos(served["pid"], until)
    for thread in buyers:
        thread.join(timeout=LOAD_SECONDS + RETRY_FOR_S)

    log_tail = served["log"].read_text()[-4000:]
    assert kills["gunicorn worker"] >= 3 and kills["anxin worker"] >= 3, kills
    assert tally.server_errors() == [], log_tail
    assert tally.paid >= BUYERS, (tally.paid, tally.retries, log_tail)  # the load really bought and paid

    # the worker, killed and restarted, still applies deadlines: the unpaid checkout's window closes after
    # the last kill, and it is expired by whichever worker runs then
    give_up = time.monotonic() + EXPIRY_WAIT_S
    path = f"/api/checkouts/{unpaid['id']}"
    status, unpaid = site.call("GET", path, token=late["token"])
    while unpaid.get("state") == "pending_payment" and time.monotonic() < give_up:
        time.sleep(1)
        status, unpaid = site.call("GET", path, token=late["token"])
    assert (status, unpaid["state"]) == (200, "cancelled"), (unpaid, log_tail)
    assert tally.server_errors() == [], log_tail

    audit = _anxin(served["env"], "audit")
    assert audit.returncode == 0, audit.stdout[-3000:] + audit.stderr[-3000:]
