"""A supervised child that dies is started again with growing waits; the others keep running; stop ends all."""

import subprocess
import sys
import time

import pytest

from anxin.core import supervise
from anxin.core.supervise import Child, Supervisor, next_backoff

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
DIES = [sys.executable, "-c", "import sys; sys.exit(3)"]


def test_backoff_starts_at_one_second_doubles_to_a_cap_and_resets_after_a_stable_run():
    assert next_backoff(0.0, ran_for_s=0.1) == 1.0
    assert next_backoff(1.0, ran_for_s=0.1) == 2.0
    assert next_backoff(32.0, ran_for_s=0.1) == 60.0
    assert next_backoff(60.0, ran_for_s=0.1) == 60.0
    assert next_backoff(60.0, ran_for_s=supervise.STABLE_AFTER_S) == 1.0


def _wait_for(condition, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_a_dead_child_is_restarted_and_the_healthy_one_is_left_alone(monkeypatch, caplog):
    monkeypatch.setattr(supervise, "FIRST_BACKOFF_S", 0.05)
    web, worker = Child("web", SLEEPER), Child("worker", DIES)
    supervisor = Supervisor([web, worker], poll_s=0.02)
    supervisor.run(install_signals=False, until=lambda: worker.restarts >= 3)

    assert worker.exits[:3] == [3, 3, 3]
    assert worker.backoff_s == pytest.approx(0.2)  # 0.05, 0.1, 0.2: each quick death waits twice as long
    assert web.restarts == 0 and web.exits == []
    assert "worker exited with 3" in caplog.text and "worker started again (restart 3)" in caplog.text
    assert web.process.poll() is not None, "stopping the supervisor stops every child"


def test_killing_a_child_with_sigkill_brings_it_back(monkeypatch):
    monkeypatch.setattr(supervise, "FIRST_BACKOFF_S", 0.05)
    worker = Child("worker", SLEEPER)
    supervisor = Supervisor([worker], poll_s=0.02)
    first: list[subprocess.Popen] = []

    def kill_once_then_wait_for_the_new_process() -> bool:
        if not first:
            first.append(worker.process)
            worker.process.kill()
            return False
        return worker.process is not first[0] and worker.process.poll() is None

    supervisor.run(install_signals=False, until=kill_once_then_wait_for_the_new_process)
    assert worker.exits == [-9] and worker.restarts == 1


def test_stop_terminates_children_that_are_running():
    child = Child("web", SLEEPER)
    supervisor = Supervisor([child], poll_s=0.02)
    supervisor.stop()
    supervisor.run(install_signals=False)
    _wait_for(lambda: child.process.poll() is not None)
    assert child.process.returncode == -15
