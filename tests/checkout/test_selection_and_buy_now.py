"""What a checkout buys: the cart's ticked lines (or those named), or one item bought now that leaves the cart
as it is; one service path with the same guarantees (stock held, idempotent by key and request, answers
re-checked, undeliverable lines refused before anything is held)."""

import pytest

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.core.errors import AnxinError
from anxin.inventory.models import Stock
from anxin.orders.models import Checkout, OrderLine
from tests import factories as f
from tests.fulfilment.helpers import URUMQI, baoyou_product
from tests.orders.helpers import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart():
    """A buyer in Hangzhou with three lines from two shops in the cart, all ticked (as new lines are)."""
    buyer = f.buyer()
    address = f.address(buyer)
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    lines = [
        checkouts.add_to_cart(buyer, f.product(shop, price_fen=price).skus.first().pk, 1)
        for shop, price in ((a, 1000), (a, 2000), (b, 3000))
    ]
    return buyer, address, lines, (a, b)


def place(buyer, address, key="k", **chosen):
    return checkouts.place_order(buyer, address_id=address.pk, idempotency_key=key, **chosen)


def ordered_skus(checkout) -> list[int]:
    return sorted(OrderLine.objects.filter(order__checkout=checkout).values_list("sku_id", flat=True))


def cart_ids(buyer) -> list[int]:
    return list(CartLine.objects.filter(cart__buyer=buyer).order_by("pk").values_list("pk", flat=True))


