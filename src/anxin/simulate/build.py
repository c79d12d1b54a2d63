"""Build the demo marketplace through the services, with a history spread over the last 30 days.

Why through the services and not with bulk inserts: the demo must obey every rule the platform keeps (stock
never negative, answers validated, events recorded, money through a balanced ledger) so that `anxin audit`
passes on it and every page shows what a real marketplace would. Only reference rows (categories), shops
(there is no shop-creation service yet) and users are written directly.

How history is made: the platform clock is frozen in the past and moved forward through a queue of planned
actions (place, pay, ship, the carriers' scans and the hub's dispatch, confirm, cancel) in time order. Before
each action every deadline that fell due is applied at its own due time by the deadline runner, exactly as the
worker would have done, so unpaid checkouts expire and untouched orders complete by themselves.

Parcels move only by carriers' scans, as in production: each company's carrier account (the `carrier` login
is the post's, which carries the hub's leg 2) posts picked_up, in_transit, out_for_delivery and delivered for
its own parcels; an order to a remote region goes to the Xi'an hub (leg 1,
ending with arrived_hub), is dispatched from there by post (leg 2, the platform's subsidy) and scanned on to the
buyer. When each parcel arrives is drawn against the promise fixed at checkout: most on time, some a few days
late, remote ones later more often.
"""

import heapq
import itertools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Min, Sum

from anxin.accounts import services as accounts
from anxin.accounts.models import User
from anxin.aftersales.rules import ROTTEN_REFUND_MAX_FEN
from anxin.catalog import services as catalog
from anxin.catalog.models import SKU, Category, Merchant, Product
from anxin.catalog.queries import question_specs_for
from anxin.catalog.rules import QuestionSpec
from anxin.checkout import services as checkouts
from anxin.core import clock, config, deadlines, events, ledger
from anxin.core.errors import AnxinError
from anxin.core.models import Deadline, LedgerTransaction
from anxin.fulfilment import queries as fulfilment_queries
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import CarrierCompany, CarrierStaff, Scan, Shipment
from anxin.geo import data as geo_data
from anxin.geo import rules as geo_rules
from anxin.geo import services as geo
from anxin.inventory.services import OutOfStock
from anxin.orders import services as orders
from anxin.orders.models import Checkout, Order, OrderLine
from anxin.shipping import queries as shipping_queries
from anxin.shipping import services as shipping
from anxin.shipping.models import ShippingTemplate
from anxin.simulate import cases, data, pictures
from anxin.simulate import guarantee as price_promises

Progress = Callable[[str], None]

SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 30
SETUP_DAYS = 400  # shops open over the year before the order history starts
BASE_CHECKOUTS = 700  # random checkouts at scale 1, on top of the scripted stories
BASE_PRODUCTS_PER_SHOP = (8, 12)
BASE_BUYERS_PER_PROVINCE = 4
MIN_SHOPS = 6  # the six signature shops: boots, perfume, fruit, appliances, lipsticks, plush toys
MIN_PRODUCTS_PER_SHOP = 3
MAX_SKUS_PER_PRODUCT = 10
# Buyers shop in the evening (Beijing time): relative weight of each hour of the day.
HOUR_WEIGHTS = (
    1,
    0.5,
    0.3,
    0.2,
    0.2,
    0.3,
    0.6,
    1.2,
    2,
    2.5,
    2.8,
    3,
    3.2,
    2.8,
    2.6,
    2.7,
    2.8,
    3,
    3.2,
    4,
    4.5,
    4.8,
    4,
    2.5,
)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def days(n: float) -> timedelta:
    return timedelta(days=n)


# --- what the builder knows about the world it made ----------------------------------------------------


@dataclass
class ProductInfo:
    pk: int
    merchant_id: int
    template: str
    is_fresh: bool
    handling_hours: int
    sku_ids: list[int]
    questions: list[QuestionSpec] = field(default_factory=list)
    remote_ok: bool = True  # deliverable to remote regions (through the hub)
    excluded: frozenset[str] = frozenset()  # province prefixes its shipping template does not deliver to


@dataclass
class BuyerInfo:
    user: User
    province_code: str
    address_id: int
    extra_address_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class OrderFate:
    """What happens to one merchant order after payment; each delay counts from the step before it.

    `ship_after` None leaves the order unshipped; `deliver_after` (from shipping to the delivery scan) None
    means no delivery scan arrives (the order completes 15 days after shipping); `confirm_after` None leaves
    completion to the 7-day deadline. `hub_wait` keeps a remote parcel at the hub at least that long.
    """

    cancel_after: timedelta | None = None
    ship_after: timedelta | None = None
    deliver_after: timedelta | None = None
    confirm_after: timedelta | None = None
    hub_wait: timedelta | None = None


@dataclass(frozen=True)
class PlannedLine:
    product: ProductInfo
    sku_id: int
    quantity: int
    answers: dict[str, Any] | None


@dataclass
class CheckoutPlan:
    number: int
    buyer: BuyerInfo
    address_id: int
    at: datetime
    lines: list[PlannedLine]
    pay_after: timedelta | None = None  # None: never paid (expires, or stays pending if recent)
    cancel_unpaid_after: timedelta | None = None
    declined_first: bool = False
    fate: OrderFate | None = None  # None: each order's fate is drawn at payment
    # The plan's own random source: what happens to a checkout does not depend on what ran before it.
    rng: random.Random = field(default_factory=random.Random)
    checkout_id: int = 0


@dataclass
class Summary:
    merchants: int = 0
    products: int = 0
    skus: int = 0
    buyers: int = 0
    buyer_provinces: int = 0
    checkouts: int = 0
    orders_by_state: dict[str, int] = field(default_factory=dict)
    personalized_lines: int = 0
    production_lines: int = 0
    overdue_orders: int = 0
    ledger_transactions: int = 0
    paid_fen: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed_deadlines: int = 0
    cases_by_state: dict[str, int] = field(default_factory=dict)
    price_promises: dict[str, Any] = field(default_factory=dict)  # 买贵必赔, 价保 and coupons
    shipping_templates: int = 0
    templates_not_to_tibet: int = 0
    remote_products_excluded: int = 0
    remote_orders: dict[str, int] = field(default_factory=dict)  # province name -> orders via the hub
    shipments_by_state: dict[str, int] = field(default_factory=dict)
    two_leg_shipments: int = 0
    on_leg2: int = 0  # dispatched from the hub, not yet delivered
    subsidy_fen: int = 0
    scans: int = 0
    flagged_scans: dict[str, int] = field(default_factory=dict)
    delivered_on_time: int = 0
    delivered_late: int = 0


