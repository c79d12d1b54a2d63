"""Checkout under load: many concurrent buyers place orders through the HTTP API on PostgreSQL, served by the
production server (`python -m anxin serve --no-worker`, gunicorn), for a fixed number of checkouts.

One checkout is what a buyer's app does: `POST /api/cart/lines` for 1-3 SKUs, then the timed
`POST /api/checkouts` with a unique `Idempotency-Key`. Then (unless --no-pay) the placed checkouts are paid
in a second timed phase: `POST /api/checkouts/{id}/payment` + `POST /api/payments/{id}/simulate`.
Queries per checkout are counted in-process (CaptureQueriesContext) for 1, 3 and 10 lines, for the service
`place_order` and for the whole API call through django.test.Client.

Prints the figures and appends one row per server configuration to bench/RESULTS.md. See bench/README.md.

    .venv/bin/python bench/checkout.py                       # 16 clients, 2000 checkouts, default server
    .venv/bin/python bench/checkout.py --configs 3x4,4x2,5x1 --repeat 2
    .venv/bin/python bench/checkout.py --scenario multi      # every checkout spans 2 merchants (2 orders)
"""

import argparse
import http.client
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import harness

from anxin.checkout import services as checkouts

DEFAULT_WORKERS, DEFAULT_THREADS = 2, 8  # the best of 3x4, 4x2, 5x1, 2x8 on the 2-core machines (RESULTS.md)
STOCK = 10_000_000
ADDRESS = harness.BUYER_ADDRESS
# merchant A: N products (--products, default 4) x 3 SKUs (at least 10 for a 10-line cart); B: 2 products x 2 SKUs
SHOP_A, SHOP_B = "安心基准店A", "安心基准店B"
QUERY_LINES = (1, 3, 10)

FILE_INTRO = """# Benchmark results

Rows are appended by the scripts in bench/ (see bench/README.md); never edit a row by hand.
Each row names the exact command, the commit measured (`+dirty`: src/ had uncommitted changes) and the machine.
"""
SECTION = "checkout (bench/checkout.py)"
SECTION_INTRO = """Concurrent buyers over HTTP (keep-alive, one connection per client thread) against gunicorn on
PostgreSQL, load generator and PostgreSQL on the same machine. A checkout = 1-3 `POST /api/cart/lines` then the timed
`POST /api/checkouts`. Columns:
- **server**: `serve WxT` = `python -m anxin serve --no-worker --workers W --threads T` (with its access log),
  `gunicorn WxT` = the same gunicorn command without the access log; `cma` = ANXIN_CONN_MAX_AGE.
- **scenario**: `single` = 1-3 lines of one merchant (1 order); `multi` = 2-3 lines over 2 merchants (2 orders);
  `prefilled` (--prefill): all carts filled first, then the checkouts alone are timed (checkout capacity);
  `N SKUs` (--products): merchant A sells N SKUs instead of 12 (fewer checkouts wait on the same stock rows).
- **checkouts/s**: measured checkouts (cart adds included unless prefilled) / wall time, warm-up excluded;
  **orders/s**: the orders they made.
- **machine**: cores, CPU, the 1-minute load average when the command started, and `calib`: the CPU ms of a
  fixed Python loop just before the run (harness.calibrate; higher = the shared machine was slower then, and
  every CPU figure grows with it).
- **p50/p99**: latency of `POST /api/checkouts` alone, in ms; **cart p50/p99**: of one `POST /api/cart/lines`.
- **paid/s**: checkouts paid per second in the payment phase (start payment + simulated provider approval).
- **queries**: SQL queries for one checkout of 1/3/10 lines: `place_order` service; whole API call.
- **CPU ms/checkout**: CPU time per measured checkout of the server processes / PostgreSQL (this database's
  backends and its shared processes) / the load generator / every other process (noise from others' work).
- **CPU ceiling/s**: cores x 1000 / (server + pg + client ms per checkout): the checkouts/s this code could reach
  if it had the machine's CPUs to itself (derived, not measured; when `other` is large, trust this over checkouts/s).
"""
COLUMNS = [
    "date",
    "commit",
    "command",
    "machine",
    "server",
    "scenario",
    "clients",
    "checkouts",
    "checkouts/s",
    "orders/s",
    "p50 ms",
    "p99 ms",
    "cart p50/p99 ms",
    "paid/s",
    "queries 1/3/10 (service; API)",
    "CPU ms/checkout (server/pg/client/other)",
    "CPU ceiling/s",
    "errors",
]


