"""Build the demo marketplace through the services, with a history spread over the last 30 days.

Why through the services and not with bulk inserts: the demo must obey every rule the platform keeps (stock
never negative, answers validated, events recorded, money through a balanced ledger) so that `anxin audit`
passes on it and every page shows what a real marketplace would. Only reference rows (categories), shops
(there is no shop-creation service yet) and users are written directly.

How history is made: the platform clock is frozen in the past and moved forward through a queue of planned
actions (place, pay, ship, deliver, confirm, cancel) in time order. Before each action every deadline that
fell due is applied at its own due time by the deadline runner, exactly as the worker would have done, so
unpaid checkouts expire and untouched orders complete by themselves.
"""

import heapq
import itertools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Min, Sum

from anxin.accounts import services as accounts
from anxin.accounts.models import User
from anxin.catalog import services as catalog
from anxin.catalog.models import SKU, Category, Merchant, Product
from anxin.catalog.queries import question_specs_for
from anxin.catalog.rules import QuestionSpec
from anxin.core import clock, deadlines, events
from anxin.core.errors import AnxinError
from anxin.core.models import Deadline, LedgerTransaction
from anxin.geo import data as geo_data
from anxin.geo import rules as geo_rules
from anxin.geo import services as geo
from anxin.inventory.services import OutOfStock
from anxin.logistics import services as logistics
from anxin.orders import services as orders
from anxin.orders.models import Checkout, Order, OrderLine
from anxin.simulate import data

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


@dataclass
class BuyerInfo:
    user: User
    province_code: str
    address_id: int
    extra_address_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class OrderFate:
    """What happens to one merchant order after payment; each delay counts from the step before it.

    `ship_after` None leaves the order unshipped; `deliver_after` None means no delivery scan arrives (the
    order completes 15 days after shipping); `confirm_after` None leaves completion to the 7-day deadline.
    """

    cancel_after: timedelta | None = None
    ship_after: timedelta | None = None
    deliver_after: timedelta | None = None
    confirm_after: timedelta | None = None


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
        self.ops: User | None = None
        self.courier: User | None = None
        self.queue: list[tuple[datetime, int, str, dict[str, Any]]] = []
        self.seq = itertools.count()
        self.plans = itertools.count(1)
        self.skipped: Counter[str] = Counter()
        self.done: Counter[str] = Counter()


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
            _plan_history(world)
            _run_history(world)
            _set_passwords(world, hashes.result())
            return _summary(world)
    finally:
        clock.reset()
        hasher.shutdown(cancel_futures=True)


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


def _hash_passwords() -> dict[str, str]:
    """Hash each demo password once. PBKDF2 takes a good fraction of a second per hash and releases the GIL,
    so this runs in a thread while the catalog is being built, and users sharing a password share its hash."""
    passwords = {data.SHARED_PASSWORD, data.OPS_LOGIN[1], data.BUYER_LOGIN[1], data.SELLER_LOGIN[1]}
    passwords.add(data.COURIER_LOGIN[1])
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
    merchant = Merchant.objects.create(
        name=shop.name,
        slug=shop.slug,
        origin_province_id=shop.province_code,
        origin_city_code=capital.code,
        description=shop.description,
        created_at=clock.now(),
    )
    if shop.slug == data.BOOTS_SHOP:
        username, password = data.SELLER_LOGIN
    else:
        username, password = f"seller-{shop.slug}", data.SHARED_PASSWORD
    staff = _user(
        world,
        username,
        User.Role.MERCHANT_STAFF,
        password,
        merchant=merchant,
        display_name=f"{shop.name}·{_person_name(world.rng)}",
        phone=_phone(world.rng),
    )
    world.staff[merchant.pk] = staff
    world.origin[merchant.pk] = shop.province_code
    low, high = BASE_PRODUCTS_PER_SHOP
    count = max(MIN_PRODUCTS_PER_SHOP, round(world.rng.randint(low, high) * world.scale))
    used: Counter[str] = Counter()
    for number in range(count):
        key = shop.templates[number % len(shop.templates)]
        _move_clock(clock.now() + hours(world.rng.uniform(1, 30)))
        _make_product(world, shop, staff, key, used[key], number)
        used[key] += 1


def _title(shop: data.Shop, template: data.ProductTemplate, nth: int) -> str:
    """The nth product of a template in a shop: its own title, then the titles again with a suffix."""
    title = template.titles[nth % len(template.titles)]
    rounds = nth // len(template.titles)
    if rounds:
        suffixes = [suffix for suffix in data.REPEAT_SUFFIXES if suffix not in title]
        title = f"{title} {suffixes[(rounds - 1) % len(suffixes)]}"
    return f"{shop.brand} {title}"[:120]


