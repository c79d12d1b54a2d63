"""The seller's spec matrix editor: dimensions and values first, then the table of combinations, one save."""

import re

import pytest

from anxin.catalog.models import SKU, SpecDimension
from tests import factories as f

pytestmark = pytest.mark.django_db

STEP_ONE = {
    "step": "1",
    "dims": "2",
    "d0_name": "颜色",
    "d0_name_en": "Colour",
    "d0_values": "白蓝 | White-blue\n黑",
    "d1_name": "尺码",
    "d1_name_en": "",
    "d1_values": "37\n38",
}


def _form_fields(html: str) -> dict[str, str]:
    """What the browser would post back from the page's inputs (text, hidden, checked boxes, hidden textareas)."""
    fields = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or ('type="checkbox"' in tag and "checked" not in tag) or 'type="submit"' in tag:
            continue
        fields[name.group(1)] = value.group(1).replace("&quot;", '"') if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = text
    fields.pop("csrfmiddlewaretoken", None)
    return fields


@pytest.fixture
def seller(client):
    product = f.product(f.merchant())
    client.force_login(f.staff(product.merchant))
    return client, product, f"/seller/products/{product.pk}/specs/"


def test_dimension_buttons_add_move_and_remove_without_saving(seller):
    client, product, url = seller
    r = client.post(url, {**STEP_ONE, "action": "add"})
    assert r.status_code == 200 and 'name="d2_name"' in r.text
    r = client.post(url, {**STEP_ONE, "action": "down:0"})
    assert r.text.index('value="尺码"') < r.text.index('value="颜色"')
    r = client.post(url, {**STEP_ONE, "action": "remove:1"})
    assert 'value="尺码"' not in r.text
    assert not SpecDimension.objects.filter(product=product).exists()


def test_step_one_errors_are_shown_beside_their_dimension(seller):
    client, product, url = seller
    r = client.post(url, {**STEP_ONE, "d1_values": "37\n37", "action": "next"})
    assert r.status_code == 400 and "“尺码”中的值“37”重复了。" in r.text and 'value="颜色"' in r.text
    assert not SpecDimension.objects.filter(product=product).exists()


def test_the_seller_builds_a_two_by_two_matrix_and_saves_it_once(seller):
    client, product, url = seller
    r = client.post(url, {**STEP_ONE, "action": "next"})
    assert r.status_code == 200 and r.text.count("data-combination=") == 4
    fields = _form_fields(r.text)
    r = client.post(url, {**fields, "bulk_price": "199", "bulk_stock": "6", "action": "fill"})
    fields = _form_fields(r.text)
    assert fields["c3_price"] == "199" and fields["c3_stock"] == "6"
    fields.update({"c2_price": "209.50", "c1_price": "", "action": "save"})  # 白蓝/38 is not sold
    r = client.post(url, fields)
    assert r.status_code == 302
    skus = {(s.spec["颜色"], s.spec["尺码"]): s for s in SKU.objects.filter(product=product, is_active=True)}
    assert set(skus) == {("白蓝", "37"), ("黑", "37"), ("黑", "38")}
    assert skus[("黑", "37")].price_fen == 20950 and skus[("黑", "38")].stock.available == 6
    assert skus[("白蓝", "37")].spec_en == {"Colour": "White-blue", "尺码": "37"}
    r = client.post(url, {**STEP_ONE, "action": "next"})  # the table shows what was saved
    fields = _form_fields(r.text)
    assert fields["c2_price"] == "209.50" and fields["c1_price"] == ""


def test_a_bad_price_shows_on_its_row_and_saves_nothing(seller):
    client, product, url = seller
    fields = _form_fields(client.post(url, {**STEP_ONE, "action": "next"}).text)
    before = list(SKU.objects.filter(product=product).values())
    fields.update({"c0_price": "19", "c1_price": "-3", "action": "save"})
    r = client.post(url, fields)
    assert r.status_code == 400 and 'class="has-error"' in r.text and 'value="-3"' in r.text
    assert list(SKU.objects.filter(product=product).values()) == before


def test_another_merchants_editor_is_not_found(client):
    product = f.product()
    client.force_login(f.staff())
    assert client.get(f"/seller/products/{product.pk}/specs/").status_code == 404
    assert client.post(f"/seller/products/{product.pk}/specs/", {**STEP_ONE, "action": "next"}).status_code == 404
