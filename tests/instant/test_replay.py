"""The replay harness and `anxin instant mdrp`: files the checker accepts, exact headers, bad input exits 2."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from anxin.instant.dispatch.checker import check_solution
from anxin.instant.dispatch.reader import read_instance
from anxin.instant.dispatch.replay import PolicyError, replay
from anxin.instant.dispatch.snapshot import Assignment, Preposition
from anxin.instant.dispatch.solution import read_solution
from tests.instant.days import ORDERS, small_day, write_day

REAL_INSTANCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mdrp" / "instances" / "0r50t100s1p100"
HEADERS = {
    "solution_info_orders.txt": "order placement_time ready_time pickup_time dropoff_time courier",
    "solution_info_couriers.txt": "courier departure_time origin destination",
    "promises.txt": "order promised_click_to_door issued_at",
}


def run_command(instance: Path, out: Path, *extra: str) -> str:
    stdout = StringIO()
    call_command("instant", "mdrp", str(instance), str(out), *extra, stdout=stdout)
    return stdout.getvalue()


def test_the_command_writes_files_the_checker_accepts_with_the_exact_headers(tmp_path):
    day = write_day(tmp_path / "day")
    summary = run_command(day, tmp_path / "out")
    assert "5/5" in summary
    for file, header in HEADERS.items():
        assert (tmp_path / "out" / file).read_text().splitlines()[0] == header
    text = (tmp_path / "out" / "solution_info_assignments.txt").read_text()
    assert "\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n")
    solution = read_solution(tmp_path / "out")
    assert check_solution(read_instance(day), solution) == []
    assert sorted(row.order for row in solution.orders) == sorted(o[0] for o in ORDERS)
    assert sorted(p.order for p in solution.promises) == sorted(o[0] for o in ORDERS)


def test_fields_are_separated_by_one_space(tmp_path):
    run_command(write_day(tmp_path / "day"), tmp_path / "out")
    for file in HEADERS:
        for line in (tmp_path / "out" / file).read_text().splitlines():
            assert "\t" not in line and "  " not in line and line == line.strip()


def test_decision_rounds_every_five_minutes_still_give_a_feasible_day(tmp_path):
    run_command(write_day(tmp_path / "day"), tmp_path / "out", "--every", "5")
    assignments = read_solution(tmp_path / "out").assignments
    assert assignments and all(a.time % 5 == 0 for a in assignments)


def test_the_policy_never_sees_an_order_before_it_is_placed():
    day = small_day()
    seen = []

    def watching(snapshot):
        seen.extend((snapshot.now, o.placed) for o in snapshot.orders)
        return []

    replay(day, policy=watching)
    assert seen and all(placed <= now for now, placed in seen)


def test_a_policy_that_breaks_a_rule_stops_the_replay():
    with pytest.raises(PolicyError, match="not open"):
        replay(small_day(), policy=lambda snapshot: [Assignment("c1", ("o5",))])


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: (d / "couriers.txt").unlink(), "couriers.txt: file missing"),
        (
            lambda d: (d / "orders.txt").write_text("order x y placement_time restaurant ready_time\no1 1 2 3\n"),
            "orders.txt:2",
        ),
        (lambda d: write_day(d, orders=[("o1", 0, 0, 0, "r9", 5)]), "unknown restaurant r9"),
        (lambda d: (d / "orders.txt").write_text("header\no1 0 0 soon r1 5\n"), "orders.txt:2"),
    ],
    ids=["missing file", "short line", "unknown restaurant", "not a number"],
)
def test_bad_input_gets_a_clear_error_and_exit_code_2(tmp_path, spoil, message):
    day = write_day(tmp_path / "day")
    spoil(day)
    with pytest.raises(CommandError, match=message) as raised:
        run_command(day, tmp_path / "out")
    assert raised.value.returncode == 2
    assert not (tmp_path / "out").exists()


def test_the_anxin_command_exits_2_on_a_missing_instance(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "anxin", "instant", "mdrp", str(tmp_path / "absent"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "is not a directory" in done.stderr


@pytest.mark.skipif(not REAL_INSTANCE.is_dir(), reason="../shared/data/mdrp is not present on this machine")
def test_a_real_grubhub_day_replays_feasibly(tmp_path):
    run_command(REAL_INSTANCE, tmp_path / "out")
    solution = read_solution(tmp_path / "out")
    instance = read_instance(REAL_INSTANCE)
    assert check_solution(instance, solution) == []
    assert len(solution.orders) >= 0.99 * len(instance.orders)


def test_a_prepositioned_courier_picks_up_where_it_waits_and_the_checker_agrees():
    day = small_day()

    def preposition_then_assign(snapshot):
        c1 = {c.id: c for c in snapshot.couriers}.get("c1")
        if snapshot.now == 0:
            return [Preposition("c1", "r1")]
        if c1 and c1.place == "r1" and c1.free_at <= snapshot.now and any(o.id == "o1" for o in snapshot.orders):
            return [Assignment("c1", ("o1",))]
        return []

    solution = replay(day, policy=preposition_then_assign).solution
    assert [(m.origin, m.destination) for m in solution.moves] == [("0", "r1"), ("r1", "o1")]
    assert check_solution(day, solution) == []
