"""The courier dispatcher on Grubhub's MDRP instances: replay each day, check each solution, report the means.

Every instance folder under ../shared/data/mdrp/instances is replayed minute by minute through the policy
(`anxin.instant.dispatch`), its three solution files written and read back, checked against the eight
feasibility conditions (an infeasible solution fails the whole run) and measured. Prints the means over
instances, overall and by family (order sampling o100/o50/r50, schedule s1/s2, travel t75/t100, preparation
p100/p125), beside the published reference rows, and appends them to bench/RESULTS.md.

    nice -n 15 .venv/bin/python bench/mdrp.py --jobs 2               # all 144 instances
    nice -n 15 .venv/bin/python bench/mdrp.py --jobs 2 --sample 24   # one instance of each family
"""

import argparse
import math
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402

from anxin.instant.dispatch.run import InfeasibleSolution, Outcome, replay_to_files  # noqa: E402

DATA = harness.ROOT.parent / "shared" / "data" / "mdrp" / "instances"
NAME = re.compile(r"^(?P<seed>\d+)(?P<size>o100|o50|r50)(?P<speed>t\d+)(?P<schedule>s\d)(?P<prep>p\d+)$")
GROUPS = ("size", "schedule", "speed", "prep")
FIGURES = {
    "undelivered_pct": "% undelivered",
    "click_to_door_mean": "click-to-door mean",
    "click_to_door_p90": "p90",
    "over_target_pct": "% over 40 min",
    "ready_to_pickup_mean": "ready-to-pickup",
    "ready_to_door_mean": "ready-to-door",
    "utilisation": "utilisation",
    "pay_per_order": "pay per order ($)",
    "orders_per_bundle": "orders per bundle",
    "promises_kept": "promises kept",
    "promise_mae": "promise MAE (min)",
}
REFERENCE = """Reference rows (means over these 144 instances, ../shared/data/README.md): rolling horizon (Reyes et al.)
34.26 / p90 49.89 / 28.2% over 40 / ready-to-pickup 3.34 / 0.55% undelivered / $11.38 per order; FoodMatch 32.78 /
47.50 / 22.0% / 1.93 / 0.54% / $11.08; greedy nearest courier 37.72 / 55.23 / 34.6% / 5.99 / 0.80% / $11.04.
Every solution passed our checker of the eight conditions. Round ms is the policy's CPU time per decision round
(mean over all rounds; max over all rounds); instance s is the CPU time of one whole replay."""


def stratified_sample(names: list[str], n: int) -> list[str]:
    """n instances spread over the 24 families, turning through the seed days so no day dominates.

    The families are visited with a stride coprime to their number, so even a few picks mix every dimension.
    """
    families: dict[str, list[str]] = {}
    for name in sorted(names):
        families.setdefault(name.lstrip("0123456789"), []).append(name)
    ordered = sorted(families.values())
    stride = next(s for s in (5, 7, 11, 1) if math.gcd(s, len(ordered)) == 1)
    visit = [ordered[(k * stride) % len(ordered)] for k in range(len(ordered))]
    picks = [
        members[(k + turn) % len(members)]
        for turn in range(max(len(members) for members in ordered))
        for k, members in enumerate(visit)
    ]
    return list(dict.fromkeys(picks))[:n]


def run_one(name: str, every: int) -> tuple[Outcome, float]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as out:
        outcome = replay_to_files(DATA / name, Path(out), every)
    return outcome, time.monotonic() - started


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    means = {key: statistics.mean(getattr(o.metrics, key) for o in outcomes) for key in FIGURES}
    means["round_ms_mean"] = sum(o.round_ms_mean * o.rounds for o in outcomes) / max(1, sum(o.rounds for o in outcomes))
    means["round_ms_max"] = max(o.round_ms_max for o in outcomes)
    means["instance_s"] = statistics.mean(o.cpu_seconds for o in outcomes)
    return means


def row_cells(label: str, count: int, means: dict[str, float]) -> list[str]:
    cells = [label, str(count)]
    for key in FIGURES:
        value = means[key]
        cells.append(f"{100 * value:.1f}%" if key in ("utilisation", "promises_kept") else f"{value:.2f}")
    return cells + [f"{means['round_ms_mean']:.1f}", f"{means['round_ms_max']:.0f}", f"{means['instance_s']:.1f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="instances replayed at once")
    parser.add_argument("--sample", type=int, help="only this many instances, stratified across the families")
    parser.add_argument("--every", type=int, default=1, help="minutes between decision rounds")
    parser.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"no MDRP instances at {DATA}")
    names = sorted(p.name for p in DATA.iterdir() if NAME.match(p.name))
    if args.sample:
        names = stratified_sample(names, args.sample)
    load = os.getloadavg()[0]
    outcomes: list[Outcome] = []
    failures = []
    wall_started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_one, name, args.every): name for name in names}
        for done, future in enumerate(as_completed(futures), start=1):
            try:
                outcome, wall = future.result()
            except InfeasibleSolution as exc:
                failures.append(str(exc))
                print(f"[{done}/{len(names)}] INFEASIBLE {exc}", flush=True)
                continue
            outcomes.append(outcome)
            m = outcome.metrics
            print(
                f"[{done}/{len(names)}] {outcome.name}: c2d {m.click_to_door_mean:.2f} p90 {m.click_to_door_p90:.1f}"
                f" undelivered {m.undelivered_pct:.2f}% kept {100 * m.promises_kept:.1f}% mae {m.promise_mae:.2f}"
                f" round max {outcome.round_ms_max:.0f} ms, {wall:.1f} s",
                flush=True,
            )
    if failures:
        raise SystemExit(f"{len(failures)} infeasible solutions: the run failed")
    wall = time.monotonic() - wall_started
    rows = [row_cells("all", len(outcomes), summarise(outcomes))]
    for group in GROUPS:
        for value in sorted({NAME.match(o.name)[group] for o in outcomes}):  # type: ignore[index]
            members = [o for o in outcomes if NAME.match(o.name)[group] == value]  # type: ignore[index]
            rows.append(row_cells(value, len(members), summarise(members)))
    columns = ["instances", "n", *FIGURES.values(), "round ms mean", "round ms max", "instance CPU s"]
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(row))
    print(f"{len(outcomes)} instances in {wall:.0f} s wall with {args.jobs} jobs")
    if not args.no_append:
        stamp = [harness.utc_now(), harness.git_commit(), f"`{harness.command_line()}`", harness.machine(load)]
        for row in rows:
            harness.append_result(
                "# Benchmark results\n",
                "mdrp (bench/mdrp.py)",
                REFERENCE,
                ["date", "commit", "command", "machine", *columns],
                [*stamp, *row],
            )


if __name__ == "__main__":
    main()
