"""买贵必赔 through the API: filed as JSON or with screenshots, decided at once, read back by the buyer only,
decided by ops; bad evidence answers its code and writes nothing."""

import pytest

from anxin.core import clock
from anxin.core.rules import MEGABYTE
from anxin.guarantee.models import Claim, ClaimScreenshot
from anxin.payments.models import Refund
from tests import factories as f
from tests.guarantee.claims_support import TITLE, URL, enrolled_order, offer
from tests.guarantee.protection_support import assert_audit_clean, run_worker

pytestmark = pytest.mark.django_db

BODY = {"platform": "jd", "url": URL, "title": TITLE, "price_seen": "90.00"}


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def claims_url(order) -> str:
    return f"/api/orders/{order.pk}/lines/{order.lines.get().pk}/price-claims"


def test_a_claim_confirmed_by_the_feed_is_paid_at_once_and_the_buyer_sees_why():
    order = enrolled_order(price_fen=10000, quantity=2)
    offer(price_fen=9000)
    buyer = f.api_client(order.buyer)
    answer = f.post_json(buyer, claims_url(order), BODY, **{"Idempotency-Key": "api-1"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["state"], body["compensation_fen"], body["decided_by"]) == ("approved", 2000, "auto")
    again = f.post_json(buyer, claims_url(order), BODY, **{"Idempotency-Key": "api-1"})
    assert (again.status_code, again.json()) == (201, body)
    assert Refund.objects.filter(kind="payout").count() == 1
    mine = buyer.get("/api/price-claims").json()
    assert [c["id"] for c in mine] == [body["id"]]
    assert buyer.get(f"/api/price-claims/{body['id']}").json()["state"] == "approved"
    run_worker()
    assert_audit_clean()


def test_a_claim_paid_as_a_coupon_is_spent_at_checkout_through_the_api():
    order = enrolled_order(price_fen=10000, quantity=2)
    offer(price_fen=9000)
    buyer = f.api_client(order.buyer)
    answer = f.post_json(buyer, claims_url(order), {**BODY, "pay_to": "coupon"}, **{"Idempotency-Key": "api-c"})
    assert (answer.status_code, answer.json()["state"]) == (201, "approved")
    assert not Refund.objects.filter(kind="payout").exists()  # the money is the coupon, not a payout
    wallet = buyer.get("/api/coupons").json()
    assert [(c["amount_fen"], c["threshold_fen"], c["reason"]) for c in wallet] == [(2000, 0, "price_guarantee")]
    sku = f.product(price_fen=5000).skus.get()
    body = {"address_id": f.address(order.buyer).pk, "buy_now": {"sku_id": sku.pk, "quantity": 1}}
    placed = f.post_json(buyer, "/api/checkouts", {**body, "coupon_ids": [wallet[0]["id"]]}, **{"Idempotency-Key": "k"})
    assert placed.status_code == 201, placed.content
    assert placed.json()["orders"][0]["discount_fen"] == 2000
    payment = f.post_json(buyer, f"/api/checkouts/{placed.json()['id']}/payment", **{"Idempotency-Key": "p"})
    paid = f.post_json(buyer, f"/api/payments/{payment.json()['id']}/simulate")
    assert (paid.status_code, paid.json()["state"]) == (200, "succeeded")
    assert buyer.get("/api/coupons?tab=used").json()[0]["id"] == wallet[0]["id"]
    run_worker()
    assert_audit_clean()


def test_a_refusal_reads_in_english_for_an_english_reader():
    order = enrolled_order(enrolled=False)
    buyer = f.api_client(order.buyer)
    body = f.post_json(buyer, claims_url(order), BODY, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["state"], body["reason_code"]) == ("rejected", "claim_not_enrolled")
    zh = buyer.get(f"/api/price-claims/{body['id']}").json()["reason"]
    assert "买贵必赔" in zh
    en = buyer.get(f"/api/price-claims/{body['id']}", HTTP_ACCEPT_LANGUAGE="en").json()["reason"]
    assert en != zh and "guarantee" in en.lower()


def test_a_claim_with_screenshots_is_filed_as_multipart():
    order = enrolled_order()
    buyer = f.api_client(order.buyer)
    shots = [f.upload(f.picture(size=(600, 400))), f.upload(f.picture(size=(500, 500), color="#d53a3a"))]
    answer = buyer.post(claims_url(order) + "/images", {**BODY, "screenshots": shots})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["state"] == "review" and len(body["screenshots"]) == 2
    assert all(len(s["phash"]) == 16 for s in body["screenshots"])


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"url": "item.jd.com/1.html"}, "listing_url_not_https"),
        ({"url": "https://"}, "listing_url_not_https"),
        ({"url": "https://www.taobao.com/item/1"}, "listing_not_on_platform"),
        ({"url": "https://jd.com.evil.example/1"}, "listing_not_on_platform"),
        ({"platform": "amazon"}, "unknown_platform"),
        ({"price_seen": "0"}, "claim_price_invalid"),
        ({"price_seen": "-1.00"}, "claim_price_invalid"),
        ({"price_seen": "1000000000"}, "claim_price_invalid"),
        ({"price_seen": "9.999"}, "claim_price_invalid"),
        ({"price_seen": "abc"}, "claim_price_invalid"),
        ({"title": ""}, "required"),
    ],
)
def test_bad_evidence_is_a_400_with_its_code_and_writes_nothing(changes, code):
    order = enrolled_order()
    answer = f.post_json(f.api_client(order.buyer), claims_url(order), {**BODY, **changes})
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code
    assert not Claim.objects.exists()