class World:
    """The builder's state: the random source, the clock's end, and handles to what was created."""

    def __init__(self, *, scale: float, seed: int, progress: Progress):
        self.rng = random.Random(seed)
        self.scale = scale
        self.progress = progress
        self.end = clock.now()
        self.today = self.end.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
        self.start = (self.today - days(HISTORY_DAYS)).astimezone(UTC)  # 30 whole days and today
        self.categories: dict[str, int] = {}
        self.staff: dict[int, User] = {}
        self.origin: dict[int, str] = {}  # merchant id -> province code
        self.products: list[ProductInfo] = []
        self.by_template: dict[str, list[ProductInfo]] = defaultdict(list)
        self.by_merchant: dict[int, list[ProductInfo]] = defaultdict(list)
        self.buyers: list[BuyerInfo] = []
        self.main_buyer: BuyerInfo | None = None
        self.password_users: dict[str, list[int]] = defaultdict(list)
        self.address_province: dict[int, str] = {}
        self.ops: User | None = None
        self.courier: User | None = None
        self.carrier: User | None = None
        self.carriers: dict[str, User] = {}  # a carrier's name as the demo writes it -> its company's account
        self.tracking_numbers: set[str] = set()
        self.out_of_order_due = True  # one carrier re-sends an old scan, flagged out of order
        self.queue: list[tuple[datetime, int, str, dict[str, Any]]] = []
        self.seq = itertools.count()
        self.plans = itertools.count(1)
        self.skipped: Counter[str] = Counter()
        self.done: Counter[str] = Counter()
        self.photos = pictures.Photographer()
        self.case_checkouts: dict[str, CheckoutPlan] = {}  # after-sales story -> the checkout bought for it


# --- entry point ----------------------------------------------------------------------------------------


def build(*, scale: float = 1.0, seed: int = 2026, progress: Progress | None = None) -> Summary:
    """Build the whole demo in one transaction (all or nothing); the clock is reset afterwards."""
    world = World(scale=scale, seed=seed, progress=progress or (lambda message: None))
    hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-passwords")
    try:
        hashes = hasher.submit(_hash_passwords)
        with transaction.atomic():
            _make_reference_rows(world)
            _make_staff_and_shops(world)
            _make_buyers(world)
            world.photos.finish()
            _plan_history(world)
            _run_history(world)
            _set_passwords(world, hashes.result())
            return _summary(world)
    finally:
        clock.reset()
        hasher.shutdown(cancel_futures=True)
        world.photos.close()


def _move_clock(to: datetime) -> None:
    """Only forward: events and deadlines must never run backwards."""
    if to > clock.now():
        clock.advance(to - clock.now())


def _advance_to(to: datetime) -> None:
    """Apply each deadline that falls due before `to` at its own due time, then stop the clock at `to`."""
    while True:
        due = Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=to).aggregate(at=Min("due_at"))["at"]
        if due is None:
            break
        _move_clock(due)
        deadlines.run_due(limit=1000)
    _move_clock(to)


# --- reference rows, people and shops ------------------------------------------------------------------


def _make_reference_rows(world: World) -> None:
    restored = geo.ensure_builtin_regions()
    fulfilment.ensure_builtin_carriers()
    existing = dict(Category.objects.values_list("slug", "pk"))
    for position, row in enumerate(data.CATEGORIES):
        if row.slug not in existing:
            parent_id = existing[row.parent] if row.parent else None
            category = Category.objects.create(
                name=row.name, name_en=row.name_en, slug=row.slug, parent_id=parent_id, position=position
            )
            existing[row.slug] = category.pk
    world.categories = existing
    world.progress(
        f"regions: {len(geo_data.PROVINCES)} provinces ({restored} restored); categories: {len(data.CATEGORIES)}"
    )


def _person_name(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)


def _phone(rng: random.Random) -> str:
    return rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _user(world: World, username: str, role: str, password: str = data.SHARED_PASSWORD, **fields: Any) -> User:
    """A user whose password is set at the end, once its hash is ready (see `_hash_passwords`)."""
    user = User.objects.create_user(username=username, password=None, role=role, **fields)
    world.password_users[password].append(user.pk)
    return user


def _make_carrier_accounts(world: World) -> None:
    """A carrier account belongs to one company and scans only its parcels: the `carrier` login is the
    post's (the hub's leg 2), and every other company gets an account of its own."""
    accounts = {}
    for company in CarrierCompany.objects.order_by("code"):
        account = world.carrier if company.code == "EMS" else None
        account = account or _user(
            world, f"carrier-{company.code.lower()}", User.Role.CARRIER, display_name=f"{company.name}扫描接口"
        )
        CarrierStaff.objects.create(user=account, company=company)
        accounts[company.code] = account
    for name, _prefix, _digits in (*data.CARRIERS, data.LEG2_CARRIER):
        world.carriers[name] = accounts[fulfilment_queries.company_named(name).code]


def _hash_passwords() -> dict[str, str]:
    """Hash each demo password once. PBKDF2 takes a good fraction of a second per hash and releases the GIL,
    so this runs in a thread while the catalog is being built, and users sharing a password share its hash."""
    passwords = {data.SHARED_PASSWORD, data.OPS_LOGIN[1], data.BUYER_LOGIN[1], data.SELLER_LOGIN[1]}
    passwords.update((data.COURIER_LOGIN[1], data.CARRIER_LOGIN[1]))
    return {password: make_password(password) for password in sorted(passwords)}


def _set_passwords(world: World, hashes: dict[str, str]) -> None:
    for password, user_ids in world.password_users.items():
        User.objects.filter(pk__in=user_ids).update(password=hashes[password])


def _shop_count(scale: float) -> int:
    return min(len(data.SHOPS), max(MIN_SHOPS, round(len(data.SHOPS) * scale)))


def _make_staff_and_shops(world: World) -> None:
    clock.freeze(world.end - days(SETUP_DAYS))
    # The demo's ops person also runs the Django admin.
    ops_name, ops_password = data.OPS_LOGIN
    world.ops = _user(
        world, ops_name, User.Role.OPS, ops_password, display_name="平台运营小安", is_staff=True, is_superuser=True
    )
    world.courier = _user(
        world, data.COURIER_LOGIN[0], User.Role.COURIER, data.COURIER_LOGIN[1], display_name="快递员老周"
    )
    world.carrier = _user(
        world, data.CARRIER_LOGIN[0], User.Role.CARRIER, data.CARRIER_LOGIN[1], display_name="中国邮政扫描接口"
    )
    _make_carrier_accounts(world)
    shops = data.SHOPS[: _shop_count(world.scale)]
    spacing = days((SETUP_DAYS - HISTORY_DAYS - 70) / len(shops))
    for index, shop in enumerate(shops):
        _move_clock(world.end - days(SETUP_DAYS) + spacing * index + hours(world.rng.uniform(0, 12)))
        _make_shop(world, shop, index)
        if (index + 1) % 5 == 0 or index + 1 == len(shops):
            skus = sum(len(p.sku_ids) for p in world.products)
            world.progress(f"shops: {index + 1}/{len(shops)}, products {len(world.products)}, SKUs {skus}")
    _load_question_specs(world)


