"""Personalization (RULES §2) as pure functions: validate answers, price them, and give a line its identity;
and search: how text becomes index tokens and query terms, and how matches are ranked."""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from anxin.core.rules import Message, has_control_characters, whole_number_problem
from anxin.core.rules import message as _

MAX_QUESTIONS = 5
MAX_OPTIONS = 20
MAX_PRODUCT_IMAGES = 9  # a product's photos, the first its cover (one more per SKU)
MAX_CHARS_LIMIT = 100
DEFAULT_MAX_CHARS = 20
PRICE_PROTECTION_DAYS = (0, 7, 15, 30)  # 价保 a product may offer (RULES §6); 0 offers none


def is_price_protection_days(value: object) -> bool:
    """Only the offered lengths count: a bool is no number of days (`True` would pass as 1)."""
    return not isinstance(value, bool) and value in PRICE_PROTECTION_DAYS


@dataclass(frozen=True)
class OptionSpec:
    id: int
    label: str
    price_delta_fen: int = 0
    label_en: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: str  # "text" or "choice"
    label: str
    required: bool = True
    max_chars: int = DEFAULT_MAX_CHARS
    min_select: int = 1
    max_select: int = 1
    options: tuple[OptionSpec, ...] = ()
    label_en: str = ""


@dataclass
class Answers:
    """Validated answers, ready to store on a cart line and copy onto an order line."""

    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def price_delta_fen(self) -> int:
        return options_delta_fen(self.items)


