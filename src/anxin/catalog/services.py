"""Merchants manage their products, SKUs and personalization questions here (and only here), which keeps the
search index in step; and paid units are counted per day here for sorting by sales."""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from anxin.accounts import services as accounts
from anxin.catalog import queries, rules, search
from anxin.catalog.models import (
    SKU,
    Category,
    ChoiceOption,
    DailySales,
    Merchant,
    PersonalizationQuestion,
    Product,
    ProductImage,
    SKUSpecValue,
    SpecDimension,
    SpecValue,
)
from anxin.core import clock, deadlines, events, images
from anxin.core.errors import AnxinError, Conflict, translate
from anxin.core.permissions import owned, require_role
from anxin.core.rules import image_count_problem
from anxin.core.text import clean_text
from anxin.geo import queries as geo
from anxin.inventory import services as inventory

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PRODUCT_FIELDS = (
    "title",
    "title_en",
    "brand",
    "description",
    "is_fresh",
    "no_reason_return",
    "handling_hours",
    "price_protection_days",
    "remote_deliverable",
    "is_active",
)


# Free-text fields of a product: (max length, multi-line); each goes through `clean_text`.
PRODUCT_TEXTS = {"title": (120, False), "title_en": (160, False), "brand": (60, False), "description": (5000, True)}
SKU_SPEC_NAME_MAX, SKU_SPEC_VALUE_MAX, SKU_SPEC_ENTRIES_MAX = 30, 60, 10
LABEL_MAX = 60  # questions' and options' labels
# A SKU's list price went down: the deadline (due at once, one per SKU however many drops come before the
# worker runs) whose handler, in an app above this floor, pays price protection (价保) on earlier orders.
PRICE_DROPPED = "catalog.price_dropped"


def _require_staff(user) -> int:
    require_role(user, "merchant_staff")
    return user.merchant_id


def own_product(user, product_id: int, *, lock: bool = False) -> Product:
    """The staff member's own product; another shop's product is 'not found'."""
    merchant_id = _require_staff(user)
    return owned(Product.objects.filter(pk=product_id, merchant_id=merchant_id), _("找不到这个商品。"), lock=lock)


def own_sku(user, sku_id: int, *, lock: bool = False) -> SKU:
    merchant_id = _require_staff(user)
    skus = SKU.objects.select_related("product").filter(pk=sku_id, product__merchant_id=merchant_id)
    return owned(skus, _("找不到这个 SKU。"), lock=lock)


def onboard_merchant(
    actor,
    *,
    name: str,
    slug: str,
    origin_province_code: str,
    origin_city_code: str = "",
    description: str = "",
    staff_username: str,
    staff_password: str | None,
    staff_display_name: str = "",
    staff_phone: str = "",
) -> tuple[Merchant, Any]:
    """Ops open a shop together with its first staff account, so no shop exists that nobody can run.

    `staff_password` None leaves the account without a usable password (set later, as the demo does)."""
    require_role(actor, "ops")
    name = clean_text(name, field="name", max_length=80)
    slug = clean_text(slug, field="slug", max_length=80)
    description = clean_text(description, field="description", max_length=5000, required=False, multiline=True)
    city_code = clean_text(origin_city_code, field="origin_city_code", max_length=6, required=False)
    if not _SLUG.fullmatch(slug):
        message = _("店铺标识只能包含小写字母、数字和连字符。")
        raise AnxinError(message, code="invalid_merchant", fields={"slug": message})
    if Merchant.objects.filter(slug=slug).exists():
        raise _slug_taken()
    province = geo.province(origin_province_code)
    try:
        with transaction.atomic():
            merchant = Merchant.objects.create(
                name=name,
                slug=slug,
                origin_province=province,
                origin_city_code=city_code,
                description=description,
                created_at=clock.now(),
            )
            staff = accounts.create_staff_account(
                merchant,
                staff_username,
                staff_password,
                actor=actor,
                display_name=staff_display_name,
                phone=staff_phone,
            )
            events.record(
                "merchant.onboarded",
                merchant,
                {"name": name, "slug": slug, "origin_province": province.code, "staff_id": staff.pk},
                actor=actor,
            )
    except IntegrityError:  # another onboarding took the slug between the check and the insert
        raise _slug_taken() from None
    return merchant, staff


