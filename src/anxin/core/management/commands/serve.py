"""`anxin serve`: gunicorn for the web tier plus one worker, stopped together."""

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web app with gunicorn and run the deadline worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ANXIN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("ANXIN_WEB_WORKERS", "3")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ANXIN_WEB_THREADS", "4")))
        parser.add_argument("--no-worker", action="store_true", help="serve the web tier only")

    def handle(self, *args: Any, bind: str, workers: int, threads: int, no_worker: bool, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        web = [
            sys.executable, "-m", "gunicorn", "anxin.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--graceful-timeout", "10",
        ]  # fmt: skip
        processes = {"gunicorn": subprocess.Popen(web)}
        if not no_worker:
            processes["worker"] = subprocess.Popen([sys.executable, "-m", "anxin", "worker"])
        children = list(processes.values())
        self.stdout.write(self.style.SUCCESS(f"Anxin is serving at http://{bind}/ (database: {_db_label()})"))
        stop = {"now": False}

        def _request_stop(signum: int, frame: FrameType | None) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, _request_stop)
        signal.signal(signal.SIGINT, _request_stop)
        try:
            while not stop["now"] and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [name for name, child in processes.items() if child.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stop["now"]:
            raise SystemExit(f"stopped because a process exited: {failed}")


def _db_label() -> str:
    db = settings.DATABASES["default"]
    return db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"PostgreSQL {db['HOST']}/{db['NAME']}"
