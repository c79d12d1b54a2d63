"""The 买贵必赔 pages in English: no Chinese left but the data itself (titles, names, the shop's words)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anxin.core import clock
from anxin.guarantee.services import enrollment, feed
from tests import factories as f
from tests.guarantee.feed_support import feed_csv, feed_row

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
DATA = {"店铺", "商品", "类目", "黑", "颜色", "安心", "年货节", "简体中文", "繁體中文"}
# The platforms' names (guarantee.platforms) get their English with the claim form, which names them first.
PLATFORM_NAMES = {"京东", "天猫", "淘宝", "拼多多", "抖音商城", "苏宁易购"}


def chinese_left(html: str) -> set[str]:
    body = html[html.index("<main") : html.index("</main>")]
    return {word for word in CJK.findall(re.sub(r"<[^>]+>", " ", body)) if word not in DATA | PLATFORM_NAMES}


@pytest.fixture
def english(client):
    clock.freeze()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_seller_and_ops_pages_and_the_rules_are_english(english):
    shop = f.merchant(name="店铺")
    sku = f.product(shop, title="商品").skus.get()
    staff = f.staff(shop)
    enrollment.enroll_sku(staff, sku.pk)
    english.force_login(staff)
    pages = [english.get(reverse("web:seller_guarantee")).text]
    ops = f.ops()
    now = clock.now()
    campaign = enrollment.create_campaign(
        ops, name="年货节", multiplier=2, starts_at=now, ends_at=now + timedelta(days=2)
    )
    enrollment.enroll_in_campaign(ops, campaign.pk, [sku.pk])
    upload = feed.start_upload(ops, SimpleUploadedFile("offers.csv", feed_csv(feed_row(price="0"))))
    english.force_login(ops)
    for name, args in [
        ("web:ops_guarantee_campaigns", []),
        ("web:ops_guarantee_campaign", [campaign.pk]),
        ("web:ops_feed", []),
        ("web:ops_feed_import", [upload.pk]),
        ("web:guarantee_rules", []),
    ]:
        pages.append(english.get(reverse(name, args=args)).text)
    assert [chinese_left(page) for page in pages] == [set()] * len(pages)
