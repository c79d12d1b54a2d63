"""买贵必赔 claims through the services: decided at once (paid, refused with a reason, or sent to a person),
decided by ops or by the review's deadline, paid to the payment or as a coupon, never twice."""

import io
from datetime import timedelta

import pytest

from anxin.core import clock, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.models import Event
from anxin.coupons.models import Coupon
from anxin.guarantee.models import Claim, ClaimScreenshot
from anxin.guarantee.services import claims, feed
from anxin.orders import services as orders
from anxin.payments.models import Refund
from tests import factories as f
from tests.guarantee.claims_support import TITLE, URL, enroll, enrolled_order, file, offer
from tests.guarantee.protection_support import assert_audit_clean, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def test_a_fresh_lower_offer_of_the_same_product_is_paid_at_once_to_the_payment():
    order = enrolled_order(price_fen=10000, quantity=2)
    offer(price_fen=8500, shipping_fen=500)
    claim = file(order, price_seen="90.00")
    assert (claim.state, claim.decided_by, claim.compensation_fen) == ("approved", "auto", 2000)
    assert claim.charged_to == ledger.merchant_payable(order.merchant_id)  # the merchant enrolled the SKU
    assert claim.match_reasons and claim.match_probability > 0.9
    refund = Refund.objects.get(key=claims.claim_key(claim.pk))
    assert (refund.kind, refund.amount_fen) == (Refund.Kind.PAYOUT, 2000)
    assert order.lines.get().compensated_fen == 2000
    run_worker()
    refund.refresh_from_db()
    assert refund.state == Refund.State.SUCCEEDED
    assert_audit_clean()


def test_a_listing_imported_through_the_feed_is_found_by_the_url_the_buyer_pastes():
    order = enrolled_order(price_fen=10000, quantity=1)
    captured = (clock.now() - timedelta(hours=2)).isoformat()
    rows = f"platform,url,title,brand,price,price_type,captured_at\njd,{URL},{TITLE},索尼,88.00,regular,{captured}\n"
    feed.import_offers(io.BytesIO(rows.encode()), feed.new_import("offers.csv"))
    claim = file(order, url=URL.replace("https://", "https://www.") + "#comments", price_seen="88.00")
    assert claim.offer is not None and claim.offer.price_fen == 8800
    assert (claim.state, claim.decided_by, claim.compensation_fen) == ("approved", "auto", 1200)


def test_a_campaign_enrollment_charges_the_platform_and_doubles():
    order = enrolled_order(source="campaign", multiplier=2)
    offer(price_fen=9000)
    claim = file(order)
    assert (claim.compensation_fen, claim.charged_to) == (4000, ledger.PLATFORM_COMPENSATION)
    assert_audit_clean()


def test_the_setting_can_charge_the_platform_for_merchant_enrolled_skus():
    from anxin.core import config

    config.set_value("guarantee.charge_merchant_enrolled", 0)
    order = enrolled_order()
    offer()
    assert file(order).charged_to == ledger.PLATFORM_COMPENSATION


def test_a_sku_not_enrolled_is_refused_in_plain_words_and_paid_nothing():
    order = enrolled_order(enrolled=False)
    offer()
    claim = file(order)
    assert (claim.state, claim.reason_code) == ("rejected", "claim_not_enrolled")
    assert "未参加买贵必赔" in claim.reason
    assert not Refund.objects.filter(kind="payout").exists() and order.lines.get().compensated_fen == 0


def test_another_product_in_the_feed_is_refused_with_the_matchers_reasons():
    order = enrolled_order()
    offer(title="索尼 WH-1000XM4 无线降噪耳机 银色", model="WH-1000XM4")
    claim = file(order)
    assert (claim.state, claim.reason_code) == ("rejected", "claim_different_product")
    assert claim.match_reasons


def test_a_feed_price_not_lower_is_refused():
    order = enrolled_order()
    offer(price_fen=9900, shipping_fen=200)
    assert file(order).reason_code == "claim_feed_not_lower"


def test_a_listing_not_in_the_feed_goes_to_review_due_in_48_hours():
    order = enrolled_order()
    claim = file(order)
    assert (claim.state, claim.reason_code, claim.due_at) == (
        "review",
        "claim_review",
        clock.now() + timedelta(hours=48),
    )
    assert not Refund.objects.exists() or not Refund.objects.filter(kind="payout").exists()


