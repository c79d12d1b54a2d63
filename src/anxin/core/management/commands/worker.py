"""`anxin worker`: apply due deadlines until stopped. Any number may run against one PostgreSQL."""

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from anxin.core import audit, deadlines


class Command(BaseCommand):
    help = "Apply due deadlines (unpaid expiry, auto-complete, ...) until stopped; --once for one pass."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="apply what is due now, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds to sleep when nothing is due")
        parser.add_argument("--batch", type=int, default=200, help="deadlines per pass, committed in batches")

    def handle(self, *args: Any, once: bool, interval: float, batch: int, **options: Any) -> None:
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        total = 0
        audit.arm()  # the ops console shows the audit this worker runs every few minutes
        self.stdout.write(f"worker: handlers for {', '.join(deadlines.registered_kinds())}")
        while not self._stopping:
            if not connection.in_atomic_block:  # a caller's transaction (a test) is not ours to close
                close_old_connections()
            handled = deadlines.run_due(limit=batch)
            total += handled
            if handled:
                self.stdout.write(f"worker: applied {handled} deadline(s), {total} in all")
            if once:
                break
            if handled < batch:
                time.sleep(interval)
        self.stdout.write(self.style.SUCCESS(f"worker: stopped after applying {total} deadline(s)"))

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
