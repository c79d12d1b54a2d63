"""Where each role lands after logging in: buyers where they were going, staff at their own desk."""

import pytest

from anxin.accounts import rules
from tests import factories as f

pytestmark = pytest.mark.django_db

DESKS = {"merchant_staff": ("/seller/",), "ops": ("/ops/", "/admin/"), "courier": ("/deliveries/",)}


@pytest.mark.parametrize(
    ("role", "next_path", "landing"),
    [
        ("buyer", "/cart/", "/cart/"),
        ("buyer", "", "/"),
        ("merchant_staff", "/", "/seller/"),
        ("merchant_staff", "/seller/orders/12/", "/seller/orders/12/"),
        ("merchant_staff", "/cart/", "/seller/"),
        ("ops", "/admin/orders/", "/admin/orders/"),
        ("ops", "", "/ops/"),
        ("courier", "/products/3/", "/deliveries/"),
    ],
)
def test_the_landing_rule(role, next_path, landing):
    assert rules.landing(role, next_path, DESKS, "/") == landing


def log_in(client, user, next_path=""):
    data = {"username": user.username, "password": f.PASSWORD}
    return client.post("/login/" + (f"?next={next_path}" if next_path else ""), data)


@pytest.mark.parametrize(
    ("make", "landing"),
    [
        (lambda: f.staff(f.merchant()), "/seller/"),
        (f.ops, "/ops/"),
        (f.carrier, "/logistics/scans/"),
        (f.courier, "/deliveries/"),
        (f.buyer, "/"),
    ],
)
def test_each_role_lands_on_its_own_page_after_logging_in_from_the_storefront(client, make, landing):
    r = log_in(client, make(), "/")
    assert r.status_code == 302 and r["Location"] == landing


def test_a_seller_following_a_link_into_an_order_and_a_buyer_going_to_the_cart_get_there(client):
    assert log_in(client, f.staff(f.merchant()), "/seller/orders/5/")["Location"] == "/seller/orders/5/"
    client.logout()
    assert log_in(client, f.buyer(), "/cart/")["Location"] == "/cart/"
    client.logout()
    assert log_in(client, f.buyer(), "https://evil.example/")["Location"] == "/"