def _make_shop(world: World, shop: data.Shop, index: int) -> None:
    capital = geo_data.CAPITAL_BY_PROVINCE[shop.province_code]
    if shop.slug == data.BOOTS_SHOP:
        username, password = data.SELLER_LOGIN
    else:
        username, password = f"seller-{shop.slug}", data.SHARED_PASSWORD
    merchant, staff = catalog.onboard_merchant(
        world.ops,
        name=shop.name,
        slug=shop.slug,
        origin_province_code=shop.province_code,
        origin_city_code=capital.code,
        description=shop.description,
        staff_username=username,
        staff_password=None,
        staff_display_name=f"{shop.name}·{_person_name(world.rng)}",
        staff_phone=_phone(world.rng),
    )
    world.password_users[password].append(staff.pk)
    world.staff[merchant.pk] = staff
    world.origin[merchant.pk] = shop.province_code
    freights = data.SHOP_FREIGHT.get(shop.slug) or (data.baoyou(),)
    template_ids = [shipping.save_template(staff, freight.as_input()).pk for freight in freights]
    low, high = BASE_PRODUCTS_PER_SHOP
    count = max(MIN_PRODUCTS_PER_SHOP, round(world.rng.randint(low, high) * world.scale))
    used: Counter[str] = Counter()
    for number in range(count):
        key = shop.templates[number % len(shop.templates)]
        _move_clock(clock.now() + hours(world.rng.uniform(1, 30)))
        _make_product(world, shop, staff, key, used[key], number)
        used[key] += 1
    _use_templates(staff, freights, template_ids, world.by_merchant[merchant.pk])


def _use_templates(
    staff: User, freights: tuple[data.Freight, ...], template_ids: list[int], products: list[ProductInfo]
) -> None:
    """Each product uses the shop's template that names its kind, or the shop's general one."""
    general = next((i for i, freight in enumerate(freights) if not freight.products), 0)
    groups: dict[int, list[ProductInfo]] = defaultdict(list)
    for product in products:
        index = next((i for i, freight in enumerate(freights) if product.template in freight.products), general)
        groups[index].append(product)
        product.excluded = frozenset(freights[index].excluded)
    for index, members in sorted(groups.items()):
        shipping.assign_template(staff, [p.pk for p in members], template_ids[index])


def _variant(template: data.ProductTemplate, nth: int) -> tuple[int, int | None]:
    """Which of a template's titles the nth product of it in a shop gets, and which repeat suffix (none the
    first time round the titles): the same choice for its Chinese and its English title."""
    index, rounds = nth % len(template.titles), nth // len(template.titles)
    if not rounds:
        return index, None
    suffixes = [i for i, suffix in enumerate(data.REPEAT_SUFFIXES) if suffix not in template.titles[index]]
    return index, suffixes[(rounds - 1) % len(suffixes)]


def _title(shop: data.Shop, template: data.ProductTemplate, nth: int) -> str:
    """The nth product of a template in a shop: its own title, then the titles again with a suffix."""
    index, suffix = _variant(template, nth)
    title = template.titles[index] if suffix is None else f"{template.titles[index]} {data.REPEAT_SUFFIXES[suffix]}"
    return f"{shop.brand} {title}"[:120]


def _title_en(shop: data.Shop, key: str, template: data.ProductTemplate, nth: int) -> str:
    """The same product's English title, as its Chinese one: brand, the title's translation, the suffix."""
    brand = data.BRANDS_EN.get(shop.brand, shop.brand)
    titles = data.TITLES_EN.get(key)
    if not titles:
        return f"{brand} {template.title_en}"[:160]
    index, suffix = _variant(template, nth)
    title = titles[index] if suffix is None else f"{titles[index]}, {data.REPEAT_SUFFIXES_EN[suffix]}"
    return f"{brand} {title}"[:160]


def _make_product(world: World, shop: data.Shop, staff: User, key: str, nth: int, number: int) -> None:
    template = data.TEMPLATES[key]
    product = catalog.create_product(
        staff,
        {
            "title": _title(shop, template, nth),
            "title_en": _title_en(shop, key, template, nth),
            "brand": shop.brand,
            "description": f"{template.description}{shop.name}发货。",
            "is_fresh": template.is_fresh,
            "no_reason_return": template.no_reason_return,
            "handling_hours": template.handling_hours,
            "remote_deliverable": template.remote_deliverable,
            "category_id": world.categories[template.category],
        },
    )
    rows = _sku_rows(world.rng, template)
    for sku_number, row in enumerate(rows, start=1):
        row["code"] = f"{shop.code}-{number + 1:03d}-{sku_number:02d}"
        row["stock"] = _stock(world.rng, template)
    skus = catalog.replace_spec_matrix(staff, product.pk, {"dimensions": _dimensions(template, rows), "skus": rows})
    sku_ids = [sku.pk for sku in skus]
    world.photos.take(staff, product, category=template.category, seed=product.pk)
    if template.questions:
        catalog.replace_questions(staff, product.pk, data.QUESTION_SETS[template.questions])
    info = ProductInfo(product.pk, product.merchant_id, key, template.is_fresh, template.handling_hours, sku_ids)
    info.remote_ok = template.remote_deliverable
    world.products.append(info)
    world.by_template[key].append(info)
    world.by_merchant[info.merchant_id].append(info)


def _axis_values(rng: random.Random, axis: data.Axis) -> list[tuple[str, float]]:
    values = list(zip(axis.values, axis.factors or (1.0,) * len(axis.values), strict=True))
    if axis.pick == "all":
        return values
    if axis.pick == "window":
        size = min(len(values), rng.randint(3, 5))
        first = rng.randint(0, len(values) - size)
        return values[first : first + size]
    chosen = sorted(rng.sample(range(len(values)), rng.randint(min(2, len(values)), min(4, len(values)))))
    return [values[i] for i in chosen]


def _shelf_price_fen(yuan: float) -> int:
    """Prices end in 9 the way shops price them: ¥268 -> ¥269, ¥15 -> ¥14.90."""
    whole = max(int(round(yuan)), 2)
    if whole >= 20:
        return (whole - whole % 10 + 9) * 100
    return whole * 100 - 10


def _sku_rows(rng: random.Random, template: data.ProductTemplate) -> list[dict[str, Any]]:
    """Every combination of the chosen spec values, at most MAX_SKUS_PER_PRODUCT of them."""
    choices = [_axis_values(rng, axis) for axis in template.axes]
    while math.prod(len(values) for values in choices) > MAX_SKUS_PER_PRODUCT:
        longest = max(range(len(choices)), key=lambda i: len(choices[i]))
        choices[longest] = choices[longest][:-1]
    base = rng.randint(*template.price_yuan)
    rows = []
    for combo in itertools.product(*choices):
        factor = math.prod(f for _value, f in combo)
        rows.append(
            {
                "values": [value for value, _f in combo],
                "price_fen": _shelf_price_fen(base * factor),
                "weight_g": int(round(template.weight_g * factor, -1)),
            }
        )
    return rows


