"""The product matcher on the valid splits of the entity-matching benchmarks: quality, speed and memory.

Per dataset: precision, recall and F1 of the yes/no answer (explicit rules included), precision and coverage of
auto-approval, the share left to a person, next to the published test-set F1 (DeepMatcher, Ditto); then the speed
of one `decide(sku, listing)` call at a time on one core (pairs/s, p99 ms, CPU ms per pair) and the peak resident
memory of the process. Valid figures are not test figures: the test splits are held back. Appends one row per
dataset to bench/RESULTS.md.

    .venv/bin/python bench/matcher.py                          # the shipped model, 500 timed pairs per dataset
    .venv/bin/python bench/matcher.py --model /tmp/other.json.gz --way "other features" --timed 200
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402

from anxin.guarantee.matching import evaluation, model  # noqa: E402
from anxin.guarantee.matching.decision import decide  # noqa: E402
from anxin.guarantee.matching.training import datasets, load_split  # noqa: E402

DATA = harness.ROOT / ".." / "shared" / "data" / "entity-matching"
#  Published test-set F1 (x100) from shared/data/README.md: (DeepMatcher, Ditto).
PUBLISHED = {
    "structured-amazon-google": (69.3, 75.58),
    "structured-walmart-amazon": (66.9, 86.76),
    "dirty-walmart-amazon": (46.0, 85.69),
    "textual-abt-buy": (62.8, 89.33),
}
COLUMNS = [
    "date",
    "commit",
    "command",
    "machine",
    "way",
    "dataset (valid)",
    "P",
    "R",
    "F1",
    "DeepMatcher F1 (test)",
    "Ditto F1 (test)",
    "F1 / Ditto",
    "approve P",
    "approve coverage",
    "to a person",
    "pairs/s",
    "p99 ms",
    "CPU ms/pair",
    "peak RSS MB",
]
SECTION_INTRO = """Valid splits of ../shared/data/entity-matching (the test splits are held back, so these are not the
published protocol's figures; the published columns are test-set F1). P/R/F1: the yes/no answer with the explicit
rules applied; approve P/coverage: auto-approval at the threshold chosen on valid (precision >= 0.99), coverage =
share of true matches auto-approved; to a person: share of pairs between the two thresholds. Speed: one
`decide(sku, listing)` at a time (both sides prepared, features, the trees, reasons) on one core, after a warm-up."""


def timed_decisions(pairs: list, matcher: model.MatcherModel) -> tuple[list[float], float]:
    """Wall milliseconds of each decision and the CPU milliseconds of them all."""
    for pair in pairs[:20]:
        decide(pair.left, pair.right, matcher)
    walls = []
    cpu_start = time.process_time()
    for pair in pairs:
        start = time.perf_counter()
        decide(pair.left, pair.right, matcher)
        walls.append((time.perf_counter() - start) * 1000)
    return walls, (time.process_time() - cpu_start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=model.MODEL_FILE)
    parser.add_argument("--way", default="features + LightGBM, one model for all four")
    parser.add_argument("--timed", type=int, default=500, help="pairs per dataset timed one at a time")
    parser.add_argument("--no-append", action="store_true", help="print only, leave bench/RESULTS.md alone")
    args = parser.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    load = os.getloadavg()[0]
    matcher = model.load(args.model)
    rows = []
    for name in datasets(DATA):
        split = load_split(DATA, name, "valid", lambda message: None)
        answers = evaluation.decisions(split.sides, matcher, evaluation.score(split.sides, matcher))
        result = evaluation.evaluate(answers, [pair.label for pair in split.pairs])
        walls, cpu_ms = timed_decisions(split.pairs[: args.timed], matcher)
        deep, ditto = PUBLISHED.get(name, (float("nan"), float("nan")))
        rows.append(
            [
                args.way,
                name,
                f"{result.precision:.3f}",
                f"{result.recall:.3f}",
                f"{result.f1 * 100:.1f}",
                f"{deep}",
                f"{ditto}",
                f"{result.f1 * 100 / ditto:.0%}",
                f"{result.approve_precision:.3f}" if result.approved else "— (none approved)",
                f"{result.approve_coverage:.1%}",
                f"{result.needs_person / result.pairs:.1%}",
                f"{len(walls) / (sum(walls) / 1000):.0f}",
                f"{statistics.quantiles(walls, n=100)[98]:.2f}",
                f"{cpu_ms / len(walls):.2f}",
                "",
            ]
        )
        print(" | ".join(rows[-1]), flush=True)
    peak = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
    stamp = [harness.utc_now(), harness.git_commit(), f"`{harness.command_line()}`", harness.machine(load)]
    print(f"peak RSS {peak} MB")
    if args.no_append:
        return
    for row in rows:
        row[-1] = peak
        harness.append_result("# Benchmark results", "matcher (bench/matcher.py)", SECTION_INTRO, COLUMNS, stamp + row)


if __name__ == "__main__":
    main()
