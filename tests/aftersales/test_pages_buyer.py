"""The buyer's after-sales pages through the test client: 申请售后, the case page and its steps, the tab."""

from datetime import timedelta

import pytest

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, Evidence
from anxin.fulfilment.services import ensure_builtin_carriers
from tests import factories as f
from tests.aftersales.conftest import ask, delivered, paid_order, run_worker_after, settle_refunds, shipped, tracking
from tests.orders.helpers import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _carriers():
    ensure_builtin_carriers()


def _line(order):
    return order.lines.order_by("pk").first()


def _new_url(order) -> str:
    return f"/orders/{order.pk}/lines/{_line(order).pk}/aftersales/"


def _returning(client, **order_fields) -> Case:
    """An approved return waiting for the buyer's parcel, the buyer logged in."""
    order = delivered(paid_order(**order_fields))
    case = services.approve(f.staff(order.merchant), ask(order, rules.RETURN_REFUND, rules.NO_REASON).pk)
    client.force_login(order.buyer)
    return case


def test_the_order_page_offers_after_sales_on_a_delivered_line_and_not_before_shipping(client):
    order = paid_order()
    client.force_login(order.buyer)
    assert "申请售后" not in client.get(f"/orders/{order.pk}/").text
    delivered(order)
    page = client.get(f"/orders/{order.pk}/").text
    assert "申请售后" in page and _new_url(order) in page


def test_a_line_past_its_window_says_why_instead_of_offering(client):
    order = delivered(paid_order())
    run_worker_after(timedelta(days=17))
    client.force_login(order.buyer)
    page = client.get(f"/orders/{order.pk}/").text
    assert "申请售后" not in page and "已超过签收后 15 天的售后期限" in page


def test_the_form_offers_only_what_is_allowed_and_says_why_not(client):
    order = delivered(paid_order(no_reason_return="no"))
    client.force_login(order.buyer)
    r = client.get(_new_url(order))
    assert r.status_code == 200
    assert 'value="return_refund"' in r.text and 'value="refund_unshipped"' not in r.text
    assert 'value="no_reason"' not in r.text and "这件商品不支持七天无理由退货" in r.text
    assert 'value="rotten"' not in r.text and "只有生鲜商品可以选择" in r.text


def test_a_request_through_the_form_opens_the_case_with_its_images(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = delivered(paid_order(price_fen=2000, quantity=2))
    client.force_login(order.buyer)
    data = {"kind": "refund_only", "reason": "quality", "quantity": "1", "amount": "15.5", "description": "开线了"}
    r = client.post(_new_url(order), {**data, "images": [f.upload(), f.upload()]})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/aftersales/{case.pk}/"
    assert (case.kind, case.reason, case.asked_fen, case.lines.get().quantity) == ("refund_only", "quality", 1550, 1)
    assert Evidence.objects.filter(case=case).count() == 2
    page = client.get(r["Location"]).text
    assert "开线了" in page and "¥15.50" in page and "待商家处理" in page and "data-countdown" in page


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"kind": "refund_only", "reason": "", "quantity": "1"}, 400, "请选择售后原因。"),
        ({"kind": "refund_only", "reason": "quality", "quantity": "1", "amount": "abc"}, 400, "请输入金额"),
        ({"kind": "refund_only", "reason": "quality", "quantity": "2", "amount": "40.01"}, 400, "退款金额最多 ¥40.00"),
        ({"kind": "refund_only", "reason": "quality", "quantity": "9"}, 400, "小于或等于2"),
        ({"kind": "refund_only", "reason": "rotten", "quantity": "1"}, 400, "这个售后原因现在不能选择"),
        ({"kind": "return_refund", "reason": "late_delivery", "quantity": "1"}, 400, "物流延误只能申请仅退款。"),
    ],
)
def test_a_bad_request_shows_the_form_again_as_typed_and_writes_nothing(client, data, status, message):
    order = delivered(paid_order(price_fen=2000, quantity=2))
    client.force_login(order.buyer)
    before = row_counts()
    r = client.post(_new_url(order), {**data, "description": "保留这段话"})
    assert r.status_code == status
    assert message in r.text and "保留这段话" in r.text and 'class="field-error"' in r.text
    assert row_counts() == before


