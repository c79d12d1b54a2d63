"""Keep the platform's processes running: a child that dies is started again, with backoff, and logged.

`anxin serve` runs gunicorn and the deadline worker side by side. Stopping the site because one of them died
(a worker killed by the OOM killer, a gunicorn master that lost its socket) turns one fault into an outage, so
the supervisor restarts the child that exited and leaves the others alone. A child that keeps dying is restarted
ever more slowly (1 s, 2 s, 4 s ... up to a minute); one that stayed up for a while starts from 1 s again.
"""

import logging
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger("anxin.supervise")

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 60.0
STABLE_AFTER_S = 60.0
STOP_TIMEOUT_S = 15.0


@dataclass
class Child:
    """One supervised process: its name in the logs, its command line, and what the supervisor knows of it."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff_s: float = 0.0
    restart_at: float | None = None
    exits: list[int] = field(default_factory=list)


def next_backoff(current_s: float, ran_for_s: float) -> float:
    """The wait before the next start: 1 s at the first exit or after a stable run, else doubled up to the cap."""
    if not current_s or ran_for_s >= STABLE_AFTER_S:
        return FIRST_BACKOFF_S
    return min(current_s * 2, MAX_BACKOFF_S)


class Supervisor:
    """Starts children, restarts each one that exits, and stops them all on SIGTERM/SIGINT or `stop()`."""

    def __init__(self, children: Sequence[Child], *, poll_s: float = 0.5, spawn: Callable = subprocess.Popen):
        self.children = list(children)
        self.poll_s = poll_s
        self._spawn = spawn
        self._stopping = False

    def stop(self, *_signal_args: object) -> None:
        self._stopping = True

    def run(self, *, install_signals: bool = True, until: Callable[[], bool] = lambda: False) -> None:
        """Supervise until asked to stop (or `until()` is true, for tests), then stop every child."""
        if install_signals:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        for child in self.children:
            self._start(child)
        try:
            while not self._stopping and not until():
                self.check_once()
                time.sleep(self.poll_s)
        finally:
            self._stop_all()

    def check_once(self) -> None:
        """One look at every child: note the ones that exited, start the ones whose backoff has passed."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restart_at = None
                    child.restarts += 1
                    self._start(child)
                continue
            if child.process is not None and child.process.poll() is not None:
                self._schedule_restart(child, now)

    def _start(self, child: Child) -> None:
        child.process = self._spawn(list(child.argv))
        child.started_at = time.monotonic()
        if child.restarts:
            log.warning("%s started again (restart %d)", child.name, child.restarts)

    def _schedule_restart(self, child: Child, now: float) -> None:
        assert child.process is not None
        code = child.process.returncode
        child.exits.append(code)
        ran_for = now - child.started_at
        child.backoff_s = next_backoff(child.backoff_s, ran_for)
        child.restart_at = now + child.backoff_s
        log.error("%s exited with %s after %.1f s; restart in %g s", child.name, code, ran_for, child.backoff_s)

    def _stop_all(self) -> None:
        running = [c.process for c in self.children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