# --- setup: database, seed, query counts -------------------------------------------------------------------


@dataclass
class Buyer:
    token: str
    address_id: int


@dataclass
class Seed:
    skus: list[list[int]]  # per merchant
    buyers: list[Buyer]
    spare: Buyer  # for the in-process query counts
    spare_user_id: int


def seed(buyer_count: int, products_a: int) -> Seed:
    """One category, two merchants with staff and SKUs with large stock, buyers with an address and a token."""
    from anxin.accounts import services as accounts
    from anxin.accounts.models import User
    from anxin.catalog import services as catalog
    from anxin.catalog.models import Category, Merchant
    from anxin.core import clock
    from anxin.geo.models import Region

    province = Region.objects.get(code=ADDRESS["province_code"])
    category = Category.objects.create(name="基准测试", name_en="Benchmark", slug="bench")
    skus: list[list[int]] = []
    for m, (name, products, per_product) in enumerate(((SHOP_A, products_a, 3), (SHOP_B, 2, 2))):
        shop = Merchant.objects.create(
            name=name, slug=f"bench-{m}", origin_province=province, origin_city_code="330100", created_at=clock.now()
        )
        staff = User.objects.create_user(
            username=f"bench-staff-{m}", password=None, role=User.Role.MERCHANT_STAFF, merchant=shop
        )
        shop_skus = []
        for p in range(products):
            product = catalog.create_product(staff, {"title": f"{name} 商品{p + 1}", "category_id": category.pk})
            for s in range(per_product):
                data = {"code": f"B{m}-{p}-{s}", "price_fen": 1990 + 1500 * s + 700 * p, "weight_g": 300 + 100 * s}
                data["spec"] = {"颜色": ("黑", "白", "红")[s % 3]}
                shop_skus.append(catalog.add_sku(staff, product.pk, data, stock=STOCK).pk)
        skus.append(shop_skus)

    def buyer(n: int) -> tuple[Buyer, int]:
        # No password (tokens only): hashing one with PBKDF2 would take longer than the whole seed.
        user = User.objects.create_user(username=f"bench-buyer-{n}", password=None, role=User.Role.BUYER)
        address = accounts.add_address(user, ADDRESS)
        return Buyer(accounts.issue_token(user, "bench"), address.pk), user.pk

    buyers = [buyer(n)[0] for n in range(buyer_count)]
    spare, spare_id = buyer(buyer_count)
    return Seed(skus, buyers, spare, spare_id)


