"""Checkout: one order per merchant, prices with personalization, idempotency, bad input, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.core.models import Event
from anxin.inventory.models import Stock
from anxin.orders.models import Checkout, Order, OrderLine
from anxin.shipping.queries import geography
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_cart_of_two_shops_becomes_two_orders_paid_together():
    a, b = f.product(price_fen=3000), f.product(price_fen=20000)
    checkout = f.placed_checkout(lines=[(a.skus.first(), 2), (b.skus.first(), 1)])
    orders = {o.merchant_id: o for o in checkout.orders.all()}
    assert set(orders) == {a.merchant_id, b.merchant_id}
    assert (orders[a.merchant_id].goods_fen, orders[a.merchant_id].shipping_fen) == (6000, 600)
    assert (orders[b.merchant_id].goods_fen, orders[b.merchant_id].shipping_fen) == (20000, 0)
    assert checkout.total_fen == 6000 + 600 + 20000


def test_the_flat_fee_is_waived_from_the_free_shipping_threshold():
    cheap, dear = f.product(price_fen=4000), f.product(price_fen=9900)
    checkout = f.placed_checkout(lines=[(cheap.skus.first(), 1)])
    assert checkout.orders.get().shipping_fen == 600
    checkout = f.placed_checkout(lines=[(dear.skus.first(), 1)])
    assert checkout.orders.get().shipping_fen == 0


def test_stock_is_held_at_checkout_and_the_cart_emptied():
    item = f.product(stock=5)
    buyer = f.buyer()
    f.placed_checkout(buyer, lines=[(item.skus.first(), 3)])
    stock = Stock.objects.get(sku=item.skus.first())
    assert (stock.available, stock.allocated) == (2, 3)
    assert not CartLine.objects.filter(cart__buyer=buyer).exists()


def test_personalization_answers_and_option_prices_reach_the_order_line():
    perfume = f.product(price_fen=29900)
    notes = f.choice_question(
        perfume, [("玫瑰", 1000), ("雪松", 0), ("琥珀", 500), ("柑橘", 0)], min_select=3, max_select=3
    )
    message = f.text_question(perfume, label="瓶身留言", max_chars=20, position=2)
    ids = list(notes.options.values_list("pk", flat=True))
    buyer = f.buyer()
    checkouts.add_to_cart(buyer, perfume.skus.first().pk, 1, {str(notes.pk): ids[:3], str(message.pk): "生日快乐"})
    checkout = checkouts.place_order(buyer, address_id=f.address(buyer).pk, idempotency_key="p1")
    line = OrderLine.objects.get(order__checkout=checkout)
    assert line.unit_price_fen == 29900 + 1500
    assert [o["label"] for o in line.answers[0]["options"]] == ["玫瑰", "雪松", "琥珀"]
    assert line.answers[1]["text"] == "生日快乐"


def test_the_same_sku_with_another_name_is_another_line():
    boots = f.product()
    name = f.text_question(boots)
    buyer = f.buyer()
    sku = boots.skus.first()
    checkouts.add_to_cart(buyer, sku.pk, 1, {str(name.pk): "Ada"})
    checkouts.add_to_cart(buyer, sku.pk, 1, {str(name.pk): "Ada"})
    checkouts.add_to_cart(buyer, sku.pk, 1, {str(name.pk): "Bob"})
    assert sorted(CartLine.objects.filter(cart__buyer=buyer).values_list("quantity", flat=True)) == [1, 2]


def test_the_same_idempotency_key_returns_the_first_checkout():
    buyer = f.buyer()
    item = f.product(stock=10)
    first = f.placed_checkout(buyer, lines=[(item.skus.first(), 1)], key="same")
    checkouts.add_to_cart(buyer, item.skus.first().pk, 4)
    again = checkouts.place_order(buyer, address_id=buyer.addresses.first().pk, idempotency_key="same")
    assert again.pk == first.pk
    assert Checkout.objects.count() == 1
    assert Stock.objects.get(sku=item.skus.first()).allocated == 1


def test_checkout_sent_twice_through_the_api_creates_one_order_set():
    buyer = f.buyer()
    addr = f.address(buyer)
    client = f.api_client(buyer)
    f.post_json(client, "/api/cart/lines", {"sku_id": f.product().skus.first().pk, "quantity": 1})
    first = f.post_json(client, "/api/checkouts", {"address_id": addr.pk}, **{"Idempotency-Key": "twice"})
    second = f.post_json(client, "/api/checkouts", {"address_id": addr.pk}, **{"Idempotency-Key": "twice"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Order.objects.count() == 1


def test_checkout_without_an_idempotency_key_is_refused():
    buyer = f.buyer()
    addr = f.address(buyer)
    client = f.api_client(buyer)
    f.post_json(client, "/api/cart/lines", {"sku_id": f.product().skus.first().pk, "quantity": 1})
    r = f.post_json(client, "/api/checkouts", {"address_id": addr.pk})
    assert r.status_code == 400
    assert r.json()["code"] == "idempotency_key_required"
    assert Order.objects.count() == 0


def test_an_order_event_is_recorded_with_each_order():
    checkout = f.placed_checkout()
    order = checkout.orders.get()
    assert Event.objects.filter(kind="order.placed", subject_id=order.pk).exists()


def _checkout_queries(line_count: int) -> list[str]:
    buyer = f.buyer()
    addr = f.address(buyer)
    for i in range(line_count):
        item = f.product(f.merchant() if i % 2 else None)
        name = f.text_question(item)
        checkouts.add_to_cart(buyer, item.skus.first().pk, 1, {str(name.pk): f"n{i}"})
    geography()  # per-process cache of provinces, as in a warm server
    with CaptureQueriesContext(connection) as ctx:
        checkouts.place_order(buyer, address_id=addr.pk, idempotency_key=f"q{line_count}")
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_checkout_queries_do_not_grow_with_lines_or_shops():
    one, many = _checkout_queries(1), _checkout_queries(10)
    assert len(many) == len(one), "\n".join(q[:120] for q in many)
    assert len(one) <= 20


def test_checkout_api_call_stays_within_its_query_budget(django_assert_max_num_queries):
    buyer = f.buyer()
    addr = f.address(buyer)
    client = f.api_client(buyer)
    for _ in range(5):
        f.post_json(client, "/api/cart/lines", {"sku_id": f.product().skus.first().pk, "quantity": 1})
    with django_assert_max_num_queries(25):
        r = f.post_json(client, "/api/checkouts", {"address_id": addr.pk}, **{"Idempotency-Key": "budget"})
    assert r.status_code == 201


def test_the_order_keeps_the_address_as_it_was_with_its_region_names():
    buyer = f.buyer()
    address = f.address(buyer, "650000", "650100", "650102")
    checkout = f.placed_checkout(buyer)
    address.street = "改过的地址"
    address.save()
    snapshot = checkout.orders.get().address
    assert (snapshot["province_name"], snapshot["city_name"]) == ("新疆维吾尔自治区", "乌鲁木齐市")
    assert snapshot["county_name"] == "天山区"
    assert snapshot["street"] == "文三路 100 号"
