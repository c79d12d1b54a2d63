"""Questions and options carry the English names the merchant gave: the product page, the cart and the order
show them on English pages, the Chinese ones on Chinese pages, and the Chinese one where none was given."""

import pytest
from django.conf import settings
from django.utils import translation

from anxin.catalog import queries, rules
from anxin.web.templatetags.anxin_web import summary
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def perfume():
    product = f.product(title="香水")
    engraving = f.text_question(product, label="印字", position=0)
    engraving.label_en = "Engraving"
    engraving.save()
    notes = f.choice_question(product, [("玫瑰", 0), ("雪松", 500)], label="香调")
    rose = notes.options.get(label="玫瑰")
    rose.label_en = "Rose"
    rose.save()
    return product, engraving, notes


def test_the_product_page_shows_english_names_on_english_pages_and_chinese_otherwise(client):
    product, _, _ = perfume()
    chinese = client.get(f"/p/{product.pk}/").text
    assert "印字" in chinese and "Engraving" not in chinese and "玫瑰" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/p/{product.pk}/").text
    assert "Engraving" in english and "Rose" in english
    assert "香调" in english and "雪松" in english  # no English name given: the Chinese one


def test_answers_keep_the_english_names_and_the_summary_speaks_the_page_language():
    product, engraving, notes = perfume()
    rose = notes.options.get(label="玫瑰")
    specs = queries.question_specs_for([product.pk])[product.pk]
    answers = rules.validate_answers(specs, {str(engraving.pk): "李雷", str(notes.pk): rose.pk}).items
    assert answers[0]["label_en"] == "Engraving" and answers[1]["options"][0]["label_en"] == "Rose"
    assert "label_en" not in answers[1]
    assert summary(answers) == "印字: 李雷 · 香调: 玫瑰"
    with translation.override("en"):
        assert summary(answers) == "Engraving: 李雷 · 香调: Rose"


def test_the_buyers_order_page_shows_the_english_label(client):
    order = paid_order(answers_text="韩梅梅")
    line = order.lines.get()
    line.answers = [{**line.answers[0], "label_en": "Engraving"}]
    line.save()
    client.force_login(order.buyer)
    assert "<strong>印字</strong>" in client.get(f"/orders/{order.pk}/").text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<strong>Engraving</strong>" in client.get(f"/orders/{order.pk}/").text