def test_nine_images_are_refused_beside_the_images_field(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = delivered(paid_order())
    client.force_login(order.buyer)
    data = {"kind": "refund_only", "reason": "quality", "quantity": "1", "images": [f.upload() for _ in range(9)]}
    before = row_counts()
    r = client.post(_new_url(order), data)
    assert r.status_code == 400 and "凭证图片最多 8 张" in r.text
    assert row_counts() == before and not any(tmp_path.rglob("*.*"))


def test_a_second_open_case_on_a_line_is_refused(client):
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    client.force_login(order.buyer)
    assert f"/aftersales/{case.pk}/" in client.get(f"/orders/{order.pk}/").text
    r = client.post(_new_url(order), {"kind": "refund_only", "reason": "quality", "quantity": "1"})
    assert r.status_code in {400, 409} and Case.objects.count() == 1


def test_another_buyers_order_line_and_case_are_not_found(client):
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    client.force_login(f.buyer())
    assert client.get(_new_url(order)).status_code == 404
    assert client.get(f"/aftersales/{case.pk}/").status_code == 404
    before = row_counts()
    for step in ("withdraw", "accept_offer", "return", "escalate", "message"):
        assert client.post(f"/aftersales/{case.pk}/{step}/", {"text": "x"}).status_code == 404, step
    assert row_counts() == before
    case.refresh_from_db()
    assert case.state == rules.PENDING_MERCHANT


def test_the_shops_staff_and_ops_do_not_get_the_buyers_pages(client):
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    for person in (f.staff(order.merchant), f.ops()):
        client.force_login(person)
        assert client.get(f"/aftersales/{case.pk}/").status_code == 404
        assert client.get(_new_url(order)).status_code == 404
    client.logout()
    assert client.get(f"/aftersales/{case.pk}/").status_code == 302  # to the login page


def test_shipping_the_return_brings_the_instant_refund_and_the_timeline_shows_it(client):
    case = _returning(client)
    page = client.get(f"/aftersales/{case.pk}/").text
    assert 'id="return-form"' in page and "撤销申请" in page
    number = tracking()
    r = client.post(f"/aftersales/{case.pk}/return/", {"carrier": "顺丰速运", "tracking_number": number})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.instant) == (rules.RETURN_SHIPPED, True)
    page = client.get(f"/aftersales/{case.pk}/", follow=True).text
    assert "极速退款" in page and "退款中" in page and number in page and 'id="return-form"' not in page
    settle_refunds()
    page = client.get(f"/aftersales/{case.pk}/").text
    assert "退款成功" in page and "已退回原支付账户" in page
    timeline = page[page.index('id="case-timeline"') :]
    assert timeline.index("提交售后申请") < timeline.index("同意") < timeline.index("寄回商品")


def test_a_bad_tracking_number_is_shown_beside_its_field_and_nothing_moves(client):
    case = _returning(client)
    before = row_counts()
    r = client.post(f"/aftersales/{case.pk}/return/", {"carrier": "顺丰速运", "tracking_number": "123"})
    assert r.status_code == 400 and 'class="field-error"' in r.text and 'value="123"' in r.text
    assert row_counts() == before
    r = client.post(f"/aftersales/{case.pk}/return/", {"carrier": "", "tracking_number": ""})
    assert r.status_code == 400 and "请选择快递公司。" in r.text and "请填写退货运单号。" in r.text


def test_a_step_the_state_does_not_allow_is_a_409_with_its_message(client):
    case = _returning(client)
    before = row_counts()
    r = client.post(f"/aftersales/{case.pk}/accept_offer/")
    assert r.status_code == 409 and "售后单当前的状态不能进行这一步" in r.text
    assert row_counts() == before


def test_the_buyer_withdraws(client):
    case = _returning(client)
    r = client.post(f"/aftersales/{case.pk}/withdraw/")
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == rules.CLOSED
    assert "撤销申请" not in client.get(f"/aftersales/{case.pk}/").text.split('id="case-timeline"')[0]
    before = row_counts()
    r = client.post(f"/aftersales/{case.pk}/return/", {"carrier": "顺丰速运", "tracking_number": tracking()})
    assert r.status_code == 409 and 'id="case-error"' in r.text and "售后单当前的状态不能进行这一步" in r.text
    assert 'id="return-form"' not in r.text and row_counts() == before


def test_the_buyer_accepts_or_declines_the_merchants_offer(client):
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED)
    services.offer(f.staff(order.merchant), case.pk, 1000)
    client.force_login(order.buyer)
    assert "接受部分退款 ¥10.00" in client.get(f"/aftersales/{case.pk}/").text
    assert client.post(f"/aftersales/{case.pk}/decline_offer/").status_code == 302
    case.refresh_from_db()
    assert case.state == rules.REJECTED
    other = delivered(paid_order(buyer=order.buyer))
    second = ask(other, rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED)
    services.offer(f.staff(other.merchant), second.pk, 1000)
    assert client.post(f"/aftersales/{second.pk}/accept_offer/").status_code == 302
    second.refresh_from_db()
    assert (second.state, second.refunded_fen) == (rules.REFUNDED, 1000)