class PersonalizationInvalid(ValueError):
    """Carries one message per question id, so a form can show each next to its field."""

    def __init__(self, errors: dict[str, Message]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class _AnswerRefused(Exception):
    """One answer's problem, caught by `validate_answers` so every question is checked before it reports."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def question_set_problems(questions: list[QuestionSpec]) -> list[Message]:
    """What is wrong with a product's questions as a merchant defined them (empty when they are fine)."""
    problems = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(_("一个商品最多 %(n)d 个定制问题。", code="too_many_questions", n=MAX_QUESTIONS))
    for q in questions:
        if not q.label.strip():
            problems.append(_("每个定制问题都需要标题。", code="label_required"))
        if q.kind == "text" and not 1 <= q.max_chars <= MAX_CHARS_LIMIT:
            problems.append(_("“%(label)s”的字数上限须在 1 到 100 之间。", code="max_chars_range", label=q.label))
        elif q.kind == "choice":
            if not q.options:
                problems.append(_("“%(label)s”至少需要一个选项。", code="options_required", label=q.label))
            if len(q.options) > MAX_OPTIONS:
                problems.append(
                    _("“%(label)s”最多 %(n)d 个选项。", code="too_many_options", label=q.label, n=MAX_OPTIONS)
                )
            if any(not o.label.strip() for o in q.options):
                problems.append(_("“%(label)s”的每个选项都需要名称。", code="option_label_required", label=q.label))
            if not 0 <= q.min_select <= q.max_select <= max(len(q.options), 1):
                problems.append(_("“%(label)s”的最少/最多选择数不合理。", code="select_range", label=q.label))
            if any(o.price_delta_fen < 0 for o in q.options):
                problems.append(_("“%(label)s”的选项加价不能为负。", code="negative_price_delta", label=q.label))
        elif q.kind not in {"text", "choice"}:
            problems.append(_("未知的问题类型：%(kind)s", code="unknown_kind", kind=q.kind))
    return problems


def _text_answer(question: QuestionSpec, raw: Any) -> str | None:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise _AnswerRefused(_("请填写文字。", code="not_text"))
    text = raw.strip()
    if not text:
        if question.required:
            raise _AnswerRefused(_("请填写“%(label)s”。", code="required", label=question.label))
        return None
    if has_control_characters(text):
        raise _AnswerRefused(_("不能包含换行、制表符等控制字符。", code="control_characters"))
    if len(text) > question.max_chars:
        raise _AnswerRefused(
            _("最多 %(max)d 个字，现在是 %(n)d 个。", code="too_long", max=question.max_chars, n=len(text))
        )
    return text


def _choice_answer(question: QuestionSpec, raw: Any) -> list[OptionSpec] | None:
    if raw is None or raw == "" or raw == []:
        chosen_ids: list[Any] = []
    elif isinstance(raw, (list, tuple)):
        chosen_ids = list(raw)
    else:
        chosen_ids = [raw]
    by_id = {o.id: o for o in question.options}
    chosen: list[OptionSpec] = []
    for value in chosen_ids:
        try:
            option = by_id[int(value)]
        except (KeyError, TypeError, ValueError):
            raise _AnswerRefused(_("选项“%(value)s”不存在。", code="unknown_option", value=value)) from None
        if option in chosen:
            raise _AnswerRefused(_("同一个选项只能选一次。", code="duplicate_option"))
        chosen.append(option)
    if not chosen and not question.required:
        return None
    low, high = question.min_select, question.max_select
    if not low <= len(chosen) <= high:
        if low == high:
            refused = _("请选择 %(n)d 项，现在选了 %(got)d 项。", code="select_count", n=low, got=len(chosen))
        else:
            refused = _(
                "请选择 %(low)d 到 %(high)d 项，现在选了 %(got)d 项。",
                code="select_count",
                low=low,
                high=high,
                got=len(chosen),
            )
        raise _AnswerRefused(refused)
    return sorted(chosen, key=lambda o: o.id)


def _labels(spec: QuestionSpec | OptionSpec) -> dict[str, str]:
    """The label an answer item keeps, with its English one only where the merchant gave it."""
    return {"label": spec.label, **({"label_en": spec.label_en} if spec.label_en else {})}


def _item_label(item: dict[str, Any], english: bool) -> str:
    """An answer item's or option's label in the page's language: English where the merchant gave one."""
    return str((english and item.get("label_en")) or item.get("label", ""))


def validate_answers(questions: list[QuestionSpec], raw_answers: dict[str, Any] | None) -> Answers:
    """Check every answer against its question; raise PersonalizationInvalid naming each bad one."""
    raw_answers = {str(key): value for key, value in (raw_answers or {}).items()}
    known = {str(q.id) for q in questions}
    errors = {key: _("这个商品没有这个定制问题。", code="unknown_question") for key in raw_answers if key not in known}
    result = Answers()
    for q in questions:
        try:
            if q.kind == "text":
                text = _text_answer(q, raw_answers.get(str(q.id)))
                if text is not None:
                    result.items.append({**_labels(q), "question_id": q.id, "kind": "text", "text": text})
            else:
                options = _choice_answer(q, raw_answers.get(str(q.id)))
                if options is not None:
                    result.items.append(
                        {
                            **_labels(q),
                            "question_id": q.id,
                            "kind": "choice",
                            "options": [
                                {**_labels(o), "id": o.id, "price_delta_fen": o.price_delta_fen} for o in options
                            ],
                        }
                    )
        except _AnswerRefused as refused:
            errors[str(q.id)] = refused.message
    if errors:
        raise PersonalizationInvalid(errors)
    return result


def options_delta_fen(answer_items: list[dict[str, Any]]) -> int:
    """What the chosen options add, read from answer items as validated or as stored on a cart line."""
    return sum(option["price_delta_fen"] for item in answer_items for option in item.get("options", ()))


def unit_price_fen(sku_price_fen: int, answer_items: list[dict[str, Any]]) -> int:
    """The one unit price of a line: the SKU's price plus its options' deltas (cart, checkout and API agree)."""
    return sku_price_fen + options_delta_fen(answer_items)


def line_key(sku_id: int, answer_items: list[dict[str, Any]]) -> str:
    """The identity of a cart line: same SKU and same answers = same line; another name = another line."""
    canonical = [
        [
            item["question_id"],
            item.get("text") if item["kind"] == "text" else [o["id"] for o in item["options"]],
        ]
        for item in sorted(answer_items, key=lambda item: item["question_id"])
    ]
    payload = json.dumps([sku_id, canonical], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def answers_summary(answer_items: list[dict[str, Any]], *, english: bool = False) -> str:
    """One line for the cart, the production list and the packing slip: `印字: 李雷 · 香调: 玫瑰, 雪松, 琥珀`
    (in English the labels the merchant gave in English, the buyer's own text as typed)."""
    parts = []
    for item in answer_items:
        options = item.get("options", ())
        value = item["text"] if item["kind"] == "text" else ", ".join(_item_label(o, english) for o in options)
        parts.append(f"{_item_label(item, english)}: {value}")
    return " · ".join(parts)


def not_yet_answered(questions: list[QuestionSpec], raw_answers: dict[str, Any] | None) -> list[QuestionSpec]:
    """The required questions the buyer has given nothing for yet: a preview names them as still to fill in,
    while everything that was given is checked as the cart checks it."""
    raw_answers = {str(key): value for key, value in (raw_answers or {}).items()}
    return [q for q in questions if q.required and _is_blank(raw_answers.get(str(q.id)))]


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, (list, tuple)) and not raw)


