"""`anxin serve`: gunicorn for the web tier plus one worker, each restarted if it dies, stopped together."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from anxin.core.supervise import Child, Supervisor


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
        children = [Child("web", web)]
        if not no_worker:
            children.append(Child("worker", [sys.executable, "-m", "anxin", "worker"]))
        self.stdout.write(self.style.SUCCESS(f"Anxin is serving at http://{bind}/ (database: {_db_label()})"))
        Supervisor(children).run()


def _db_label() -> str:
    db = settings.DATABASES["default"]
    return db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"PostgreSQL {db['HOST']}/{db['NAME']}"