def test_a_rejected_buyer_escalates_with_evidence_and_a_blank_reason_is_refused(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = delivered(paid_order())
    case = services.reject(f.staff(order.merchant), ask(order, rules.REFUND_ONLY, rules.QUALITY).pk, "没有问题")
    client.force_login(order.buyer)
    before = row_counts()
    r = client.post(f"/aftersales/{case.pk}/escalate/", {"text": ""})
    assert r.status_code == 400 and "请说明申请平台介入的理由。" in r.text and row_counts() == before
    r = client.post(f"/aftersales/{case.pk}/escalate/", {"text": "明明有划痕", "images": [f.upload()]})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == rules.ARBITRATION and case.evidence.count() == 1
    page = client.get(f"/aftersales/{case.pk}/").text
    assert "明明有划痕" in page and "平台客服" in page and "<img" in page


def test_a_late_replacement_becomes_a_refund_and_a_shipped_one_is_confirmed(client):
    order = delivered(paid_order())
    case = services.approve(f.staff(order.merchant), ask(order, rules.RESEND, rules.MISSING_ITEM).pk)
    run_worker_after(timedelta(hours=48))
    client.force_login(order.buyer)
    assert "改为退款" in client.get(f"/aftersales/{case.pk}/").text
    assert client.post(f"/aftersales/{case.pk}/convert_to_refund/").status_code == 302
    case.refresh_from_db()
    assert case.state == rules.REFUNDED
    other = delivered(paid_order(buyer=order.buyer))
    resend = services.approve(f.staff(other.merchant), ask(other, rules.RESEND, rules.MISSING_ITEM).pk)
    services.ship_replacement(f.staff(other.merchant), resend.pk, carrier="顺丰速运", tracking_number=tracking())
    assert client.post(f"/aftersales/{resend.pk}/confirm_replacement/").status_code == 302
    resend.refresh_from_db()
    assert resend.state == rules.COMPLETED


def test_a_message_with_a_picture_joins_the_timeline_and_an_empty_one_is_refused(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY)
    client.force_login(order.buyer)
    before = row_counts()
    r = client.post(f"/aftersales/{case.pk}/message/", {"text": ""})
    assert r.status_code == 400 and "请填写留言或上传图片。" in r.text and row_counts() == before
    r = client.post(f"/aftersales/{case.pk}/message/", {"text": "补充一张照片", "images": [f.upload()]})
    assert r.status_code == 302
    page = client.get(f"/aftersales/{case.pk}/").text
    assert "补充一张照片" in page and case.evidence.count() == 1


def test_the_tab_lists_the_buyers_cases_newest_first_with_the_next_step(client):
    buyer = f.buyer()
    first = ask(delivered(paid_order(buyer=buyer)), rules.REFUND_ONLY, rules.QUALITY)
    run_worker_after(timedelta(hours=1))
    second = ask(delivered(paid_order(buyer=buyer)), rules.RETURN_REFUND, rules.NO_REASON)
    ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)  # another buyer's
    client.force_login(buyer)
    orders_page = client.get("/orders/").text
    assert 'href="/aftersales/" data-tab="aftersales"' in orders_page
    r = client.get("/aftersales/")
    assert r.status_code == 200 and 'data-tab="aftersales" class="active"' in r.text
    rows = [part.split('"')[0] for part in r.text.split('data-case="')[1:]]
    assert rows == [str(second.pk), str(first.pk)]
    assert "下一步：商家" in r.text and "data-countdown" in r.text


def test_a_made_personalised_cancel_tells_the_buyer_it_waits_for_the_merchant(client):
    order = paid_order()
    line = _line(order)
    line.answers = [{"kind": "text", "label": "印字", "text": "小明"}]
    line.made_at = order.paid_at
    line.save()
    client.force_login(order.buyer)
    assert client.post(f"/orders/{order.pk}/cancel/").status_code == 302
    page = client.get(f"/orders/{order.pk}/").text
    assert "取消订单需要商家审核" in page and "已付款" in page


def test_a_shipped_not_delivered_line_offers_refund_only(client):
    order = shipped(paid_order())
    client.force_login(order.buyer)
    r = client.get(_new_url(order))
    assert 'value="refund_only"' in r.text and 'value="return_refund"' not in r.text
    assert "商品签收后才能申请退货、换货或补寄" in r.text


def test_rotten_fresh_goods_need_a_photo_and_with_one_are_refunded_at_once(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = delivered(paid_order(is_fresh=True, price_fen=5000, quantity=1))
    client.force_login(order.buyer)
    data = {"kind": "refund_only", "reason": "rotten", "quantity": "1"}
    before = row_counts()
    r = client.post(_new_url(order), data)
    assert r.status_code == 400 and "“坏了包退”需要至少一张照片。" in r.text and row_counts() == before
    r = client.post(_new_url(order), {**data, "images": [f.upload()]})
    case = Case.objects.get()
    assert r.status_code == 302 and (case.state, case.approved_at_once) == (rules.REFUNDED, True)
    page = client.get(f"/aftersales/{case.pk}/").text
    assert "自动同意" in page and "退款中" in page and 'id="next-step"' not in page and 'id="message-form"' not in page