# --- spec matrix: a product's dimensions (颜色, 尺码 ...), their values, and one SKU per combination ---------

MAX_DIMENSIONS = 3
MAX_VALUES = 30
MAX_COMBINATIONS = 300
DIMENSION_NAME_MAX, VALUE_NAME_MAX, ENGLISH_NAME_MAX = 30, 60, 60
CODE_MAX = 64
PRICE_MAX_FEN, STOCK_MAX, WEIGHT_MAX_G = 100_000_000, 10_000_000, 1_000_000


@dataclass(frozen=True)
class SpecValueSpec:
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class DimensionSpec:
    name: str
    name_en: str = ""
    values: tuple[SpecValueSpec, ...] = ()


@dataclass(frozen=True)
class CombinationSpec:
    """One row of the matrix: a value name per dimension, in the dimensions' order, and what the SKU sells at.
    The numbers are as received (`matrix_problems` says which are no whole numbers in range)."""

    values: tuple[str, ...]
    price_fen: object
    stock: object = 0
    code: str = ""
    weight_g: object = 0
    is_active: bool = True


@dataclass(frozen=True)
class SpecMatrix:
    dimensions: tuple[DimensionSpec, ...]
    combinations: tuple[CombinationSpec, ...]


def clean_name(raw: object) -> str:
    """A chip's name as shown: trimmed, inner runs of spaces made one (so `白 蓝` and `白  蓝` are one value)."""
    return " ".join(raw.split()) if isinstance(raw, str) else ""


def _name_problem(name: str, limit: int, *, required: bool = True) -> Message | None:
    if not name:
        return _("请填写名称。", code="required") if required else None
    if has_control_characters(name):
        return _("不能包含换行、制表符等控制字符。", code="control_characters")
    if len(name) > limit:
        return _("最多 %(max)d 个字，现在是 %(n)d 个。", code="too_long", max=limit, n=len(name))
    return None


def _names_problems(where: str, name: str, name_en: str, limit: int) -> dict[str, Message]:
    """A Chinese name (required, up to `limit`) and its optional English one, by field under `where`."""
    problems = {}
    for key, text, most, required in (("name", name, limit, True), ("name_en", name_en, ENGLISH_NAME_MAX, False)):
        problem = _name_problem(text, most, required=required)
        if problem:
            problems[f"{where}.{key}"] = problem
    return problems