def _make_product(world: World, shop: data.Shop, staff: User, key: str, nth: int, number: int) -> None:
    template = data.TEMPLATES[key]
    product = catalog.create_product(
        staff,
        {
            "title": _title(shop, template, nth),
            "title_en": template.title_en,
            "brand": shop.brand,
            "description": f"{template.description}{shop.name}发货。",
            "is_fresh": template.is_fresh,
            "no_reason_return": template.no_reason_return,
            "handling_hours": template.handling_hours,
            "category_id": world.categories[template.category],
        },
    )
    sku_ids = []
    for sku_number, row in enumerate(_sku_rows(world.rng, template), start=1):
        row["code"] = f"{shop.code}-{number + 1:03d}-{sku_number:02d}"
        sku = catalog.add_sku(staff, product.pk, row, stock=_stock(world.rng, template))
        sku_ids.append(sku.pk)
    if template.questions:
        catalog.replace_questions(staff, product.pk, data.QUESTION_SETS[template.questions])
    info = ProductInfo(product.pk, product.merchant_id, key, template.is_fresh, template.handling_hours, sku_ids)
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
                "spec": {axis.name: value for axis, (value, _f) in zip(template.axes, combo, strict=True)},
                "price_fen": _shelf_price_fen(base * factor),
                "weight_g": int(round(template.weight_g * factor, -1)),
            }
        )
    return rows


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


def _slug(province: geo_data.Province) -> str:
    return "".join(ch for ch in province.name_en.lower() if ch.isalpha())


def _make_buyers(world: World) -> None:
    rng = world.rng
    per_province = max(1, round(BASE_BUYERS_PER_PROVINCE * world.scale))
    total = per_province * len(geo_data.PROVINCES) + 1
    first, last = world.start - days(60), world.start - days(1)
    _move_clock(first)
    main = _user(world, data.BUYER_LOGIN[0], User.Role.BUYER, data.BUYER_LOGIN[1], display_name="林小安")
    events.record("account.signed_up", main, {"role": main.role}, actor=main)
    home = accounts.add_address(main, _address(rng, "330000", "林小安"), make_default=True)
    parents = accounts.add_address(main, _address(rng, "650000", "林建国"))
    world.main_buyer = BuyerInfo(main, "330000", home.pk, [parents.pk])
    step = (last - first) / total
    for number, province in enumerate(p for _ in range(per_province) for p in geo_data.PROVINCES):
        _move_clock(first + step * (number + 1))
        name = _person_name(rng)
        index = number // len(geo_data.PROVINCES) + 1
        user = _user(world, f"buyer-{_slug(province)}-{index}", User.Role.BUYER, display_name=name)
        events.record("account.signed_up", user, {"role": user.role}, actor=user)
        address = accounts.add_address(user, _address(rng, province.code, name), make_default=True)
        world.buyers.append(BuyerInfo(user, province.code, address.pk))
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


def _pick(world: World, template: str) -> ProductInfo:
    """A product of the template, or any product when the scale left that template out."""
    return world.rng.choice(world.by_template.get(template) or world.products)


def _plan(world: World, buyer: BuyerInfo, at: datetime, lines: list[PlannedLine], **how: Any) -> None:
    address_id = how.pop("address_id", buyer.address_id)
    rng = random.Random(world.rng.getrandbits(64))
    plan = CheckoutPlan(next(world.plans), buyer, address_id, at, lines, rng=rng, **how)
    _push(world, at, "place", plan=plan)


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
        product = _pick(world, template)
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
        line = _line(rng, _pick(world, template))
        _plan(world, buyer, _story_time(world, ago), [line], pay_after=minutes(3), fate=OrderFate())


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


def _random_lines(world: World, weights: list[float], personalized: list[ProductInfo]) -> list[PlannedLine]:
    rng = world.rng
    if personalized and rng.random() < 0.12:
        first = rng.choice(personalized)
    else:
        first = rng.choices(world.products, weights)[0]
    lines = [_line(rng, first)]
    for _ in range(rng.choices((0, 1, 2), (65, 25, 10))[0]):
        same_shop = world.by_merchant[first.merchant_id]
        product = rng.choice(same_shop) if rng.random() < 0.7 else rng.choices(world.products, weights)[0]
        lines.append(_line(rng, product))
    return lines


def _plan_random_checkouts(world: World) -> None:
    rng = world.rng
    weights = [rng.lognormvariate(0, 0.8) for _ in world.products]
    activity = [rng.paretovariate(1.5) for _ in world.buyers]
    personalized = [p for p in world.products if p.questions]
    day_weights = [1 + day / HISTORY_DAYS for day in range(HISTORY_DAYS + 1)]
    for _ in range(round(BASE_CHECKOUTS * world.scale)):
        buyer = rng.choices(world.buyers, activity)[0]
        lines = _random_lines(world, weights, personalized)
        roll = rng.random()
        if roll < 0.025:
            how: dict[str, Any] = {}  # never paid: expires after 30 minutes
        elif roll < 0.045:
            how = {"cancel_unpaid_after": minutes(rng.uniform(2, 20))}
        else:
            how = {"pay_after": minutes(rng.uniform(0.5, 15)), "declined_first": rng.random() < 0.02}
        _plan(world, buyer, _checkout_time(world, day_weights), lines, **how)
    for _ in range(max(1, round(4 * world.scale))):  # placed minutes ago, still waiting for payment
        buyer = rng.choices(world.buyers, activity)[0]
        at = world.end - minutes(rng.uniform(3, 25))
        _plan(world, buyer, at, _random_lines(world, weights, personalized))