def test_ops_approve_a_claim_in_review_and_it_is_paid_once():
    order = enrolled_order()
    claim = file(order, price_seen="95.00")
    ops = f.ops()
    approved = claims.approve(ops, claim.pk)
    assert (approved.state, approved.decided_by, approved.reviewer, approved.compensation_fen) == (
        "approved",
        "ops",
        ops,
        1000,
    )
    with pytest.raises(Conflict) as again:
        claims.approve(ops, claim.pk)
    assert again.value.code == "claim_not_in_review"
    assert Refund.objects.filter(kind="payout").count() == 1
    assert_audit_clean()


def test_ops_may_approve_less_but_not_more_than_owed():
    order = enrolled_order()
    claim = file(order, price_seen="95.00")
    with pytest.raises(AnxinError) as refused:
        claims.approve(f.ops(), claim.pk, 1001)
    assert refused.value.code == "claim_amount_invalid"
    claim.refresh_from_db()
    assert claim.state == "review" and order.lines.get().compensated_fen == 0
    assert claims.approve(f.ops(), claim.pk, 600).compensation_fen == 600


def test_ops_reject_with_a_reason_the_buyer_reads():
    order = enrolled_order()
    claim = file(order)
    rejected = claims.reject(f.ops(), claim.pk, "截图中的价格为会员价")
    assert (rejected.state, rejected.reason) == ("rejected", "截图中的价格为会员价")
    assert not Refund.objects.filter(kind="payout").exists()


def test_a_buyer_cannot_decide_a_claim():
    order = enrolled_order()
    claim = file(order)
    with pytest.raises(AnxinError):
        claims.approve(order.buyer, claim.pk)


def test_a_review_past_its_48_hours_stays_for_a_person_recorded_overdue_and_pays_nothing():
    order = enrolled_order()
    claim = file(order, price_seen="0.01")  # the buyer's word alone, which nothing has checked
    clock.freeze(clock.now() + timedelta(hours=48, seconds=1))
    run_worker()
    claim.refresh_from_db()
    assert (claim.state, claim.compensation_fen) == ("review", 0)
    assert Event.objects.filter(kind="claim.overdue", subject_id=claim.pk).count() == 1
    assert not Refund.objects.filter(kind="payout").exists() and order.lines.get().compensated_fen == 0
    assert claims.approve(f.ops(), claim.pk).state == "approved"  # a person still decides it, late
    assert_audit_clean()


def test_a_claim_with_a_fraud_signal_stays_in_the_queue_past_its_deadline():
    orders_ = [enrolled_order() for _ in range(4)]
    filed = [file(order, key=f"k{i}") for i, order in enumerate(orders_)]
    assert [c.signals for c in filed] == [[], [], [], ["same_url_many_buyers"]]
    for claim in filed[:3]:
        claims.reject(f.ops(), claim.pk, "重复")
    clock.freeze(clock.now() + timedelta(hours=49))
    run_worker()
    filed[3].refresh_from_db()
    assert filed[3].state == "review" and filed[3].due_at < clock.now()


def test_the_same_screenshot_from_four_buyers_is_a_fraud_signal():
    picture = f.picture(size=(600, 400))
    filed = []
    for i in range(4):
        order = enrolled_order()
        offer(url=f"https://item.jd.com/{i}.html")
        filed.append(file(order, key=f"s{i}", url=f"https://item.jd.com/{i}.html", screenshots=[picture]))
    assert [c.state for c in filed] == ["approved", "approved", "approved", "review"]
    assert filed[3].signals == ["same_screenshot_many_buyers"]
    assert ClaimScreenshot.objects.filter(claim=filed[3]).get().phash == ClaimScreenshot.objects.first().phash


def test_the_same_key_returns_the_first_claim_and_pays_once():
    order = enrolled_order()
    offer()
    first = file(order, key="same")
    assert file(order, key="same").pk == first.pk
    assert Claim.objects.count() == 1 and Refund.objects.filter(kind="payout").count() == 1


