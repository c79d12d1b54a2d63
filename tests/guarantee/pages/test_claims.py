"""买贵必赔 pages: the order page's 申请 link, the form, the claim's page with its decision at once, the list,
and the ops queue with its approve and reject forms; in Chinese and in English."""

import pytest

from anxin.core import clock
from anxin.guarantee.models import Claim
from tests import factories as f
from tests.guarantee.claims_support import TITLE, URL, enrolled_order, file, offer
from tests.pages_helpers import chinese_by_default  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db
FORM = {"platform": "jd", "url": URL, "title": TITLE, "price_seen": "90.00", "pay_to": "original", "key": "p-1"}


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def form_url(order) -> str:
    return f"/orders/{order.pk}/lines/{order.lines.get().pk}/price-claim/"


def test_the_order_page_offers_the_claim_on_an_enrolled_line_only(client):
    order = enrolled_order()
    client.force_login(order.buyer)
    assert "买贵必赔 申请" in client.get(f"/orders/{order.pk}/").text
    plain = enrolled_order(enrolled=False, buyer=order.buyer)
    assert "买贵必赔 申请" not in client.get(f"/orders/{plain.pk}/").text


def test_a_claim_confirmed_by_the_feed_shows_the_money_at_once(client):
    order = enrolled_order()
    offer(price_fen=9000)
    client.force_login(order.buyer)
    assert client.get(form_url(order)).status_code == 200
    r = client.post(form_url(order), FORM, follow=True)
    claim = Claim.objects.get()
    assert r.redirect_chain[-1][0] == f"/price-claims/{claim.pk}/"
    assert "已赔付 ¥20.00" in r.text
    assert TITLE in client.get("/price-claims/").text


def test_a_refused_claim_shows_the_reason_on_its_page(client):
    order = enrolled_order()
    offer(price_fen=9900, shipping_fen=500)
    client.force_login(order.buyer)
    r = client.post(form_url(order), FORM, follow=True)
    assert "我们核实到该商品当前的到手价不低于您的实付单价。" in r.text


def test_a_claim_refused_as_another_product_says_what_differs_in_the_readers_language(client):
    order = enrolled_order()
    offer(title="索尼 WH-1000XM4 无线降噪耳机 银色", model="WH-1000XM4")
    claim = file(order)
    client.force_login(order.buyer)
    chinese = client.get(f"/price-claims/{claim.pk}/").text
    assert "经比对，对方商品与您购买的不是同一款。" in chinese
    assert "颜色不同：我方「black」，对方「silver」" in chinese
    assert "品牌一致" not in chinese  # only what tells them apart
    client.cookies["django_language"] = "en"
    english = client.get(f"/price-claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Colour differs: ours “black”, theirs “silver”" in english and "颜色" not in english


def test_bad_evidence_shows_the_form_again_with_the_message_and_writes_nothing(client):
    order = enrolled_order()
    client.force_login(order.buyer)
    r = client.post(form_url(order), {**FORM, "url": "https://item.taobao.com/1"})
    assert r.status_code == 400
    assert "这个链接不是所选平台的商品页。" in r.text
    r = client.post(form_url(order), {**FORM, "price_seen": "9.999"})
    assert r.status_code == 400 and not Claim.objects.exists()


def test_another_buyers_claim_and_line_are_404(client):
    order = enrolled_order()
    claim = file(order)
    client.force_login(f.buyer())
    assert client.get(f"/price-claims/{claim.pk}/").status_code == 404
    assert client.get(form_url(order)).status_code == 404


def test_ops_see_the_evidence_and_approve_from_the_queue(client):
    order = enrolled_order()
    claim = file(order, price_seen="95.00")
    client.force_login(f.ops())
    page = client.get("/ops/price-claims/")
    assert page.status_code == 200 and claim.url in page.text and "同款概率" in page.text
    r = client.post(f"/ops/price-claims/{claim.pk}/approve/", {"amount": ""}, follow=True)
    assert "已赔付 ¥10.00" in r.text
    claim.refresh_from_db()
    assert claim.state == "approved"


def test_ops_reject_with_a_reason_and_an_empty_reason_is_refused(client):
    order = enrolled_order()
    claim = file(order)
    client.force_login(f.ops())
    assert client.post(f"/ops/price-claims/{claim.pk}/reject/", {"reason": ""}).status_code == 400
    client.post(f"/ops/price-claims/{claim.pk}/reject/", {"reason": "截图为会员价"})
    claim.refresh_from_db()
    assert (claim.state, claim.reason) == ("rejected", "截图为会员价")


def test_the_pages_read_in_english(client):
    order = enrolled_order(enrolled=False)
    claim = file(order)
    client.force_login(order.buyer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/price-claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "未参加" not in page.text


def test_buyers_cannot_open_the_ops_queue(client):
    client.force_login(f.buyer())
    assert client.get("/ops/price-claims/").status_code in (403, 404)
