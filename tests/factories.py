"""Factories: each makes one believable object with sensible defaults, overridable by keyword."""

import itertools
import json
from typing import Any

from django.test import Client

from anxin.accounts import services as accounts
from anxin.accounts.models import User
from anxin.catalog.models import SKU, Category, ChoiceOption, Merchant, PersonalizationQuestion, Product
from anxin.checkout import services as checkouts
from anxin.core import clock
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import CarrierCompany, CarrierStaff
from anxin.geo.models import Region
from anxin.inventory.models import Stock

_seq = itertools.count(1)
PASSWORD = "anxin-test-pass-1"


def n() -> int:
    return next(_seq)


def user(role: str = User.Role.BUYER, *, merchant: Merchant | None = None, username: str = "") -> User:
    return User.objects.create_user(
        username=username or f"{role}-{n()}", password=PASSWORD, role=role, merchant=merchant
    )


def buyer(**kwargs) -> User:
    return user(User.Role.BUYER, **kwargs)


def ops(**kwargs) -> User:
    return user(User.Role.OPS, **kwargs)


def courier(**kwargs) -> User:
    return user(User.Role.COURIER, **kwargs)


def carrier(company: str = "SF", **kwargs) -> User:
    """A carrier account working for the company with code `company` (SF, ZTO, EMS ...)."""
    fulfilment.ensure_builtin_carriers()
    account = user(User.Role.CARRIER, **kwargs)
    CarrierStaff.objects.create(user=account, company=CarrierCompany.objects.get(code=company))
    return account


def assigned_courier(order, **kwargs) -> User:
    """A courier whom ops assigned to hand over `order` (already shipped)."""
    courier_user = courier(**kwargs)
    fulfilment.assign_courier(ops(), order.pk, courier_user.pk)
    return courier_user


def merchant(name: str = "", province_code: str = "330000") -> Merchant:
    i = n()
    return Merchant.objects.create(
        name=name or f"店铺{i}",
        slug=f"shop-{i}",
        origin_province=Region.objects.get(code=province_code),
        origin_city_code=province_code[:2] + "0100",
        created_at=clock.now(),
    )


def staff(shop: Merchant | None = None) -> User:
    return user(User.Role.MERCHANT_STAFF, merchant=shop or merchant())


def category(slug: str = "") -> Category:
    i = n()
    return Category.objects.create(name=f"类目{i}", name_en=f"Category {i}", slug=slug or f"cat-{i}")


def product(
    shop: Merchant | None = None, *, price_fen: int = 10000, stock: int = 100, title: str = "", **fields: Any
) -> Product:
    """A product with one SKU (`product.skus.first()`) holding `stock` units."""
    shop = shop or merchant()
    item = Product.objects.create(
        merchant=shop,
        category=fields.pop("category", None) or category(),
        title=title or f"商品{n()}",
        created_at=clock.now(),
        **fields,
    )
    sku_of(item, price_fen=price_fen, stock=stock)
    return item


def sku_of(item: Product, *, price_fen: int = 10000, stock: int = 100, spec: dict | None = None) -> SKU:
    sku = SKU.objects.create(product=item, code=f"SKU-{n()}", spec=spec or {"颜色": "黑"}, price_fen=price_fen)
    Stock.objects.create(sku=sku, available=stock)
    return sku


def text_question(item: Product, *, label: str = "印字", max_chars: int = 10, required: bool = True, position=0):
    return PersonalizationQuestion.objects.create(
        product=item, kind="text", label=label, max_chars=max_chars, required=required, position=position
    )


def choice_question(
    item: Product, options: list[tuple[str, int]], *, label: str = "香调", min_select: int = 1, max_select: int = 1,
    position: int = 1,
) -> PersonalizationQuestion:  # fmt: skip
    question = PersonalizationQuestion.objects.create(
        product=item, kind="choice", label=label, min_select=min_select, max_select=max_select, position=position
    )
    for i, (option_label, delta) in enumerate(options):
        ChoiceOption.objects.create(question=question, position=i, label=option_label, price_delta_fen=delta)
    return question


def address(owner: User, province_code: str = "330000", city_code: str = "330100", county_code: str = "330106"):
    data = {
        "recipient": "李雷",
        "phone": "13800138000",
        "province_code": province_code,
        "city_code": city_code,
        "county_code": county_code,
        "street": "文三路 100 号",
    }
    return accounts.add_address(owner, data)


def api_client(who: User) -> Client:
    """A test client that calls the API with a bearer token of `who`."""
    token = accounts.issue_token(who)
    return Client(headers={"Authorization": f"Bearer {token}"})


def post_json(client: Client, url: str, data: Any = None, **headers: str):
    """POST a JSON body; headers by name, e.g. `**{"Idempotency-Key": "k1"}`."""
    return client.post(
        url, json.dumps(data if data is not None else {}), content_type="application/json", headers=headers
    )


def placed_checkout(buyer_user: User | None = None, *, lines: list[tuple[SKU, int]] | None = None, key: str = ""):
    """A buyer's checkout placed through the services (not yet paid)."""

    buyer_user = buyer_user or buyer()
    addr = buyer_user.addresses.first() or address(buyer_user)
    for sku, quantity in lines or [(product().skus.first(), 1)]:
        checkouts.add_to_cart(buyer_user, sku.pk, quantity)
    return checkouts.place_order(buyer_user, address_id=addr.pk, idempotency_key=key or f"key-{n()}")


def paid_checkout(buyer_user: User | None = None, **kwargs):

    checkout = placed_checkout(buyer_user, **kwargs)
    payment = checkouts.start_payment(checkout.buyer, checkout.pk)
    checkouts.simulate_provider_approval(checkout.buyer, payment.pk)
    checkout.refresh_from_db()
    return checkout