def _plan_history(world: World) -> None:
    _plan_main_buyer(world)
    _plan_waiting_work(world)
    _plan_random_checkouts(world)
    world.progress(f"history: {len(world.queue)} checkouts planned over the last {HISTORY_DAYS} days")


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
        "deliver": _do_deliver,
        "confirm": _do_confirm,
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
                f"{world.done['pay']} paid, {world.done['ship']} shipped, {world.done['deliver']} delivered"
            )
    world.queue.clear()  # what remains lies in the future: left undone, as in real life
    _advance_to(world.end)


def _do_place(world: World, plan: CheckoutPlan) -> None:
    buyer = plan.buyer.user
    line_ids = []
    for line in plan.lines:
        try:
            line_ids.append(orders.add_to_cart(buyer, line.sku_id, line.quantity, line.answers).pk)
        except OutOfStock:
            world.skipped["add to cart: out_of_stock"] += 1
    if not line_ids:
        return
    checkout = orders.place_order(
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
    payment = orders.start_payment(buyer, plan.checkout_id)
    if plan.declined_first:
        orders.simulate_provider_approval(buyer, payment.pk, approve=False)
    orders.simulate_provider_approval(buyer, payment.pk)
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


def _transit_days(from_code: str, to_code: str) -> int:
    """RULES §4 carrier days between province centres; remote regions go through the hub (+1 day there)."""

    def leg(a: str, b: str) -> int:
        pa, pb = geo_data.PROVINCE_BY_CODE[a], geo_data.PROVINCE_BY_CODE[b]
        return geo_rules.transit_days(geo_rules.distance_km(pa.latitude, pa.longitude, pb.latitude, pb.longitude))

    if to_code in geo_data.REMOTE_PROVINCE_CODES and from_code != to_code:
        hub = geo_data.DEFAULT_HUB_CODE[:2] + "0000"
        return leg(from_code, hub) + 1 + leg(hub, to_code)
    return leg(from_code, to_code)


def _random_fate(world: World, rng: random.Random, order: Order, products: list[ProductInfo]) -> OrderFate:
    """Most orders ship in time, arrive and complete; a few are cancelled, shipped late or never scanned."""
    if rng.random() < 0.03:
        return OrderFate(cancel_after=minutes(rng.uniform(20, 600)))
    handling = max(p.handling_hours for p in products)
    if rng.random() < 0.06:
        ship = hours(handling + rng.uniform(2, 30))  # late: counts against the merchant
    else:
        ship = max(minutes(40), hours(handling * rng.uniform(0.05, 0.8)))
    transit = _transit_days(world.origin[order.merchant_id], order.province_code)
    deliver = None if rng.random() < 0.04 else max(hours(5), hours(transit * 24 + rng.uniform(-10, 10)))
    confirm = hours(rng.uniform(2, 120)) if rng.random() < 0.55 else None
    return OrderFate(None, ship, deliver, confirm)


def _tracking(rng: random.Random, fresh: bool) -> tuple[str, str]:
    carrier, prefix, digits = data.CARRIERS[0] if fresh else rng.choice(data.CARRIERS)
    return carrier, prefix + "".join(str(rng.randrange(10)) for _ in range(digits))


def _do_cancel_unpaid(world: World, plan: CheckoutPlan) -> None:
    first = Order.objects.filter(checkout_id=plan.checkout_id).order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        orders.cancel_order(plan.buyer.user, first)


def _do_cancel_paid(world: World, order_id: int, buyer: User, **_: Any) -> None:
    orders.cancel_order(buyer, order_id)


def _do_ship(
    world: World, order_id: int, merchant_id: int, fate: OrderFate, fresh: bool, rng: random.Random, **args: Any
) -> None:
    carrier, tracking = _tracking(rng, fresh)
    logistics.ship(world.staff[merchant_id], order_id, carrier=carrier, tracking_number=tracking)
    if fate.deliver_after is not None:
        _push(world, clock.now() + fate.deliver_after, "deliver", order_id=order_id, fate=fate, **args)


def _do_deliver(world: World, order_id: int, fate: OrderFate, buyer: User, **_: Any) -> None:
    orders.mark_delivered(world.courier, order_id)
    if fate.confirm_after is not None:
        _push(world, clock.now() + fate.confirm_after, "confirm", order_id=order_id, buyer=buyer)


def _do_confirm(world: World, order_id: int, buyer: User) -> None:
    orders.confirm_receipt(buyer, order_id)


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
    )
