"""The seller's spec matrix editor, in two steps that work without script: first the dimensions (颜色, 尺码 ...)
and their values, then a table of every combination with its price, stock, code, weight and on-sale toggle.
The whole matrix is saved by one service call; until then everything typed travels in the form."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anxin.catalog import queries, rules, services
from anxin.catalog.pages.forms import move_row
from anxin.core.errors import AnxinError, translate
from anxin.core.money import format_fen
from anxin.core.pages import staff_required, yuan_or_error

MAX_VALUE_LINES_CHARS = 4000


@dataclass
class DimensionRow:
    name: str = ""
    name_en: str = ""
    values: str = ""  # one value a line: `白蓝 | White-blue`
    errors: dict[str, str] = field(default_factory=dict)

    def spec(self) -> rules.DimensionSpec:
        return rules.DimensionSpec(
            rules.clean_name(self.name), rules.clean_name(self.name_en), parse_values(self.values)
        )


@dataclass
class CombinationRow:
    values: tuple[str, ...]
    key: str
    price: str = ""
    stock: str = "0"
    code: str = ""
    weight_g: str = "0"
    is_active: bool = True
    errors: dict[str, str] = field(default_factory=dict)


def parse_values(text: str) -> tuple[rules.SpecValueSpec, ...]:
    """`白蓝 | White-blue` a line (the English is optional); blank lines are skipped."""
    values = []
    for line in text.splitlines():
        name, _sep, english = line.replace("｜", "|").partition("|")
        if name.strip() or english.strip():
            values.append(rules.SpecValueSpec(rules.clean_name(name), rules.clean_name(english)))
    return tuple(values)


def _values_text(values: list[dict[str, str]]) -> str:
    return "\n".join(f"{v['name']} | {v['name_en']}" if v["name_en"] else v["name"] for v in values)


def _saved_rows(matrix: dict[str, Any]) -> list[DimensionRow]:
    return [DimensionRow(d["name"], d["name_en"], _values_text(d["values"])) for d in matrix["dimensions"]]


def _dimension_rows(data: QueryDict) -> list[DimensionRow]:
    try:
        count = max(0, min(int(data.get("dims", "0")), rules.MAX_DIMENSIONS + 1))
    except ValueError:
        count = 0
    return [
        DimensionRow(
            data.get(f"d{i}_name", "")[:100],
            data.get(f"d{i}_name_en", "")[:100],
            data.get(f"d{i}_values", "")[:MAX_VALUE_LINES_CHARS],
        )
        for i in range(count)
    ]


def _move(rows: list[DimensionRow], action: str) -> list[DimensionRow]:
    """Step 1's buttons: add a dimension, or remove / move up / move down the one named by index."""
    verb, _sep, index = action.partition(":")
    if verb == "add":
        if len(rows) < rules.MAX_DIMENSIONS:
            rows.append(DimensionRow())
        return rows
    return move_row(rows, verb, index)


def _mark_dimension_errors(rows: list[DimensionRow], problems: dict[str, str]) -> str:
    """Each problem beside its dimension's name or values; what belongs to none is returned for the top."""
    general = []
    for key, message in problems.items():
        parts = key.split(".")
        if parts[0] == "dimensions" and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
            slot = parts[2] if parts[2] in {"name", "name_en"} else "values"
            rows[int(parts[1])].errors.setdefault(slot, message)
        else:
            general.append(message)
    return " ".join(general)


def _combination_rows(
    dimensions: tuple[rules.DimensionSpec, ...], data: QueryDict | None, saved: dict[str, Any]
) -> list[CombinationRow]:
    """Every combination, prefilled from what was typed in step 2 (by combination) or else from its SKU."""
    typed: dict[str, dict[str, Any]] = {}
    if data is not None:
        for j in range(min(int(data["rows"]) if data.get("rows", "").isdigit() else 0, rules.MAX_COMBINATIONS)):
            typed[data.get(f"c{j}_key", "")] = {
                "price": data.get(f"c{j}_price", "")[:20],
                "stock": data.get(f"c{j}_stock", "")[:12],
                "code": data.get(f"c{j}_code", "")[:64],
                "weight_g": data.get(f"c{j}_weight", "")[:12],
                "is_active": bool(data.get(f"c{j}_active")),
            }
    names = tuple(d.name for d in dimensions)
    stored = {
        rules.combination_key(tuple(rules.DimensionSpec(n) for n in names), tuple(sku["values"])): sku
        for sku in saved["skus"]
        if len(sku["values"]) == len(names)
    }
    rows = []
    for values in rules.all_combinations(dimensions):
        key = rules.combination_key(dimensions, values)
        row = CombinationRow(values, key)
        if key in typed:
            row.price, row.stock, row.code = typed[key]["price"], typed[key]["stock"], typed[key]["code"]
            row.weight_g, row.is_active = typed[key]["weight_g"], typed[key]["is_active"]
        elif key in stored:
            sku = stored[key]
            row.price, row.stock, row.code = format_fen(sku["price_fen"]).lstrip("¥"), str(sku["stock"]), sku["code"]
            row.weight_g, row.is_active = str(sku["weight_g"]), sku["is_active"]
        rows.append(row)
    return rows