def count_queries(data: Seed, show: bool) -> dict[str, int]:
    """SQL queries of one checkout, in-process: the service and the whole API call, for 1/3/10 lines."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from anxin.accounts.models import User

    buyer = User.objects.get(pk=data.spare_user_id)
    client = Client(headers={"Authorization": f"Bearer {data.spare.token}"})
    shop_a, shop_b = data.skus

    def fill(skus: list[int]) -> None:
        for sku in skus:
            checkouts.add_to_cart(buyer, sku, 1)

    def api_checkout() -> dict:
        response = client.post(
            "/api/checkouts",
            {"address_id": data.spare.address_id},
            content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        if response.status_code != 201:
            raise RuntimeError(f"in-process checkout answered {response.status_code}: {response.content[:500]!r}")
        return response.json()

    counts: dict[str, int] = {}
    fill(shop_a[:1])
    checkouts.place_order(buyer, address_id=data.spare.address_id, idempotency_key="warm-up")  # caches, settings
    for n in QUERY_LINES:
        fill(shop_a[:n])
        with CaptureQueriesContext(connection) as ctx:
            checkouts.place_order(buyer, address_id=data.spare.address_id, idempotency_key=uuid.uuid4().hex)
        counts[f"service {n}"] = len(ctx)
    for n in QUERY_LINES:
        fill(shop_a[:n])
        with CaptureQueriesContext(connection) as ctx:
            checkout = api_checkout()
        counts[f"api {n}"] = len(ctx)
        if show and n == 3:
            print("\nSQL of POST /api/checkouts with 3 lines:")
            for i, query in enumerate(ctx.captured_queries, 1):
                print(f"  {i:2d}. {query['sql'][:300]}")
    fill(shop_a[:2] + shop_b[:2])
    with CaptureQueriesContext(connection) as ctx:
        checkout = api_checkout()
    counts["api 4 lines, 2 merchants"] = len(ctx)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/cart/lines", {"sku_id": shop_a[0], "quantity": 1}, content_type="application/json")
    assert response.status_code == 201, response.content
    counts["api cart add"] = len(ctx)
    api_checkout()  # empty the cart again

    def pay(checkout_id: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as started:
            response = client.post(
                f"/api/checkouts/{checkout_id}/payment", headers={"Idempotency-Key": uuid.uuid4().hex}
            )
        assert response.status_code == 201, response.content
        with CaptureQueriesContext(connection) as approved:
            response = client.post(f"/api/payments/{response.json()['id']}/simulate")
        assert response.status_code == 200 and response.json()["state"] == "succeeded", response.content
        return len(started), len(approved)

    fill(shop_a[:1])
    pay(api_checkout()["id"])  # the first payment of a process also creates/caches the ledger accounts
    counts["api start payment"], counts["api simulate payment"] = pay(checkout["id"])
    return counts


# --- load ------------------------------------------------------------------------------------------------


class Work:
    """A shared countdown: each client takes the next number until there is none."""

    def __init__(self, total: int):
        self.total, self.next, self.lock = total, 0, threading.Lock()

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.total:
                return None
            self.next += 1
            return self.next - 1


@dataclass
class Phase:
    """What one phase of one client measured."""

    checkout: list[float] = field(default_factory=list)
    cart: list[float] = field(default_factory=list)
    start_payment: list[float] = field(default_factory=list)
    simulate: list[float] = field(default_factory=list)
    done: int = 0
    orders: int = 0
    errors: list[str] = field(default_factory=list)
    reconnects: int = 0

    def merge(self, other: "Phase") -> None:
        for name in ("checkout", "cart", "start_payment", "simulate", "errors"):
            getattr(self, name).extend(getattr(other, name))
        self.done += other.done
        self.orders += other.orders
        self.reconnects += other.reconnects


class LoadClient:
    """One buyer's app: a keep-alive connection and its own buyers (so no two clients share a cart)."""

    def __init__(self, index: int, port: int, buyers: list[Buyer], skus: list[list[int]], scenario: str, rng_seed):
        self.index, self.port, self.buyers, self.skus, self.scenario = index, port, buyers, skus, scenario
        self.rng = random.Random(rng_seed)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.turn = 0

    def call(self, phase: Phase, method: str, path: str, body, headers: dict) -> tuple[int, bytes, float]:
        payload = json.dumps(body).encode() if body is not None else b""
        headers = {**headers, "Content-Type": "application/json", "Content-Length": str(len(payload))}
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed a kept-alive connection before reading this request: send it again, once.
                self.conn.close()
                if attempt == 2:
                    raise
                phase.reconnects += 1
                continue
            return response.status, raw, time.perf_counter() - start
        raise AssertionError("unreachable")

    def lines(self) -> list[tuple[int, int]]:
        shop_a, shop_b = self.skus
        if self.scenario == "single":
            picked = self.rng.sample(shop_a, self.rng.randint(1, 3))
        else:
            picked = self.rng.sample(shop_a, self.rng.randint(1, 2)) + self.rng.sample(shop_b, 1)
        return [(sku, self.rng.randint(1, 2)) for sku in picked]

    def own_buyer(self) -> Buyer:
        """The next of this client's own buyers (a cart is only ever used by one client)."""
        buyer = self.buyers[self.turn % len(self.buyers)]
        self.turn += 1
        return buyer

    def fill_cart(self, phase: Phase, buyer: Buyer) -> None:
        auth = {"Authorization": f"Bearer {buyer.token}"}
        for sku, quantity in self.lines():
            body = {"sku_id": sku, "quantity": quantity}
            status, raw, seconds = self.call(phase, "POST", "/api/cart/lines", body, auth)
            if status != 201:
                phase.errors.append(f"POST /api/cart/lines -> {status} {raw[:300]!r}")
            else:
                phase.cart.append(seconds)

    def place(self, phase: Phase, buyer: Buyer, key: str) -> tuple[str, int] | None:
        headers = {"Authorization": f"Bearer {buyer.token}", "Idempotency-Key": key}
        status, raw, seconds = self.call(phase, "POST", "/api/checkouts", {"address_id": buyer.address_id}, headers)
        if status != 201:
            phase.errors.append(f"POST /api/checkouts -> {status} {raw[:300]!r}")
            return None
        placed = json.loads(raw)
        merchants = 1 if self.scenario == "single" else 2
        if len(placed["orders"]) != merchants:
            phase.errors.append(f"checkout {placed['id']} made {len(placed['orders'])} orders, expected {merchants}")
        phase.checkout.append(seconds)
        phase.done += 1
        phase.orders += len(placed["orders"])
        return buyer.token, placed["id"]

    def pay(self, phase: Phase, token: str, checkout_id: int) -> None:
        auth = {"Authorization": f"Bearer {token}"}
        headers = {**auth, "Idempotency-Key": f"pay-{checkout_id}"}
        status, raw, seconds = self.call(phase, "POST", f"/api/checkouts/{checkout_id}/payment", None, headers)
        if status != 201:
            phase.errors.append(f"POST /api/checkouts/{{id}}/payment -> {status} {raw[:300]!r}")
            return
        phase.start_payment.append(seconds)
        payment_id = json.loads(raw)["id"]
        status, raw, seconds = self.call(phase, "POST", f"/api/payments/{payment_id}/simulate", None, auth)
        if status != 200 or json.loads(raw).get("state") != "succeeded":
            phase.errors.append(f"POST /api/payments/{{id}}/simulate -> {status} {raw[:300]!r}")
            return
        phase.simulate.append(seconds)
        phase.done += 1


