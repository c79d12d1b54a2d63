"""`anxin search_index`: index every product for search again, in batches, with progress."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from anxin.catalog import search


class Command(BaseCommand):
    help = "Index every product for search again (the services keep it current; this rebuilds it whole)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            total = search.rebuild(progress=lambda done, total: self.stdout.write(f"  {done}/{total} products"))
        self.stdout.write(self.style.SUCCESS(f"search_index: {total} products indexed"))
