"""Personalization rules (RULES §2): validation, prices with option deltas, and line identity."""

import pytest
from django.utils import translation

from anxin.catalog.rules import (
    OptionSpec,
    PersonalizationInvalid,
    QuestionSpec,
    answers_summary,
    line_key,
    question_set_problems,
    unit_price_fen,
    validate_answers,
)
from anxin.core.errors import translate
from anxin.core.rules import Message

NAME = QuestionSpec(id=1, kind="text", label="印字", max_chars=10)
MESSAGE = QuestionSpec(id=2, kind="text", label="留言", required=False, max_chars=30)
NOTES = QuestionSpec(
    id=3,
    kind="choice",
    label="香调",
    min_select=3,
    max_select=3,
    options=tuple(OptionSpec(id=100 + i, label=f"note{i}", price_delta_fen=500 if i < 2 else 0) for i in range(12)),
)


def errors_of(questions, answers) -> dict[str, Message]:
    with pytest.raises(PersonalizationInvalid) as caught:
        validate_answers(questions, answers)
    return caught.value.errors


def codes_of(questions, answers) -> dict[str, str]:
    return {key: message.code for key, message in errors_of(questions, answers).items()}


def test_a_required_text_must_be_given():
    assert codes_of([NAME], {}) == {"1": "required"}
    assert codes_of([NAME], {"1": "   "}) == {"1": "required"}
    assert errors_of([NAME], {})["1"].params == {"label": "印字"}


def test_a_text_answer_must_be_text():
    assert codes_of([NAME], {"1": ["李雷"]}) == {"1": "not_text"}


def test_text_is_trimmed():
    answers = validate_answers([NAME], {"1": "  李雷  "})
    assert answers.items[0]["text"] == "李雷"


def test_text_over_the_limit_is_refused_with_the_count():
    message = errors_of([NAME], {"1": "一二三四五六七八九十壹"})["1"]
    assert (message.code, message.params) == ("too_long", {"max": 10, "n": 11})


def test_a_refusal_reads_in_the_buyers_language_at_the_edge():
    message = errors_of([NAME], {"1": "一二三四五六七八九十壹"})["1"]
    assert translate(message) == "最多 10 个字，现在是 11 个。"
    with translation.override("en"):
        assert translate(message) == "At most 10 characters; this has 11."


def test_text_exactly_at_the_limit_is_accepted():
    assert validate_answers([NAME], {"1": "一二三四五六七八九十"}).items[0]["text"] == "一二三四五六七八九十"


@pytest.mark.parametrize("text", ["李\n雷", "tab\there", "bell\x07", "zero\u200bwidth"])
def test_control_characters_are_refused(text):
    assert codes_of([NAME], {"1": text}) == {"1": "control_characters"}


def test_an_optional_text_may_be_left_out():
    assert validate_answers([MESSAGE], {}).items == []


def test_a_choice_needs_exactly_the_number_asked():
    too_few = errors_of([NOTES], {"3": [100, 101]})["3"]
    assert (too_few.code, too_few.params) == ("select_count", {"n": 3, "got": 2})
    assert codes_of([NOTES], {"3": [100, 101, 102, 103]}) == {"3": "select_count"}


def test_a_choice_with_a_range_names_both_ends():
    ranged = QuestionSpec(id=4, kind="choice", label="配件", min_select=1, max_select=2, options=NOTES.options)
    refused = errors_of([ranged], {"4": [100, 101, 102]})["4"]
    assert (refused.code, refused.params) == ("select_count", {"low": 1, "high": 2, "got": 3})


def test_an_unknown_option_is_refused():
    refused = errors_of([NOTES], {"3": [100, 101, 999]})["3"]
    assert (refused.code, refused.params) == ("unknown_option", {"value": 999})
    assert codes_of([NOTES], {"3": [100, 101, "rose"]}) == {"3": "unknown_option"}


def test_the_same_option_twice_is_refused():
    assert codes_of([NOTES], {"3": [100, 100, 101]}) == {"3": "duplicate_option"}


def test_an_answer_to_an_unknown_question_is_refused():
    assert codes_of([NAME], {"1": "李雷", "42": "x"}) == {"42": "unknown_question"}


def test_every_bad_answer_is_reported_at_once():
    assert codes_of([NAME, NOTES], {"1": "", "3": [100]}) == {"1": "required", "3": "select_count"}


def test_chosen_options_raise_the_unit_price():
    answers = validate_answers([NAME, NOTES], {"1": "Ada", "3": [100, 101, 105]})
    assert answers.price_delta_fen == 1000
    assert unit_price_fen(29900, answers.items) == 30900


def test_same_answers_same_line_other_name_other_line():
    a = validate_answers([NAME, NOTES], {"1": "Ada", "3": [100, 101, 102]})
    b = validate_answers([NAME, NOTES], {"3": [102, 101, 100], "1": " Ada "})
    c = validate_answers([NAME, NOTES], {"1": "Bob", "3": [100, 101, 102]})
    assert line_key(5, a.items) == line_key(5, b.items)
    assert line_key(5, a.items) != line_key(5, c.items)
    assert line_key(5, a.items) != line_key(6, a.items)


def test_summary_reads_like_the_packing_slip():
    answers = validate_answers([NAME, NOTES], {"1": "Ada", "3": [100, 101, 102]})
    assert answers_summary(answers.items) == "印字: Ada · 香调: note0, note1, note2"


def problem_codes(questions: list[QuestionSpec]) -> list[str]:
    return [problem.code for problem in question_set_problems(questions)]


def test_a_product_may_ask_at_most_five_questions():
    questions = [QuestionSpec(id=i, kind="text", label=f"q{i}") for i in range(6)]
    assert problem_codes(questions) == ["too_many_questions"]
    assert question_set_problems(questions)[0].params == {"n": 5}
    assert question_set_problems(questions[:5]) == []


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        (QuestionSpec(id=1, kind="text", label="x", max_chars=101), ["max_chars_range"]),
        (QuestionSpec(id=1, kind="text", label="x", max_chars=0), ["max_chars_range"]),
        (QuestionSpec(id=1, kind="choice", label="x", options=()), ["options_required"]),
        (
            QuestionSpec(id=1, kind="choice", label="x", min_select=3, max_select=3, options=(OptionSpec(1, "a"),)),
            ["select_range"],
        ),
        (QuestionSpec(id=1, kind="choice", label="x", options=(OptionSpec(1, "a", -1),)), ["negative_price_delta"]),
        (QuestionSpec(id=1, kind="text", label=" "), ["label_required"]),
        (QuestionSpec(id=1, kind="photo", label="x"), ["unknown_kind"]),
    ],
)
def test_merchant_question_definitions_are_checked(question, codes):
    assert problem_codes([question]) == codes


def test_a_well_defined_question_has_no_problem():
    assert question_set_problems([NAME, MESSAGE, NOTES]) == []