def test_a_second_claim_on_a_paid_line_is_refused_as_already_compensated():
    order = enrolled_order()
    offer()
    file(order, key="a")
    assert file(order, key="b").reason_code == "claim_already_compensated"


def test_a_second_claim_while_one_is_in_review_is_409():
    order = enrolled_order()
    file(order, key="a")
    with pytest.raises(Conflict) as refused:
        file(order, key="b")
    assert refused.value.code == "claim_in_review"
    assert Claim.objects.count() == 1


def test_another_buyers_order_is_404_and_nothing_is_written():
    order = enrolled_order()
    with pytest.raises(NotFound):
        file(order, buyer=f.buyer())
    assert not Claim.objects.exists()


def test_the_caps_refuse_the_sixth_paid_claim_in_30_days():
    buyer = f.buyer()
    for i in range(5):
        order = enrolled_order(buyer=buyer)
        offer(url=f"https://item.jd.com/{i}.html")
        assert file(order, key=f"c{i}", url=f"https://item.jd.com/{i}.html").state == "approved"
    order = enrolled_order(buyer=buyer)
    offer(url="https://item.jd.com/6.html")
    assert file(order, key="c6", url="https://item.jd.com/6.html").reason_code == "claim_cap_claims"


def test_a_coupon_paid_claim_issues_a_no_threshold_coupon_usable_at_checkout():
    order = enrolled_order()
    offer()
    claim = file(order, pay_to="coupon")
    coupon = Coupon.objects.get(key=claims.claim_key(claim.pk))
    assert (coupon.amount_fen, coupon.threshold_fen, coupon.buyer_id) == (2000, 0, order.buyer_id)
    assert not Refund.objects.filter(kind="payout").exists()
    sku = f.product(price_fen=5000).skus.get()
    checkout = f.checkout_with_coupons(order.buyer, [(sku, 1)], [coupon.pk])
    assert checkout.orders.get().discount_fen == 2000
    coupon.refresh_from_db()
    assert coupon.state == Coupon.State.USED
    assert_audit_clean()


def test_a_later_full_refund_of_the_line_deducts_the_compensation():
    order = enrolled_order(price_fen=10000, quantity=2)
    offer(price_fen=9000)
    file(order)
    line = order.lines.get()
    refund = orders.refund_lines(order, {line.pk: line.total_fen}, key="all", reason="return")
    assert refund.amount_fen == 20000 - 2000
    run_worker()
    assert_audit_clean()


def test_bad_evidence_is_refused_with_its_code_and_writes_nothing():
    order = enrolled_order()
    cases = [
        ({"url": "http://item.jd.com/1.html"}, "listing_url_not_https"),
        ({"url": "https://evil.example.com/jd.com"}, "listing_not_on_platform"),
        ({"price_seen": "0"}, "claim_price_invalid"),
        ({"price_seen": "-5"}, "claim_price_invalid"),
        ({"price_seen": "12.345"}, "claim_price_invalid"),
        ({"price_seen": "99999999"}, "claim_price_invalid"),
        ({"pay_to": "cash"}, "claim_pay_to"),
    ]
    for changes, code in cases:
        with pytest.raises(AnxinError) as refused:
            file(order, **changes)
        assert refused.value.code == code, changes
    assert not Claim.objects.exists()


def test_a_screenshot_that_is_not_a_picture_refuses_the_claim_and_stores_nothing(tmp_path, settings):
    order = enrolled_order()
    with pytest.raises(AnxinError) as refused:
        file(order, screenshots=[f.picture(size=(600, 400)), b"%PDF-1.4 not a picture"])
    assert refused.value.code == "image_type"
    assert not Claim.objects.exists() and not ClaimScreenshot.objects.exists()


def test_more_than_three_screenshots_are_refused():
    order = enrolled_order()
    with pytest.raises(AnxinError) as refused:
        file(order, screenshots=[f.picture(size=(600, 400))] * 4)
    assert refused.value.code == "too_many_images"


def test_an_enrollment_started_after_payment_does_not_count():
    order = enrolled_order(enrolled=False)
    enroll(order.lines.get().sku, starts_at=clock.now() + timedelta(minutes=1))
    offer()
    assert file(order).reason_code == "claim_not_enrolled"
