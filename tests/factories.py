"""Factories: each makes one believable object with sensible defaults, overridable by keyword."""

import itertools
import json
from typing import Any

from django.test import Client

from anxin.accounts import services as accounts
from anxin.accounts.models import User
from anxin.catalog import search
from anxin.catalog import services as catalog
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


def mobile() -> str:
    """A mainland mobile number no other test object has."""
    return f"139{n():08d}"


def sign_up(username: str = "", password: str = PASSWORD, **changes: Any) -> dict[str, Any]:
    """A complete sign-up body: consent, and a fresh number with the code texted to it (by the simulated
    sender, from an address of its own so the sign-up throttle under test counts only the sign-ups)."""
    phone = changes.pop("phone", None) or mobile()
    sent = accounts.send_sign_up_code(phone, client=f"2001:db8::{n():x}")
    body = {"username": username or f"newcomer-{n()}", "password": password, "phone": phone}
    return {**body, "code": sent.shown_code, "accept_terms": True, **changes}


def sign_up_form(username: str = "", password: str = PASSWORD, **changes: Any) -> dict[str, Any]:
    """`sign_up` as the page posts it: the password twice, the consent box ticked."""
    body = sign_up(username, password, **changes)
    return {**body, "password2": body["password"], "accept_terms": "on" if body["accept_terms"] is True else ""}


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
    search.reindex([item.pk])  # the services keep the index; factories write rows directly
    return sku


SHOE_COLOURS = (("白蓝", "White-blue"), ("黑", "Black"))
SHOE_SIZES = ("37", "38")


def spec_product(
    shop: Merchant | None = None, *, stocks: dict[tuple[str, str], int] | None = None, price_fen: int = 19900
) -> Product:
    """A shoe with a 颜色 × 尺码 matrix (白蓝/黑 × 37/38, English names), saved through the seller's service:
    `stocks` per (colour, size), 5 each by default; 黑 costs ¥10 more."""
    shop = shop or merchant()
    item = Product.objects.create(
        merchant=shop, category=category(), title=f"跑鞋{n()}", title_en="Running shoes", created_at=clock.now()
    )
    colours = [{"name": name, "name_en": english} for name, english in SHOE_COLOURS]
    dimensions = [
        {"name": "颜色", "name_en": "Colour", "values": colours},
        {"name": "尺码", "name_en": "Size", "values": [{"name": size} for size in SHOE_SIZES]},
    ]
    rows = [
        {
            "values": [colour, size],
            "price_fen": price_fen + (1000 if colour == "黑" else 0),
            "stock": (stocks or {}).get((colour, size), 5),
            "code": f"{item.pk}-{colour}-{size}",
        }
        for colour, _en in SHOE_COLOURS
        for size in SHOE_SIZES
    ]
    catalog.replace_spec_matrix(staff(shop), item.pk, {"dimensions": dimensions, "skus": rows})
    return item


def text_question(item: Product, *, label: str = "印字", max_chars: int = 10, required: bool = True, position=0):
    question = PersonalizationQuestion.objects.create(
        product=item, kind="text", label=label, max_chars=max_chars, required=required, position=position
    )
    search.reindex([item.pk])
    return question


def choice_question(
    item: Product, options: list[tuple[str, int]], *, label: str = "香调", min_select: int = 1, max_select: int = 1,
    position: int = 1,
) -> PersonalizationQuestion:  # fmt: skip
    question = PersonalizationQuestion.objects.create(
        product=item, kind="choice", label=label, min_select=min_select, max_select=max_select, position=position
    )
    for i, (option_label, delta) in enumerate(options):
        ChoiceOption.objects.create(question=question, position=i, label=option_label, price_delta_fen=delta)
    search.reindex([item.pk])
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


def picture(kind: str = "JPEG", size: tuple[int, int] = (800, 600), color: str = "#3a7bd5", **save: Any) -> bytes:
    """A real picture of `kind` (JPEG, PNG, WEBP, GIF ...) drawn with Pillow: a colour with a white square."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA" if kind == "PNG" else "RGB", size, color)
    ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="white")
    out = io.BytesIO()
    image.save(out, format=kind, **save)
    return out.getvalue()


def upload(data: bytes | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    """`data` (a JPEG picture by default) as a file a browser would upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, picture() if data is None else data, content_type=content_type)


def coupon(
    owner: User,
    amount_fen: int = 1000,
    *,
    shop: Merchant | None = None,
    threshold_fen: int = 0,
    reason: str = "campaign",
    valid_days: int = 30,
):
    """A coupon issued to `owner` as a compensating service issues it: the platform's, or `shop`'s."""
    from anxin.coupons import services as coupons

    return coupons.issue(
        owner,
        amount_fen,
        reason=reason,
        key=f"test:{n()}",
        merchant_id=shop.pk if shop else None,
        threshold_fen=threshold_fen,
        valid_days=valid_days,
    )


def checkout_with_coupons(buyer_user: User, lines: list[tuple[SKU, int]], coupon_ids: list[int], *, pay: bool = True):
    """A checkout of `lines` bought with the coupons named, paid unless `pay` is false."""
    addr = buyer_user.addresses.first() or address(buyer_user)
    for sku, quantity in lines:
        checkouts.add_to_cart(buyer_user, sku.pk, quantity)
    placed = checkouts.place_order(buyer_user, address_id=addr.pk, idempotency_key=f"key-{n()}", coupon_ids=coupon_ids)
    if pay:
        payment = checkouts.start_payment(buyer_user, placed.pk)
        checkouts.simulate_provider_approval(buyer_user, payment.pk)
        placed.refresh_from_db()
    return placed
