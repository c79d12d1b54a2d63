"""价保 on the order pages: the buyer's window, 已保价 and 申请价保; the merchant's payouts."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from anxin.core import clock
from anxin.guarantee.models import ProtectionPayout
from anxin.orders import services as orders
from tests import factories as f
from tests.guarantee.protection_support import protected_order, run_worker, set_price
from tests.pages_helpers import chinese_by_default  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def test_the_buyer_sees_the_window_in_beijing_time_and_the_claim_button(client):
    order = protected_order(days=7)
    client.force_login(order.buyer)
    page = client.get(f"/orders/{order.pk}/")
    ends = (order.paid_at + timedelta(days=7)).astimezone(BEIJING).strftime("%m-%d %H:%M")
    assert f"价保 7 天（至 {ends}）" in page.text
    assert "申请价保" in page.text and "已保价" not in page.text


def test_the_claim_button_pays_and_the_page_says_how_much(client):
    order = protected_order(price_fen=10000, quantity=2)
    set_price(order, 9000)
    client.force_login(order.buyer)
    r = client.post(f"/orders/{order.pk}/price-protection/", {"line": order.lines.get().pk}, follow=True)
    assert r.redirect_chain[-1][0] == f"/orders/{order.pk}/"
    assert "已保价 ¥20.00" in r.text
    assert ProtectionPayout.objects.get().amount_fen == 2000


def test_a_refused_claim_shows_why_with_409_and_pays_nothing(client):
    order = protected_order()
    client.force_login(order.buyer)
    r = client.post(f"/orders/{order.pk}/price-protection/", {"line": order.lines.get().pk})
    assert r.status_code == 409
    assert "当前价格未低于您的购买价，无需保价。" in r.text
    assert not ProtectionPayout.objects.exists()


def test_another_buyers_line_is_404(client):
    order = protected_order()
    set_price(order, 9000)
    other = protected_order()
    client.force_login(order.buyer)
    assert client.post(f"/orders/{order.pk}/price-protection/", {"line": other.lines.get().pk}).status_code == 404
    assert client.post(f"/orders/{order.pk}/price-protection/", {"line": "x"}).status_code == 404
    assert not ProtectionPayout.objects.exists()


def test_after_the_window_the_button_is_gone_and_the_paid_amount_stays(client):
    order = protected_order(days=7)
    set_price(order, 9500)
    run_worker()
    clock.advance(timedelta(days=8))
    client.force_login(order.buyer)
    page = client.get(f"/orders/{order.pk}/")
    assert "已保价 ¥10.00" in page.text and "申请价保</button>" not in page.text


def test_the_merchant_sees_the_payouts_charged_to_the_shop(client):
    order = protected_order(price_fen=10000, quantity=1)
    set_price(order, 9000)
    run_worker()
    client.force_login(f.staff(order.merchant))
    page = client.get(f"/seller/orders/{order.pk}/")
    assert "价保赔付（由店铺承担）" in page.text and "降价自动保价" in page.text
    assert 'data-total="1000"' in page.text


def test_the_buyer_section_in_english(client):
    order = protected_order(days=15)
    client.force_login(order.buyer)
    page = client.get(f"/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "15-day price protection" in page.text and "Claim price protection" in page.text


def test_a_cancelled_order_offers_no_claim(client):
    order = protected_order()
    orders.cancel(order.pk, reason="buyer_cancelled")
    client.force_login(order.buyer)
    page = client.get(f"/orders/{order.pk}/")
    assert "价保 7 天" in page.text and "申请价保</button>" not in page.text
