"""Personalization rules (RULES §2): validation, prices with option deltas, and line identity."""

import pytest

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


def errors_of(questions, answers) -> dict[str, str]:
    with pytest.raises(PersonalizationInvalid) as caught:
        validate_answers(questions, answers)
    return caught.value.errors


def test_a_required_text_must_be_given():
    assert "1" in errors_of([NAME], {})
    assert "1" in errors_of([NAME], {"1": "   "})


def test_text_is_trimmed():
    answers = validate_answers([NAME], {"1": "  李雷  "})
    assert answers.items[0]["text"] == "李雷"


def test_text_over_the_limit_is_refused_with_the_count():
    message = errors_of([NAME], {"1": "一二三四五六七八九十壹"})["1"]
    assert "10" in message and "11" in message


def test_text_exactly_at_the_limit_is_accepted():
    assert validate_answers([NAME], {"1": "一二三四五六七八九十"}).items[0]["text"] == "一二三四五六七八九十"


@pytest.mark.parametrize("text", ["李\n雷", "tab\there", "bell\x07", "zero\u200bwidth"])
def test_control_characters_are_refused(text):
    assert "1" in errors_of([NAME], {"1": text})


def test_an_optional_text_may_be_left_out():
    assert validate_answers([MESSAGE], {}).items == []


def test_a_choice_needs_exactly_the_number_asked():
    assert "3" in errors_of([NOTES], {"3": [100, 101]})
    assert "3" in errors_of([NOTES], {"3": [100, 101, 102, 103]})


def test_an_unknown_option_is_refused():
    assert "3" in errors_of([NOTES], {"3": [100, 101, 999]})


def test_the_same_option_twice_is_refused():
    assert "3" in errors_of([NOTES], {"3": [100, 100, 101]})


def test_an_answer_to_an_unknown_question_is_refused():
    assert "42" in errors_of([NAME], {"1": "李雷", "42": "x"})


def test_every_bad_answer_is_reported_at_once():
    errors = errors_of([NAME, NOTES], {"1": "", "3": [100]})
    assert set(errors) == {"1", "3"}


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


def test_a_product_may_ask_at_most_five_questions():
    questions = [QuestionSpec(id=i, kind="text", label=f"q{i}") for i in range(6)]
    assert question_set_problems(questions)
    assert question_set_problems(questions[:5]) == []


def test_merchant_question_definitions_are_checked():
    assert question_set_problems([QuestionSpec(id=1, kind="text", label="x", max_chars=101)])
    assert question_set_problems([QuestionSpec(id=1, kind="choice", label="x", options=())])
    assert question_set_problems(
        [QuestionSpec(id=1, kind="choice", label="x", min_select=3, max_select=3, options=(OptionSpec(1, "a"),))]
    )
    assert question_set_problems([QuestionSpec(id=1, kind="text", label=" ")])