def _dimension_problems(index: int, dimension: DimensionSpec) -> dict[str, Message]:
    where = f"dimensions.{index}"
    problems = _names_problems(where, dimension.name, dimension.name_en, DIMENSION_NAME_MAX)
    if not 1 <= len(dimension.values) <= MAX_VALUES:
        problems[f"{where}.values"] = _(
            "“%(name)s”须有 1 到 %(max)d 个值。", code="values_count", name=dimension.name, max=MAX_VALUES
        )
    seen: set[str] = set()
    for i, value in enumerate(dimension.values):
        problems.update(_names_problems(f"{where}.values.{i}", value.name, value.name_en, VALUE_NAME_MAX))
        if value.name in seen:
            problems[f"{where}.values.{i}.name"] = _(
                "“%(name)s”中的值“%(value)s”重复了。", code="duplicate_value", name=dimension.name, value=value.name
            )
        seen.add(value.name)
    return problems


def dimensions_problems(dimensions: tuple[DimensionSpec, ...]) -> dict[str, Message]:
    """What is wrong with the dimensions and their values alone (step 1 of the seller's editor), by field."""
    if not 1 <= len(dimensions) <= MAX_DIMENSIONS:
        return {"dimensions": _("规格须有 1 到 %(max)d 个维度。", code="dimensions_count", max=MAX_DIMENSIONS)}
    problems: dict[str, Message] = {}
    names: set[str] = set()
    for index, dimension in enumerate(dimensions):
        problems.update(_dimension_problems(index, dimension))
        if dimension.name in names:
            problems[f"dimensions.{index}.name"] = _(
                "维度“%(name)s”重复了。", code="duplicate_dimension", name=dimension.name
            )
        names.add(dimension.name)
    combinations = 1
    for dimension in dimensions:
        combinations *= max(len(dimension.values), 1)
    if combinations > MAX_COMBINATIONS:
        problems["dimensions"] = _(
            "组合数 %(n)d 超过上限 %(max)d，请减少规格值。",
            code="too_many_combinations",
            n=combinations,
            max=MAX_COMBINATIONS,
        )
    return problems


def _combination_problems(
    index: int, row: CombinationSpec, dimensions: tuple[DimensionSpec, ...]
) -> dict[str, Message]:
    where = f"skus.{index}"
    problems: dict[str, Message] = {}
    if len(row.values) != len(dimensions):
        problems[f"{where}.values"] = _("每个 SKU 须为每个维度选一个值。", code="value_per_dimension")
    else:
        for dimension, value in zip(dimensions, row.values, strict=True):
            if value not in {v.name for v in dimension.values}:
                problems[f"{where}.values"] = _(
                    "“%(name)s”没有值“%(value)s”。", code="unknown_value", name=dimension.name, value=value
                )
    for key, number, low, high in (
        ("price_fen", row.price_fen, 1, PRICE_MAX_FEN),
        ("stock", row.stock, 0, STOCK_MAX),
        ("weight_g", row.weight_g, 0, WEIGHT_MAX_G),
    ):
        problem = whole_number_problem(number, low, high)
        if problem:
            problems[f"{where}.{key}"] = problem
    problem = _name_problem(row.code, CODE_MAX, required=False)
    if problem:
        problems[f"{where}.code"] = problem
    return problems


def matrix_problems(matrix: SpecMatrix) -> dict[str, Message]:
    """Everything wrong with a whole matrix, by field (empty when it can be saved): each combination at most
    once, a value for every dimension, names and numbers within bounds, codes unique."""
    problems = dimensions_problems(matrix.dimensions)
    if not matrix.combinations:
        problems["skus"] = _("至少需要一个 SKU。", code="skus_required")
    if len(matrix.combinations) > MAX_COMBINATIONS:
        problems["skus"] = _("SKU 最多 %(max)d 个。", code="too_many_combinations", max=MAX_COMBINATIONS)
        return problems
    keys: set[str] = set()
    codes: set[str] = set()
    for index, row in enumerate(matrix.combinations):
        problems.update(_combination_problems(index, row, matrix.dimensions))
        key = combination_key(matrix.dimensions, row.values)
        if key in keys:
            problems[f"skus.{index}.values"] = _("这个规格组合重复了。", code="duplicate_combination")
        keys.add(key)
        if row.code and row.code in codes:
            problems[f"skus.{index}.code"] = _("编码“%(sku_code)s”重复了。", code="duplicate_code", sku_code=row.code)
        codes.add(row.code)
    return problems


