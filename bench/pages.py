"""Server time of every page of the demo, as each role sees it: the slowest must stay under 100 ms warm.

Builds the demo in a throw-away data folder (SQLite, or the PostgreSQL of `DATABASE_URL`'s server in a
database of its own), signs in as each demo login (buyer, seller, ops, carrier, courier) and as nobody, finds
every page of the `web` namespace, fills each route with a demo object that role may see (its own order, its
shop's product ...), and fetches each page that answers 200 for the role: once to warm it, then `--repeat`
times. Prints the median server time and the queries of each page, slowest first, and appends a row to
bench/RESULTS.md. The time is Django's whole handling of the request in-process (middleware, view,
template, SQLite), which is what a gunicorn worker spends on it; it is measured as this process's CPU time,
since on a shared machine the wall time mostly measures the other processes (both are printed).

    .venv/bin/python bench/pages.py                     # demo at --scale 0.2, 5 timed fetches a page
    .venv/bin/python bench/pages.py --reuse /tmp/demo   # a data folder where the demo was built before
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402

BUDGET_MS = 100.0
SKIPPED = {"web:logout"}  # signing out would end the role's session mid-run


@dataclass
class Timing:
    role: str
    name: str
    url: str
    median_ms: float  # CPU time of this process: what the page costs a worker, whatever else the machine runs
    wall_ms: float
    queries: int


def _setup(data_dir: Path, scale: str, *, build: bool) -> None:
    os.environ["ANXIN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anxin.settings")
    if urlparse(os.environ.get("DATABASE_URL", "")).scheme in {"postgres", "postgresql"}:
        url = harness.bench_database_url("anxin_bench_pages")
        if build:
            harness.recreate_database(url)
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'anxin.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    if build:
        call_command("migrate", verbosity=0)
        call_command("demo", "--scale", scale)


def web_routes() -> list[tuple[str, str]]:
    """Every (name, route) of the `web` namespace."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix: str, namespace: str):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace == "web:":
                yield namespace + entry.name, route

    return sorted(walk(get_resolver(), "", ""))


def ids_for(user) -> dict[str, int]:
    """Route ids of demo objects `user` may see (None: an anonymous visitor): its own where the role owns some."""
    from anxin.accounts.models import Address
    from anxin.catalog.models import SKU, Product
    from anxin.checkout.models import CartLine
    from anxin.fulfilment.models import Scan, Shipment
    from anxin.orders.models import Order
    from anxin.shipping.models import ShippingTemplate

    role = getattr(user, "role", "")
    orders = Order.objects.order_by("-pk")
    products = Product.objects.filter(is_active=True).order_by("pk")
    scans = Scan.objects.exclude(flag="").order_by("-pk")
    ids = {"product_id": products.values_list("pk", flat=True).first()}
    if role == "buyer":
        orders = orders.filter(buyer=user)
        ids["address_id"] = Address.objects.filter(user=user).values_list("pk", flat=True).first()
        ids["line_id"] = CartLine.objects.filter(cart__buyer=user).values_list("pk", flat=True).first()
        ids["payment_id"] = (
            orders.filter(state="pending_payment").values_list("checkout__payment_id", flat=True).first()
        )
    elif role == "merchant_staff":
        orders = orders.filter(merchant_id=user.merchant_id)
        products = products.filter(merchant_id=user.merchant_id)
        ids["product_id"] = products.values_list("pk", flat=True).first()
        ids["sku_id"] = SKU.objects.filter(product__in=products).values_list("pk", flat=True).first()
        ids["template_id"] = (
            ShippingTemplate.objects.filter(merchant_id=user.merchant_id).values_list("pk", flat=True).first()
        )
    elif role == "carrier":
        scans = scans.filter(company_id=user.carrier_staff.company_id)
    elif role == "courier":
        orders = orders.filter(pk__in=Shipment.objects.filter(courier=user).values("order_id"))
    ids["order_id"] = orders.values_list("pk", flat=True).first()
    ids["scan_id"] = scans.values_list("pk", flat=True).first()
    return {name: value for name, value in ids.items() if value is not None}


def fill(route: str, ids: dict[str, int]) -> str | None:
    for name, value in ids.items():
        route = route.replace(f"<int:{name}>", str(value))
    return None if "<" in route else "/" + route


def time_pages(role: str, client, ids: dict[str, int], repeat: int) -> list[Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for name, route in web_routes():
        url = fill(route, ids)
        if url is None or name in SKIPPED or client.get(url).status_code != 200:  # not this role's page
            continue
        cpu, wall = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                cpu.append((time.process_time() - start_cpu) * 1000)
                wall.append((time.perf_counter() - start) * 1000)
        timings.append(Timing(role, name, url, statistics.median(cpu), statistics.median(wall), len(queries)))
    return timings


def clients():
    """(role, signed-in test client, user) for each demo login, and an anonymous visitor."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from anxin.simulate import data

    yield "anonymous", Client(), None
    for username, password in (
        data.BUYER_LOGIN,
        data.SELLER_LOGIN,
        data.OPS_LOGIN,
        data.CARRIER_LOGIN,
        data.COURIER_LOGIN,
    ):
        client = Client()
        assert client.login(username=username, password=password), username
        yield username, client, get_user_model().objects.get(username=username)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="0.2", help="the demo's scale (anxin demo --scale)")
    parser.add_argument("--repeat", type=int, default=5, help="timed fetches of each page after the warm one")
    parser.add_argument("--reuse", type=Path, help="a data folder with the demo already built (not rebuilt)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="anxin-bench-pages-") as scratch:
        _setup(args.reuse or Path(scratch), args.scale, build=args.reuse is None)
        timings = [t for role, client, user in clients() for t in time_pages(role, client, ids_for(user), args.repeat)]
    timings.sort(key=lambda t: t.median_ms, reverse=True)
    print("     cpu       wall  queries role      page")
    for t in timings:
        flag = "  over budget" if t.median_ms > BUDGET_MS else ""
        print(f"{t.median_ms:8.1f} ms {t.wall_ms:8.1f} ms {t.queries:4d} q  {t.role:9s} {t.name:28s} {t.url}{flag}")
    slowest = timings[0]
    over = [t for t in timings if t.median_ms > BUDGET_MS]
    print(
        f"{len(timings)} pages; slowest {slowest.name} as {slowest.role}: {slowest.median_ms:.1f} ms "
        f"({slowest.queries} queries); {len(over)} over {BUDGET_MS:.0f} ms"
    )
    harness.append_result(
        "# Benchmark results\n",
        "pages (bench/pages.py)",
        "Server time of every page of the demo as each role (in-process Django test client, warm: median CPU time\n"
        "of the timed fetches after one warm-up), on SQLite unless DATABASE_URL names a PostgreSQL server (then\n"
        "the database's own time is not in the CPU time). Budget: 100 ms.",
        [
            "date",
            "commit",
            "command",
            "machine",
            "pages",
            "median page ms",
            "slowest page",
            "slowest ms",
            "over 100 ms",
        ],
        [
            harness.utc_now(),
            harness.git_commit(),
            f"`{harness.command_line()}`",
            harness.machine(load),
            str(len(timings)),
            f"{statistics.median(t.median_ms for t in timings):.1f}",
            f"{slowest.name} ({slowest.role})",
            f"{slowest.median_ms:.1f}",
            ", ".join(f"{t.name} ({t.role}) {t.median_ms:.0f}" for t in over) or "none",
        ],
    )


if __name__ == "__main__":
    main()
