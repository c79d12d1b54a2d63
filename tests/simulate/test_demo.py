"""`anxin demo` builds a marketplace that obeys every rule: all order states, personalization, 31 provinces,
a balanced ledger and a clean audit; `--if-empty` leaves a database with shops alone.

The demo is built once for the module (at `--scale 0.1`, which still has every kind of product, buyers in
all 31 provinces and orders in every state) inside a transaction that is rolled back at the end.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from anxin.accounts.models import Address, User
from anxin.catalog.models import SKU, Merchant, PersonalizationQuestion, Product
from anxin.core import audit, clock, ledger
from anxin.core.models import Deadline, Event
from anxin.geo.data import PROVINCES
from anxin.orders import queries
from anxin.orders.models import Order, OrderLine
from anxin.simulate import data

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker):
    """Build the small demo once; everything it wrote is rolled back after the module's tests."""
    out = StringIO()
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        call_command("demo", "--if-empty", "--scale", "0.1", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_orders_exist_in_every_state():
    states = set(Order.objects.values_list("state", flat=True))
    assert states == set(Order.State.values)


def test_the_demo_buyer_has_orders_in_most_states():
    buyer = User.objects.get(username=data.BUYER_LOGIN[0])
    states = set(Order.objects.filter(buyer=buyer).values_list("state", flat=True))
    assert states == set(Order.State.values)


def test_cancelled_orders_include_expired_and_cancelled_after_payment():
    cancelled = Order.objects.filter(state=Order.State.CANCELLED)
    assert cancelled.filter(cancel_reason="unpaid_expired", paid_at__isnull=True).exists()
    assert cancelled.filter(cancel_reason="buyer_cancelled", paid_at__isnull=False, refunded_fen__gt=0).exists()


def test_completed_orders_include_buyer_confirmed_and_automatic():
    completed = Event.objects.filter(kind="order.completed")
    assert completed.filter(data__by="buyer").exists()
    assert completed.filter(data__by="auto").exists()


def test_personalized_lines_carry_their_answers():
    lines = list(OrderLine.objects.exclude(answers=[]))
    assert lines
    boots = [a for line in lines for a in line.answers if a["label"] == "鞋舌印字"]
    assert boots and all(1 <= len(a["text"]) <= 12 for a in boots)
    notes = [a for line in lines for a in line.answers if a["label"].startswith("香调")]
    assert notes and all(len(a["options"]) == 3 for a in notes)


def test_the_seller_has_personalized_lines_to_make():
    seller = User.objects.get(username=data.SELLER_LOGIN[0])
    assert seller.merchant.slug == data.BOOTS_SHOP
    to_make = list(queries.production_list(seller.merchant_id))
    assert to_make and all(line.answers for line in to_make)


def test_some_paid_orders_are_overdue_for_shipping():
    assert Order.objects.filter(state=Order.State.PAID, ship_by__lt=clock.now()).exists()


def test_unpaid_orders_are_younger_than_the_payment_window():
    pending = Order.objects.filter(state=Order.State.PENDING_PAYMENT)
    assert pending.exists()
    assert not pending.filter(created_at__lt=clock.now() - timedelta(minutes=30)).exists()


def test_history_spreads_over_the_last_30_days():
    created = list(Order.objects.values_list("created_at", flat=True))
    assert min(created) >= clock.now() - timedelta(days=31)
    assert len({at.date() for at in created}) >= 15


def test_buyers_live_in_all_31_provinces_with_a_default_address():
    provinces = set(Address.objects.filter(is_default=True, user__role="buyer").values_list("province_code", flat=True))
    assert provinces == {p.code for p in PROVINCES}
    assert not User.objects.filter(role="buyer", addresses__isnull=True).exists()


def test_the_catalog_has_the_signature_products():
    fruit = Product.objects.filter(is_fresh=True)
    assert fruit.exists() and not fruit.exclude(no_reason_return="no").exists()
    assert fruit.filter(handling_hours__lte=24).exists()
    perfume = PersonalizationQuestion.objects.filter(product__merchant__slug="wenxiang-perfume", kind="choice").first()
    assert perfume is not None
    assert (perfume.min_select, perfume.max_select, perfume.options.count()) == (3, 3, 12)
    assert perfume.options.filter(price_delta_fen__gt=0).exists()
    name = PersonalizationQuestion.objects.filter(label="鞋舌印字").first()
    assert name is not None and (name.kind, name.max_chars, name.required) == ("text", 12, True)
    assert PersonalizationQuestion.objects.filter(label="刺绣名字", required=False).exists()
    assert SKU.objects.filter(product__category__slug="makeup", spec__has_key="颜色").count() >= 2
    assert SKU.objects.filter(product__category__parent__slug="appliances").exists()


def test_every_ledger_transaction_balances_and_the_audit_is_clean():
    assert ledger.unbalanced_transactions() == []
    assert {name: problems for name, problems in audit.run_all().items() if problems} == {}


def test_every_deadline_that_fell_due_was_applied():
    assert not Deadline.objects.filter(state=Deadline.State.FAILED).exists()
    due = Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=clock.now() - timedelta(minutes=5))
    assert not due.exists()


def test_the_demo_logins_work():
    for username, password in (data.OPS_LOGIN, data.BUYER_LOGIN, data.SELLER_LOGIN, data.COURIER_LOGIN):
        assert authenticate(username=username, password=password) is not None, username
    assert authenticate(username="buyer-xinjiang-1", password=data.SHARED_PASSWORD) is not None


def test_the_summary_names_the_logins(demo_output):
    assert "orders" in demo_output and "completed" in demo_output
    for username, password in (data.OPS_LOGIN, data.BUYER_LOGIN, data.SELLER_LOGIN, data.COURIER_LOGIN):
        assert f"{username} / {password}" in demo_output
    assert data.SHARED_PASSWORD in demo_output


def test_if_empty_on_a_database_with_shops_creates_nothing():
    before = (Merchant.objects.count(), User.objects.count(), Order.objects.count())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert (Merchant.objects.count(), User.objects.count(), Order.objects.count()) == before


def test_without_if_empty_a_database_with_shops_is_refused():
    with pytest.raises(CommandError):
        call_command("demo", "--scale", "0.1", stdout=StringIO())


@pytest.mark.parametrize("scale", ["0", "-1", "six", "99"])
def test_a_scale_out_of_range_is_refused(scale):
    with pytest.raises(CommandError, match="--scale"):
        call_command("demo", "--scale", scale, stdout=StringIO())
