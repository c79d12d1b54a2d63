"""The ops feed pages: upload, the worker imports, the progress page polls until done and lists bad rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anxin.core import clock
from anxin.guarantee.models import FeedImport, Offer
from tests import factories as f
from tests.guarantee.feed_support import feed_csv, feed_row, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


@pytest.fixture
def ops_client(client):
    client.force_login(f.ops())
    return client


def test_an_upload_is_imported_by_the_worker_and_its_page_follows_it(ops_client, django_capture_on_commit_callbacks):
    content = feed_csv(feed_row(at="2026-01-01T10:00:00+08:00"), feed_row(price="1.234"))
    sent = ops_client.post(reverse("web:ops_feed"), {"file": SimpleUploadedFile("offers.csv", content)})
    assert sent.status_code == 302
    feed_import = FeedImport.objects.get()
    progress = reverse("web:ops_feed_import_progress", args=[feed_import.pk])
    page = ops_client.get(sent["Location"]).text
    assert "排队中" in page and f'hx-get="{progress}"' in page and 'hx-trigger="every 2s"' in page
    run_worker(django_capture_on_commit_callbacks)
    fragment = ops_client.get(progress).text
    assert "已完成" in fragment and "hx-trigger" not in fragment  # the polling stops
    assert "成功 1，跳过 1" in fragment and "最多两位小数" in fragment
    assert Offer.objects.count() == 1


def test_a_malformed_file_is_failed_with_a_clear_reason_and_nothing_written(
    ops_client, django_capture_on_commit_callbacks
):
    content = b"name;price\nx;1\n"
    ops_client.post(reverse("web:ops_feed"), {"file": SimpleUploadedFile("offers.csv", content)})
    run_worker(django_capture_on_commit_callbacks)
    page = ops_client.get(reverse("web:ops_feed_import", args=[FeedImport.objects.get().pk])).text
    assert "失败" in page and "表头缺少这些列" in page
    assert not Offer.objects.exists()


def test_a_refused_upload_shows_the_form_again(ops_client):
    answer = ops_client.post(reverse("web:ops_feed"), {"file": SimpleUploadedFile("offers.xlsx", b"PK")})
    assert answer.status_code == 400 and "请上传 .csv 或 .jsonl 文件" in answer.text
    assert not FeedImport.objects.exists()


def test_offers_are_found_by_platform_and_url(ops_client, django_capture_on_commit_callbacks):
    ops_client.post(
        reverse("web:ops_feed"),
        {"file": SimpleUploadedFile("offers.csv", feed_csv(feed_row(at="2026-01-01T10:00:00+08:00")))},
    )
    run_worker(django_capture_on_commit_callbacks)
    page = ops_client.get(reverse("web:ops_feed"), {"platform": "jd", "url": "https://item.jd.com/1.html"}).text
    assert "item.jd.com/1.html" in page and "¥99.00" in page
