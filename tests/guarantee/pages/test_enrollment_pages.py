"""The seller center's 买贵必赔 page, ops' campaign pages and the public rules page, in zh and en."""

from datetime import timedelta

import pytest
from django.urls import reverse

from anxin.core import clock, config
from anxin.guarantee.models import Campaign, Enrollment
from anxin.guarantee.pages import enrollment as pages
from tests import factories as f
from tests.guarantee.enrollment_support import campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def test_a_shop_enrolls_and_leaves_from_its_sku_list(client):
    shop = f.merchant()
    sku = f.product(shop).skus.get()
    client.force_login(f.staff(shop))
    page = client.get(reverse("web:seller_guarantee")).text
    assert f'id="sku-{sku.pk}"' in page and "未报名" in page
    done = client.post(reverse("web:seller_guarantee_enroll", args=[sku.pk]))
    assert done.status_code == 302 and Enrollment.objects.filter(sku=sku, ends_at__isnull=True).exists()
    assert "已报名" in client.get(reverse("web:seller_guarantee")).text
    clock.advance(timedelta(hours=1))
    client.post(reverse("web:seller_guarantee_unenroll", args=[sku.pk]))
    assert Enrollment.objects.get(sku=sku).ends_at == clock.now()
    refused = client.post(reverse("web:seller_guarantee_unenroll", args=[sku.pk]))
    assert refused.status_code == 409 and "没有报名" in refused.text


def test_another_shops_sku_is_404_on_the_page(client):
    sku = f.product().skus.get()
    client.force_login(f.staff())
    assert client.post(reverse("web:seller_guarantee_enroll", args=[sku.pk])).status_code == 404
    assert not Enrollment.objects.exists()


def test_ops_create_a_campaign_and_enroll_skus_by_id(client):
    client.force_login(f.ops())
    sku = f.product().skus.get()
    body = {"name": "年货节", "multiplier": "2", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-08T10:00"}
    made = client.post(reverse("web:ops_guarantee_campaigns"), body)
    assert made.status_code == 302, made.text
    campaign_id = Campaign.objects.get().pk
    enrolled = client.post(
        reverse("web:ops_guarantee_campaign", args=[campaign_id]), {"sku_ids": f"{sku.pk}, {sku.pk}"}
    )
    assert enrolled.status_code == 302
    page = client.get(reverse("web:ops_guarantee_campaign", args=[campaign_id])).text
    assert "买贵双倍赔" in page and f"#{sku.pk}" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"multiplier": "3"}, "选择一个有效的选项"),
        ({"ends_at": "2029-12-31T10:00"}, "结束时间须晚于开始时间"),
        ({"name": ""}, "这个字段是必填项"),
    ],
)
def test_a_bad_campaign_shows_the_form_again_with_the_reason(client, body, message):
    client.force_login(f.ops())
    good = {"name": "年货节", "multiplier": "1", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-08T10:00"}
    answer = client.post(reverse("web:ops_guarantee_campaigns"), good | body)
    assert answer.status_code == 400 and message in answer.text
    assert not Campaign.objects.exists()


def test_unknown_sku_ids_are_named_and_none_enrolled(client):
    ops = f.ops()
    made = campaign(ops)
    client.force_login(ops)
    answer = client.post(reverse("web:ops_guarantee_campaign", args=[made.pk]), {"sku_ids": "12345678 x"})
    assert answer.status_code == 400 and "SKU 编号须是数字" in answer.text
    answer = client.post(reverse("web:ops_guarantee_campaign", args=[made.pk]), {"sku_ids": "12345678"})
    assert answer.status_code == 400 and "12345678" in answer.text
    assert not Enrollment.objects.exists()


def test_ops_end_a_campaign_from_its_page(client):
    ops = f.ops()
    made = campaign(ops)
    clock.advance(timedelta(hours=1))
    client.force_login(ops)
    assert client.post(reverse("web:ops_guarantee_campaign_end", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.ends_at == clock.now()


def test_the_rules_page_is_public_linked_from_the_footer_and_in_english(client):
    home = client.get(reverse("web:home")).text
    assert reverse("web:guarantee_rules") in home
    page = client.get(reverse("web:guarantee_rules"))
    assert page.status_code == 200
    assert "付款后 7 天内" in page.text and "¥2,000.00" in page.text and "48 小时内" in page.text
    english = client.get(reverse("web:guarantee_rules"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Price-match guarantee" in english and "within 7 days of payment" in english


def test_the_rules_page_promises_the_numbers_ops_set(client):
    config.change(f.ops(), {"guarantee.max_paid_claims": 8, "guarantee.max_paid_fen": 300_000})
    page = client.get(reverse("web:guarantee_rules")).text
    assert "最多获赔 8 次、合计 ¥3,000.00" in page


def test_the_nav_of_seller_center_and_ops_console_links_the_pages(client):
    client.force_login(f.staff())
    assert reverse("web:seller_guarantee") in client.get(reverse("web:seller_dashboard")).text
    client.force_login(f.ops())
    assert reverse("web:ops_price_claims") in client.get(reverse("web:ops_dashboard")).text
    queue = client.get(reverse("web:ops_price_claims")).text  # the 买贵必赔 tab's own tabs
    for name in ("web:ops_guarantee_campaigns", "web:ops_feed", "web:ops_guarantee_figures"):
        assert reverse(name) in queue


def test_the_sku_list_is_paged(client, monkeypatch):
    monkeypatch.setattr(pages, "SKUS_PAGE_SIZE", 1)
    shop = f.merchant()
    first = f.product(shop).skus.get()
    second = f.sku_of(first.product)
    client.force_login(f.staff(shop))
    one = client.get(reverse("web:seller_guarantee")).text
    two = client.get(reverse("web:seller_guarantee"), {"page": 2}).text
    assert f'id="sku-{first.pk}"' in one and f'id="sku-{second.pk}"' not in one
    assert f'id="sku-{second.pk}"' in two
