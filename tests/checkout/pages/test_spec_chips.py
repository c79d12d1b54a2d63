"""The product page's spec chips: one row per dimension, sold-out values disabled, the chosen SKU's price and
stock, and a form that picks the SKU by its chips without script."""

import re

import pytest

from anxin.catalog.models import SKU
from anxin.checkout.models import CartLine
from tests import factories as f

pytestmark = pytest.mark.django_db


def _sku(product, colour: str, size: str) -> SKU:
    return SKU.objects.get(product=product, spec={"颜色": colour, "尺码": size})


def _chip(html: str, product, dimension: str, value: str) -> str:
    """The radio input of one chip."""
    value_id = product.spec_dimensions.get(name=dimension).values.get(name=value).pk
    return re.search(rf'<input class="spec-chip-input[^>]*value="{value_id}"[^>]*>', html, re.S).group(0)


def _chosen(product, colour: str, size: str | None = None) -> dict[str, int]:
    """The chips' fields as the form posts them for `colour` and `size` (None leaves the size row open)."""
    dimensions = {d.name: d for d in product.spec_dimensions.all()}
    chosen = {f"spec_{dimensions['颜色'].pk}": dimensions["颜色"].values.get(name=colour).pk}
    if size is not None:
        chosen[f"spec_{dimensions['尺码'].pk}"] = dimensions["尺码"].values.get(name=size).pk
    return chosen


def test_one_chip_row_per_dimension_with_the_first_buyable_sku_chosen(client):
    product = f.spec_product(stocks={("白蓝", "37"): 0})
    r = client.get(f"/p/{product.pk}/")
    assert r.status_code == 200
    assert r.text.count('class="spec-row"') == 2 and "颜色" in r.text and "尺码" in r.text
    first = _sku(product, "白蓝", "38")
    assert f'name="sku_id" value="{first.pk}"' in r.text
    assert "checked" in _chip(r.text, product, "颜色", "白蓝") and "checked" in _chip(r.text, product, "尺码", "38")
    assert "库存 5" in r.text and "¥199.00" in r.text


def test_a_value_nothing_buyable_has_is_disabled(client):
    product = f.spec_product(stocks={("白蓝", "38"): 0, ("黑", "38"): 0})
    html = client.get(f"/p/{product.pk}/").text
    assert "disabled" in _chip(html, product, "尺码", "38")
    assert "disabled" not in _chip(html, product, "尺码", "37")


def test_a_value_sold_out_with_the_chosen_others_is_greyed(client):
    product = f.spec_product(stocks={("白蓝", "38"): 0})
    html = client.get(f"/p/{product.pk}/").text
    label = re.search(r'<label class="spec-chip([^"]*)" for="spec-\d+-(\d+)">38</label>', html).group(1)
    assert "is-off" in label  # 白蓝 is chosen, and 白蓝/38 is sold out; 黑/38 keeps 38 enabled
    assert "disabled" not in _chip(html, product, "尺码", "38")


def test_chips_choose_the_sku_that_goes_into_the_cart_without_script(client):
    product = f.spec_product()
    buyer = f.buyer()
    f.address(buyer)
    client.force_login(buyer)
    chosen = _chosen(product, "黑", "38")
    stale = _sku(product, "白蓝", "37").pk  # the hidden field as first shown; the chips win
    r = client.post(f"/p/{product.pk}/", {**chosen, "sku_id": stale, "quantity": "2", "then": "cart"})
    assert r.status_code == 302
    line = CartLine.objects.get(cart__buyer=buyer)
    assert line.sku == _sku(product, "黑", "38") and line.quantity == 2


def test_a_sold_out_combination_is_refused_and_the_cart_stays_empty(client):
    product = f.spec_product(stocks={("黑", "38"): 0})
    buyer = f.buyer()
    client.force_login(buyer)
    r = client.post(f"/p/{product.pk}/", {**_chosen(product, "黑", "38"), "quantity": "1"})
    assert r.status_code == 409 and "库存不足：仅剩 0 件。" in r.text
    assert "已售罄" in re.search(r"data-spec-summary>(.*?)</p>", r.text, re.S).group(1)  # the chosen 黑/38
    assert not CartLine.objects.filter(cart__buyer=buyer).exists()


def test_the_preview_prices_the_chips_choice(client):
    product = f.spec_product()
    r = client.post(f"/p/{product.pk}/preview/", _chosen(product, "黑", "37"))
    assert r.status_code == 200 and "¥209.00" in r.text


def test_english_pages_show_the_english_names_of_dimensions_values_and_category(client):
    product = f.spec_product()
    client.cookies["django_language"] = "en"
    html = client.get(f"/p/{product.pk}/").text
    assert ">Colour<" in html and ">White-blue<" in html and ">Size<" in html
    assert product.category.name_en in html
    assert "Colour: White-blue · Size: 37" in html


def test_a_product_without_dimensions_keeps_its_list_of_skus(client):
    product = f.product()
    html = client.get(f"/p/{product.pk}/").text
    assert 'class="sku-options"' in html and "spec-row" not in html


def test_a_row_left_unchosen_is_named_and_the_cart_stays_empty(client):
    product = f.spec_product()
    buyer = f.buyer()
    client.force_login(buyer)
    r = client.post(f"/p/{product.pk}/", {**_chosen(product, "黑"), "quantity": "1"})
    assert r.status_code == 400 and "请选择：尺码" in r.text
    assert not CartLine.objects.filter(cart__buyer=buyer).exists()


def test_an_order_line_keeps_the_spec_in_english_and_the_english_order_page_shows_it(client, settings):
    product = f.spec_product()
    checkout = f.placed_checkout(lines=[(_sku(product, "白蓝", "37"), 1)])
    line = checkout.orders.get().lines.get()
    assert (line.spec, line.spec_en) == ({"颜色": "白蓝", "尺码": "37"}, {"Colour": "White-blue", "Size": "37"})
    client.force_login(checkout.buyer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Colour: White-blue" in client.get(f"/orders/{line.order_id}/").text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "颜色: 白蓝" in client.get(f"/orders/{line.order_id}/").text
