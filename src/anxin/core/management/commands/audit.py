"""`anxin audit`: exits non-zero and names each breach of the platform's invariants."""

from typing import Any

from django.core.management.base import BaseCommand

from anxin.core import audit


class Command(BaseCommand):
    help = "Check every ledger, stock and refund invariant; exit 1 and name each breach."

    def handle(self, *args: Any, **options: Any) -> None:
        results = audit.run_all()
        breaches = 0
        for name, problems in results.items():
            if problems:
                breaches += len(problems)
                self.stdout.write(self.style.ERROR(f"FAIL {name}: {len(problems)} breach(es)"))
                for problem in problems[:50]:
                    self.stdout.write(f"  - {problem}")
                if len(problems) > 50:
                    self.stdout.write(f"  ... and {len(problems) - 50} more")
            else:
                self.stdout.write(self.style.SUCCESS(f"ok   {name}"))
        if breaches:
            self.stdout.write(self.style.ERROR(f"audit: {breaches} breach(es) in {len(results)} checks"))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"audit: clean ({len(results)} checks)"))
