"""The seller's personalization-question editor: questions and their options as rows of a real form, added,
removed and reordered by buttons (no script needed), with a preview of what the buyer will be asked that
htmx refreshes while the merchant types.

Only `save` writes, through one `replace_questions` call that checks the whole set with `catalog.rules`; every
other action shows the form again as posted, unsaved."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anxin.catalog import queries, rules, services
from anxin.catalog.pages.forms import move_row
from anxin.core.errors import AnxinError
from anxin.core.money import yuan_text
from anxin.core.pages import staff_required, yuan_or_error

MAX_ROWS = rules.MAX_QUESTIONS
MAX_OPTIONS = rules.MAX_OPTIONS
LABEL_MAX = services.LABEL_MAX
PRICE_DELTA_LIMIT_FEN = 10_000_000  # ¥100,000, as the API allows
TYPED_MAX = 200  # what is kept of a posted text to show again; longer than any field allows, so it is named


@dataclass
class OptionRow:
    label: str = ""
    label_en: str = ""
    price: str = ""  # yuan, as typed
    delta_fen: int | None = None  # the price read, when it is one
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class QuestionRow:
    kind: str = "text"
    label: str = ""
    label_en: str = ""
    required: bool = True
    max_chars: str = str(rules.DEFAULT_MAX_CHARS)
    min_select: str = "1"
    max_select: str = "1"
    options: list[OptionRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def can_add_option(self) -> bool:
        return len(self.options) < MAX_OPTIONS


def _rows_from_questions(product) -> list[QuestionRow]:
    return [
        QuestionRow(
            kind=q.kind,
            label=q.label,
            label_en=q.label_en,
            required=q.required,
            max_chars=str(q.max_chars),
            min_select=str(q.min_select),
            max_select=str(q.max_select),
            options=[
                OptionRow(o.label, o.label_en, yuan_text(o.price_delta_fen), o.price_delta_fen) for o in q.options.all()
            ],
        )
        for q in product.questions.all()
    ]


def _count(data: QueryDict, key: str, limit: int) -> int:
    try:
        return max(0, min(int(data.get(key, "0")), limit))
    except ValueError:
        return 0


def _rows_from_post(data: QueryDict) -> list[QuestionRow]:
    """The rows as posted: at most MAX_ROWS questions of at most MAX_OPTIONS options (one more of each, so a
    file of the form made by hand shows the limit's message rather than losing a row)."""
    rows = []
    for i in range(_count(data, "rows", MAX_ROWS + 1)):
        prefix = f"q{i}_"

        def typed(name: str, default: str = "", prefix: str = prefix) -> str:
            return data.get(prefix + name, default)[:TYPED_MAX]

        options = [
            OptionRow(typed(f"o{j}_label"), typed(f"o{j}_label_en"), typed(f"o{j}_price"))
            for j in range(_count(data, prefix + "options", MAX_OPTIONS + 1))
        ]
        rows.append(
            QuestionRow(
                kind="choice" if typed("kind") == "choice" else "text",
                label=typed("label"),
                label_en=typed("label_en"),
                required=bool(data.get(prefix + "required")),
                max_chars=typed("max_chars", str(rules.DEFAULT_MAX_CHARS)),
                min_select=typed("min_select", "1"),
                max_select=typed("max_select", "1"),
                options=options,
            )
        )
    return rows


def _indexes(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(":") if part != ""]
    except ValueError:
        return []


def _apply_action(rows: list[QuestionRow], action: str) -> None:
    """A button's action on the unsaved rows: add or move a question (`up:1`), add or move an option
    (`option_down:1:2`). A new choice question starts with two empty options to fill in."""
    verb, _sep, where = action.partition(":")
    at = _indexes(where)
    if verb in {"add_text", "add_choice"} and len(rows) < MAX_ROWS:
        choice = verb == "add_choice"
        rows.append(
            QuestionRow(kind="choice" if choice else "text", options=[OptionRow(), OptionRow()] if choice else [])
        )
    elif verb in {"up", "down", "remove"} and len(at) == 1:
        move_row(rows, verb, str(at[0]))
    elif verb == "add_option" and len(at) == 1 and 0 <= at[0] < len(rows) and rows[at[0]].can_add_option:
        rows[at[0]].options.append(OptionRow())
    elif verb.startswith("option_") and len(at) == 2 and 0 <= at[0] < len(rows):
        move_row(rows[at[0]].options, verb.removeprefix("option_"), str(at[1]))


def _whole(row: QuestionRow, key: str, low: int, high: int) -> int | None:
    try:
        value = int(str(getattr(row, key)).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        row.errors[key] = _("请输入 %(low)d 到 %(high)d 之间的整数。") % {"low": low, "high": high}
        return None
    return value


def _label(owner: QuestionRow | OptionRow, key: str, *, required: bool) -> str:
    text = getattr(owner, key).strip()
    if required and not text:
        owner.errors[key] = _("请填写名称。")
    elif len(text) > LABEL_MAX:
        owner.errors[key] = _("最多 %(max)d 个字，现在是 %(n)d 个。") % {"max": LABEL_MAX, "n": len(text)}
    return text


def _option_item(option: OptionRow) -> dict:
    option.delta_fen = yuan_or_error(option.price, option.errors, "price", limit_fen=PRICE_DELTA_LIMIT_FEN)
    if option.delta_fen is not None and option.delta_fen < 0:
        option.errors["price"] = _("加价不能为负。")
    return {
        "label": _label(option, "label", required=True),
        "label_en": _label(option, "label_en", required=False),
        "price_delta_fen": option.delta_fen or 0,
    }


def _question_item(row: QuestionRow) -> dict:
    item = {
        "kind": row.kind,
        "label": _label(row, "label", required=True),
        "label_en": _label(row, "label_en", required=False),
        "required": row.required,
    }
    if row.kind == "text":
        item["max_chars"] = _whole(row, "max_chars", 1, rules.MAX_CHARS_LIMIT)
        return item
    item["options"] = [_option_item(option) for option in row.options]
    item["min_select"] = _whole(row, "min_select", 0, MAX_OPTIONS)
    item["max_select"] = _whole(row, "max_select", 1, MAX_OPTIONS)
    if not row.options:
        row.errors["options"] = _("至少添加一个选项。")
    elif len(row.options) > MAX_OPTIONS:
        row.errors["options"] = _("最多 %(n)d 个选项。") % {"n": MAX_OPTIONS}
    return item


def _has_errors(rows: list[QuestionRow]) -> bool:
    return any(row.errors or any(option.errors for option in row.options) for row in rows)


def _items_from_rows(rows: list[QuestionRow]) -> list[dict] | None:
    """The question list for `replace_questions`, or None after marking every row's and option's errors."""
    items = [_question_item(row) for row in rows]
    if len(rows) > MAX_ROWS:
        return None
    return None if _has_errors(rows) else items


def _read_for_preview(rows: list[QuestionRow]) -> None:
    """The prices read for the preview, without telling a merchant still typing what is not finished."""
    _items_from_rows(rows)
    for row in rows:
        row.errors.clear()
        for option in row.options:
            option.errors.clear()


@require_http_methods(["GET", "POST"])
@staff_required
def questions(request: HttpRequest, product_id: int) -> HttpResponse:
    product = services.own_product(request.user, product_id)
    error, unsaved, status = "", False, 200
    if request.method == "GET":
        rows = _rows_from_questions(queries.product_with_questions(product.pk))
    else:
        rows = _rows_from_post(request.POST)
        action = request.POST.get("action", "save")
        if action == "save":
            items = _items_from_rows(rows)
            if items is None:
                error, status = _("请按提示修改后再保存。"), 400
                if len(rows) > MAX_ROWS:
                    error = _("一个商品最多 %(n)d 个定制问题。") % {"n": MAX_ROWS}
            else:
                try:
                    services.replace_questions(request.user, product.pk, items)
                except AnxinError as exc:
                    error, status = exc.message, exc.status
                else:
                    messages.success(request, _("定制问题已保存。"))
                    return redirect("web:seller_questions", product_id=product.pk)
        else:
            _apply_action(rows, action)
            _read_for_preview(rows)
            unsaved = True
    context = {
        "product": product,
        "rows": rows,
        "error": error,
        "unsaved": unsaved,
        "can_add": len(rows) < MAX_ROWS,
        "max_rows": MAX_ROWS,
        "max_options": MAX_OPTIONS,
    }
    return render(request, "catalog/seller/questions.html", context, status=status)