def combination_key(dimensions: tuple[DimensionSpec, ...], values: tuple[str, ...]) -> str:
    """A combination's identity within its product: its (dimension, value) names, in no particular order, so
    reordering the dimensions keeps every SKU (and its stock and orders) attached to its combination."""
    pairs = sorted(zip((d.name for d in dimensions), values, strict=False))
    return json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


def all_combinations(dimensions: tuple[DimensionSpec, ...]) -> list[tuple[str, ...]]:
    """Every combination of the dimensions' values, the first dimension varying slowest (the editor's table)."""
    rows: list[tuple[str, ...]] = [()]
    for dimension in dimensions:
        rows = [row + (value.name,) for row in rows for value in dimension.values]
    return rows if dimensions else []


@dataclass(frozen=True)
class ExistingSku:
    id: int
    code: str
    key: str


@dataclass(frozen=True)
class MatrixPlan:
    """Which existing SKU each row updates (None: a new SKU), and which SKUs leave the matrix (deactivated,
    never deleted: orders and carts point at them)."""

    matches: tuple[int | None, ...]
    retired: tuple[int, ...]
    problems: dict[str, Message] = field(default_factory=dict)


def plan_matrix(matrix: SpecMatrix, existing: list[ExistingSku]) -> MatrixPlan:
    """Match rows to SKUs: by combination first, then by code (a renamed value keeps its SKU when the seller
    keeps its code). A row's code may not be another SKU's, so the unique code index never fires."""
    by_key = {sku.key: sku for sku in existing if sku.key}
    by_code = {sku.code: sku for sku in existing}
    keys = [combination_key(matrix.dimensions, row.values) for row in matrix.combinations]
    claimed = {by_key[key].id for key in keys if key in by_key}
    matches: list[int | None] = []
    problems: dict[str, Message] = {}
    for index, (row, key) in enumerate(zip(matrix.combinations, keys, strict=True)):
        sku = by_key.get(key)
        if sku is None and row.code in by_code and by_code[row.code].id not in claimed:
            sku = by_code[row.code]
            claimed.add(sku.id)
        if row.code and row.code in by_code and by_code[row.code] is not sku:
            problems[f"skus.{index}.code"] = _("这个商品已有同编码的 SKU。", code="duplicate_code")
        matches.append(sku.id if sku else None)
    retired = tuple(sku.id for sku in existing if sku.id not in claimed)
    return MatrixPlan(tuple(matches), retired, problems)


# --- choosing a SKU by chips on the product page -----------------------------------------------------------


@dataclass(frozen=True)
class ChipSku:
    id: int
    values: tuple[int, ...]  # value ids, one per dimension in the dimensions' order
    buyable: bool  # active and in stock


def sku_for_choice(skus: list[ChipSku], choice: tuple[int | None, ...]) -> int | None:
    """The SKU of a full choice (a value id per dimension), or None when a row is unchosen or nothing matches."""
    if not choice or None in choice:
        return None
    return next((sku.id for sku in skus if sku.values == choice), None)


def open_values(skus: list[ChipSku], choice: tuple[int | None, ...], dimension: int) -> set[int]:
    """The values of one dimension that still lead to a buyable SKU, given what is chosen in the others."""
    return {
        sku.values[dimension]
        for sku in skus
        if sku.buyable
        and all(chosen is None or i == dimension or sku.values[i] == chosen for i, chosen in enumerate(choice))
    }


# --- search (tokens, terms, relevance) ------------------------------------------------------------------
# Chinese has no spaces, so the index holds every character and every pair of neighbouring characters of a
# Chinese run (the n-gram scheme of CJK search engines), and Latin letters/digits as words. A query of two or
# more characters asks for its pairs, so 球鞋 finds 足球鞋 and 定制 finds 可定制; one character asks for itself.

