"""The seller center's catalog: products, SKUs priced in yuan, stock and personalization questions."""

import pytest

from anxin.catalog import services as catalog
from anxin.catalog.models import SKU, Product
from anxin.catalog.rules import DimensionSpec, combination_key
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_product_form_sets_remote_deliverable(client):
    item = f.product(f.merchant())
    client.force_login(f.staff(item.merchant))
    page = client.get(f"/seller/products/{item.pk}/")
    assert 'name="remote_deliverable"' in page.text and "平台默认运费" in page.text
    data = {"title": item.title, "category": item.category_id, "no_reason_return": "yes", "handling_hours": "48"}
    assert client.post(f"/seller/products/{item.pk}/", {**data, "is_active": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.remote_deliverable is False
    client.post(f"/seller/products/{item.pk}/", {**data, "remote_deliverable": "on"})
    item.refresh_from_db()
    assert item.remote_deliverable is True


WHITE = combination_key((DimensionSpec("颜色"),), ("白",))


def _save_one_colour(client, product, price: str, stock: str = "12"):
    """The spec editor's last step for a matrix of one dimension with one value (颜色: 白)."""
    return client.post(
        f"/seller/products/{product.pk}/specs/",
        {"step": "2", "dims": "1", "d0_name": "颜色", "d0_values": "白", "rows": "1", "c0_key": WHITE,
         "c0_price": price, "c0_stock": stock, "c0_code": "CUP-1", "c0_weight": "350", "c0_active": "1",
         "action": "save"},
    )  # fmt: skip


def test_staff_creates_a_product_then_prices_its_spec_in_yuan(client):
    shop = f.merchant()
    category = f.category()
    client.force_login(f.staff(shop))
    r = client.post(
        "/seller/products/new/",
        {"title": "刻字保温杯", "brand": "安心", "category": category.pk, "no_reason_return": "yes",
         "handling_hours": "24", "is_active": "on"},
    )  # fmt: skip
    product = Product.objects.get(title="刻字保温杯")
    assert r.status_code == 302 and r["Location"] == f"/seller/products/{product.pk}/specs/"
    assert product.merchant == shop
    assert _save_one_colour(client, product, "¥59.90").status_code == 302
    sku = SKU.objects.get(product=product)
    assert sku.price_fen == 5990 and sku.spec == {"颜色": "白"} and sku.stock.available == 12 and sku.weight_g == 350
    r = client.get("/seller/products/")
    assert "刻字保温杯" in r.text and "¥59.90" in r.text


def test_product_and_sku_errors_are_shown_in_place(client):
    shop = f.merchant()
    client.force_login(f.staff(shop))
    r = client.post(
        "/seller/products/new/", {"title": "", "brand": "安心", "no_reason_return": "yes", "handling_hours": "24"}
    )
    assert r.status_code == 400
    assert "请填写商品标题" in r.text and 'value="安心"' in r.text
    product = f.product(shop)
    before = list(SKU.objects.filter(product=product).values())
    r = _save_one_colour(client, product, "十块")
    assert r.status_code == 400
    assert "请输入金额" in r.text and 'value="CUP-1"' in r.text and 'value="十块"' in r.text
    assert list(SKU.objects.filter(product=product).values()) == before


def test_staff_edits_a_sku_price_and_stock(client):
    shop = f.merchant()
    product = f.product(shop, price_fen=1000, stock=1)
    sku = product.skus.first()
    client.force_login(f.staff(shop))
    r = client.get(f"/seller/skus/{sku.pk}/")
    assert 'value="10.00"' in r.text and "颜色: 黑" in r.text
    r = client.post(f"/seller/skus/{sku.pk}/", {"code": sku.code, "price": "12.5", "stock": "40", "is_active": "on"})
    assert r.status_code == 302
    sku.refresh_from_db()
    assert sku.price_fen == 1250 and sku.stock.available == 40 and sku.spec == {"颜色": "黑"}


def test_another_merchants_product_is_not_found(client):
    product = f.product()
    client.force_login(f.staff())
    assert client.get(f"/seller/products/{product.pk}/").status_code == 404
    assert client.get(f"/seller/products/{product.pk}/questions/").status_code == 404
    assert client.get(f"/seller/skus/{product.skus.first().pk}/").status_code == 404


def test_a_refused_stock_leaves_the_sku_price_unchanged_too():
    """The SKU form saves through one service call, so its two changes are one transaction."""
    shop = f.merchant()
    sku = f.product(shop, price_fen=1000, stock=5).skus.first()
    events_before = Event.objects.count()
    with pytest.raises(AnxinError) as refused:
        catalog.save_sku(f.staff(shop), sku.pk, {"price_fen": 2000}, stock=-1)
    assert refused.value.code == "invalid_stock"
    sku.refresh_from_db()
    assert sku.price_fen == 1000 and sku.stock.available == 5
    assert Event.objects.count() == events_before
