"""The question editor is a real form: questions and options as rows added, removed and reordered by buttons,
prices in yuan, optional English names, a preview of what the buyer sees; one save that checks the whole set
and changes nothing when refused."""

import pytest

from anxin.catalog.models import ChoiceOption, PersonalizationQuestion
from tests import factories as f
from tests.orders.helpers import row_counts

pytestmark = pytest.mark.django_db


def url(product) -> str:
    return f"/seller/products/{product.pk}/questions/"


def perfume_form(**changes) -> dict:
    """The editor's fields for an engraving and a choice of two of three notes, as a browser posts them."""
    data = {
        "rows": "2",
        "q0_kind": "text", "q0_label": "印字", "q0_label_en": "Engraving", "q0_required": "1", "q0_max_chars": "12",
        "q1_kind": "choice", "q1_label": "香调", "q1_label_en": "Notes", "q1_required": "1",
        "q1_min_select": "2", "q1_max_select": "2", "q1_options": "3",
        "q1_o0_label": "玫瑰", "q1_o0_label_en": "Rose", "q1_o0_price": "0",
        "q1_o1_label": "雪松", "q1_o1_label_en": "", "q1_o1_price": "5",
        "q1_o2_label": "琥珀", "q1_o2_label_en": "Amber", "q1_o2_price": "¥10.50",
    }  # fmt: skip
    return {**data, **changes}


@pytest.fixture
def editor(client):
    shop = f.merchant()
    product = f.product(shop)
    client.force_login(f.staff(shop))
    return client, product


def test_saving_stores_questions_options_prices_in_yuan_and_english_names(editor):
    client, product = editor
    r = client.post(url(product), perfume_form(action="save"))
    assert r.status_code == 302
    engraving, notes = PersonalizationQuestion.objects.filter(product=product).order_by("position")
    assert (engraving.label, engraving.label_en, engraving.max_chars) == ("印字", "Engraving", 12)
    assert (notes.label_en, notes.min_select, notes.max_select) == ("Notes", 2, 2)
    assert [(o.label, o.label_en, o.price_delta_fen) for o in notes.options.all()] == [
        ("玫瑰", "Rose", 0),
        ("雪松", "", 500),
        ("琥珀", "Amber", 1050),
    ]
    page = client.get(url(product)).text
    assert 'value="10.50"' in page and 'value="Amber"' in page
    assert "买家看到的样子" in page and "+¥10.50" in page


def test_buttons_add_move_and_remove_questions_and_options_without_saving(editor):
    client, product = editor
    r = client.post(url(product), {"rows": "0", "action": "add_choice"})
    assert r.status_code == 200 and 'name="q0_o1_label"' in r.text and "尚未保存" in r.text
    r = client.post(url(product), perfume_form(action="option_up:1:2"))
    assert r.text.index('value="玫瑰"') < r.text.index('value="琥珀"') < r.text.index('value="雪松"')
    r = client.post(url(product), perfume_form(action="option_remove:1:0"))
    assert 'value="玫瑰"' not in r.text and 'name="q1_options" value="2"' in r.text
    r = client.post(url(product), perfume_form(action="add_option:1"))
    assert 'name="q1_o3_label"' in r.text
    r = client.post(url(product), perfume_form(action="up:1"))
    assert r.text.index('value="香调"') < r.text.index('value="印字"')
    r = client.post(url(product), perfume_form(action="remove:0"))
    assert 'value="印字"' not in r.text
    r = client.post(url(product), perfume_form(action="option_down:9:9"))
    assert r.status_code == 200
    assert not PersonalizationQuestion.objects.filter(product=product).exists()


def test_the_preview_shows_what_the_buyer_will_be_asked_while_typing(editor):
    client, product = editor
    r = client.post(url(product), perfume_form(action="preview", q1_o1_price="abc"), headers={"HX-Request": "true"})
    assert r.status_code == 200
    preview = r.text[r.text.index('id="q-preview"') :]
    assert "印字 *" in preview and "最多 12 个字" in preview and "请选择 2 项" in preview
    assert "+¥10.50" in preview and "+¥5.00" not in preview
    assert "不是金额" not in r.text  # a price still being typed is not an error yet


def test_switching_a_question_to_text_and_back_keeps_its_options(editor):
    client, product = editor
    r = client.post(url(product), perfume_form(action="refresh:1", q1_kind="text"))
    assert 'name="q1_o2_label" value="琥珀"' in r.text and 'type="hidden" name="q1_o2_label"' in r.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"q0_max_chars": "500"}, "请输入 1 到 100 之间的整数"),
        ({"q1_o1_price": "abc"}, "金额"),
        ({"q1_o1_price": "-5"}, "加价不能为负"),
        ({"q1_o1_label": ""}, "请填写名称"),
        ({"q1_o1_label_en": "x" * 61}, "最多 60 个字"),
        ({"q0_label": ""}, "请填写名称"),
        ({"q1_min_select": "3", "q1_max_select": "3", "q1_options": "2"}, "最少/最多选择数不合理"),
        ({"q1_options": "0"}, "至少添加一个选项"),
        ({"q1_o1_price": "200000"}, "金额不能超过"),
    ],
)
def test_a_refused_save_shows_each_message_in_place_and_changes_nothing(editor, changes, message):
    client, product = editor
    f.text_question(product, label="旧问题")
    before = row_counts()
    r = client.post(url(product), perfume_form(action="save", **changes))
    assert r.status_code == 400
    assert message in r.text
    assert 'value="香调"' in r.text
    assert row_counts() == before
    assert list(product.questions.values_list("label", flat=True)) == ["旧问题"]


def test_more_questions_or_options_than_allowed_are_refused(editor):
    client, product = editor
    six = {"rows": "6", "action": "save"}
    for i in range(6):
        six |= {f"q{i}_kind": "text", f"q{i}_label": f"问题{i}", f"q{i}_max_chars": "10"}
    r = client.post(url(product), six)
    assert r.status_code == 400 and "最多 5 个定制问题" in r.text
    many = perfume_form(action="save", q1_options="21")
    many |= {f"q1_o{j}_label": f"香{j}" for j in range(21)} | {f"q1_o{j}_price": "0" for j in range(21)}
    r = client.post(url(product), many)
    assert r.status_code == 400 and "最多 20 个选项" in r.text
    assert not ChoiceOption.objects.exists()


def test_the_api_takes_and_gives_english_labels():
    shop = f.merchant()
    product = f.product(shop)
    client = f.api_client(f.staff(shop))
    body = [
        {"kind": "choice", "label": "香调", "label_en": "Notes", "options": [{"label": "玫瑰", "label_en": "Rose"}]}
    ]
    r = client.put(f"/api/seller/products/{product.pk}/questions", body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()[0]["label_en"] == "Notes" and r.json()[0]["options"][0]["label_en"] == "Rose"