def _whole(row: CombinationRow, key: str, text: str) -> int | None:
    try:
        return int(text.strip() or "0")
    except ValueError:
        row.errors[key] = _("请填写整数。")
        return None


def _matrix_input(dimensions: tuple[rules.DimensionSpec, ...], rows: list[CombinationRow]) -> tuple[dict, list[int]]:
    """The service's matrix from the table (a row with no price is a combination not sold), and for each of its
    SKUs the table row it came from, so the service's errors land on the right row."""
    skus, origin = [], []
    for index, row in enumerate(rows):
        price = yuan_or_error(row.price, row.errors, "price", limit_fen=rules.PRICE_MAX_FEN)
        stock, weight = _whole(row, "stock", row.stock), _whole(row, "weight_g", row.weight_g)
        if price is None and "price" not in row.errors:
            continue
        skus.append(
            {
                "values": list(row.values),
                "price_fen": price,
                "stock": stock,
                "code": row.code,
                "weight_g": weight,
                "is_active": row.is_active,
            }
        )
        origin.append(index)
    dims = [
        {"name": d.name, "name_en": d.name_en, "values": [{"name": v.name, "name_en": v.name_en} for v in d.values]}
        for d in dimensions
    ]
    return {"dimensions": dims, "skus": skus}, origin


def _mark_row_errors(rows: list[CombinationRow], origin: list[int], problems: dict[str, str]) -> str:
    general = []
    aliases = {"price_fen": "price", "weight_g": "weight_g", "stock": "stock", "code": "code"}
    for key, message in problems.items():
        parts = key.split(".")
        if parts[0] == "skus" and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(origin):
            rows[origin[int(parts[1])]].errors.setdefault(aliases.get(parts[2], "price"), message)
        else:
            general.append(message)
    return " ".join(general)


def _bulk_fill(rows: list[CombinationRow], data: QueryDict) -> None:
    """批量填充: the price and stock typed above the table go into every row."""
    price, stock = data.get("bulk_price", "").strip()[:20], data.get("bulk_stock", "").strip()[:12]
    for row in rows:
        row.price = price or row.price
        row.stock = stock or row.stock


@dataclass
class EditorState:
    step: int
    dimensions: list[DimensionRow]
    rows: list[CombinationRow] = field(default_factory=list)
    error: str = ""
    status: int = 200


def _step_two(state: EditorState, data: QueryDict | None, saved: dict[str, Any]) -> EditorState:
    specs = tuple(row.spec() for row in state.dimensions)
    problems = {key: translate(message) for key, message in rules.dimensions_problems(specs).items()}
    if problems:
        state.error = _mark_dimension_errors(state.dimensions, problems) or _("请按提示修改规格维度。")
        state.step, state.status = 1, 400
        return state
    state.step, state.rows = 2, _combination_rows(specs, data, saved)
    return state


def _save(request: HttpRequest, product_id: int, state: EditorState) -> EditorState | None:
    specs = tuple(row.spec() for row in state.dimensions)
    data, origin = _matrix_input(specs, state.rows)
    if any(row.errors for row in state.rows):
        state.error, state.status = _("请按提示修改后再保存。"), 400
        return state
    try:
        services.replace_spec_matrix(request.user, product_id, data)
    except AnxinError as exc:
        state.error = _mark_row_errors(state.rows, origin, exc.fields) or exc.message
        state.status = exc.status
        return state
    return None


def _state_from_post(request: HttpRequest, product_id: int, saved: dict[str, Any]) -> EditorState | None:
    """What the editor shows after a button: None once the matrix is saved."""
    data = request.POST
    state = EditorState(1, _dimension_rows(data))
    action = data.get("action", "")
    if action == "next" or (data.get("step") == "2" and action in {"fill", "save"}):
        state = _step_two(state, data if action != "next" else None, saved)
        if state.step == 2 and action == "fill":
            _bulk_fill(state.rows, data)
        elif state.step == 2 and action == "save":
            return _save(request, product_id, state)
        return state
    if action != "back":
        state.dimensions = _move(state.dimensions, action)
    return state


@require_http_methods(["GET", "POST"])
@staff_required
def spec_matrix(request: HttpRequest, product_id: int) -> HttpResponse:
    product = services.own_product(request.user, product_id)
    saved = queries.spec_matrix(product.pk)
    if request.method == "GET":
        state = EditorState(1, _saved_rows(saved) or [DimensionRow()])
    else:
        state = _state_from_post(request, product.pk, saved)
        if state is None:
            messages.success(request, _("规格已保存。"))
            return redirect("web:seller_product_edit", product_id=product.pk)
    context = {
        "product": product,
        "state": state,
        "names": [rules.clean_name(row.name) for row in state.dimensions],
        "can_add": len(state.dimensions) < rules.MAX_DIMENSIONS,
        "limits": {"dimensions": rules.MAX_DIMENSIONS, "values": rules.MAX_VALUES},
    }
    return render(request, "catalog/seller/specs.html", context, status=state.status)
