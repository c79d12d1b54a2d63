"""Shipping quotes per second, in-process on one core: a 5-line merchant order over 3 shipping templates.

This is the pure `anxin.logistics.rules.quote` that the checkout, the cart and the product page all call
once the templates are loaded, so it bounds how much shipping costs a checkout. Three destinations are
timed: an ordinary province, one where a free-shipping rule applies, and a remote one priced through the
hub (with the leg-2 cost). Appends a row to bench/RESULTS.md.

    .venv/bin/python bench/quote.py                 # 3 rounds of 2 s per destination
    .venv/bin/python bench/quote.py --seconds 5
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import harness  # noqa: E402
from anxin.logistics import rules  # noqa: E402

PROGRAM = rules.RemoteProgram(hubs={p: "61" for p in ("65", "54", "63", "62", "64", "15")})
FAR = rules.RegionFee(frozenset({"46", "23"}), 1500, 500)
REMOTE = rules.RegionFee(frozenset({"65", "54"}), 2000, 800)
OVER_99 = rules.FreeCondition(frozenset(), rules.SUBTOTAL, 9900)
THREE_PIECES_NEARBY = rules.FreeCondition(frozenset({"33", "31", "32"}), rules.PIECES, 3)
EVERYWHERE = rules.FreeCondition(frozenset(), rules.ALWAYS)
TEMPLATES = {
    1: rules.Template(1, rules.WEIGHT, 1000, 800, 1000, 300, (FAR, REMOTE), (OVER_99,), frozenset({"54"})),
    2: rules.Template(2, rules.PIECE, 1, 600, 1, 200, free=(THREE_PIECES_NEARBY,)),
    3: rules.Template(3, rules.WEIGHT, 500, 0, 500, 0, free=(EVERYWHERE,)),
}
LINES = [
    rules.Line(1, 1, 3900, 1200, True, 1, "电饭煲"),
    rules.Line(1, 2, 1500, 300, True, 2, "保温杯"),
    rules.Line(2, 1, 8900, 200, True, 3, "口红"),
    rules.Line(2, 1, 12900, 150, True, 4, "香水"),
    rules.Line(3, 3, 2900, 2500, True, 5, "赣南脐橙"),
]
DESTINATIONS = {"ordinary (440000)": "440000", "free by pieces (330000)": "330000", "remote via hub (650000)": "650000"}


def quotes_per_second(destination: str, seconds: float) -> float:
    """Quotes in `seconds` of one core's time (process time, so the other core's load matters less)."""
    count, start = 0, time.process_time()
    deadline = start + seconds
    while time.process_time() < deadline:
        for _ in range(200):
            rules.quote(LINES, TEMPLATES, destination, PROGRAM)
        count += 200
    return count / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per round and destination")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is reported")
    args = parser.parse_args()
    load = harness.os.getloadavg()[0]
    results = {}
    for label, destination in DESTINATIONS.items():
        results[label] = max(quotes_per_second(destination, args.seconds) for _ in range(args.rounds))
        print(f"{label:28s} {results[label]:>10,.0f} quotes/s")
    worst = min(results.values())
    print(f"slowest destination: {worst:,.0f} quotes/s on one core (aim: at least 20,000)")
    harness.append_result(
        "# Benchmark results\n",
        "quote (bench/quote.py)",
        "Pure shipping quotes, in-process on one core (process time): a 5-line merchant order over 3 templates\n"
        "(weight with region fees, excluded province and subtotal rule; pieces with a piece rule; 包邮).\n"
        "Best of the rounds per destination.",
        ["date", "commit", "command", "machine", "ordinary quotes/s", "free-by-pieces quotes/s", "remote quotes/s"],
        [
            harness.utc_now(),
            harness.git_commit(),
            f"`{harness.command_line()}`",
            harness.machine(load),
            *(f"{value:,.0f}" for value in results.values()),
        ],
    )


if __name__ == "__main__":
    main()
