"""Personalized lines marked made by the merchant: per line or per order, with the time, once; only while the
order waits to ship; never another shop's."""

import pytest

from anxin.checkout import services as checkouts
from anxin.core.errors import Conflict, NotFound
from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.orders import services
from anxin.orders.models import OrderLine
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def two_line_order():
    shop = f.merchant()
    buyer = f.buyer()
    first, second = f.product(shop), f.product(shop)
    plain = f.product(shop)
    for item, name in ((first, "李雷"), (second, "韩梅梅")):
        question = f.text_question(item)
        checkouts.add_to_cart(buyer, item.skus.first().pk, 1, {str(question.pk): name})
    checkouts.add_to_cart(buyer, plain.skus.first().pk, 1, {})
    address = f.address(buyer)
    checkout = checkouts.place_order(buyer, address_id=address.pk, idempotency_key=f"k-{f.n()}")
    payment = checkouts.start_payment(buyer, checkout.pk)
    checkouts.simulate_provider_approval(buyer, payment.pk)
    return checkout.orders.get()


def test_one_line_is_marked_made_with_its_time_and_an_event():
    order = paid_order(answers_text="李雷")
    line = order.lines.get()
    made = services.mark_made(f.staff(order.merchant), order.pk, line.pk)
    assert [m.pk for m in made] == [line.pk]
    line.refresh_from_db()
    assert line.made_at is not None
    assert Event.objects.filter(kind="order.lines_made", data__line_ids=[line.pk]).exists()


def test_the_whole_order_marks_every_personalized_line_not_yet_made():
    order = two_line_order()
    staff = f.staff(order.merchant)
    personalized = list(order.lines.exclude(answers=[]).order_by("pk"))
    services.mark_made(staff, order.pk, personalized[0].pk)
    made = services.mark_made(staff, order.pk, whole=True)
    assert [m.pk for m in made] == [personalized[1].pk]
    assert OrderLine.objects.get(order=order, answers=[]).made_at is None
    before = row_counts()
    with pytest.raises(Conflict) as caught:
        services.mark_made(staff, order.pk, whole=True)
    assert caught.value.code == "already_made"
    assert row_counts() == before


def test_another_shop_a_plain_line_or_a_shipped_order_is_refused():
    order = paid_order(answers_text="李雷")
    line = order.lines.get()
    with pytest.raises(NotFound):
        services.mark_made(f.staff(), order.pk, line.pk)
    plain = paid_order()
    with pytest.raises(NotFound):
        services.mark_made(f.staff(plain.merchant), plain.pk, plain.lines.get().pk)
    staff = f.staff(order.merchant)
    fulfilment.ship(staff, order.pk, carrier="SF", tracking_number="SF1000000000001")
    with pytest.raises(Conflict) as caught:
        services.mark_made(staff, order.pk, line.pk)
    assert caught.value.code == "not_in_production"
    line.refresh_from_db()
    assert line.made_at is None


def test_the_production_page_marks_a_line_and_shows_when(client):
    order = paid_order(answers_text="李雷")
    line = order.lines.get()
    client.force_login(f.staff(order.merchant))
    assert "标记已制作" in client.get("/seller/production/").text
    r = client.post(f"/seller/orders/{order.pk}/made/", {"line": str(line.pk)})
    assert r.status_code == 302 and r["Location"] == "/seller/production/"
    page = client.get("/seller/production/").text
    assert "已制作 ·" in page and "已标记 1 件定制商品制作完成" in page
    r = client.post(f"/seller/orders/{order.pk}/made/", {"line": "abc", "back": "order"})
    assert r["Location"] == f"/seller/orders/{order.pk}/"
    assert "找不到这个订单行" in client.get(r["Location"]).text
    dashboard = client.get("/seller/").text
    assert (
        'href="/seller/production/"><div class="muted small">待制作的定制商品</div><div class="n">0</div>' in dashboard
    )


def test_the_api_marks_made_strictly():
    order = paid_order(answers_text="李雷")
    client = f.api_client(f.staff(order.merchant))
    url = f"/api/seller/orders/{order.pk}/made"
    assert_refused(f.post_json(client, url, {"line_id": "1"}), 422, "invalid")
    r = f.post_json(client, url, {})
    assert r.status_code == 200 and r.json() == {"order_id": order.pk, "line_ids": [order.lines.get().pk]}
    assert_refused(f.post_json(client, url, {}), 409, "already_made")
    listed = client.get("/api/seller/production-list").json()
    assert listed["items"][0]["made_at"] is not None
