"""One world of objects for the attack tests: a buyer's address, cart line and order (paid, shipped with SF,
assigned to a courier), the shop's product, SKU and shipping template, and every party that may try them."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.test import Client

from anxin.accounts import services as accounts
from anxin.accounts.models import User
from anxin.aftersales import services as aftersales
from anxin.api import api
from anxin.checkout import services as checkouts
from anxin.fulfilment import services as fulfilment
from anxin.guarantee.services import claims
from anxin.guarantee.services import feed as guarantee_feed
from anxin.shipping import services as shipping
from tests import factories as f
from tests.guarantee.enrollment_support import campaign as guarantee_campaign

SF_TRACKING = "SF001000000001"
SECRET_STREET = "梧桐巷 77 号"
TEMPLATE = {"name": "全国包邮", "first_fen": 800, "step_fen": 300}

# A party and the party of the same role who owns the world's objects: another party's object answers 404.
OTHER_OF = {"other_buyer": "buyer", "other_staff": "staff", "other_carrier": "carrier", "other_courier": "courier"}
PARTIES = [
    "anonymous",
    "buyer",
    "other_buyer",
    "staff",
    "other_staff",
    "ops",
    "carrier",
    "other_carrier",
    "courier",
    "other_courier",
]


@dataclass
class World:
    people: dict[str, User | None]
    ids: dict[str, int | str]
    order_number: str
    secrets: dict[str, set[str]] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, party: str) -> Client:
        return self.clients[party]

    def leaks_to(self, party: str, text: str) -> list[str]:
        """The world's private strings that `text` shows to a party who may not see them."""
        return [secret for secret, viewers in self.secrets.items() if party not in viewers and secret in text]


def build_world() -> World:
    shop, other_shop = f.merchant(), f.merchant()
    staff = f.staff(shop)
    buyer = f.buyer()
    address = f.address(buyer)
    accounts.update_address(buyer, address.pk, {"street": SECRET_STREET})
    template = shipping.save_template(staff, TEMPLATE)
    product = f.product(shop, shipping_template=template)
    sku = product.skus.first()
    checkout = f.paid_checkout(buyer, lines=[(sku, 1)])
    order = checkout.orders.get()
    fulfilment.ship(staff, order.pk, carrier="SF", tracking_number=SF_TRACKING)
    courier = f.assigned_courier(order)
    line = checkouts.add_to_cart(buyer, sku.pk, 1)
    request = aftersales.Request(kind="refund_only", reason="quality", lines={order.lines.get().pk: 1})
    case = aftersales.open_case(buyer, order.pk, request)  # waiting for the shop
    coupon = f.coupon(buyer, 500, shop=shop)  # the shop's, not yet used: its staff and ops may revoke it
    evidence = claims.Evidence("jd", "https://item.jd.com/1.html", "同款", "0.50")
    claim = claims.open_claim(buyer, order.pk, order.lines.get().pk, evidence, [], "world")  # decided already
    people: dict[str, User | None] = {
        "anonymous": None,
        "buyer": buyer,
        "other_buyer": f.buyer(),
        "staff": staff,
        "other_staff": f.staff(other_shop),
        "ops": f.ops(),
        "carrier": f.carrier("SF"),
        "other_carrier": f.carrier("ZTO"),
        "courier": courier,
        "other_courier": f.courier(),
    }
    ids = {
        "address_id": address.pk,
        "product_id": product.pk,
        "shop_slug": product.merchant.slug,
        "sku_id": sku.pk,
        "template_id": template.pk,
        "line_id": line.pk,
        "checkout_id": checkout.pk,
        "payment_id": checkout.payment.pk,
        "order_id": order.pk,
        "order_line_id": order.lines.get().pk,
        "code": "330000",
        "buyer_username": buyer.username,
        "category_id": product.category_id,
        "courier_id": courier.pk,
        "case_id": case.pk,
        "coupon_id": coupon.pk,
        "claim_id": claim.pk,
        # A scan flagged for an SF number no parcel has: SF's carrier desk (and ops) may resolve it.
        "scan_id": fulfilment.record_scan(
            people["ops"], {"tracking_number": "SF0000000099", "carrier": "SF", "kind": "in_transit"}
        ).scan.pk,
        "campaign_id": guarantee_campaign(people["ops"]).pk,  # 买贵必赔: an ops campaign and a feed import
        "feed_import_id": guarantee_feed.new_import("offers.csv", by=people["ops"]).pk,
    }
    world = World(people=people, ids=ids, order_number=order.number)
    world.clients = {party: _client_of(who) for party, who in people.items()}
    world.secrets = {
        order.number: {"buyer", "staff", "ops", "courier"},
        SECRET_STREET: {"buyer", "staff", "ops", "courier"},  # the assigned courier must find the door
    }
    return world


def _client_of(who: User | None) -> Client:
    """A client with the party's bearer token (the API) and session (the pages); none for anonymous. Made with
    the world, so the tokens and sessions are there before a test counts rows."""
    if who is None:
        return Client()
    client = Client(headers={"Authorization": f"Bearer {accounts.issue_token(who)}"})
    client.force_login(who)
    return client


def openapi_operations() -> list[tuple[str, str, dict[str, Any]]]:
    """Every (METHOD, path, operation) of the OpenAPI document, as a client generated from it would see them."""
    document = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def writing_operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [op for op in openapi_operations() if op[0] in {"POST", "PUT", "PATCH", "DELETE"}]


def fill_path(path: str, ids: dict[str, int | str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def call(client: Client, method: str, url: str, body: Any = None, *, raw: bytes | None = None, **headers: str):
    """One API call with a JSON body (or `raw` bytes sent as JSON)."""
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    kwargs: dict[str, Any] = {"content_type": "application/json", "headers": headers}
    if data is None:
        return client.generic(method, url, headers=headers)
    return client.generic(method, url, data, **kwargs)


def row_counts() -> dict[str, int]:
    """The number of rows of every table the project owns (and Django's), to show that nothing was written."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}
