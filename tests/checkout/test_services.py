"""The cart changes under the buyer: a SKU taken off sale, a new price, other questions, before checkout."""

import pytest

from anxin.catalog.models import SKU, PersonalizationQuestion
from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.core.errors import AnxinError
from anxin.inventory.models import Stock
from anxin.orders.models import OrderLine
from tests import factories as f
from tests.orders.helpers import row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def boots():
    """Boots with a name printed on them (at most 10 characters) and a lace colour that costs extra."""
    item = f.product(price_fen=30000, stock=5, title="定制足球鞋")
    name = f.text_question(item, label="鞋舌印字", max_chars=10)
    laces = f.choice_question(item, [("红", 500), ("白", 0)], label="鞋带")
    return item, name, laces


@pytest.fixture
def in_cart(boots):
    """A buyer with the boots (named "Ada", red laces) in the cart and an address."""
    item, name, laces = boots
    buyer = f.buyer()
    address = f.address(buyer)
    red = laces.options.get(label="红")
    line = checkouts.add_to_cart(buyer, item.skus.first().pk, 2, {str(name.pk): "Ada", str(laces.pk): [red.pk]})
    return buyer, address, line


def place(buyer, address):
    return checkouts.place_order(buyer, address_id=address.pk, idempotency_key=f"k-{f.n()}")


def refused_checkout(buyer, address, line) -> AnxinError:
    """Checkout refused: the error names the line, nothing is written, the cart line is still there."""
    before = row_counts()
    with pytest.raises(AnxinError) as caught:
        place(buyer, address)
    assert f"lines.{line.pk}" in caught.value.fields
    assert row_counts() == before
    assert CartLine.objects.get(pk=line.pk).quantity == line.quantity
    assert Stock.objects.get(sku=line.sku).allocated == 0
    return caught.value


@pytest.mark.parametrize("taken_off", ["sku", "product", "merchant"])
def test_a_line_taken_off_sale_after_it_went_into_the_cart_stops_the_checkout(in_cart, taken_off):
    buyer, address, line = in_cart
    target = {"sku": line.sku, "product": line.sku.product, "merchant": line.sku.product.merchant}[taken_off]
    type(target).objects.filter(pk=target.pk).update(is_active=False)
    error = refused_checkout(buyer, address, line)
    assert (error.status, error.code) == (400, "unknown_sku")
    assert "定制足球鞋" in error.message


def test_a_new_required_question_after_the_line_went_into_the_cart_stops_the_checkout(boots, in_cart):
    buyer, address, line = in_cart
    f.text_question(boots[0], label="尺码备注", required=True, position=5)
    error = refused_checkout(buyer, address, line)
    assert (error.status, error.code) == (400, "invalid_personalization")


def test_a_tighter_text_limit_than_the_answer_stops_the_checkout(boots, in_cart):
    buyer, address, line = in_cart
    PersonalizationQuestion.objects.filter(pk=boots[1].pk).update(max_chars=2)
    error = refused_checkout(buyer, address, line)
    assert (error.status, error.code) == (400, "invalid_personalization")


def test_a_chosen_option_withdrawn_after_the_line_went_into_the_cart_stops_the_checkout(boots, in_cart):
    buyer, address, line = in_cart
    boots[2].options.filter(label="红").delete()
    error = refused_checkout(buyer, address, line)
    assert (error.status, error.code) == (400, "invalid_personalization")


def test_a_new_sku_price_is_the_price_the_cart_shows_and_the_order_charges(in_cart):
    """The cart shows the SKU's price of today, so checkout charges that one."""
    buyer, address, line = in_cart
    SKU.objects.filter(pk=line.sku_id).update(price_fen=25000)
    shown = checkouts.cart_unit_price(CartLine.objects.select_related("sku").get(pk=line.pk))
    checkout = place(buyer, address)
    ordered = OrderLine.objects.get(order__checkout=checkout)
    assert shown == ordered.unit_price_fen == 25000 + 500
    assert ordered.total_fen == 2 * 25500


def test_an_option_repriced_after_the_line_went_into_the_cart_stops_the_checkout(boots, in_cart):
    """The cart line keeps the option's price as it was added; charging another one would surprise the buyer."""
    buyer, address, line = in_cart
    boots[2].options.filter(label="红").update(price_delta_fen=800)
    error = refused_checkout(buyer, address, line)
    assert (error.status, error.code) == (409, "price_changed")
    assert "¥308.00" in error.message


def test_only_the_chosen_lines_are_checked_and_ordered(in_cart):
    buyer, address, line = in_cart
    other = f.product(price_fen=5000)
    kept = checkouts.add_to_cart(buyer, other.skus.first().pk, 1)
    SKU.objects.filter(pk=line.sku_id).update(is_active=False)
    checkout = checkouts.place_order(buyer, address_id=address.pk, idempotency_key="chosen", line_ids=[kept.pk])
    assert list(OrderLine.objects.filter(order__checkout=checkout).values_list("sku_id", flat=True)) == [kept.sku_id]
    assert list(CartLine.objects.filter(cart__buyer=buyer).values_list("pk", flat=True)) == [line.pk]


def test_one_key_reused_for_another_address_is_refused_and_nothing_is_written(in_cart):
    buyer, address, _line = in_cart
    first = checkouts.place_order(buyer, address_id=address.pk, idempotency_key="once")
    assert checkouts.place_order(buyer, address_id=address.pk, idempotency_key="once") == first
    other_address = f.address(buyer)
    before = row_counts()
    with pytest.raises(AnxinError) as refused:
        checkouts.place_order(buyer, address_id=other_address.pk, idempotency_key="once")
    assert (refused.value.status, refused.value.code) == (409, "idempotency_key_reused")
    with pytest.raises(AnxinError) as refused:
        checkouts.place_order(buyer, address_id=address.pk, idempotency_key="once", line_ids=[_line.pk])
    assert refused.value.code == "idempotency_key_reused"
    assert row_counts() == before


def test_the_checkout_page_places_and_opens_the_payment_in_one_step(in_cart):
    buyer, address, _line = in_cart
    payment = checkouts.place_and_start_payment(buyer, address_id=address.pk, idempotency_key="page-1")
    checkout = payment.checkout
    assert checkout.buyer == buyer and checkout.state == "pending_payment"
    assert (payment.amount_fen, payment.state) == (checkout.total_fen, "pending")
    again = checkouts.place_and_start_payment(buyer, address_id=address.pk, idempotency_key="page-1")
    assert again.pk == payment.pk


def test_paying_a_checkout_the_buyer_cancelled_says_cancelled_not_timed_out(in_cart):
    from anxin.orders import services as orders

    buyer, address, _line = in_cart
    checkout = place(buyer, address)
    orders.cancel_order(buyer, checkout.orders.first().pk)
    with pytest.raises(AnxinError) as refused:
        checkouts.start_payment(buyer, checkout.pk)
    assert (refused.value.status, refused.value.code) == (409, "checkout_cancelled")