def test_a_claim_on_another_buyers_order_is_404_and_writes_nothing():
    order = enrolled_order()
    stranger = f.api_client(f.buyer())
    assert f.post_json(stranger, claims_url(order), BODY).status_code == 404
    assert stranger.post(claims_url(order) + "/images", BODY).status_code == 404
    assert not Claim.objects.exists()


def test_another_buyers_claim_is_404():
    order = enrolled_order()
    claim_id = f.post_json(f.api_client(order.buyer), claims_url(order), BODY).json()["id"]
    assert f.api_client(f.buyer()).get(f"/api/price-claims/{claim_id}").status_code == 404


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (lambda: f.upload(b"%PDF-1.7 not a picture", name="a.pdf", content_type="application/pdf"), "image_type"),
        (lambda: f.upload(b"\xff\xd8\xff" + b"0" * (5 * MEGABYTE + 10)), "image_too_big"),
        (lambda: f.upload(b"\xff\xd8\xff\xe0 truncated"), "image_unreadable"),
    ],
)
def test_bad_screenshots_are_refused_and_nothing_is_kept(upload, code):
    order = enrolled_order()
    answer = f.api_client(order.buyer).post(claims_url(order) + "/images", {**BODY, "screenshots": [upload()]})
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code
    assert not Claim.objects.exists() and not ClaimScreenshot.objects.exists()


def test_ops_see_the_queue_and_approve_or_reject():
    first, second = enrolled_order(), enrolled_order()
    for order in (first, second):
        f.post_json(f.api_client(order.buyer), claims_url(order), {**BODY, "price_seen": "95.00"})
    ops = f.api_client(f.ops())
    queue = ops.get("/api/ops/price-claims").json()
    assert [c["state"] for c in queue] == ["review", "review"] and queue[0]["due_at"] <= queue[1]["due_at"]
    assert queue[0]["overdue"] is False
    reasons = queue[0]["match_reasons"]
    assert {"aspect", "verdict", "ours", "theirs", "text"} <= set(reasons[0])
    assert any(r["aspect"] == "品牌" and r["verdict"] == "same" and r["text"].startswith("品牌一致") for r in reasons)
    approved = f.post_json(ops, f"/api/ops/price-claims/{queue[0]['id']}/approve", {})
    assert approved.status_code == 200, approved.content
    assert (approved.json()["state"], approved.json()["compensation_fen"]) == ("approved", 1000)
    rejected = f.post_json(ops, f"/api/ops/price-claims/{queue[1]['id']}/reject", {"reason": "价格为会员价"})
    assert (rejected.json()["state"], rejected.json()["reason"]) == ("rejected", "价格为会员价")
    twice = f.post_json(ops, f"/api/ops/price-claims/{queue[1]['id']}/approve", {})
    assert (twice.status_code, twice.json()["code"]) == (409, "claim_not_in_review")
    assert ops.get("/api/ops/price-claims").json() == []
    assert_audit_clean()


def test_buyers_and_merchants_cannot_use_the_ops_queue():
    order = enrolled_order()
    claim_id = f.post_json(f.api_client(order.buyer), claims_url(order), BODY).json()["id"]
    for who in (order.buyer, f.staff(order.merchant)):
        client = f.api_client(who)
        assert client.get("/api/ops/price-claims").status_code == 403
        assert f.post_json(client, f"/api/ops/price-claims/{claim_id}/approve", {}).status_code == 403
    assert Claim.objects.get().state == "review"


def test_filing_a_claim_decided_at_once_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    order = enrolled_order()
    offer(price_fen=9000)
    buyer = f.api_client(order.buyer)
    f.post_json(buyer, "/api/price-claims", {})  # warm the session and the matcher outside the count
    with django_assert_max_num_queries(60):
        answer = f.post_json(buyer, claims_url(order), BODY, **{"Idempotency-Key": "count"})
    assert answer.json()["state"] == "approved"
