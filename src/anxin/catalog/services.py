"""Merchants manage their products, SKUs and personalization questions here (and only here)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anxin.catalog import rules
from anxin.catalog.models import SKU, Category, ChoiceOption, PersonalizationQuestion, Product
from anxin.core import clock, events
from anxin.core.errors import AnxinError, NotFound, translate
from anxin.core.permissions import owned, require_role
from anxin.inventory import services as inventory

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


def _require_staff(user) -> int:
    require_role(user, "merchant_staff")
    return user.merchant_id


def own_product(user, product_id: int, *, lock: bool = False) -> Product:
    """The staff member's own product; another shop's product is 'not found'."""
    merchant_id = _require_staff(user)
    return owned(Product.objects.filter(pk=product_id, merchant_id=merchant_id), _("找不到这个商品。"), lock=lock)


def own_sku(user, sku_id: int) -> SKU:
    merchant_id = _require_staff(user)
    sku = SKU.objects.select_related("product").filter(pk=sku_id, product__merchant_id=merchant_id).first()
    if sku is None:
        raise NotFound(_("找不到这个 SKU。"))
    return sku


def _clean_product(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    cleaned = {key: data[key] for key in PRODUCT_FIELDS if key in data and data[key] is not None}
    errors: dict[str, str] = {}
    if "title" in cleaned or not partial:
        cleaned["title"] = str(cleaned.get("title", "")).strip()
        if not 1 <= len(cleaned["title"]) <= 120:
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
            product.category = _category(data["category_id"])
        for key, value in cleaned.items():
            setattr(product, key, value)
        product.save()
        events.record("product.updated", product, {"fields": sorted(cleaned)}, actor=user)
    return product


def _clean_sku(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "code" in data or not partial:
        cleaned["code"] = str(data.get("code") or "").strip()
        if not 1 <= len(cleaned["code"]) <= 64:
            errors["code"] = _("请填写 SKU 编码（最多64个字符）。")
    if "price_fen" in data or not partial:
        price = data.get("price_fen")
        if not isinstance(price, int) or not 1 <= price <= 100_000_000:
            errors["price_fen"] = _("价格须为 1 分到 100 万元之间的整数（单位：分）。")
        cleaned["price_fen"] = price
    if data.get("weight_g") is not None:
        if not isinstance(data["weight_g"], int) or not 0 <= data["weight_g"] <= 1_000_000:
            errors["weight_g"] = _("重量须为 0 到 1,000,000 克之间的整数。")
        cleaned["weight_g"] = data["weight_g"]
    if data.get("spec") is not None:
        spec = data["spec"]
        if not isinstance(spec, dict) or not all(isinstance(v, (str, int, float)) for v in spec.values()):
            errors["spec"] = _("规格须为“属性: 值”的集合，例如 颜色: 红。")
        cleaned["spec"] = {str(k)[:30]: str(v)[:60] for k, v in spec.items()} if isinstance(spec, dict) else {}
    if data.get("is_active") is not None:
        cleaned["is_active"] = bool(data["is_active"])
    if errors:
        raise AnxinError(_("SKU 信息有误。"), code="invalid_sku", fields=errors)
    return cleaned


def add_sku(user, product_id: int, data: dict[str, Any], *, stock: int = 0) -> SKU:
    cleaned = _clean_sku(data, partial=False)
    with transaction.atomic():
        product = own_product(user, product_id, lock=True)
        if product.skus.filter(code=cleaned["code"]).exists():
            raise AnxinError(_("这个商品已有同编码的 SKU。"), code="invalid_sku", fields={"code": _("编码重复")})
        sku = SKU.objects.create(product=product, **cleaned)
        inventory.set_available(sku, stock, actor=user)
        events.record("sku.created", sku, {"price_fen": sku.price_fen}, actor=user)
    return sku


def update_sku(user, sku_id: int, data: dict[str, Any]) -> SKU:
    cleaned = _clean_sku(data, partial=True)
    with transaction.atomic():
        sku = own_sku(user, sku_id)
        before = sku.price_fen
        for key, value in cleaned.items():
            setattr(sku, key, value)
        sku.save()
        if sku.price_fen != before:
            events.record("sku.price_changed", sku, {"before": before, "after": sku.price_fen}, actor=user)
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


def _question_specs_from_input(items: list[dict[str, Any]]) -> list[rules.QuestionSpec]:
    specs = []
    for index, item in enumerate(items):
        options = tuple(
            rules.OptionSpec(
                id=i, label=str(o.get("label", "")).strip(), price_delta_fen=_whole_number(o.get("price_delta_fen"), 0)
            )
            for i, o in enumerate(item.get("options") or [])
        )
        specs.append(
            rules.QuestionSpec(
                id=index,
                kind=item.get("kind", ""),
                label=str(item.get("label", "")).strip(),
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
                label=spec.label[:60],
                required=spec.required,
                max_chars=spec.max_chars,
                min_select=spec.min_select if spec.kind == "choice" else 1,
                max_select=spec.max_select if spec.kind == "choice" else 1,
            )
            ChoiceOption.objects.bulk_create(
                ChoiceOption(question=question, position=i, label=o.label[:60], price_delta_fen=o.price_delta_fen)
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
