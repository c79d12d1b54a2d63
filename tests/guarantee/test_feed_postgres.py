"""PostgreSQL: an uploaded feed is imported once however many workers race for it, and its progress is seen by
other connections while it runs (each batch commits; the worker's own transaction does not hold it)."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from anxin.core import clock, deadlines
from anxin.geo.services import ensure_builtin_regions
from anxin.guarantee.models import FeedImport, Offer, OfferCapture
from anxin.guarantee.services import feed
from tests import factories as f
from tests.guarantee.feed_support import feed_csv, feed_row
from tests.guarantee.test_protection_postgres import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 50


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()
    clock.freeze()
    yield


def uploaded() -> FeedImport:
    rows = [feed_row(url=f"https://item.jd.com/{n}.html", at="2026-01-01T10:00:00+08:00") for n in range(ROWS)]
    return feed.start_upload(f.ops(), SimpleUploadedFile("offers.csv", feed_csv(*rows)))


def test_two_workers_import_one_upload_once():
    feed_import = uploaded()
    at_once(2, lambda i: deadlines.run_due())
    done = FeedImport.objects.get(pk=feed_import.pk)
    assert (done.state, done.rows_good, done.rows_done) == ("done", ROWS, ROWS)
    assert Offer.objects.count() == ROWS and OfferCapture.objects.count() == ROWS


def test_progress_is_visible_to_other_connections_while_the_import_runs(monkeypatch):
    monkeypatch.setattr(feed, "BATCH_ROWS", 10)
    feed_import = uploaded()
    seen: list[int] = []
    batch_done, looked = threading.Event(), threading.Event()
    imports = feed.import_offers

    def pause_after_first_batch(done: FeedImport) -> None:  # called once a batch has committed
        if not batch_done.is_set():
            batch_done.set()
            looked.wait(10)

    monkeypatch.setattr(feed, "import_offers", lambda stream, into: imports(stream, into, pause_after_first_batch))

    def look() -> None:
        try:
            batch_done.wait(10)
            seen.append(FeedImport.objects.get(pk=feed_import.pk).rows_done)
        finally:
            looked.set()
            connections.close_all()

    watcher = threading.Thread(target=look)
    watcher.start()
    deadlines.run_due()
    watcher.join()
    assert seen == [10]
    assert FeedImport.objects.get(pk=feed_import.pk).rows_done == ROWS
