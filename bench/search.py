"""Storefront searches per second on the demo catalogue, in-process, on SQLite and on PostgreSQL.

Each backend gets a fresh demo (`anxin demo --scale S` in a temporary data directory for SQLite, in its own
database `anxin_bench_search` for PostgreSQL), then a fixed mix of searches runs the way the storefront page
runs them: the first page of products in the order asked for, their number, and the counts beside the
filters. Reported per backend: searches/s, p50/p99 wall milliseconds and this process's CPU milliseconds per
search (PostgreSQL's own CPU is in its server processes, not in that figure). Appends a row per backend to
bench/RESULTS.md.

    .venv/bin/python bench/search.py                           # both backends, the full demo, 3 rounds of the mix
    .venv/bin/python bench/search.py --backends sqlite --rounds 10
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402

PAGE = 24
# (label, query string as the page gets it): words that find a title, a description, a shop or nothing,
# every sort, and every filter alone and together.
MIX: list[tuple[str, dict[str, str]]] = [
    ("球鞋", {"q": "球鞋"}),
    ("定制", {"q": "定制"}),
    ("足球鞋 by sales", {"q": "足球鞋", "sort": "sales"}),
    ("香水 personalizable", {"q": "香水", "custom": "1"}),
    ("口红 price up", {"q": "口红", "sort": "price_up"}),
    ("水果 包邮 to Xinjiang", {"q": "水果", "free": "1", "to": "650000"}),
    ("茶 ¥50-300", {"q": "茶", "min": "50", "max": "300"}),
    ("english words", {"q": "football boots"}),
    ("no match", {"q": "火箭发动机"}),
    ("all by newest", {}),
    ("all by sales", {"sort": "sales"}),
    ("all price down", {"sort": "price_down"}),
    ("all 包邮 to Zhejiang", {"free": "1", "to": "330000"}),
    ("brand 绿茵", {"brand": "绿茵"}),
    ("shop, personalizable", {"shop": "lvyin-boots", "custom": "1"}),
    ("鞋 page 2", {"q": "鞋", "page": "2"}),
]


def child(args: argparse.Namespace) -> None:
    """Build the demo and time the mix in this process (run once per backend, with its DATABASE_URL set)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anxin.settings")
    django.setup()
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anxin.catalog import search
    from anxin.catalog.models import Product
    from anxin.checkout.pages.forms import SearchForm
    from anxin.core.pages import page_number
    from anxin.shipping import queries as shipping

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("demo", scale=args.scale, verbosity=0)
    build_s = time.perf_counter() - started

    def one(params: dict[str, str]) -> int:
        form = SearchForm(params)
        asked, _notes = form.asked()
        province = form.cleaned_data.get("to") or ""
        ships_free = shipping.free_shipping_products(province) if province else None
        page = Paginator(search.results(asked, ships_free=ships_free), PAGE).get_page(page_number(params.get("page")))
        list(page.object_list)
        search.counts(asked, ships_free=ships_free)
        return page.paginator.count

    found = {label: one(params) for label, params in MIX}  # warm-up, and what each search finds
    with CaptureQueriesContext(connection) as queries:
        for _label, params in MIX:
            one(params)
    walls, cpus = [], []
    for _ in range(args.rounds):
        for _label, params in MIX:
            wall, cpu = time.perf_counter(), time.process_time()
            one(params)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    print(
        json.dumps(
            {
                "products": Product.objects.count(),
                "build_s": build_s,
                "searches": len(walls),
                "per_s": len(walls) / (sum(walls) / 1000),
                "p50_ms": statistics.median(walls),
                "p99_ms": walls[min(len(walls) - 1, int(len(walls) * 0.99))],
                "cpu_ms": statistics.mean(cpus),
                "queries_per_search": len(queries) / len(MIX),
                "found": found,
            }
        )
    )


def run_backend(backend: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="anxin-bench-search-") as data_dir:
        env = {**os.environ, "ANXIN_DATA_DIR": data_dir, "PYTHONPATH": str(harness.ROOT / "src")}
        if backend == "postgres":
            url = harness.bench_database_url(args.db_name)
            claim = harness.claim_database(url)
            harness.recreate_database(url)
            env["DATABASE_URL"] = url
        else:
            claim = None
            env["DATABASE_URL"] = f"sqlite:///{data_dir}/anxin.sqlite3"
        try:
            command = [sys.executable, __file__, "--child", "--scale", str(args.scale), "--rounds", str(args.rounds)]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        finally:
            if claim is not None:
                claim.close()
    if done.returncode != 0:
        raise SystemExit(f"{backend}: the benchmark failed\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--scale", type=float, default=1.0, help="the demo's scale (1: the demo `make run` builds)")
    parser.add_argument("--rounds", type=int, default=3, help="how many times the mix runs after a warm-up")
    parser.add_argument("--db-name", default="anxin_bench_search", help="PostgreSQL database (dropped first)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    load = os.getloadavg()[0]
    for backend in args.backends.split(","):
        result = run_backend(backend.strip(), args)
        print(
            f"{backend:9s} {result['products']} products (demo built in {result['build_s']:.0f} s): "
            f"{result['per_s']:.1f} searches/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
            f"{result['cpu_ms']:.1f} CPU ms/search, {result['queries_per_search']:.1f} queries/search"
        )
        for label, count in result["found"].items():
            print(f"    {label:28s} {count:>6} found")
        harness.append_result(
            "# Benchmark results\n",
            "search (bench/search.py)",
            "Storefront searches in-process on the demo catalogue, as the page runs them (first page, count and the\n"
            "filters' counts), a fixed mix of 16 searches (words, every sort and filter); after one warm-up mix.\n"
            "CPU ms is this process's; PostgreSQL's server CPU is not in it.",
            [
                "date",
                "commit",
                "command",
                "machine",
                "backend",
                "products",
                "searches",
                "searches/s",
                "p50 ms",
                "p99 ms",
                "CPU ms/search",
                "queries/search",
            ],  # fmt: skip
            [
                harness.utc_now(),
                harness.git_commit(),
                f"`{harness.command_line()}`",
                harness.machine(load),
                backend,
                str(result["products"]),
                str(result["searches"]),
                f"{result['per_s']:.1f}",
                f"{result['p50_ms']:.1f}",
                f"{result['p99_ms']:.1f}",
                f"{result['cpu_ms']:.1f}",
                f"{result['queries_per_search']:.1f}",
            ],
        )


if __name__ == "__main__":
    main()
