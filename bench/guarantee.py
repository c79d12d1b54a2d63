"""The price guarantee on PostgreSQL. Mode `feed`: the price feed's import rate.

`feed` makes its own database (`anxin_bench_guarantee`, dropped and created), migrates it, writes a CSV feed of
`--rows` rows (default 100,000: 6 platforms, one listing per row, about 1 in 50 rows bad in one of five ways)
to a temporary file, and imports it through `guarantee.services.feed.import_offers` in this process, as
`anxin guarantee import-offers FILE` does. Then it imports the same file again (every row known: the upsert
keeps the offers and the captures are ignored). Reported per run: rows/s over the wall time, CPU ms per
1,000 rows of this process and of this database's PostgreSQL backends, and the proof (offers, captures and bad
rows counted in the database). Requirement: 100,000 rows in under a minute.

    .venv/bin/python bench/guarantee.py feed                        # 100,000 rows, appended to RESULTS.md
    .venv/bin/python bench/guarantee.py feed --rows 20000 --no-record
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402

REQUIREMENT_S = 60.0
HOSTS = {
    "jd": "item.jd.com",
    "tmall": "detail.tmall.com",
    "taobao": "item.taobao.com",
    "pdd": "mobile.yangkeduo.com",
    "douyin": "haohuo.jinritemai.com",
    "suning": "product.suning.com",
}
PRICE_TYPES = ("regular", "regular", "regular", "member", "flash", "group_buy")
BAD_EVERY = 50
BAD_CELLS = {"price": "0", "shipping": "-1", "price_type": "coupon", "captured_at": "yesterday", "url": "http://x"}
HEADER = ("platform", "url", "title", "brand", "model", "spec", "price", "shipping", "price_type", "captured_at")


def write_feed(path: Path, rows: int, seed: int = 12) -> int:
    """A CSV feed of `rows` rows; returns how many of them are bad on purpose."""
    chance = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    bad = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for n in range(rows):
            platform = chance.choice(list(HOSTS))
            cells = {
                "platform": platform,
                "url": f"https://{HOSTS[platform]}/item/{n}.html",
                "title": f"品牌{n % 300} 无线耳机 {n % 97} 代 降噪版",
                "brand": f"品牌{n % 300}",
                "model": f"M{n % 997}",
                "spec": chance.choice(("黑色", "白色 128G", "蓝色 256G")),
                "price": f"{chance.randint(990, 899900) / 100:.2f}",
                "shipping": chance.choice(("0", "0", "6.00", "12.50")),
                "price_type": chance.choice(PRICE_TYPES),
                "captured_at": (start + timedelta(seconds=n * 17)).isoformat(),
            }
            if n % BAD_EVERY == BAD_EVERY - 1:
                field = list(BAD_CELLS)[(n // BAD_EVERY) % len(BAD_CELLS)]
                cells[field] = BAD_CELLS[field]
                bad += 1
            out.write(",".join(cells[name] for name in HEADER) + "\n")
    return bad


def import_once(path: Path, url: str) -> dict:
    from anxin.guarantee.services import feed

    monitor = harness.CpuMonitor(url, server_pgid=None)
    monitor.start()
    cpu_before, started = time.process_time(), time.monotonic()
    with path.open("rb") as stream:
        done = feed.import_offers(stream, feed.new_import(path.name))
    wall, cpu = time.monotonic() - started, time.process_time() - cpu_before
    split = monitor.stop()
    return {"import": done, "wall": wall, "cpu_s": cpu, "postgres_cpu_s": split.postgres, "other_cpu_s": split.other}


def proof() -> dict[str, int]:
    from anxin.guarantee.models import Offer, OfferCapture

    return {"offers": Offer.objects.count(), "captures": OfferCapture.objects.count()}


def record(run: str, result: dict, rows: int, counts: dict[str, int], verdict: str, load: float) -> None:
    done = result["import"]
    thousands = rows / 1000
    harness.append_result(
        "# Benchmark results\n",
        "guarantee feed import (bench/guarantee.py feed)",
        "The price feed imported through `guarantee.services.feed.import_offers` in one process on PostgreSQL:\n"
        "a generated CSV (1 row in 50 bad), then the same file again (`again`: every offer known, every capture\n"
        "ignored). CPU ms per 1,000 rows: the importing process's, and this database's PostgreSQL backends'.\n"
        "Requirement: 100,000 rows in under a minute.",
        [
            "date",
            "commit",
            "command",
            "machine",
            "run",
            "rows",
            "wall s",
            "rows/s",
            "CPU ms/1k rows",
            "PG CPU ms/1k rows",
            "other CPU s",
            "good/bad",
            "offers/captures",
            "verdict",
        ],  # fmt: skip
        [
            harness.utc_now(),
            harness.git_commit(),
            f"`{harness.command_line()}`",
            harness.machine(load),
            run,
            f"{rows:,}",
            f"{result['wall']:.1f}",
            f"{rows / result['wall']:,.0f}",
            f"{result['cpu_s'] * 1000 / thousands:.1f}",
            f"{result['postgres_cpu_s'] * 1000 / thousands:.1f}",
            f"{result['other_cpu_s']:.1f}",
            f"{done.rows_good:,}/{done.rows_bad:,}",
            f"{counts['offers']:,}/{counts['captures']:,}",
            verdict,
        ],
    )


def feed_mode(args: argparse.Namespace) -> int:
    load = os.getloadavg()[0]
    url = harness.bench_database_url(args.db_name)
    lock = harness.claim_database(url)
    harness.recreate_database(url)
    env = {**os.environ, "DATABASE_URL": url}
    harness.run_anxin(["migrate", "--verbosity", "0"], env)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anxin.settings")
    import django

    django.setup()
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "offers.csv"
        bad = write_feed(path, args.rows)
        print(f"feed of {args.rows:,} rows ({bad:,} bad), {path.stat().st_size / 1e6:.1f} MB")
        for run in ("first", "again"):
            result = import_once(path, url)
            counts = proof()
            done = result["import"]
            right = (done.rows_good, done.rows_bad) == (args.rows - bad, bad) and counts["captures"] == args.rows - bad
            fast = result["wall"] < REQUIREMENT_S * args.rows / 100_000
            verdict = ("ok" if right else "WRONG COUNTS") + ("" if fast else ", SLOWER THAN REQUIRED")
            failed = failed or not (right and fast)
            print(
                f"{run}: {args.rows / result['wall']:,.0f} rows/s ({result['wall']:.1f} s); CPU ms per 1,000 rows "
                f"{result['cpu_s'] * 1000 / (args.rows / 1000):.1f}, PostgreSQL "
                f"{result['postgres_cpu_s'] * 1000 / (args.rows / 1000):.1f}; good {done.rows_good:,} bad "
                f"{done.rows_bad:,}; offers {counts['offers']:,} captures {counts['captures']:,}: {verdict}"
            )
            if args.record:
                record(run, result, args.rows, counts, verdict, load)
    lock.close()
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    feed = modes.add_parser("feed", help="the price feed's import rate")
    feed.add_argument("--rows", type=int, default=100_000)
    feed.add_argument("--db-name", default="anxin_bench_guarantee")
    feed.add_argument("--no-record", dest="record", action="store_false", help="print only, no RESULTS.md row")
    args = parser.parse_args()
    return feed_mode(args)


if __name__ == "__main__":
    raise SystemExit(main())