def _slug_taken() -> Conflict:
    return Conflict(_("这个店铺标识已被使用。"), code="slug_taken", fields={"slug": _("这个店铺标识已被使用。")})


def _clean_product(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    cleaned = {key: data[key] for key in PRODUCT_FIELDS if key in data and data[key] is not None}
    errors: dict[str, str] = {}
    for key, (max_length, multiline) in PRODUCT_TEXTS.items():
        if key in cleaned:
            cleaned[key] = clean_text(
                cleaned[key], field=key, max_length=max_length, required=False, multiline=multiline
            )
    if ("title" in cleaned or not partial) and not cleaned.get("title"):
        errors["title"] = _("请填写商品标题（最多120个字）。")
    if "no_reason_return" in cleaned and cleaned["no_reason_return"] not in Product.NoReasonReturn.values:
        errors["no_reason_return"] = _("请选择 yes、no 或 unopened。")
    if "handling_hours" in cleaned and not 1 <= _whole_number(cleaned["handling_hours"], 0) <= 24 * 30:
        errors["handling_hours"] = _("发货时限须在 1 到 720 小时之间。")
    if "price_protection_days" in cleaned and not rules.is_price_protection_days(cleaned["price_protection_days"]):
        errors["price_protection_days"] = _("价保天数只能是 0、7、15 或 30 天。")
    if errors:
        raise AnxinError(_("商品信息有误。"), code="invalid_product", fields=errors)
    return cleaned


def _category(category_id: int | None) -> Category:
    category = Category.objects.filter(pk=category_id).first() if category_id else None
    if category is None:
        raise AnxinError(_("请选择商品类目。"), code="invalid_product", fields={"category_id": _("类目不存在")})
    return category


def create_product(user, data: dict[str, Any]) -> Product:
    merchant_id = _require_staff(user)
    cleaned = _clean_product(data, partial=False)
    category = _category(data.get("category_id"))
    with transaction.atomic():
        product = Product.objects.create(merchant_id=merchant_id, category=category, created_at=clock.now(), **cleaned)
        search.reindex([product.pk])
        events.record("product.created", product, {"title": product.title}, actor=user)
    return product


def update_product(user, product_id: int, data: dict[str, Any]) -> Product:
    cleaned = _clean_product(data, partial=True)
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        if data.get("category_id"):
            cleaned["category_id"] = _category(data["category_id"]).pk
        before = {key: getattr(product, key) for key in cleaned}
        for key, value in cleaned.items():
            setattr(product, key, value)
        product.save()
        search.reindex([product.pk])
        changes = events.changes(before, cleaned)
        if changes:
            events.record("product.updated", product, {"changes": changes}, actor=user)
    return product


def _clean_spec(spec: Any) -> dict[str, str]:
    """Each name and value within its length, and a handful of them: a spec is shown on every cart line and
    order, so it is refused whole rather than cut."""
    if not isinstance(spec, dict) or not all(isinstance(v, (str, int, float)) for v in spec.values()):
        raise AnxinError(
            _("SKU 信息有误。"), code="invalid_sku", fields={"spec": _("规格须为“属性: 值”的集合，例如 颜色: 红。")}
        )
    if len(spec) > SKU_SPEC_ENTRIES_MAX:
        message = _("规格最多 %(max)d 项。") % {"max": SKU_SPEC_ENTRIES_MAX}
        raise AnxinError(message, code="too_long", fields={"spec": message})
    return {
        clean_text(key, field="spec", max_length=SKU_SPEC_NAME_MAX): clean_text(
            str(value), field=f"spec.{key}", max_length=SKU_SPEC_VALUE_MAX
        )
        for key, value in spec.items()
    }


def _clean_sku(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "code" in data or not partial:
        cleaned["code"] = clean_text(data.get("code"), field="code", max_length=64, required=False)
        if not cleaned["code"]:
            errors["code"] = _("请填写 SKU 编码（最多64个字符）。")
    if "price_fen" in data or not partial:
        price = data.get("price_fen")
        if isinstance(price, bool) or not isinstance(price, int) or not 1 <= price <= 100_000_000:
            errors["price_fen"] = _("价格须为 1 分到 100 万元之间的整数（单位：分）。")
        cleaned["price_fen"] = price
    if data.get("weight_g") is not None:
        weight = data["weight_g"]
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 1_000_000:
            errors["weight_g"] = _("重量须为 0 到 1,000,000 克之间的整数。")
        cleaned["weight_g"] = weight
    if data.get("spec") is not None:
        cleaned["spec"] = _clean_spec(data["spec"])
    if data.get("is_active") is not None:
        cleaned["is_active"] = bool(data["is_active"])
    if errors:
        raise AnxinError(_("SKU 信息有误。"), code="invalid_sku", fields=errors)
    return cleaned


def _refuse_duplicate_code(product: Product, code: str, *, sku: SKU | None = None) -> None:
    """Checked with the product's row locked, so two edits cannot both take a code (the unique index backs it)."""
    same_code = product.skus.filter(code=code)
    if (same_code.exclude(pk=sku.pk) if sku is not None else same_code).exists():
        raise AnxinError(_("这个商品已有同编码的 SKU。"), code="invalid_sku", fields={"code": _("编码重复")})


def _refuse_outside_matrix(product: Product) -> None:
    """Once a product has spec dimensions, its combinations change only through `replace_spec_matrix`, so
    every SKU keeps one value per dimension and the product page's chips reach all of them."""
    if product.spec_dimensions.exists():
        message = _("这个商品的规格由规格表管理，请在规格表中增改组合。")
        raise Conflict(message, code="use_spec_matrix", fields={"spec": message})


def add_sku(user, product_id: int, data: dict[str, Any], *, stock: int = 0) -> SKU:
    cleaned = _clean_sku(data, partial=False)
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        _refuse_outside_matrix(product)
        _refuse_duplicate_code(product, cleaned["code"])
        sku = SKU.objects.create(product=product, **cleaned)
        search.reindex([product.pk])
        inventory.set_available(sku, stock, actor=user)
        events.record("sku.created", sku, {"price_fen": sku.price_fen}, actor=user)
    return sku


def update_sku(user, sku_id: int, data: dict[str, Any]) -> SKU:
    """Locks the product, then the SKU (the order `add_sku` uses), before checking anything."""
    cleaned = _clean_sku(data, partial=True)
    with transaction.atomic():
        product_id = own_sku(user, sku_id).product_id
        product = own_product(user, product_id, lock=True)
        sku = own_sku(user, sku_id, lock=True)
        if "spec" in cleaned and cleaned["spec"] != sku.spec:
            _refuse_outside_matrix(product)
        if "code" in cleaned:
            _refuse_duplicate_code(product, cleaned["code"], sku=sku)
        _save_sku_fields(user, sku, cleaned)
        search.reindex([product.pk])
    return sku


def _save_sku_fields(user, sku: SKU, fields: dict[str, Any]) -> None:
    """Write a SKU's changed fields with their events: a price change as its own event (价保 reads it as the
    price history), and a drop also arms `PRICE_DROPPED` for the worker."""
    before = {key: getattr(sku, key) for key in fields}
    for key, value in fields.items():
        setattr(sku, key, value)
    sku.save()
    changes = events.changes(before, fields)
    price = changes.pop("price_fen", None)
    if price:
        events.record("sku.price_changed", sku, price, actor=user)
        if price["after"] < price["before"]:
            deadlines.schedule(PRICE_DROPPED, sku.pk, clock.now())
    if changes:
        events.record("sku.updated", sku, {"changes": changes}, actor=user)


def set_stock(user, sku_id: int, available: int):
    sku = own_sku(user, sku_id)
    return inventory.set_available(sku, available, actor=user)


def _whole_number(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnxinError(
            _("定制问题中的数字须为整数。"), code="invalid_questions", fields={"questions": _("须为整数")}
        ) from None


def _label(value: Any, field: str) -> str:
    """An empty label is the rules' problem to name (`question_set_problems`); control characters are ours."""
    return clean_text(value, field=field, max_length=LABEL_MAX, required=False)


def _question_specs_from_input(items: list[dict[str, Any]]) -> list[rules.QuestionSpec]:
    specs = []
    for index, item in enumerate(items):
        options = tuple(
            rules.OptionSpec(
                id=i,
                label=_label(o.get("label"), f"questions.{index}.options.{i}.label"),
                price_delta_fen=_whole_number(o.get("price_delta_fen"), 0),
                label_en=_label(o.get("label_en"), f"questions.{index}.options.{i}.label_en"),
            )
            for i, o in enumerate(item.get("options") or [])
        )
        specs.append(
            rules.QuestionSpec(
                id=index,
                kind=item.get("kind", ""),
                label=_label(item.get("label"), f"questions.{index}.label"),
                label_en=_label(item.get("label_en"), f"questions.{index}.label_en"),
                required=bool(item.get("required", True)),
                max_chars=_whole_number(item.get("max_chars"), rules.DEFAULT_MAX_CHARS),
                min_select=_whole_number(item.get("min_select"), 1),
                max_select=_whole_number(item.get("max_select"), 1),
                options=options,
            )
        )
    return specs


def replace_questions(user, product_id: int, items: list[dict[str, Any]]) -> list[PersonalizationQuestion]:
    """Set the product's questions, in the order given (reordering, adding and removing in one step).

    Answers already in carts or on orders are snapshots and stay valid; carts are re-checked at checkout.
    """
    specs = _question_specs_from_input(items)
    problems = rules.question_set_problems(specs)
    if problems:
        summary = " ".join(translate(problem) for problem in problems)
        raise AnxinError(summary, code="invalid_questions", fields={"questions": summary})
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        product.questions.all().delete()
        questions = []
        for position, spec in enumerate(specs):
            question = PersonalizationQuestion.objects.create(
                product=product,
                position=position,
                kind=spec.kind,
                label=spec.label,
                label_en=spec.label_en,
                required=spec.required,
                max_chars=spec.max_chars,
                min_select=spec.min_select if spec.kind == "choice" else 1,
                max_select=spec.max_select if spec.kind == "choice" else 1,
            )
            ChoiceOption.objects.bulk_create(
                ChoiceOption(
                    question=question, position=i, label=o.label, label_en=o.label_en, price_delta_fen=o.price_delta_fen
                )
                for i, o in enumerate(spec.options)
            )
            questions.append(question)
        search.reindex([product.pk])
        events.record("product.questions_set", product, {"count": len(questions)}, actor=user)
    return questions


def save_sku(user, sku_id: int, data: dict[str, Any], *, stock: int | None = None) -> SKU:
    """The seller's SKU form in one transaction: its fields and, when given, its available stock, so a refused
    stock leaves the price unchanged too."""
    with transaction.atomic():
        sku = update_sku(user, sku_id, data)
        if stock is not None:
            set_stock(user, sku_id, stock)
    return sku


def _units_by_product(units: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    totals: dict[int, int] = {}
    for product_id, quantity in units:
        totals[product_id] = totals.get(product_id, 0) + quantity
    return sorted((product_id, quantity) for product_id, quantity in totals.items() if quantity)


def record_sales(units: Iterable[tuple[int, int]], day: date) -> None:
    """Count paid units per product on `day` (Beijing date) for 'sort by sales': called in the transaction that
    marks orders paid, so a payment counts exactly when it counts. `units` is (product id, quantity) pairs."""
    for product_id, quantity in _units_by_product(units):
        if DailySales.objects.filter(product_id=product_id, day=day).update(units=F("units") + quantity):
            continue
        try:
            with transaction.atomic():  # a concurrent payment may create the day's row first
                DailySales.objects.create(product_id=product_id, day=day, units=quantity)
        except IntegrityError:
            DailySales.objects.filter(product_id=product_id, day=day).update(units=F("units") + quantity)


def record_returns(units: Iterable[tuple[int, int]], paid_on: date) -> None:
    """Take units refunded whole off the day they were paid for (never below zero), so 'sort by sales'
    counts what buyers kept; called in the refund's transaction."""
    for product_id, quantity in _units_by_product(units):
        DailySales.objects.filter(product_id=product_id, day=paid_on).update(units=Greatest(F("units") - quantity, 0))


# --- the spec matrix ----------------------------------------------------------------------------------------


def _matrix_refused(problems: dict[str, Any]) -> AnxinError:
    first = next(iter(problems.values()))
    summary = _("规格有误：%(problem)s") % {"problem": translate(first)}
    return AnxinError(summary, code="invalid_spec_matrix", fields=problems)


def _names(item: Any) -> tuple[str, str]:
    item = item if isinstance(item, dict) else {}
    return rules.clean_name(item.get("name")), rules.clean_name(item.get("name_en"))


def matrix_from_input(data: Any) -> rules.SpecMatrix:
    """The matrix as the API and the editor send it: {"dimensions": [{name, name_en, values: [{name, name_en}]}],
    "skus": [{values: [one value name per dimension], price_fen, stock, code, weight_g, is_active}]}."""
    data = data if isinstance(data, dict) else {}
    dimensions = tuple(
        rules.DimensionSpec(
            *_names(item),
            values=tuple(rules.SpecValueSpec(*_names(value)) for value in (item.get("values") or ())),
        )
        for item in (data.get("dimensions") or ())
        if isinstance(item, dict)
    )
    rows = tuple(
        rules.CombinationSpec(
            values=tuple(rules.clean_name(v) for v in (row.get("values") or ())),
            price_fen=row.get("price_fen"),
            stock=row.get("stock", 0),
            code=rules.clean_name(row.get("code")),
            weight_g=row.get("weight_g", 0),
            is_active=row.get("is_active", True) is not False,
        )
        for row in (data.get("skus") or ())
        if isinstance(row, dict)
    )
    return rules.SpecMatrix(dimensions, rows)


def _sync_dimensions(product: Product, dimensions: tuple[rules.DimensionSpec, ...]) -> dict[tuple[str, str], Any]:
    """Make the product's dimensions and values those given, in order, keeping the rows of names that stay (the
    product page's chips name them by id). Returns (dimension name, value name) -> (dimension, value)."""
    kept = {d.name: d for d in product.spec_dimensions.all()}
    product.spec_dimensions.exclude(name__in=[d.name for d in dimensions]).delete()
    found: dict[tuple[str, str], Any] = {}
    for position, spec in enumerate(dimensions):
        dimension = kept.get(spec.name) or SpecDimension(product=product, name=spec.name)
        dimension.position, dimension.name_en = position, spec.name_en
        dimension.save()
        values = {v.name: v for v in dimension.values.all()}
        dimension.values.exclude(name__in=[v.name for v in spec.values]).delete()
        for value_position, value_spec in enumerate(spec.values):
            value = values.get(value_spec.name) or SpecValue(dimension=dimension, name=value_spec.name)
            value.position, value.name_en = value_position, value_spec.name_en
            value.save()
            found[(spec.name, value.name)] = (dimension, value)
    return found


def _spec_texts(dimensions: tuple[rules.DimensionSpec, ...], row: rules.CombinationSpec) -> tuple[dict, dict]:
    """The combination as the text carts and orders copy, in Chinese and (where the merchant named them) English."""
    english = {v.name: v.name_en for d in dimensions for v in d.values}
    spec = {d.name: value for d, value in zip(dimensions, row.values, strict=True)}
    spec_en = {
        (d.name_en or d.name): (english.get(value) or value) for d, value in zip(dimensions, row.values, strict=True)
    }
    named_in_english = any(d.name_en for d in dimensions) or any(english.get(v) for v in row.values)
    return spec, spec_en if named_in_english else {}


def _free_code(product: Product, taken: set[str]) -> str:
    number = len(taken) + 1
    while f"{product.pk}-{number}" in taken:
        number += 1
    taken.add(f"{product.pk}-{number}")
    return f"{product.pk}-{number}"


def _apply_row(user, product: Product, sku: SKU | None, row: rules.CombinationSpec, fields: dict[str, Any]) -> SKU:
    """Create or update one combination's SKU and set its stock."""
    if sku is None:
        sku = SKU.objects.create(product=product, **fields)
        events.record("sku.created", sku, {"price_fen": sku.price_fen}, actor=user)
    else:
        _save_sku_fields(user, sku, fields)
    stock = cast(int, row.stock)  # a whole number in range: `matrix_problems` checked it
    if queries.available(sku) != stock or getattr(sku, "stock", None) is None:
        inventory.set_available(sku, stock, actor=user)
    return sku


def replace_spec_matrix(user, product_id: int, data: Any) -> list[SKU]:
    """Set the product's dimensions, values and SKUs in one transaction: a new combination gets a SKU, a kept one
    keeps its SKU (and its orders, carts and stock history), a removed one is deactivated, never deleted.
    Saving the same matrix twice changes nothing the second time."""
    matrix = matrix_from_input(data)
    problems = rules.matrix_problems(matrix)
    if problems:
        raise _matrix_refused(problems)
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        existing = {
            sku.pk: sku for sku in product.skus.select_related("stock").select_for_update(of=("self",)).order_by("pk")
        }
        plan = rules.plan_matrix(
            matrix, [rules.ExistingSku(sku.pk, sku.code, sku.spec_key) for sku in existing.values()]
        )
        if plan.problems:
            raise _matrix_refused(plan.problems)
        SKUSpecValue.objects.filter(sku__product=product).delete()
        SKU.objects.filter(pk__in=plan.retired).update(is_active=False, spec_key="")
        found = _sync_dimensions(product, matrix.dimensions)
        codes = {sku.code for sku in existing.values()} | {row.code for row in matrix.combinations}
        skus, choices = [], []
        for row, match in zip(matrix.combinations, plan.matches, strict=True):
            sku = existing.get(match) if match else None
            spec, spec_en = _spec_texts(matrix.dimensions, row)
            fields = {
                "code": row.code or (sku.code if sku else _free_code(product, codes)),
                "price_fen": row.price_fen,
                "weight_g": row.weight_g,
                "is_active": row.is_active,
                "spec": spec,
                "spec_en": spec_en,
                "spec_key": rules.combination_key(matrix.dimensions, row.values),
            }
            sku = _apply_row(user, product, sku, row, fields)
            choices += [
                SKUSpecValue(sku=sku, dimension=found[(d.name, v)][0], value=found[(d.name, v)][1])
                for d, v in zip(matrix.dimensions, row.values, strict=True)
            ]
            skus.append(sku)
        SKUSpecValue.objects.bulk_create(choices)
        summary = {"dimensions": len(matrix.dimensions), "skus": [s.pk for s in skus], "retired": list(plan.retired)}
        events.record("product.spec_matrix_set", product, summary, actor=user)
        search.reindex([product.pk])
    return skus


# --- photos ---------------------------------------------------------------------------------------------
# A picture is checked and stored (`core.images`) before the product's row is locked, so the slow work holds
# no lock; the limit is checked again under the lock, and files of a refused or failed upload are deleted.
# Removing a photo deletes its full picture and large thumbnail but keeps the small one: orders placed
# earlier show that file (`OrderLine.image_small`).


def _too_many_images() -> AnxinError:
    problem = image_count_problem(rules.MAX_PRODUCT_IMAGES, rules.MAX_PRODUCT_IMAGES)
    assert problem is not None
    return Conflict(problem, code=problem.code, fields={"image": problem})


def product_folder(product_id: int) -> str:
    """Where a product's pictures are stored."""
    return f"products/{product_id}"


def _refresh_cover(product: Product) -> None:
    first = product.images.order_by("position").first()
    product.cover_small = first.small if first else ""
    product.save(update_fields=["cover_small"])


def add_product_image(user, product_id: int, upload) -> ProductImage:
    """Append a photo (the first becomes the cover); at most `MAX_PRODUCT_IMAGES`."""
    return add_product_images(user, product_id, [upload])[0]


def add_product_images(user, product_id: int, uploads: list) -> list[ProductImage]:
    """Append several photos at once, as a merchant picks them (all or none): more than the product has room
    for is refused before any is read, and one refused picture refuses the lot, naming its file."""
    product = own_product(user, product_id)
    if product.images.count() + max(len(uploads), 1) > rules.MAX_PRODUCT_IMAGES:
        raise _too_many_images()
    stored: list[images.StoredImage] = []
    with images.discarding_on_failure(stored):
        for upload in uploads or [None]:
            stored.append(_stored(upload, product_folder(product.pk), named=len(uploads) > 1))
    return add_stored_product_images(user, product.pk, stored)


def _stored(upload, folder: str, *, named: bool) -> images.StoredImage:
    try:
        return images.store_image(upload, folder=folder)
    except AnxinError as refused:
        if not named:
            raise
        message = f"{getattr(upload, 'name', '')}: {refused.message}"
        raise AnxinError(message, code=refused.code, fields={"image": message}) from None


def add_stored_product_images(user, product_id: int, stored: list[images.StoredImage]) -> list[ProductImage]:
    """`add_product_images` for pictures already checked and stored by `core.images.store_image` (the demo
    stores its pictures on another thread while it builds the rest); refused, their files are deleted."""
    with images.discarding_on_failure(stored), transaction.atomic():
        locked = own_product(user, product_id, lock=True)
        first = locked.images.count()
        if first + len(stored) > rules.MAX_PRODUCT_IMAGES:
            raise _too_many_images()
        now = clock.now()
        ProductImage.objects.bulk_create(
            ProductImage(
                product=locked,
                position=first + i,
                original=picture.original,
                large=picture.large,
                small=picture.small,
                created_at=now,
            )
            for i, picture in enumerate(stored)
        )
        if first == 0:
            _refresh_cover(locked)
        added = list(locked.images.filter(position__gte=first))  # with their ids on every database
        events.record("product.images_added", locked, {"image_ids": [image.pk for image in added]}, actor=user)
    return added


def _write_order(product: Product, ordered: list[ProductImage]) -> None:
    """Give the photos positions 0.. in `ordered` order, keeping their ids; rows are written again because the
    unique position would refuse a swap made one row at a time."""
    product.images.all().delete()
    for position, image in enumerate(ordered):
        image.position = position
    ProductImage.objects.bulk_create(ordered)
    _refresh_cover(product)


def arrange_product_images(user, product_id: int, image_ids: list[int]) -> list[ProductImage]:
    """Keep the photos named in `image_ids`, in that order (the first becomes the cover), and remove the rest:
    one step reorders and removes, so a client never sees a half-applied order."""
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        current = {image.pk: image for image in product.images.all()}
        if len(set(image_ids)) != len(image_ids) or not set(image_ids) <= set(current):
            message = _("请列出这个商品的图片，每张最多一次。")
            raise AnxinError(message, code="invalid_image_order", fields={"image_ids": message})
        kept = [current[pk] for pk in image_ids]
        removed = [image for pk, image in current.items() if pk not in set(image_ids)]
        _write_order(product, kept)
        events.record(
            "product.images_arranged",
            product,
            {"image_ids": image_ids, "removed": [image.pk for image in removed]},
            actor=user,
        )
        transaction.on_commit(lambda: images.discard(name for image in removed for name in _shed(image)))
    return kept


def _shed(image: ProductImage) -> list[str]:
    """The files of a removed photo that may go: not the small thumbnail, which earlier orders show."""
    return [image.original, image.large]


def _sku_names(sku: SKU) -> list[str]:
    return [sku.image_original, sku.image_large]


def set_sku_image(user, sku_id: int, upload) -> SKU:
    """Give the SKU its own photo (one per SKU), replacing the one it had."""
    sku = own_sku(user, sku_id)
    stored = images.store_image(upload, folder=f"{product_folder(sku.product_id)}/skus")
    with images.discarding_on_failure([stored]), transaction.atomic():
        own_product(user, sku.product_id, lock=True)
        locked = own_sku(user, sku_id, lock=True)
        replaced = _sku_names(locked)
        locked.image_original, locked.image_large, locked.image_small = stored.names()
        locked.save(update_fields=["image_original", "image_large", "image_small"])
        events.record("sku.image_set", locked, {}, actor=user)
        transaction.on_commit(lambda: images.discard(replaced))
    return locked


def remove_sku_image(user, sku_id: int) -> SKU:
    with transaction.atomic():
        sku = own_sku(user, sku_id, lock=True)
        replaced = _sku_names(sku)
        if sku.image_small:
            sku.image_original = sku.image_large = sku.image_small = ""
            sku.save(update_fields=["image_original", "image_large", "image_small"])
            events.record("sku.image_removed", sku, {}, actor=user)
            transaction.on_commit(lambda: images.discard(replaced))
    return sku