def _dimensions(template: data.ProductTemplate, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The spec matrix's dimensions: the values the rows use, in the axes' order, with their English names."""
    english = data.SPEC_ENGLISH
    used = [list(dict.fromkeys(row["values"][i] for row in rows)) for i in range(len(template.axes))]
    return [
        {
            "name": axis.name,
            "name_en": english.get(axis.name, ""),
            "values": [{"name": value, "name_en": english.get(value, "")} for value in values],
        }
        for axis, values in zip(template.axes, used, strict=True)
    ]


def _stock(rng: random.Random, template: data.ProductTemplate) -> int:
    if rng.random() < 0.05:
        return rng.randint(3, 8)  # nearly sold out, as some SKUs always are
    return rng.randint(60, 400) if template.questions else rng.randint(30, 300)


def _load_question_specs(world: World) -> None:
    """Question and option ids, needed to answer personalized products, in two queries."""
    asking = [p for p in world.products if data.TEMPLATES[p.template].questions]
    specs = question_specs_for([p.pk for p in asking])
    for product in asking:
        product.questions = specs[product.pk]


# --- buyers ---------------------------------------------------------------------------------------------


def _address(rng: random.Random, province_code: str, recipient: str) -> dict[str, str]:
    city_code, county_code = geo_data.DEMO_COUNTY_BY_PROVINCE[province_code]
    street = rng.choice(data.STREETS[province_code])
    building = f"{rng.randint(1, 399)}号{rng.randint(1, 20)}幢{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
    return {
        "recipient": recipient,
        "phone": _phone(rng),
        "province_code": province_code,
        "city_code": city_code,
        "county_code": county_code,
        "street": f"{street}{building}",
    }


def _verified_phone(address: dict[str, str]) -> dict[str, Any]:
    """A demo buyer signed up with the mobile of their first address, confirmed then, as sign-up requires."""
    return {"phone": address["phone"], "phone_verified_at": clock.now()}


def _slug(province: geo_data.Province) -> str:
    return "".join(ch for ch in province.name_en.lower() if ch.isalpha())


def _make_buyers(world: World) -> None:
    rng = world.rng
    per_province = max(1, round(BASE_BUYERS_PER_PROVINCE * world.scale))
    total = per_province * len(geo_data.PROVINCES) + 1
    first, last = world.start - days(60), world.start - days(1)
    _move_clock(first)
    home_address = _address(rng, "330000", "林小安")
    main = _user(
        world, data.BUYER_LOGIN[0], User.Role.BUYER, data.BUYER_LOGIN[1], display_name="林小安",
        **_verified_phone(home_address),
    )  # fmt: skip
    events.record("account.signed_up", main, {"role": main.role}, actor=main)
    home = accounts.add_address(main, home_address, make_default=True)
    parents = accounts.add_address(main, _address(rng, "650000", "林建国"))
    world.main_buyer = BuyerInfo(main, "330000", home.pk, [parents.pk])
    world.address_province.update({home.pk: "330000", parents.pk: "650000"})
    step = (last - first) / total
    for number, province in enumerate(p for _ in range(per_province) for p in geo_data.PROVINCES):
        _move_clock(first + step * (number + 1))
        name = _person_name(rng)
        index = number // len(geo_data.PROVINCES) + 1
        fields = _address(rng, province.code, name)
        username = f"buyer-{_slug(province)}-{index}"
        user = _user(world, username, User.Role.BUYER, display_name=name, **_verified_phone(fields))
        events.record("account.signed_up", user, {"role": user.role}, actor=user)
        address = accounts.add_address(user, fields, make_default=True)
        world.buyers.append(BuyerInfo(user, province.code, address.pk))
        world.address_province[address.pk] = province.code
        if (number + 1) % 40 == 0 or number + 2 == total:
            world.progress(f"buyers: {number + 2}/{total} with a default address")


# --- planning the history ------------------------------------------------------------------------------


def _answers(rng: random.Random, questions: list[QuestionSpec]) -> dict[str, Any] | None:
    """What a buyer fills in: every required question, most optional ones."""
    answers: dict[str, Any] = {}
    for q in questions:
        if not q.required and rng.random() < 0.3:
            continue
        if q.kind == "text":
            answers[str(q.id)] = rng.choice(data.TEXT_ANSWERS.get(q.label, ("安心",)))[: q.max_chars]
        else:
            count = rng.randint(max(q.min_select, 1), q.max_select)
            answers[str(q.id)] = [o.id for o in rng.sample(q.options, count)]
    return answers or None


def _line(rng: random.Random, product: ProductInfo) -> PlannedLine:
    if product.questions or product.template in {"silk", "haipai", "menswear", "leather_shoes", "bags"}:
        quantity = 1
    else:
        quantity = rng.choices((1, 2, 3), (80, 15, 5))[0]
    return PlannedLine(product, rng.choice(product.sku_ids), quantity, _answers(rng, product.questions))


def _deliverable(product: ProductInfo, province_code: str) -> bool:
    """What the product page would let the buyer order to this province (RULES §4)."""
    if province_code[:2] in product.excluded:
        return False
    return product.remote_ok or province_code not in geo_data.REMOTE_PROVINCE_CODES


def _pick(world: World, template: str, province_code: str) -> ProductInfo:
    """A product of the template that goes to the province, or any that does when the scale left it out."""
    fits = [p for p in world.by_template.get(template, []) if _deliverable(p, province_code)]
    return world.rng.choice(fits or [p for p in world.products if _deliverable(p, province_code)])


def _plan(world: World, buyer: BuyerInfo, at: datetime, lines: list[PlannedLine], **how: Any) -> CheckoutPlan:
    address_id = how.pop("address_id", buyer.address_id)
    rng = random.Random(world.rng.getrandbits(64))
    plan = CheckoutPlan(next(world.plans), buyer, address_id, at, lines, rng=rng, **how)
    _push(world, at, "place", plan=plan)
    return plan


def _plan_main_buyer(world: World) -> None:
    """The `buyer` login's story: one order in every state, two of them personalized and waiting to be made."""
    main = world.main_buyer
    assert main is not None
    rng = world.rng
    story: list[tuple[str, timedelta, dict[str, Any]]] = [
        ("football_boots", days(24), {"pay_after": minutes(3), "fate": OrderFate(None, hours(30), days(3), hours(20))}),
        ("custom_perfume", days(21), {"pay_after": minutes(5), "fate": OrderFate(None, hours(50), days(2))}),
        ("bags", days(18), {"pay_after": minutes(2), "fate": OrderFate(None, hours(20))}),
        (
            "xinjiang_dried",
            days(14),
            {
                "pay_after": minutes(2),
                "address_id": main.extra_address_ids[0],
                "fate": OrderFate(None, hours(20), days(6), days(1)),
            },
        ),
        ("kitchen_appliances", days(8), {}),
        ("lipstick", days(6), {"pay_after": minutes(4), "fate": OrderFate(cancel_after=hours(2))}),
        ("yunnan_fruit", days(4), {"pay_after": minutes(1), "fate": OrderFate(None, hours(10), days(2))}),
        ("edu_toys", days(3), {"cancel_unpaid_after": minutes(8)}),
        ("care_appliances", days(2), {"pay_after": minutes(6), "fate": OrderFate(None, hours(20), days(3))}),
        ("plush", hours(30), {"pay_after": minutes(2), "fate": OrderFate()}),
        ("football_boots", hours(10), {"pay_after": minutes(2), "fate": OrderFate()}),
        ("tea_wuyi", minutes(12), {}),
    ]
    for template, ago, how in story:
        product = _pick(world, template, world.address_province[how.get("address_id", main.address_id)])
        _plan(world, main, _story_time(world, ago), [_line(rng, product)], **how)


def _plan_waiting_work(world: World) -> None:
    """Paid orders still to be shipped: personalized lines for the production list, a few of them overdue."""
    rng = world.rng
    waiting = [
        ("football_boots", days(4.5)),  # 72 h handling: overdue
        ("football_boots", days(4)),  # overdue
        ("bedding", days(3.2)),  # 48 h handling: overdue
        ("football_jersey", hours(20)),
        ("custom_perfume", hours(6)),
        ("football_boots", hours(3)),
    ]
    for template, ago in waiting:
        buyer = rng.choice(world.buyers)
        line = _line(rng, _pick(world, template, buyer.province_code))
        _plan(world, buyer, _story_time(world, ago), [line], pay_after=minutes(3), fate=OrderFate())


def _plan_hub_backlog(world: World) -> None:
    """Parcels still waiting at the Xi'an hub at the end (a backlog there since snow closed the roads west), one
    of them the `buyer` login's gift to her parents in Urumqi, so the tracking page shows a parcel at the hub."""
    rng = world.rng
    main = world.main_buyer
    assert main is not None
    remote = [b for b in world.buyers if b.province_code in geo_data.REMOTE_PROVINCE_CODES]
    waiting = [(main, main.extra_address_ids[0], "650000", days(6))]
    waiting += [(buyer, buyer.address_id, buyer.province_code, days(6.5)) for buyer in rng.sample(remote, 2)]
    for buyer, address_id, province, ago in waiting:
        line = _line(rng, _pick(world, rng.choice(("tea_wuyi", "plush", "football_jersey")), province))
        fate = OrderFate(None, hours(rng.uniform(6, 12)), days(9), hub_wait=days(rng.uniform(6, 7)))
        _plan(world, buyer, _story_time(world, ago), [line], address_id=address_id, pay_after=minutes(2), fate=fate)


def _plan_stray_scans(world: World) -> None:
    """Carriers sometimes scan a waybill number we never issued (a typo at the depot): kept and flagged."""
    for ago, location in ((days(17.4), "广州转运中心"), (days(2.7), "武汉转运中心")):
        carrier, tracking = _tracking(world, world.rng, fresh=False)
        at = _story_time(world, ago)
        body = {"tracking": tracking, "carrier": carrier, "scan_kind": "in_transit", "location": location}
        _push(world, at, "scan", by_ops=True, **body)


def _seller_shop(world: World) -> int:
    """The demo seller's shop (the `seller` login's), which every scale has."""
    return next(pk for pk, staff in world.staff.items() if staff.username == data.SELLER_LOGIN[0])


def _plan_case_orders(world: World) -> None:
    """An order for each after-sales story (`cases.STORIES`), delivered shortly before the stories begin: one
    line, no personalisation, fresh goods for 坏了包退; every other one from the demo seller's shop, half of
    them the demo buyer's. The stories fall back on other delivered orders when one of these was not bought."""
    seller_shop = _seller_shop(world)
    plain = [p for p in world.products if not p.questions and not p.is_fresh]
    fresh = [p for p in world.products if not p.questions and p.is_fresh]
    small = set(  # 坏了包退 is refunded on the spot up to ¥200
        SKU.objects.filter(product__is_fresh=True, price_fen__lte=ROTTEN_REFUND_MAX_FEN).values_list("pk", flat=True)
    )
    for number, story in enumerate(cases.STORIES):
        buyer = world.main_buyer if story.main_buyer and number % 2 == 0 else world.rng.choice(world.buyers)
        assert buyer is not None
        pool = [p for p in (fresh if story.fresh else plain) if _deliverable(p, buyer.province_code)]
        if story.fresh:
            pool = [p for p in pool if small.intersection(p.sku_ids)]
        ours = [p for p in pool if p.merchant_id == seller_shop]
        if not pool:
            continue
        product = world.rng.choice(ours if ours and number % 2 == 1 else pool)
        ago = cases.STORIES_START + (hours(30) if story.fresh else days(3))
        fate = OrderFate(ship_after=hours(4), deliver_after=hours(20) if story.fresh else days(1.5))
        skus = [pk for pk in product.sku_ids if pk in small] if story.fresh else product.sku_ids
        line = PlannedLine(product, world.rng.choice(skus), 1, None)
        plan = _plan(world, buyer, world.end - ago, [line], pay_after=minutes(3), fate=fate)
        world.case_checkouts[story.name] = plan
    cases.plan(world, lambda at, kind, **args: _push(world, at, kind, **args))


def _checkout_time(world: World, day_weights: list[float]) -> datetime:
    """A moment in the history, busier in the evening (Beijing time) and in recent days.

    It draws the same random numbers whatever the time of day, so a seed always gives the same story.
    """
    rng = world.rng
    day = rng.choices(range(len(day_weights)), day_weights)[0]
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    at = world.today - days(HISTORY_DAYS - day) + hours(hour) + timedelta(seconds=rng.randrange(3600))
    while at > world.end - minutes(40):  # later today: the same hour on an earlier day
        at -= days(1)
    return at.astimezone(UTC)


def _story_time(world: World, ago: timedelta) -> datetime:
    """`ago` before the end; a day or more back, at a believable time of that day rather than right now."""
    at = world.end - ago
    if ago < days(1):
        return at
    local = at.astimezone(SHANGHAI)
    hour = world.rng.choices(range(8, 24), HOUR_WEIGHTS[8:])[0]
    moment = local.replace(hour=hour, minute=world.rng.randrange(60), second=world.rng.randrange(60))
    return moment.astimezone(UTC)


def _draw(world: World, weights: list[float], province_code: str) -> ProductInfo:
    """A product by popularity, among those that go to the buyer's province."""
    for _ in range(20):
        product = world.rng.choices(world.products, weights)[0]
        if _deliverable(product, province_code):
            return product
    return world.rng.choice([p for p in world.products if _deliverable(p, province_code)])


def _random_lines(
    world: World, weights: list[float], personalized: list[ProductInfo], province_code: str
) -> list[PlannedLine]:
    rng = world.rng
    if personalized and rng.random() < 0.12:
        first = rng.choice(personalized)
        if not _deliverable(first, province_code):
            first = _draw(world, weights, province_code)
    else:
        first = _draw(world, weights, province_code)
    lines = [_line(rng, first)]
    for _ in range(rng.choices((0, 1, 2), (65, 25, 10))[0]):
        same_shop = [p for p in world.by_merchant[first.merchant_id] if _deliverable(p, province_code)]
        product = rng.choice(same_shop) if rng.random() < 0.7 else _draw(world, weights, province_code)
        lines.append(_line(rng, product))
    return lines


def _buyer_picker(world: World) -> Callable[[], BuyerInfo]:
    """Who checks out next: the busiest buyers most often; a remote region for `REMOTE_SHARE` of checkouts,
    each region by its weight, so every one of them has several orders through the hub."""
    rng = world.rng
    activity = {id(b): rng.paretovariate(1.5) for b in world.buyers}
    remote = {code: [b for b in world.buyers if b.province_code == code] for code in data.REMOTE_WEIGHTS}
    others = [b for b in world.buyers if b.province_code not in data.REMOTE_WEIGHTS]
    # A shuffled deck of regions dealt in turn, so even the smallest region gets its share of checkouts.
    deck = [code for code, weight in data.REMOTE_WEIGHTS.items() for _ in range(round(weight * 4))]
    rng.shuffle(deck)
    dealt = itertools.cycle(deck)

    def pick() -> BuyerInfo:
        group = others
        if rng.random() < data.REMOTE_SHARE:
            group = remote[next(dealt)] or others
        return rng.choices(group, [activity[id(b)] for b in group])[0]

    return pick


def _plan_random_checkouts(world: World) -> None:
    rng = world.rng
    weights = [rng.lognormvariate(0, 0.8) for _ in world.products]
    next_buyer = _buyer_picker(world)
    personalized = [p for p in world.products if p.questions]
    day_weights = [1 + day / HISTORY_DAYS for day in range(HISTORY_DAYS + 1)]
    for _ in range(round(BASE_CHECKOUTS * world.scale)):
        buyer = next_buyer()
        lines = _random_lines(world, weights, personalized, buyer.province_code)
        roll = rng.random()
        if roll < 0.025:
            how: dict[str, Any] = {}  # never paid: expires after 30 minutes
        elif roll < 0.045:
            how = {"cancel_unpaid_after": minutes(rng.uniform(2, 20))}
        else:
            how = {"pay_after": minutes(rng.uniform(0.5, 15)), "declined_first": rng.random() < 0.02}
        _plan(world, buyer, _checkout_time(world, day_weights), lines, **how)
    for _ in range(max(1, round(4 * world.scale))):  # placed minutes ago, still waiting for payment
        buyer = next_buyer()
        at = world.end - minutes(rng.uniform(3, 25))
        _plan(world, buyer, at, _random_lines(world, weights, personalized, buyer.province_code))


def _plan_history(world: World) -> None:
    _plan_main_buyer(world)
    _plan_waiting_work(world)
    _plan_hub_backlog(world)
    _plan_random_checkouts(world)
    _plan_stray_scans(world)
    _plan_case_orders(world)
    _push(world, world.start, "guarantee_setup")
    _push(world, world.end - price_promises.STORY_BEFORE_END, "guarantee_story")
    planned = sum(1 for _at, _seq, kind, _args in world.queue if kind == "place")
    world.progress(f"history: {planned} checkouts planned over the last {HISTORY_DAYS} days")


# --- running the history ---------------------------------------------------------------------------------


def _push(world: World, at: datetime, kind: str, **args: Any) -> None:
    heapq.heappush(world.queue, (at, next(world.seq), kind, args))


def _run_history(world: World) -> None:
    _advance_to(world.start)
    handlers: dict[str, Callable[..., None]] = {
        "place": _do_place,
        "pay": _do_pay,
        "cancel_unpaid": _do_cancel_unpaid,
        "cancel_paid": _do_cancel_paid,
        "ship": _do_ship,
        "dispatch": _do_dispatch,
        "scan": _do_scan,
        "confirm": _do_confirm,
        "aftersales_start": lambda world: cases.start(world, lambda at, kind, **args: _push(world, at, kind, **args)),
        "aftersales_step": _do_case_step,
        "guarantee_setup": lambda world: price_promises.setup(world, _seller_shop(world)),
        "guarantee_story": lambda world: price_promises.story(world, _seller_shop(world)),
    }
    planned = sum(1 for _at, _seq, kind, _args in world.queue if kind == "place")
    report_every = max(1, planned // 10)
    while world.queue and world.queue[0][0] <= world.end:
        at, _seq, kind, args = heapq.heappop(world.queue)
        _advance_to(at)
        try:
            handlers[kind](world, **args)
        except AnxinError as exc:
            world.skipped[f"{kind}: {exc.code}"] += 1
            continue
        world.done[kind] += 1
        if kind == "place" and world.done["place"] % report_every == 0:
            world.progress(
                f"history: {at.astimezone(SHANGHAI):%Y-%m-%d} — {world.done['place']}/{planned} checkouts placed, "
                f"{world.done['pay']} paid, {world.done['ship']} shipped, {world.done['delivered']} delivered"
            )
    world.queue.clear()  # what remains lies in the future: left undone, as in real life
    _advance_to(world.end)


def _do_place(world: World, plan: CheckoutPlan) -> None:
    buyer = plan.buyer.user
    line_ids = []
    for line in plan.lines:
        try:
            line_ids.append(checkouts.add_to_cart(buyer, line.sku_id, line.quantity, line.answers).pk)
        except OutOfStock:
            world.skipped["add to cart: out_of_stock"] += 1
    if not line_ids:
        return
    checkout = checkouts.place_order(
        buyer, address_id=plan.address_id, idempotency_key=f"demo-{plan.number}", line_ids=sorted(set(line_ids))
    )
    plan.checkout_id = checkout.pk
    now = clock.now()
    if plan.pay_after is not None:
        _push(world, now + plan.pay_after, "pay", plan=plan)
    elif plan.cancel_unpaid_after is not None:
        _push(world, now + plan.cancel_unpaid_after, "cancel_unpaid", plan=plan)


def _do_pay(world: World, plan: CheckoutPlan) -> None:
    buyer = plan.buyer.user
    payment = checkouts.start_payment(buyer, plan.checkout_id)
    if plan.declined_first:
        checkouts.simulate_provider_approval(buyer, payment.pk, approve=False)
    checkouts.simulate_provider_approval(buyer, payment.pk)
    products = {line.product.merchant_id: [] for line in plan.lines}
    for line in plan.lines:
        products[line.product.merchant_id].append(line.product)
    now = clock.now()
    for order in Order.objects.filter(checkout_id=plan.checkout_id, state=Order.State.PAID).order_by("pk"):
        fate = plan.fate or _random_fate(world, plan.rng, order, products[order.merchant_id])
        args = {"order_id": order.pk, "merchant_id": order.merchant_id, "buyer": buyer, "fate": fate}
        args["rng"] = plan.rng
        args["fresh"] = any(p.is_fresh for p in products[order.merchant_id])
        if fate.cancel_after is not None:
            _push(world, now + fate.cancel_after, "cancel_paid", **args)
        elif fate.ship_after is not None:
            _push(world, now + fate.ship_after, "ship", **args)


def _leg_days(from_code: str, to_code: str) -> int:
    """RULES §4 carrier days between two provinces, from the same geography the delivery promise uses."""
    centres = shipping_queries.geography().centres
    return geo_rules.transit_days(geo_rules.km_between(centres, from_code[:2], to_code[:2]))


def _leg_hours(rng: random.Random, legs_days: int) -> float:
    """How long a carrier really takes: usually well inside the days the promise allows."""
    return max(8.0, legs_days * 24 * rng.uniform(0.5, 0.9) + rng.uniform(0, 6))


def _legs(world: World, order: Order) -> tuple[int, int | None]:
    """Carrier days of leg 1 (to the buyer, or to the hub) and of leg 2 (hub -> buyer; None: no hub)."""
    origin = world.origin[order.merchant_id]
    if not order.hub_code:
        return _leg_days(origin, order.province_code), None
    hub = order.hub_code[:2] + "0000"
    return _leg_days(origin, hub), _leg_days(hub, order.province_code)


def _local(day: date, hour: float) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return (start + hours(hour)).astimezone(UTC)


def _daytime(at: datetime, rng: random.Random) -> datetime:
    """Couriers hand parcels over between 8:00 and 21:00: a night arrival waits for the morning round."""
    local = at.astimezone(SHANGHAI)
    if local.hour < 8:
        return _local(local.date(), rng.uniform(8, 11))
    if local.hour >= 21:
        return _local(local.date() + days(1), rng.uniform(9, 12))
    return at


def _arrival(world: World, rng: random.Random, order: Order, shipped_at: datetime) -> datetime:
    """When the parcel reaches the buyer: `_promised_arrival`, but always before the order would complete
    for want of a delivery scan (15 days after shipping), since a later delivery scan could not deliver it."""
    limit = shipped_at + days(config.get("orders.auto_complete_days_after_shipping") - 2)
    arrive = _promised_arrival(world, rng, order, shipped_at)
    return arrive if arrive <= limit else _daytime(limit, rng)


def _promised_arrival(world: World, rng: random.Random, order: Order, shipped_at: datetime) -> datetime:
    """When the parcel reaches the buyer, judged against the promise's latest date: mostly on time, about
    one in eight 1–3 days late; orders through the hub late more often, a few of them by 4–6 days."""
    leg1, leg2 = _legs(world, order)
    natural = _leg_hours(rng, leg1) + (rng.uniform(6, 20) + _leg_hours(rng, leg2) if leg2 else 0)
    arrive = _daytime(shipped_at + hours(natural), rng)
    latest = order.promise_latest
    if latest is None:
        return arrive
    roll = rng.random()
    late_share = 0.2 if leg2 else 0.12
    if roll < late_share:
        late = _local(latest + days(rng.choice((1, 1, 1, 2, 2, 3))), rng.uniform(9, 20))
        return max(arrive, late)
    if leg2 and roll < late_share + 0.07:
        return max(arrive, _local(latest + days(rng.randint(4, 6)), rng.uniform(9, 20)))
    if arrive.astimezone(SHANGHAI).date() > latest:  # the carrier hurries to keep the promise when it can
        kept = _local(latest, rng.uniform(10, 20))
        if kept > shipped_at + hours(12):
            return kept
    return arrive


def _random_fate(world: World, rng: random.Random, order: Order, products: list[ProductInfo]) -> OrderFate:
    """Most orders ship in time, arrive and complete; a few are cancelled, shipped late or never scanned."""
    if rng.random() < 0.03:
        return OrderFate(cancel_after=minutes(rng.uniform(20, 600)))
    handling = max(p.handling_hours for p in products)
    if rng.random() < 0.06:
        ship = hours(handling + rng.uniform(2, 30))  # late: counts against the merchant
    else:
        ship = max(minutes(40), hours(handling * rng.uniform(0.05, 0.8)))
    lost = rng.random() < 0.04  # no delivery scan ever arrives
    confirm = hours(rng.uniform(2, 120)) if rng.random() < 0.55 else None
    if lost:
        return OrderFate(None, ship, None, confirm)
    shipped_at = clock.now() + ship
    return OrderFate(None, ship, _arrival(world, rng, order, shipped_at) - shipped_at, confirm)


def _tracking(
    world: World, rng: random.Random, fresh: bool, carrier: tuple[str, str, int] | None = None
) -> tuple[str, str]:
    """A waybill number never used before in the demo."""
    name, prefix, digits = carrier or (data.CARRIERS[0] if fresh else rng.choice(data.CARRIERS))
    while True:
        tracking = prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
        if tracking not in world.tracking_numbers:
            world.tracking_numbers.add(tracking)
            return name, tracking


def _do_cancel_unpaid(world: World, plan: CheckoutPlan) -> None:
    first = Order.objects.filter(checkout_id=plan.checkout_id).order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        orders.cancel_order(plan.buyer.user, first)


def _do_cancel_paid(world: World, order_id: int, buyer: User, **_: Any) -> None:
    orders.cancel_order(buyer, order_id)


def _city(province_code: str) -> str:
    return geo_data.CAPITAL_BY_PROVINCE[province_code].name


def _scan(world: World, at: datetime, carrier: str, tracking: str, kind: str, location: str, **more: Any) -> None:
    _push(world, at, "scan", carrier=carrier, tracking=tracking, scan_kind=kind, location=location, **more)


def _do_ship(
    world: World, order_id: int, merchant_id: int, fate: OrderFate, fresh: bool, rng: random.Random, **args: Any
) -> None:
    """The merchant ships; the carrier's scans for leg 1 follow, and for a remote order the hub's dispatch."""
    carrier, tracking = _tracking(world, rng, fresh)
    shipment = fulfilment.ship(world.staff[merchant_id], order_id, carrier=carrier, tracking_number=tracking)
    order, now = shipment.order, clock.now()
    after = {"order_id": order_id, "fate": fate, **args}
    if shipment.via_hub:
        _plan_via_hub(world, rng, order, carrier, tracking, after)
        return
    origin = _city(world.origin[merchant_id])
    total = fate.deliver_after
    reach = total if total is not None else hours(_leg_hours(rng, _legs(world, order)[0]))
    picked = now + min(hours(rng.uniform(1, 6)), reach * 0.2)
    moving = now + reach * rng.uniform(0.35, 0.6)
    _scan(world, picked, carrier, tracking, Scan.Kind.PICKED_UP, f"{origin}揽投部")
    _scan(world, moving, carrier, tracking, Scan.Kind.IN_TRANSIT, f"{origin}转运中心")
    if world.out_of_order_due and reach >= days(1.5) and now >= world.start + days(10):
        # The depot's scanner re-sends its pick-up after the parcel had moved on: kept, flagged, ignored.
        world.out_of_order_due = False
        _scan(world, moving + hours(1), carrier, tracking, Scan.Kind.PICKED_UP, f"{origin}揽投部", claimed_at=picked)
    if total is None:
        return
    city = _city(order.province_code)
    out = max(moving + minutes(30), now + total - hours(rng.uniform(1, 4)))
    _scan(world, out, carrier, tracking, Scan.Kind.OUT_FOR_DELIVERY, f"{city}营业部")
    _scan(world, max(out + minutes(30), now + total), carrier, tracking, Scan.Kind.DELIVERED, city, **after)


def _plan_via_hub(
    world: World, rng: random.Random, order: Order, carrier: str, tracking: str, after: dict[str, Any]
) -> None:
    """Leg 1 to the hub, a wait there, then the dispatch (leg 2) that the hub's carrier scans on to the buyer.

    The time to delivery is shared between the legs and the wait; a late parcel waited longer at the hub."""
    fate: OrderFate = after["fate"]
    now, origin = clock.now(), _city(world.origin[order.merchant_id])
    leg1_days, leg2_days = _legs(world, order)
    leg1, leg2 = hours(_leg_hours(rng, leg1_days)), hours(_leg_hours(rng, leg2_days or 1))
    wait = max(hours(rng.uniform(6, 20)), fate.hub_wait or timedelta(0))
    total = fate.deliver_after
    if total is not None:
        natural = leg1 + wait + leg2
        if fate.hub_wait is not None:
            total = max(total, natural)
        if natural > total:
            leg1, wait, leg2 = (part * (total / natural) for part in (leg1, wait, leg2))
        else:  # the parcel is late: most of the delay is spent waiting at the hub, the rest on leg 2
            wait += (total - natural) * 0.6
    picked = now + min(hours(rng.uniform(1, 6)), leg1 * 0.3)
    _scan(world, picked, carrier, tracking, Scan.Kind.PICKED_UP, f"{origin}揽投部")
    _scan(world, now + leg1 * rng.uniform(0.4, 0.7), carrier, tracking, Scan.Kind.IN_TRANSIT, f"{origin}转运中心")
    _scan(world, now + leg1, carrier, tracking, Scan.Kind.ARRIVED_HUB, data.HUB_NAME)
    delivered = None if total is None else now + total
    _push(world, now + leg1 + wait, "dispatch", delivered=delivered, rng=rng, **after)


def _do_dispatch(world: World, order_id: int, delivered: datetime | None, rng: random.Random, **after: Any) -> None:
    """The hub sends the parcel on by post (leg 2, paid from the platform's subsidy); its scans follow."""
    carrier, tracking = _tracking(world, rng, fresh=False, carrier=data.LEG2_CARRIER)
    shipment = fulfilment.dispatch_from_hub(world.carrier, order_id, carrier=carrier, tracking_number=tracking)
    now = clock.now()
    _scan(world, now + minutes(rng.uniform(20, 120)), carrier, tracking, Scan.Kind.LEFT_HUB, data.HUB_NAME)
    if delivered is None:
        return
    city = _city(shipment.order.province_code)
    out = max(now + hours(3), delivered - hours(rng.uniform(1, 4)))
    _scan(world, out, carrier, tracking, Scan.Kind.OUT_FOR_DELIVERY, f"{city}邮政营业部")
    delivered = max(out + minutes(30), delivered)
    _scan(world, delivered, carrier, tracking, Scan.Kind.DELIVERED, city, order_id=order_id, **after)


def _do_scan(
    world: World,
    carrier: str,
    tracking: str,
    scan_kind: str,
    location: str,
    claimed_at: datetime | None = None,
    fate: OrderFate | None = None,
    by_ops: bool = False,
    **after: Any,
) -> None:
    """The company's carrier account posts one scan (ops one naming no parcel: only ops may keep those); a
    delivery scan delivers the order, and the buyer may confirm."""
    body = {"carrier": carrier, "tracking_number": tracking, "kind": scan_kind, "location": location}
    poster = world.ops if by_ops else world.carriers[carrier]
    outcome = fulfilment.record_scan(poster, {**body, "at": claimed_at or clock.now()})
    if outcome.effect == "delivered":
        world.done["delivered"] += 1
        if fate is not None and fate.confirm_after is not None:
            _push(world, clock.now() + fate.confirm_after, "confirm", order_id=after["order_id"], buyer=after["buyer"])


def _do_confirm(world: World, order_id: int, buyer: User) -> None:
    orders.confirm_receipt(buyer, order_id)


def _do_case_step(world: World, **args: Any) -> None:
    """A step of an after-sales story; the waybills of returns and replacements are the demo's own."""
    cases.step(world, new_tracking=lambda rng: _tracking(world, rng, fresh=False, carrier=data.CARRIERS[0]), **args)


# --- summary ---------------------------------------------------------------------------------------------


def _summary(world: World) -> Summary:
    by_state = dict(Order.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))
    personalized = OrderLine.objects.exclude(answers=[])
    paid = Checkout.objects.filter(state=Checkout.State.PAID).aggregate(total=Sum("total_fen"))["total"] or 0
    return Summary(
        merchants=Merchant.objects.count(),
        products=Product.objects.count(),
        skus=SKU.objects.count(),
        buyers=User.objects.filter(role=User.Role.BUYER).count(),
        buyer_provinces=User.objects.filter(role=User.Role.BUYER, addresses__is_default=True)
        .values("addresses__province_code")
        .distinct()
        .count(),
        checkouts=Checkout.objects.count(),
        orders_by_state={state: by_state.get(state, 0) for state in Order.State.values},
        personalized_lines=personalized.count(),
        production_lines=personalized.filter(order__state=Order.State.PAID).count(),
        overdue_orders=Order.objects.filter(state=Order.State.PAID, ship_by__lt=world.end).count(),
        ledger_transactions=LedgerTransaction.objects.count(),
        paid_fen=paid,
        skipped=dict(sorted(world.skipped.items())),
        failed_deadlines=Deadline.objects.filter(state=Deadline.State.FAILED).count(),
        cases_by_state=cases.cases_by_state(),
        price_promises=price_promises.summary(),
        **_shipping_summary(),
    )


def _shipping_summary() -> dict[str, Any]:
    templates = ShippingTemplate.objects.all()
    names = {p.code: p.name for p in geo_data.PROVINCES}
    remote = Order.objects.exclude(hub_code="").values_list("province_code").annotate(n=Count("pk")).order_by()
    shipments = dict(Shipment.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))
    flagged = Scan.objects.exclude(flag="").values_list("flag").annotate(n=Count("pk")).order_by("flag")
    delivered = Order.objects.filter(delivery_days_late__isnull=False)
    return {
        "shipping_templates": templates.count(),
        "templates_not_to_tibet": sum("54" in t for t in templates.values_list("excluded_provinces", flat=True)),
        "remote_products_excluded": Product.objects.filter(remote_deliverable=False).count(),
        "remote_orders": {names[code]: n for code, n in sorted(remote, key=lambda row: -row[1])},
        "shipments_by_state": {state: shipments.get(state, 0) for state in Shipment.State.values},
        "two_leg_shipments": Shipment.objects.filter(legs__number=2).count(),
        "on_leg2": Shipment.objects.filter(state=Shipment.State.FROM_HUB).count(),
        "subsidy_fen": ledger.balance(ledger.PLATFORM_SUBSIDY),
        "scans": Scan.objects.count(),
        "flagged_scans": dict(flagged),
        "delivered_on_time": delivered.filter(delivery_days_late=0).count(),
        "delivered_late": delivered.filter(delivery_days_late__gt=0).count(),
    }
