"""Merchants manage their products, SKUs and personalization questions here (and only here)."""

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anxin.accounts import services as accounts
from anxin.catalog import rules
from anxin.catalog.models import SKU, Category, ChoiceOption, Merchant, PersonalizationQuestion, Product
from anxin.core import clock, events
from anxin.core.errors import AnxinError, Conflict, translate
from anxin.core.permissions import owned, require_role
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
    "remote_deliverable",
    "is_active",
)


# Free-text fields of a product: (max length, multi-line); each goes through `clean_text`.
PRODUCT_TEXTS = {"title": (120, False), "title_en": (160, False), "brand": (60, False), "description": (5000, True)}
SKU_SPEC_NAME_MAX, SKU_SPEC_VALUE_MAX, SKU_SPEC_ENTRIES_MAX = 30, 60, 10
LABEL_MAX = 60  # questions' and options' labels


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


def add_sku(user, product_id: int, data: dict[str, Any], *, stock: int = 0) -> SKU:
    cleaned = _clean_sku(data, partial=False)
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        _refuse_duplicate_code(product, cleaned["code"])
        sku = SKU.objects.create(product=product, **cleaned)
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
        if "code" in cleaned:
            _refuse_duplicate_code(product, cleaned["code"], sku=sku)
        before = {key: getattr(sku, key) for key in cleaned}
        for key, value in cleaned.items():
            setattr(sku, key, value)
        sku.save()
        changes = events.changes(before, cleaned)
        price = changes.pop("price_fen", None)
        if price:
            events.record("sku.price_changed", sku, price, actor=user)
        if changes:
            events.record("sku.updated", sku, {"changes": changes}, actor=user)
    return sku


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
            )
            for i, o in enumerate(item.get("options") or [])
        )
        specs.append(
            rules.QuestionSpec(
                id=index,
                kind=item.get("kind", ""),
                label=_label(item.get("label"), f"questions.{index}.label"),
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
                required=spec.required,
                max_chars=spec.max_chars,
                min_select=spec.min_select if spec.kind == "choice" else 1,
                max_select=spec.max_select if spec.kind == "choice" else 1,
            )
            ChoiceOption.objects.bulk_create(
                ChoiceOption(question=question, position=i, label=o.label, price_delta_fen=o.price_delta_fen)
                for i, o in enumerate(spec.options)
            )
            questions.append(question)
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
