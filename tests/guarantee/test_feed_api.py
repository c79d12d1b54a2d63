"""The feed through the API: ops upload a file, the worker imports it, the import shows its progress and bad
rows; offers are searched by platform and listing. Refused uploads write nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anxin.core import clock, deadlines
from anxin.core.models import Deadline
from anxin.guarantee.models import FeedImport, Offer
from anxin.guarantee.services import feed
from tests import factories as f
from tests.guarantee.feed_support import feed_csv, feed_row, run_worker

pytestmark = pytest.mark.django_db

UPLOAD = "/api/ops/guarantee/feed-imports"


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def upload(client, content: bytes, name: str = "offers.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_an_upload_is_queued_then_imported_by_the_worker(django_capture_on_commit_callbacks):
    ops = f.api_client(f.ops())
    content = feed_csv(feed_row(at="2026-01-01T10:00:00+08:00"), feed_row(price="abc"))
    queued = upload(ops, content)
    assert queued.status_code == 202, queued.content
    assert (queued.json()["state"], queued.json()["rows_done"]) == ("queued", 0)
    import_id = queued.json()["id"]
    assert Deadline.objects.filter(kind=feed.IMPORT_FEED, subject_id=import_id).exists()
    run_worker(django_capture_on_commit_callbacks)
    done = ops.get(f"{UPLOAD}/{import_id}").json()
    assert (done["state"], done["rows_good"], done["rows_bad"]) == ("done", 1, 1)
    (bad,) = done["bad_rows"]
    assert bad == {"line": 3, "code": "price_not_number", "reason": "“price” 须是以元为单位的数字，如 12.30。"}
    found = ops.get("/api/ops/guarantee/offers", {"platform": "jd", "url": "https://www.jd.com/../item.jd.com/1.html"})
    assert found.json()["count"] == 0
    found = ops.get("/api/ops/guarantee/offers", {"platform": "jd", "url": "https://item.jd.com/1.html#top"})
    assert [offer["price_fen"] for offer in found.json()["items"]] == [9900]


def test_the_worker_fails_an_unreadable_upload_with_its_reason(django_capture_on_commit_callbacks):
    ops = f.api_client(f.ops())
    import_id = upload(ops, b"\x89PNG\r\n\x1a\n\x00\x00\xff").json()["id"]
    run_worker(django_capture_on_commit_callbacks)
    failed = ops.get(f"{UPLOAD}/{import_id}").json()
    assert failed["state"] == "failed" and "UTF-8" in failed["failure"]
    assert not Offer.objects.exists()


def test_the_worker_imports_an_upload_once(django_capture_on_commit_callbacks):
    ops = f.api_client(f.ops())
    import_id = upload(ops, feed_csv(feed_row(at="2026-01-01T10:00:00+08:00"))).json()["id"]
    run_worker(django_capture_on_commit_callbacks)
    feed.run_stored_import(import_id)  # a second run of the handler
    assert FeedImport.objects.get(pk=import_id).rows_good == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("offers.exe", b"MZ", "feed_file_type"), ("offers.csv", b"", "feed_empty")],
)
def test_a_refused_upload_writes_nothing(name, content, code):
    answer = upload(f.api_client(f.ops()), content, name)
    assert (answer.status_code, answer.json()["code"]) == (400, code)
    assert not FeedImport.objects.exists() and not Deadline.objects.exists()


def test_only_ops_upload_feeds():
    answer = upload(f.api_client(f.staff()), feed_csv(feed_row()))
    assert answer.status_code == 403
    assert not FeedImport.objects.exists()


def test_the_import_starts_once_the_workers_transaction_has_committed(django_capture_on_commit_callbacks):
    """Inside the worker's transaction no one else would see its progress: the import runs after it."""
    ops = f.api_client(f.ops())
    import_id = upload(ops, feed_csv(feed_row(at="2026-01-01T10:00:00+08:00"))).json()["id"]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        deadlines.run_due()
    assert FeedImport.objects.get(pk=import_id).state == "queued" and len(pending) == 1
    pending[0]()
    assert FeedImport.objects.get(pk=import_id).state == "done"
    assert not Deadline.objects.filter(kind=feed.WATCH_IMPORT, state=Deadline.State.PENDING).exists()


def test_an_import_whose_worker_died_is_started_again_by_its_watch(django_capture_on_commit_callbacks):
    ops = f.api_client(f.ops())
    import_id = upload(ops, feed_csv(feed_row(at="2026-01-01T10:00:00+08:00"))).json()["id"]
    with django_capture_on_commit_callbacks(execute=False):
        deadlines.run_due()  # the worker dies before its import begins
    FeedImport.objects.filter(pk=import_id).update(state="running", started_at=clock.now(), rows_done=7)
    clock.advance(feed.STALLED_AFTER)
    run_worker(django_capture_on_commit_callbacks)  # the watch re-queues it
    run_worker(django_capture_on_commit_callbacks)  # and the import runs again from the first row
    again = FeedImport.objects.get(pk=import_id)
    assert (again.state, again.rows_done, again.rows_good) == ("done", 1, 1)
