"""Due deadlines per second on PostgreSQL, applied by 1, 2 and 4 worker processes sharing one queue.

The benchmark makes its own database (`anxin_bench_deadlines`, dropped and created), migrates it, adds a
table of cases and `--cases` due deadlines of a bench kind whose handler does what an after-sales default
does at least: one UPDATE of its case and one `events.record`. Then, for each worker count, it re-arms the
same deadlines and starts that many processes (each its own connection, `deadlines.run_due` in a loop until
nothing is due), which wait on a barrier so Django's start-up is not timed. Proof per run: every case closed
once (one event per subject, none twice), no pending deadline left, and the workers' own counts add up.
Reported: cases/s over the wall time, CPU ms per case of the workers and of this database's PostgreSQL
backends (sampled from /proc), and the machine's other load. Appends a row per run to bench/RESULTS.md.

    .venv/bin/python bench/deadlines.py                          # 100,000 cases, 1, 2 and 4 workers
    .venv/bin/python bench/deadlines.py --cases 20000 --workers 2 --batch 200 --no-record
    .venv/bin/python bench/deadlines.py --bulk                   # the handler's bulk form (deadlines.bulk_handler)
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402

KIND = "bench.close_case"
EVENT = "bench.case_closed"


def worker(url: str, batch: int, mode: str, cases: int, bulk: bool, start, results) -> None:
    """One worker process: set Django up, wait for the others, apply due deadlines until none is left (mode
    `queue`), or call the handler on every case directly (`handler`, `savepoint`: see `apply_directly`)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anxin.settings")
    import django

    django.setup()
    from django.db import connection, models

    from anxin.core import deadlines, events

    class BenchCase(models.Model):
        state = models.CharField(max_length=8)
        closed_by = models.IntegerField(null=True)

        class Meta:
            app_label = "core"
            db_table = "bench_case"
            managed = False

    me = os.getpid()

    @deadlines.handler(KIND)
    def close_case(case_id: int) -> None:
        BenchCase.objects.filter(pk=case_id, state="open").update(state="closed", closed_by=me)
        events.record(EVENT, BenchCase(pk=case_id), {"by": "deadline"})

    if bulk:

        @deadlines.bulk_handler(KIND)
        def close_cases(case_ids: list[int]) -> set[int]:
            """The same change to a batch's cases at once, as after-sales applies its defaults that move no money
            (`aftersales.services.apply_quiet_defaults`)."""
            BenchCase.objects.filter(pk__in=case_ids, state="open").update(state="closed", closed_by=me)
            events.record_many(EVENT, [BenchCase(pk=pk) for pk in case_ids], {"by": "deadline"})
            return set()

    connection.ensure_connection()
    start.wait(timeout=120)
    cpu = time.process_time()
    handled = 0
    if mode == "queue":
        while ran := deadlines.run_due(limit=10 * batch, batch=batch):
            handled += ran
    else:
        handled = apply_directly(close_case, cases, batch, savepoints=mode == "savepoint")
    results.put((me, handled, time.process_time() - cpu))
    connection.close()


def apply_directly(handle, cases: int, batch: int, *, savepoints: bool) -> int:
    """The handler alone over every case, `batch` per transaction, with or without a savepoint each: what
    the queue itself costs is the difference from a `queue` run."""
    from django.db import transaction

    for first in range(1, cases + 1, batch):
        with transaction.atomic():
            for case_id in range(first, min(first + batch, cases + 1)):
                if savepoints:
                    with transaction.atomic():
                        handle(case_id)
                else:
                    handle(case_id)
    return cases


def prepare(url: str, cases: int) -> None:
    """The bench table, its cases open again and every deadline pending and due (a run starts the same)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_case (id bigint PRIMARY KEY, state text, closed_by int)")
        conn.execute("TRUNCATE bench_case, core_deadline")
        conn.execute("DELETE FROM core_event WHERE kind = %s", [EVENT])
        conn.execute("INSERT INTO bench_case SELECT g, 'open', NULL FROM generate_series(1, %s) g", [cases])
        conn.execute(
            "INSERT INTO core_deadline (kind, subject_id, due_at, state, attempts, last_error)"
            " SELECT %s, g, now() - interval '1 minute' + g * interval '1 microsecond', 'pending', 0, ''"
            " FROM generate_series(1, %s) g",
            [KIND, cases],
        )
        conn.execute("VACUUM ANALYZE bench_case, core_deadline, core_event")


def proof(url: str, cases: int) -> dict[str, int]:
    """What the database says after a run: how many cases were handled twice, never, and what is left."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:

        def one(sql: str, params: list | None = None) -> int:
            return conn.execute(sql, params or []).fetchone()[0]

        return {
            "subjects with events": one("SELECT count(DISTINCT subject_id) FROM core_event WHERE kind = %s", [EVENT]),
            "twice": one(
                "SELECT count(*) FROM (SELECT subject_id FROM core_event WHERE kind = %s"
                " GROUP BY subject_id HAVING count(*) > 1) AS d",
                [EVENT],
            ),
            "left": one("SELECT count(*) FROM core_deadline WHERE state <> 'done'"),
            "closed": one("SELECT count(*) FROM bench_case WHERE state = 'closed'"),
            "closed by workers": one("SELECT count(DISTINCT closed_by) FROM bench_case"),
            "cases": cases,
        }


