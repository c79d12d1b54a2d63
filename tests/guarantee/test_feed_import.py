"""Importing the feed: offers upserted by platform and URL, their history kept, a re-import changing nothing,
progress counted per batch, an unreadable file failed with nothing written."""

import io
from datetime import UTC, datetime

import pytest

from anxin.core import clock
from anxin.guarantee.models import FeedImport, Offer, OfferCapture
from anxin.guarantee.queries import feed as queries
from anxin.guarantee.services import feed
from tests.guarantee.feed_support import feed_csv, feed_row

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze(NOW)
    yield


def run(content: bytes, name: str = "feed.csv", progress=None) -> FeedImport:
    return feed.import_offers(io.BytesIO(content), feed.new_import(name), progress)


def test_good_rows_become_offers_with_one_capture_each():
    done = run(feed_csv(feed_row(), feed_row(url="https://item.jd.com/2.html", price="5.50")))
    assert (done.state, done.rows_good, done.rows_bad, done.rows_done) == ("done", 2, 0, 2)
    offer = Offer.objects.get(url="item.jd.com/2.html")
    assert (offer.platform, offer.price_fen, offer.title, offer.price_type) == ("jd", 550, "小米手环 9", "regular")
    assert OfferCapture.objects.filter(offer=offer, feed_import=done).count() == 1


def test_the_latest_capture_wins_whatever_order_the_rows_come_in():
    run(feed_csv(feed_row(price="90.00", at="2026-12-02T10:00:00+08:00")))
    run(feed_csv(feed_row(price="80.00", at="2026-12-01T10:00:00+08:00")))  # older: history only
    offer = Offer.objects.get()
    assert offer.price_fen == 9000
    assert list(queries.captures(offer).values_list("price_fen", flat=True)) == [9000, 8000]
    run(feed_csv(feed_row(price="70.00", at="2026-12-03T10:00:00+08:00")))
    offer.refresh_from_db()
    assert offer.price_fen == 7000 and offer.captures.count() == 3


def test_the_same_listing_twice_in_one_batch_keeps_the_later_row():
    early, late = "2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00"
    run(feed_csv(feed_row(price="60.00", at=late), feed_row(price="50.00", at=early), feed_row(price="60.00", at=late)))
    assert Offer.objects.get().price_fen == 6000
    assert OfferCapture.objects.count() == 2


def test_importing_the_same_file_again_changes_nothing():
    content = feed_csv(feed_row(), feed_row(url="https://item.jd.com/2.html"))
    run(content)
    before = (
        list(Offer.objects.values()),
        list(OfferCapture.objects.values_list("offer_id", "captured_at", "price_fen")),
    )
    again = run(content)
    assert again.rows_good == 2
    after = list(Offer.objects.values()), list(OfferCapture.objects.values_list("offer_id", "captured_at", "price_fen"))
    assert after == before


def test_a_url_spelled_differently_is_the_same_listing():
    run(feed_csv(feed_row(url="https://www.jd.com/item/1/", at="2026-12-01T10:00:00+08:00")))
    run(feed_csv(feed_row(url="https://jd.com/item/1#reviews", at="2026-12-02T10:00:00+08:00")))
    assert Offer.objects.get().url == "jd.com/item/1"


def test_bad_rows_are_counted_and_kept_with_their_lines_good_ones_imported():
    done = run(feed_csv(feed_row(), feed_row(price="0"), feed_row(url="https://evil.example/x")))
    assert (done.rows_good, done.rows_bad) == (1, 2)
    assert [(line, reason.code) for line, reason in queries.bad_rows(done)] == [
        (3, "price_not_positive"),
        (4, "listing_not_on_platform"),
    ]
    assert Offer.objects.count() == 1


def test_progress_is_saved_after_each_batch(monkeypatch):
    monkeypatch.setattr(feed, "BATCH_ROWS", 2)
    seen: list[tuple[int, int]] = []

    def progress(feed_import: FeedImport) -> None:
        stored = FeedImport.objects.get(pk=feed_import.pk)
        seen.append((stored.rows_done, stored.rows_good))
        assert stored.state == FeedImport.State.RUNNING

    rows = [feed_row(url=f"https://item.jd.com/{n}.html") for n in range(5)]
    run(feed_csv(*rows), progress=progress)
    assert seen == [(2, 2), (4, 4), (5, 5)]


def test_only_the_first_errors_are_kept_but_all_are_counted(monkeypatch):
    monkeypatch.setattr(feed, "ERRORS_KEPT", 3)
    monkeypatch.setattr(feed, "BATCH_ROWS", 2)
    done = run(feed_csv(*[feed_row(price="0")] * 7))
    assert done.rows_bad == 7 and len(done.errors) == 3


@pytest.mark.parametrize(
    ("content", "code_word"),
    [
        (b"", "空"),
        (b"\xff\xfe\x00garbage\x00", "UTF-8"),
        (b"name,price\nx,1\n", "platform"),
    ],
)
def test_an_unreadable_file_fails_with_its_reason_and_writes_nothing(content, code_word):
    done = run(content)
    assert done.state == FeedImport.State.FAILED and code_word in done.failure
    assert done.finished_at == NOW
    assert not Offer.objects.exists() and not OfferCapture.objects.exists()
    assert FeedImport.objects.get(pk=done.pk).state == "failed"