_RUNS = re.compile(r"[0-9a-z]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MAX_QUERY_CHARS = 60
MAX_TERMS = 12
# Indexed with every product that asks personalization questions, so a shopper's word for it finds them.
PERSONALIZABLE_WORDS = "定制 个性化 可定制 刻字 custom personalised personalized"

SORT_RELEVANCE = "relevance"
SORT_SALES = "sales"
SORT_PRICE_UP = "price_up"
SORT_PRICE_DOWN = "price_down"
SORT_NEWEST = "newest"
SORTS = (SORT_RELEVANCE, SORT_SALES, SORT_PRICE_UP, SORT_PRICE_DOWN, SORT_NEWEST)
SALES_WINDOW_DAYS = 30


def _runs(text: str) -> list[str]:
    return _RUNS.findall(unicodedata.normalize("NFKC", text).lower())


def _is_latin(run: str) -> bool:
    return run[0].isascii()


def index_tokens(text: str) -> list[str]:
    """What the index stores for `text`: Latin words, and each Chinese character and pair of characters."""
    tokens: list[str] = []
    for run in _runs(text):
        if _is_latin(run):
            tokens.append(run)
            continue
        tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def query_terms(text: str) -> list[str]:
    """The tokens a product must all hold to match `text` (at most MAX_TERMS, in order, without repeats)."""
    terms: list[str] = []
    for run in _runs(text[:MAX_QUERY_CHARS]):
        if _is_latin(run) or len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def relevance_key(terms: list[str], title_tokens: str, product_id: int) -> tuple[int, int, int]:
    """Sort key (smallest first) of a matching product: more terms in its title first, then shorter titles
    (a title that is mostly the query is the closer match), then the newer product. Every match holds all
    terms somewhere, so a product that matches only in its description comes after every title match."""
    title = title_tokens.split()
    in_title = sum(1 for term in terms if term in title)
    return (-in_title, len(title), -product_id)


@dataclass(frozen=True)
class SearchRequest:
    """What a shopper asked for; the page and the API build it from the query string, already bounded."""

    text: str = ""
    category_slug: str = ""
    sort: str = ""
    brand: str = ""
    shop_slug: str = ""
    price_min_fen: int | None = None
    price_max_fen: int | None = None
    personalizable: bool = False
    free_shipping: bool = False

    @property
    def effective_sort(self) -> str:
        """Relevance when there is a query, newest without one (relevance means nothing then)."""
        if self.sort in SORTS and not (self.sort == SORT_RELEVANCE and not query_terms(self.text)):
            return self.sort
        return SORT_RELEVANCE if query_terms(self.text) else SORT_NEWEST


def price_range_problem(price_min_fen: int | None, price_max_fen: int | None) -> Message | None:
    if price_min_fen is not None and price_max_fen is not None and price_min_fen > price_max_fen:
        return _("最低价不能高于最高价。")
    return None


def shop_promises(
    *,
    max_handling_hours: int,
    all_no_reason_return: bool,
    any_personalizable: bool,
    remote_free: list[str],
    every_remote_free: bool,
) -> list[Message]:
    """The badges of a shop page, each a promise all its products keep (any, for 支持定制). `remote_free`
    names the remote provinces to which every product ships free; `every_remote_free` when that is all of them."""
    badges: list[Message] = []
    if 0 < max_handling_hours <= 24:
        badges.append(_("24小时发货", code="ships_24h"))
    elif 0 < max_handling_hours <= 48:
        badges.append(_("48小时发货", code="ships_48h"))
    if all_no_reason_return:
        badges.append(_("7天无理由退货", code="no_reason_return"))
    if every_remote_free:
        badges.append(_("偏远地区包邮", code="remote_free"))
    else:
        badges.extend(_("%(province)s包邮", province=name, code="remote_free") for name in remote_free)
    if any_personalizable:
        badges.append(_("支持定制", code="personalizable"))
    return badges