def refused(call, *args, **kwargs) -> AnxinError:
    with pytest.raises(AnxinError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_new_lines_start_ticked_and_a_line_a_shop_or_everything_can_be_unticked(cart):
    buyer, _address, (one, two, three), (a, _b) = cart
    assert all(line.selected for line in CartLine.objects.all())
    assert checkouts.select_cart_lines(buyer, False, line_ids=[one.pk]) == 1
    assert checkouts.select_cart_lines(buyer, False, merchant_id=a.pk) == 2
    assert list(CartLine.objects.filter(selected=True).values_list("pk", flat=True)) == [three.pk]
    assert checkouts.select_cart_lines(buyer, True) == 3
    assert CartLine.objects.filter(selected=False).count() == 0


def test_selecting_another_buyers_line_is_not_found_and_changes_nothing(cart):
    buyer, _address, (one, _two, _three), _shops = cart
    other = f.buyer()
    error = refused(checkouts.select_cart_lines, other, False, line_ids=[one.pk])
    assert (error.status, error.code) == (404, "cart_line_not_found")
    error = refused(checkouts.select_cart_lines, buyer, False, line_ids=[one.pk, 10**9])
    assert (error.status, error.code) == (404, "cart_line_not_found")
    assert CartLine.objects.filter(selected=False).count() == 0


def test_a_checkout_buys_only_the_ticked_lines_and_leaves_the_others_in_the_cart(cart):
    buyer, address, (one, two, three), (a, _b) = cart
    checkouts.select_cart_lines(buyer, False, line_ids=[two.pk])
    checkout = place(buyer, address)
    assert ordered_skus(checkout) == sorted([one.sku_id, three.sku_id])
    assert checkout.orders.count() == 2
    assert cart_ids(buyer) == [two.pk]
    assert Stock.objects.get(sku_id=two.sku_id).allocated == 0


def test_nothing_ticked_is_refused_as_an_empty_selection_and_nothing_is_written(cart):
    buyer, address, _lines, _shops = cart
    checkouts.select_cart_lines(buyer, False)
    before = row_counts()
    error = refused(place, buyer, address)
    assert (error.status, error.code) == (400, "empty_selection")
    error = refused(place, buyer, address, line_ids=[])
    assert error.code == "empty_selection"
    assert row_counts() == before


def test_naming_a_line_that_is_no_longer_in_the_cart_is_refused_and_nothing_is_held(cart):
    buyer, address, (one, _two, _three), _shops = cart
    before = row_counts()
    error = refused(place, buyer, address, line_ids=[one.pk, 10**9])
    assert (error.status, error.code) == (404, "cart_line_not_found")
    assert "lines.1000000000" in error.fields
    assert row_counts() == before
    assert Stock.objects.get(sku_id=one.sku_id).allocated == 0


def test_buy_now_orders_the_one_item_and_leaves_the_cart_as_it_is(cart):
    buyer, address, _lines, _shops = cart
    boots = f.product(price_fen=30000, stock=3, title="定制足球鞋")
    name = f.text_question(boots, label="鞋舌印字", max_chars=10)
    sku = boots.skus.first()
    before = [(line.pk, line.quantity, line.selected) for line in CartLine.objects.order_by("pk")]
    item = checkouts.BuyNow(sku.pk, 2, {str(name.pk): "Ada"})
    checkout = place(buyer, address, buy_now=item)
    (line,) = OrderLine.objects.filter(order__checkout=checkout)
    assert (line.sku_id, line.quantity, line.total_fen, line.answers[0]["text"]) == (sku.pk, 2, 60000, "Ada")
    assert [(line.pk, line.quantity, line.selected) for line in CartLine.objects.order_by("pk")] == before
    assert Stock.objects.get(sku_id=sku.pk).allocated == 2


def test_buy_now_checks_the_answers_the_quantity_and_the_stock_as_the_cart_does(cart):
    buyer, address, _lines, _shops = cart
    boots = f.product(price_fen=30000, stock=3)
    name = f.text_question(boots, label="鞋舌印字", max_chars=4)
    sku = boots.skus.first()
    before = row_counts()
    too_long = checkouts.BuyNow(sku.pk, 1, {str(name.pk): "Alexandra"})
    assert refused(place, buyer, address, buy_now=too_long).code == "invalid_personalization"
    assert refused(place, buyer, address, buy_now=checkouts.BuyNow(sku.pk, 0, {})).code == "invalid_quantity"
    assert refused(place, buyer, address, buy_now=checkouts.BuyNow(sku.pk, 4, {str(name.pk): "Ada"})).code == (
        "out_of_stock"
    )
    assert refused(checkouts.check_buy_now, sku.pk, 4, {str(name.pk): "Ada"}).code == "out_of_stock"
    assert refused(checkouts.check_buy_now, 10**9, 1, {}).code == "unknown_sku"
    assert row_counts() == before


def test_buy_now_and_line_ids_together_are_refused(cart):
    buyer, address, (one, _two, _three), _shops = cart
    item = checkouts.BuyNow(one.sku_id, 1, {})
    assert refused(place, buyer, address, line_ids=[one.pk], buy_now=item).code == "ambiguous_selection"


def test_the_same_key_and_selection_replays_the_first_checkout(cart):
    buyer, address, (one, two, _three), _shops = cart
    first = place(buyer, address, "same", line_ids=[one.pk, two.pk])
    assert place(buyer, address, "same", line_ids=[two.pk, one.pk]) == first
    item = checkouts.BuyNow(_three.sku_id, 1, {})
    bought = place(buyer, address, "now", buy_now=item)
    assert place(buyer, address, "now", buy_now=item) == bought
    assert Checkout.objects.count() == 2


def test_the_same_key_with_another_selection_or_item_is_refused_409_and_nothing_is_written(cart):
    buyer, address, (one, two, three), _shops = cart
    place(buyer, address, "once", line_ids=[one.pk])
    item = checkouts.BuyNow(three.sku_id, 1, {})
    place(buyer, address, "now", buy_now=item)
    before = row_counts()
    for chosen in ({"line_ids": [two.pk]}, {}, {"buy_now": item}):
        error = refused(place, buyer, address, "once", **chosen)
        assert (error.status, error.code) == (409, "idempotency_key_reused")
    error = refused(place, buyer, address, "now", buy_now=checkouts.BuyNow(three.sku_id, 2, {}))
    assert (error.status, error.code) == (409, "idempotency_key_reused")
    assert row_counts() == before


def test_an_undeliverable_line_is_refused_at_submit_with_its_code_and_nothing_is_held():
    buyer = f.buyer()
    urumqi = f.address(buyer, *URUMQI)
    fridge = baoyou_product(remote_deliverable=False, title="大号冰箱")
    cup = baoyou_product(title="保温杯")
    fridge_line = checkouts.add_to_cart(buyer, fridge.skus.first().pk, 1)
    checkouts.add_to_cart(buyer, cup.skus.first().pk, 1)
    before = row_counts()
    error = refused(place, buyer, urumqi)
    assert (error.status, error.code) == (400, "not_deliverable")
    assert "不支持配送到偏远地区" in error.fields[f"lines.{fridge_line.pk}"]
    assert row_counts() == before
    assert Stock.objects.filter(allocated__gt=0).count() == 0
    error = refused(place, buyer, urumqi, "now", buy_now=checkouts.BuyNow(fridge.skus.first().pk, 1, {}))
    assert error.code == "not_deliverable" and f"products.{fridge.pk}" in error.fields
    assert row_counts() == before


def test_the_plan_leaves_an_undeliverable_line_out_of_the_fee_and_the_total_and_names_the_hub():
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    shop = f.merchant(province_code="330000")
    fridge = baoyou_product(shop, remote_deliverable=False, title="大号冰箱")
    cup = baoyou_product(shop, title="保温杯")
    checkouts.add_to_cart(buyer, fridge.skus.first().pk, 1)
    checkouts.add_to_cart(buyer, cup.skus.first().pk, 2)
    (plan,) = checkouts.plan_orders(checkouts.items_to_buy(buyer), URUMQI[0])
    assert [item.sku.product_id for item in plan.items] == [cup.pk]
    assert [(item.sku.product_id, "偏远" in reason) for item, reason in plan.refused] == [(fridge.pk, True)]
    assert (plan.goods_fen, plan.quote.fee_fen, plan.total_fen) == (11800, 0, 11800)
    assert plan.hub_code == "610100" and plan.promise is not None
    order_placed = place(buyer, buyer.addresses.get(), line_ids=[item.cart_line_id for item in plan.items])
    order = order_placed.orders.get()
    assert (order.total_fen, order.hub_code, order.promise_latest) == (11800, "610100", plan.promise.latest)