def run_phase(clients: list[LoadClient], job) -> tuple[Phase, float]:
    """Run `job(client, phase)` on every client at once; returns the merged measurements and the wall time."""
    phases = [Phase() for _ in clients]
    failures: list[BaseException] = []

    def target(client: LoadClient, phase: Phase) -> None:
        try:
            job(client, phase)
        except BaseException as exc:  # a connection that cannot be re-opened: stop this client, report it
            failures.append(exc)
            phase.errors.append(f"client {client.index} stopped: {exc!r}")

    for client in clients:
        client.conn.close()  # a fresh connection per phase: the server drops idle keep-alive connections
    threads = [threading.Thread(target=target, args=pair, daemon=True) for pair in zip(clients, phases, strict=True)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    merged = Phase()
    for phase in phases:
        merged.merge(phase)
    return merged, wall


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


@dataclass
class Outcome:
    server: str
    scenario: str
    checkouts_per_s: float
    orders_per_s: float
    p50: float
    p99: float
    cart_p50: float
    cart_p99: float
    paid_per_s: float | None
    cpu: tuple[float, ...]
    ceiling: float
    errors: int


def measure(args, server: harness.Server, data: Seed, scenario: str, run_id: str) -> Outcome:
    per_client = [data.buyers[i :: args.clients] for i in range(args.clients)]
    clients = [
        LoadClient(i, server.port, per_client[i], data.skus, scenario, f"{args.seed}-{scenario}-{i}")
        for i in range(args.clients)
    ]
    placed: list[tuple[str, int]] = []
    placed_lock = threading.Lock()

    def sequences(count: int, tag: str):
        """Each checkout: fill one of the client's own buyers' cart, then place it (the timed call)."""
        pool = Work(count)

        def job(client: LoadClient, phase: Phase) -> None:
            while (n := pool.take()) is not None:
                buyer = client.own_buyer()
                client.fill_cart(phase, buyer)
                result = client.place(phase, buyer, f"bench-{run_id}-{tag}-{n}")
                if result and tag == "m":
                    with placed_lock:
                        placed.append(result)

        return job

    def fills(first: int, count: int):
        """--prefill: fill the carts of buyers first..first+count-1, one buyer per checkout to come."""
        pool = Work(count)

        def job(client: LoadClient, phase: Phase) -> None:
            while (n := pool.take()) is not None:
                client.fill_cart(phase, data.buyers[first + n])

        return job

    def places(first: int, count: int, tag: str):
        pool = Work(count)

        def job(client: LoadClient, phase: Phase) -> None:
            while (n := pool.take()) is not None:
                result = client.place(phase, data.buyers[first + n], f"bench-{run_id}-{tag}-{n}")
                if result and tag == "m":
                    with placed_lock:
                        placed.append(result)

        return job

    if args.prefill:
        warm_phase, _ = run_phase(clients, fills(0, args.warmup))
        warm_phase.merge(run_phase(clients, places(0, args.warmup, "w"))[0])
        filled, _ = run_phase(clients, fills(args.warmup, args.orders))
        warm_phase.errors += filled.errors
        monitor = harness.CpuMonitor(args.url, server.pgid)
        monitor.start()
        main, wall = run_phase(clients, places(args.warmup, args.orders, "m"))
        split = monitor.stop()
        main.cart = filled.cart
    else:
        warm_phase, _ = run_phase(clients, sequences(args.warmup, "w"))
        monitor = harness.CpuMonitor(args.url, server.pgid)
        monitor.start()
        main, wall = run_phase(clients, sequences(args.orders, "m"))
        split = monitor.stop()
    procs = server.processes()
    threads = max((harness.thread_count(pid) for pid in procs["workers"]), default=0)

    paid_per_s, pay = None, Phase()
    if args.pay and placed:
        queue = Work(len(placed))

        def pay_job(client: LoadClient, phase: Phase) -> None:
            while (n := queue.take()) is not None:
                client.pay(phase, *placed[n])

        pay, pay_wall = run_phase(clients, pay_job)
        paid_per_s = pay.done / pay_wall
    for client in clients:
        client.conn.close()

    done = max(main.done, 1)
    cpu = tuple(1000 * getattr(split, name) / done for name in ("server", "postgres", "client", "other"))
    errors = warm_phase.errors + main.errors + pay.errors
    label = f"{server.label} cma={args.conn_max_age}"
    scenario = f"{scenario} prefilled" if args.prefill else scenario
    if args.products != 4:
        scenario += f", {3 * args.products} SKUs"

    print(f"\n== {label} | scenario {scenario} | {args.clients} clients | {main.done}/{args.orders} checkouts ==")
    print(
        f"  server check: {len(procs['workers'])} gunicorn workers seen (asked {server.workers}), "
        f"worker class {server.worker_class()}, up to {threads} threads in a worker (asked {server.threads} + main)"
    )
    print(f"  checkouts/s      {main.done / wall:8.1f}   ({main.orders / wall:.1f} orders/s, wall {wall:.1f} s)")
    print(
        f"  checkout latency p50 {percentile(main.checkout, 50):6.1f} ms   p90 {percentile(main.checkout, 90):6.1f} ms"
        f"   p99 {percentile(main.checkout, 99):6.1f} ms   max {percentile(main.checkout, 100):6.1f} ms"
    )
    print(
        f"  cart add latency p50 {percentile(main.cart, 50):6.1f} ms   p99 {percentile(main.cart, 99):6.1f} ms"
        f"   ({len(main.cart)} requests, {len(main.cart) / max(main.done, 1):.2f} per checkout)"
    )
    if paid_per_s is not None:
        print(
            f"  paid checkouts/s {paid_per_s:8.1f}   start payment p50/p99 {percentile(pay.start_payment, 50):.1f}/"
            f"{percentile(pay.start_payment, 99):.1f} ms   simulate p50/p99 {percentile(pay.simulate, 50):.1f}/"
            f"{percentile(pay.simulate, 99):.1f} ms"
        )
    print(
        f"  CPU per checkout: server {cpu[0]:.1f} ms, PostgreSQL {cpu[1]:.1f} ms, load generator {cpu[2]:.1f} ms,"
        f" other processes {cpu[3]:.1f} ms; machine {100 * split.busy_share:.0f}% busy during the checkout phase"
    )
    print(f"  PostgreSQL backends of this database, active per sample: {monitor.backend_activity()}")
    ceiling = (os.cpu_count() or 1) * 1000 / max(sum(cpu[:3]), 1e-9)
    print(f"  CPU ceiling: {ceiling:.0f} checkouts/s if server, PostgreSQL and client had all {os.cpu_count()} cores")
    reconnects = warm_phase.reconnects + main.reconnects + pay.reconnects
    print(f"  errors: {len(errors)}   (kept-alive connections re-opened: {reconnects})")
    for message, times in Counter(e[:400] for e in errors).most_common(8):
        print(f"    {times} x {message}")
    return Outcome(
        label,
        scenario,
        main.done / wall,
        main.orders / wall,
        percentile(main.checkout, 50),
        percentile(main.checkout, 99),
        percentile(main.cart, 50),
        percentile(main.cart, 99),
        paid_per_s,
        cpu,
        ceiling,
        len(errors),
    )


# --- main ------------------------------------------------------------------------------------------------


def parse_configs(text: str, default_kind: str) -> list[tuple[str, int, int]]:
    """`3x4,gunicorn:3x4` -> [("serve", 3, 4), ("gunicorn", 3, 4)]: [server kind:]workers x threads."""
    configs = []
    for item in text.split(","):
        kind, _colon, size = item.strip().lower().rpartition(":")
        workers, _x, threads = size.partition("x")
        configs.append((kind or default_kind, int(workers), int(threads)))
    return configs


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (threads), default 16")
    parser.add_argument("--orders", type=int, default=2000, help="measured checkouts, default 2000")
    parser.add_argument("--warmup", type=int, default=160, help="checkouts before measuring, default 160")
    parser.add_argument("--buyers", type=int, default=0, help="buyers (default 4 per client)")
    parser.add_argument(
        "--products", type=int, default=4, help="products of merchant A, 3 SKUs each (default 4: 12 hot SKUs)"
    )
    parser.add_argument("--scenario", default="single", help="single, multi or single,multi (default single)")
    parser.add_argument("--server", choices=["serve", "gunicorn"], default="serve", help="see bench/README.md")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument(
        "--configs",
        default="",
        help="[serve:|gunicorn:]WxT list, e.g. 3x4,4x2,gunicorn:3x4 (overrides --server/--workers/--threads)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="run every configuration this many times")
    parser.add_argument("--conn-max-age", type=int, default=60, help="ANXIN_CONN_MAX_AGE for the server")
    parser.add_argument(
        "--prefill",
        action="store_true",
        help="fill every cart first (one buyer per checkout), then time the checkouts alone",
    )
    parser.add_argument("--no-pay", dest="pay", action="store_false", help="skip the payment phase")
    parser.add_argument("--no-record", dest="record", action="store_false", help="do not append to RESULTS.md")
    parser.add_argument(
        "--db-name", default="anxin_bench", help="the database dropped and created (default anxin_bench)"
    )
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one 3-line API checkout")
    parser.add_argument(
        "--at-commit", metavar="REV", default="", help="measure src/ of this commit (git archive) instead of the tree"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the clients' carts")
    args = parser.parse_args()
    args.buyers = args.buyers or (args.warmup + args.orders if args.prefill else 4 * args.clients)
    if args.prefill and args.buyers < args.warmup + args.orders:
        parser.error("--prefill needs one buyer per checkout: --buyers >= --warmup + --orders")
    args.scenarios = [s.strip() for s in args.scenario.split(",") if s.strip()]
    if not set(args.scenarios) <= {"single", "multi"}:
        parser.error("--scenario takes single, multi or single,multi")
    try:
        args.config_list = (
            parse_configs(args.configs, args.server) if args.configs else [(args.server, args.workers, args.threads)]
        )
    except ValueError:
        parser.error("--configs takes a list like 3x4,4x2,gunicorn:3x4")
    if not all(kind in {"serve", "gunicorn"} for kind, _w, _t in args.config_list):
        parser.error("a configuration's server is serve or gunicorn")
    if args.products < 4:
        parser.error("--products must be at least 4 (the query count uses a 10-line cart)")
    if args.buyers < args.clients:
        parser.error("--buyers must be at least --clients (a cart belongs to one client)")
    return args


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # also when started in the background (SIGINT ignored there)
    url = args.url = harness.bench_database_url(args.db_name)
    claim = harness.claim_database(url)  # held until the end: a second run on the same database must not drop it
    workdir = tempfile.mkdtemp(prefix="anxin-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ANXIN_CONN_MAX_AGE": str(args.conn_max_age),
        "ANXIN_DATA_DIR": os.path.join(workdir, "data"),  # collectstatic goes here, not into the checkout
        "DJANGO_SETTINGS_MODULE": "anxin.settings",
    }
    server: harness.Server | None = None
    total_errors, finished = 0, False
    try:
        commit = harness.git_commit()
        if args.at_commit:
            commit, source = harness.export_source(args.at_commit, Path(workdir) / "tree")
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH", "")]))
            sys.path.insert(0, str(source))
        load = os.getloadavg()[0]
        print(f"machine: {harness.machine(load)}; commit {commit}")
        started = time.perf_counter()
        harness.recreate_database(url)
        pg = harness.postgres_settings(url)
        print(
            f"database: {url} (PostgreSQL {pg.get('server_version')}, "
            + ", ".join(f"{k}={v}" for k, v in pg.items() if k != "server_version")
            + ")"
        )
        harness.run_anxin(["migrate", "--no-input", "-v", "0"], env)
        os.makedirs(os.path.join(env["ANXIN_DATA_DIR"], "static"), exist_ok=True)
        os.environ.update(env)
        import django

        django.setup()
        print(f"code: {Path(django.apps.apps.get_app_config('orders').path).parent}")
        data = seed(args.buyers, args.products)
        counts = count_queries(data, args.show_queries)
        from django.db import connections

        connections.close_all()
        print(f"setup: database, migrations, {args.buyers} buyers seeded in {time.perf_counter() - started:.1f} s")
        print("queries (in-process, CaptureQueriesContext):")
        for name, value in counts.items():
            print(f"  {name:28s} {value:3d}")
        queries = "{}; {}".format(
            "/".join(str(counts[f"service {n}"]) for n in QUERY_LINES),
            "/".join(str(counts[f"api {n}"]) for n in QUERY_LINES),
        )

        run_number = 0
        for _repeat in range(args.repeat):
            for kind, workers, threads in args.config_list:
                for scenario in args.scenarios:
                    run_number += 1
                    log_path = Path(workdir) / f"server-{run_number}-{workers}x{threads}.log"
                    machine = harness.machine(load)  # calibrated again before every run: the host's speed drifts
                    server = harness.Server(kind, workers, threads, env, log_path)
                    server.start("/api/cart", {"Authorization": f"Bearer {data.buyers[0].token}"})
                    run_id = f"{uuid.uuid4().hex[:8]}"
                    outcome = measure(args, server, data, scenario, run_id)
                    server.stop()
                    server = None
                    total_errors += outcome.errors
                    if args.record:
                        harness.append_result(
                            FILE_INTRO,
                            SECTION,
                            SECTION_INTRO,
                            COLUMNS,
                            [
                                harness.utc_now(),
                                commit,
                                f"`{harness.command_line()}`"
                                + (f" (run {run_number})" if args.repeat > 1 or len(args.config_list) > 1 else ""),
                                machine,
                                outcome.server,
                                outcome.scenario,
                                str(args.clients),
                                str(args.orders),
                                f"{outcome.checkouts_per_s:.0f}",
                                f"{outcome.orders_per_s:.0f}",
                                f"{outcome.p50:.0f}",
                                f"{outcome.p99:.0f}",
                                f"{outcome.cart_p50:.0f}/{outcome.cart_p99:.0f}",
                                "-" if outcome.paid_per_s is None else f"{outcome.paid_per_s:.0f}",
                                queries,
                                "/".join(f"{v:.1f}" for v in outcome.cpu),
                                f"{outcome.ceiling:.0f}",
                                str(outcome.errors),
                            ],
                        )
        print("\naudit of the benchmark database (python -m anxin audit):")
        try:
            harness.run_anxin(["audit"], env)
        except subprocess.CalledProcessError:
            print("AUDIT FAILED: an invariant broke under concurrency (see above)")
            total_errors += 1
        if args.record:
            print(f"\nappended to {harness.RESULTS.relative_to(harness.ROOT)}")
        finished = True
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the server")
        total_errors += 1
    finally:
        if server is not None:
            server.stop()
        claim.close()
        if total_errors or not finished:
            print(f"server logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
