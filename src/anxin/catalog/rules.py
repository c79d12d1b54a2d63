"""Personalization (RULES §2) as pure functions: validate answers, price them, and give a line its identity."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from anxin.core.rules import Message, has_control_characters
from anxin.core.rules import message as _

MAX_QUESTIONS = 5
MAX_CHARS_LIMIT = 100
DEFAULT_MAX_CHARS = 20


@dataclass(frozen=True)
class OptionSpec:
    id: int
    label: str
    price_delta_fen: int = 0


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
                    result.items.append({"question_id": q.id, "label": q.label, "kind": "text", "text": text})
            else:
                options = _choice_answer(q, raw_answers.get(str(q.id)))
                if options is not None:
                    result.items.append(
                        {
                            "question_id": q.id,
                            "label": q.label,
                            "kind": "choice",
                            "options": [
                                {"id": o.id, "label": o.label, "price_delta_fen": o.price_delta_fen} for o in options
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


def answers_summary(answer_items: list[dict[str, Any]]) -> str:
    """One line for the production list and the packing slip: `印字: 李雷 · 香调: 玫瑰, 雪松, 琥珀`."""
    parts = []
    for item in answer_items:
        value = item["text"] if item["kind"] == "text" else ", ".join(o["label"] for o in item["options"])
        parts.append(f"{item['label']}: {value}")
    return " · ".join(parts)
