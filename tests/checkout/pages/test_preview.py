"""The product page's live preview says what the cart would say: the same checks, the same refusal (code and
message) instead of a total or a print line the cart would refuse; and it is posted, so the CSRF token never
travels in a URL."""

import re

import pytest

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.core import config
from anxin.core.errors import AnxinError
from tests import factories as f

pytestmark = pytest.mark.django_db


def _boots(stock: int = 50):
    boots = f.product(title="定制球鞋", price_fen=44900, stock=stock)
    name = f.text_question(boots, label="鞋舌印字", max_chars=10)
    return boots, name


def _cart_refusal(buyer, sku_id, quantity, answers) -> AnxinError:
    with pytest.raises(AnxinError) as refused:
        checkouts.add_to_cart(buyer, sku_id, quantity, answers)
    return refused.value


def _preview(client, product, **data):
    return client.post(f"/p/{product.pk}/preview/", data, headers={"HX-Request": "true"})


def _shown_error(html: str) -> tuple[str, str]:
    found = re.search(r'id="preview-error" data-code="(\w+)">\s*<div>([^<]+)</div>', html)
    return found.group(1), found.group(2)


def test_a_name_too_long_for_the_cart_is_refused_in_the_preview_with_the_carts_words(client):
    boots, name = _boots()
    buyer = f.buyer()
    sku = boots.skus.first()
    long_name = "李" * 200
    refusal = _cart_refusal(buyer, sku.pk, 1, {str(name.pk): long_name})
    client.force_login(buyer)
    r = _preview(client, boots, sku_id=sku.pk, quantity="1", **{f"q_{name.pk}": long_name})
    assert r.status_code == refusal.status == 400
    assert refusal.code == "invalid_personalization"
    assert _shown_error(r.text) == (refusal.code, refusal.message)
    assert "鞋舌印字：最多 10 个字，现在是 200 个。" in r.text
    assert "将印制" not in r.text and long_name not in r.text and "preview-total" not in r.text
    assert CartLine.objects.count() == 0


def test_a_quantity_beyond_the_limit_shows_the_carts_refusal_and_no_total(client):
    boots, name = _boots()
    sku = boots.skus.first()
    limit = config.get("orders.max_quantity_per_line")
    refusal = _cart_refusal(f.buyer(), sku.pk, 99999, {str(name.pk): "李雷"})
    r = _preview(client, boots, sku_id=sku.pk, quantity="99999", **{f"q_{name.pk}": "李雷"})  # anonymous too
    assert r.status_code == 400 and limit < 99999
    assert refusal.code == "invalid_quantity"
    assert _shown_error(r.text) == (refusal.code, refusal.message)
    assert "44,899,551" not in r.text and "preview-total" not in r.text and "将印制" not in r.text


def test_more_than_is_in_stock_is_refused_in_the_preview_as_in_the_cart(client):
    boots, name = _boots(stock=3)
    sku = boots.skus.first()
    refusal = _cart_refusal(f.buyer(), sku.pk, 4, {str(name.pk): "李雷"})
    r = _preview(client, boots, sku_id=sku.pk, quantity="4", **{f"q_{name.pk}": "李雷"})
    assert r.status_code == refusal.status
    assert _shown_error(r.text) == (refusal.code, refusal.message)


def test_a_line_the_cart_takes_is_previewed_with_its_total_and_print_line(client):
    boots, name = _boots()
    r = _preview(client, boots, sku_id=boots.skus.first().pk, quantity="2", **{f"q_{name.pk}": "李雷"})
    assert r.status_code == 200 and "preview-error" not in r.text
    assert re.search(r'id="preview-total">¥898.00<', r.text) and "鞋舌印字: 李雷" in r.text


def test_a_refused_add_to_cart_shows_no_print_line_or_total_for_what_was_refused(client):
    boots, name = _boots()
    client.force_login(f.buyer())
    long_name = "李" * 200
    r = client.post(f"/p/{boots.pk}/", {"sku_id": boots.skus.first().pk, "quantity": "1", f"q_{name.pk}": long_name})
    assert r.status_code == 400
    assert 'id="print-line"' not in r.text and 'id="preview-error"' in r.text
    assert CartLine.objects.count() == 0


def test_the_fresh_product_page_shows_the_price_without_refusing_anything(client):
    boots, _name = _boots()
    r = client.get(f"/p/{boots.pk}/")
    assert 'id="unit-price">¥449.00<' in r.text and "preview-error" not in r.text


def test_the_preview_is_posted_so_the_csrf_token_never_goes_in_a_url(client):
    boots, _name = _boots()
    html = client.get(f"/p/{boots.pk}/").text
    form = re.search(r'<form[^>]*id="buy-form"[^>]*>', html).group(0)
    assert f'hx-post="/p/{boots.pk}/preview/"' in form and "hx-get" not in form
    assert 'name="csrfmiddlewaretoken"' in html  # the token is in the form: a GET would put it in the URL
    assert client.get(f"/p/{boots.pk}/preview/", {"sku_id": boots.skus.first().pk}).status_code == 405


def test_a_required_question_not_answered_yet_is_named_while_the_price_follows_the_choices(client):
    perfume = f.product(price_fen=19900)
    message = f.text_question(perfume, label="瓶身印字", max_chars=8, position=0)
    notes = f.choice_question(perfume, [("玫瑰", 0), ("雪松", 500)], label="香调", min_select=2, max_select=2)
    rose, cedar = [o.pk for o in notes.options.all()]
    r = _preview(client, perfume, sku_id=perfume.skus.first().pk, quantity="1", **{f"q_{notes.pk}": [rose, cedar]})
    assert r.status_code == 200 and 'id="unit-price">¥204.00<' in r.text
    assert re.search(r'id="preview-todo">还需填写：瓶身印字<', r.text) and "香调: 玫瑰, 雪松" in r.text
    refusal = _cart_refusal(f.buyer(), perfume.skus.first().pk, 1, {str(notes.pk): [rose, cedar]})
    assert refusal.fields == {f"answers.{message.pk}": "请填写“瓶身印字”。"}  # the cart still refuses it blank
    r = _preview(client, perfume, sku_id=perfume.skus.first().pk, quantity="1", **{f"q_{notes.pk}": [rose]})
    assert r.status_code == 400 and "香调：请选择 2 项，现在选了 1 项。" in r.text  # what was given is checked