def run(url: str, workers: int, args: argparse.Namespace, mode: str = "queue") -> dict:
    prepare(url, args.cases)
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(workers + 1), spawn.Queue()
    task = (url, args.batch, mode, args.cases, args.bulk, start, results)
    procs = [spawn.Process(target=worker, args=task) for _ in range(workers)]
    for proc in procs:
        proc.start()
    start.wait(timeout=120)
    monitor = harness.CpuMonitor(url, server_pgid=None)
    monitor.start()
    began = time.perf_counter()
    per_worker = [results.get(timeout=1800) for _ in procs]
    wall = time.perf_counter() - began
    cpu = monitor.stop()
    for proc in procs:
        proc.join()
    workers_cpu = sum(seconds for _pid, _n, seconds in per_worker)
    return {
        "workers": workers,
        "wall": wall,
        "counts": [n for _pid, n, _s in per_worker],
        "workers_cpu_ms": workers_cpu * 1000 / args.cases,
        "postgres_cpu_ms": cpu.postgres * 1000 / args.cases,
        "other_cpu_s": max(0.0, cpu.other - workers_cpu),
        "proof": proof(url, args.cases),
    }


def verdict(result: dict) -> str:
    proof = result["proof"]
    ok = (
        proof["twice"] == 0
        and proof["left"] == 0
        and proof["subjects with events"] == proof["closed"] == proof["cases"] == sum(result["counts"])
    )
    return "ok" if ok else "FAILED"


def record(result: dict, args: argparse.Namespace, load: float) -> None:
    proof = result["proof"]
    harness.append_result(
        "# Benchmark results\n",
        "deadlines (bench/deadlines.py)",
        "Due deadlines applied on PostgreSQL by worker processes sharing one queue (`deadlines.run_due` in a loop,\n"
        "batches claimed with `FOR UPDATE SKIP LOCKED`); the handler updates its case and records one event.\n"
        "CPU ms per case: the workers' own, and this database's PostgreSQL backends'. twice/left come from the\n"
        "database after the run (events per subject > 1; deadlines not done).",
        [
            "date",
            "commit",
            "command",
            "machine",
            "workers",
            "batch",
            "cases",
            "wall s",
            "cases/s",
            "worker CPU ms/case",
            "PG CPU ms/case",
            "other CPU s",
            "cases per worker",
            "twice",
            "left",
            "proof",
        ],  # fmt: skip
        [
            harness.utc_now(),
            harness.git_commit(),
            f"`{harness.command_line()}`",
            harness.machine(load),
            str(result["workers"]),
            str(args.batch),
            f"{args.cases:,}",
            f"{result['wall']:.1f}",
            f"{args.cases / result['wall']:,.0f}",
            f"{result['workers_cpu_ms']:.3f}",
            f"{result['postgres_cpu_ms']:.3f}",
            f"{result['other_cpu_s']:.1f}",
            "/".join(f"{n:,}" for n in result["counts"]),
            str(proof["twice"]),
            str(proof["left"]),
            verdict(result),
        ],
    )


def breakdown(url: str, args: argparse.Namespace) -> None:
    """Where a case's CPU goes, one worker: the handler alone, plus a savepoint, plus the queue."""
    for mode in ("handler", "savepoint", "queue"):
        result = run(url, 1, args, mode)
        print(
            f"{mode:9s}: {args.cases / result['wall']:,.0f} cases/s; CPU ms/case worker {result['workers_cpu_ms']:.3f},"
            f" PostgreSQL {result['postgres_cpu_ms']:.3f}; other load {result['other_cpu_s']:.1f} CPU s"
        )


def drop_database(url: str) -> None:
    """The scratch database goes once measured: 100,000 cases and their events are no use to anyone."""
    from urllib.parse import urlparse

    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        name = sql.Identifier(parsed.path.lstrip("/"))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="due deadlines per run")
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts, one run each")
    parser.add_argument("--batch", type=int, default=100, help="deadlines per transaction (run_due's batch)")
    parser.add_argument("--db-name", default="anxin_bench_deadlines", help="PostgreSQL database (dropped first)")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="one worker: the handler alone, with a savepoint each, and through the queue; prints, records nothing",
    )
    parser.add_argument(
        "--bulk",
        action="store_true",
        help="the handler also has a bulk form taking each batch's cases at once (after-sales' quiet defaults)",
    )
    parser.add_argument("--no-record", action="store_true", help="print the figures, append nothing to RESULTS.md")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    url = harness.bench_database_url(args.db_name)
    claim = harness.claim_database(url)
    failed = False
    try:
        harness.recreate_database(url)
        with tempfile.TemporaryDirectory(prefix="anxin-bench-deadlines-") as data_dir:
            env = {**os.environ, "DATABASE_URL": url, "ANXIN_DATA_DIR": data_dir}
            env["PYTHONPATH"] = str(harness.ROOT / "src")
            harness.run_anxin(["migrate", "--no-input", "--verbosity", "0"], env)
            os.environ.update({"ANXIN_DATA_DIR": data_dir, "PYTHONPATH": env["PYTHONPATH"]})
            if args.breakdown:
                breakdown(url, args)
                return
            for workers in [int(n) for n in args.workers.split(",")]:
                result = run(url, workers, args)
                outcome = verdict(result)
                failed |= outcome != "ok"
                print(
                    f"{workers} worker(s): {args.cases:,} cases in {result['wall']:.1f} s = "
                    f"{args.cases / result['wall']:,.0f} cases/s; CPU ms/case workers {result['workers_cpu_ms']:.3f}, "
                    f"PostgreSQL {result['postgres_cpu_ms']:.3f}; other load {result['other_cpu_s']:.1f} CPU s; "
                    f"per worker {result['counts']}; {result['proof']}: {outcome}"
                )
                if not args.no_record:
                    record(result, args, load)
    finally:
        drop_database(url)
        claim.close()
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
