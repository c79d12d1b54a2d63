"""One instance end to end: read, replay, write Grubhub's files, read them back, check and measure them.

The check runs on the files as written, so a formatting slip fails the run just as a routing error does.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from anxin.instant.dispatch.checker import Violation, check_solution
from anxin.instant.dispatch.metrics import Metrics, measure
from anxin.instant.dispatch.reader import read_instance
from anxin.instant.dispatch.replay import replay
from anxin.instant.dispatch.solution import read_solution, write_solution


class InfeasibleSolution(RuntimeError):
    """The replay produced a solution that breaks a feasibility condition: a failed run, never a figure."""

    def __init__(self, name: str, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:5])
        super().__init__(f"{name}: {len(violations)} feasibility violations, e.g. {shown}")


@dataclass(frozen=True)
class Outcome:
    name: str
    metrics: Metrics
    rounds: int
    round_ms_mean: float
    round_ms_max: float
    cpu_seconds: float  # the whole replay of the instance, policy and simulation


def replay_to_files(instance_dir: Path, out_dir: Path, every: int = 1) -> Outcome:
    instance = read_instance(instance_dir)
    started = time.process_time()
    result = replay(instance, every=every)
    cpu_seconds = time.process_time() - started
    write_solution(result.solution, out_dir)
    written = read_solution(out_dir)
    violations = check_solution(instance, written)
    if violations:
        raise InfeasibleSolution(instance.name, violations)
    rounds = result.round_seconds or [0.0]
    return Outcome(
        instance.name,
        measure(instance, written),
        len(result.round_seconds),
        1000 * sum(rounds) / len(rounds),
        1000 * max(rounds),
        cpu_seconds,
    )
