"""The seller's product form offers 价保 (none, 7, 15 or 30 days) and keeps the choice."""

import pytest

from anxin.catalog.models import Product
from tests import factories as f

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {"title": "刻字保温杯", "category": f.category().pk, "no_reason_return": "yes", "handling_hours": "24"}
    return {**data, **changes}


def test_the_form_offers_the_days_and_saves_them(client):
    shop = f.merchant()
    client.force_login(f.staff(shop))
    page = client.get("/seller/products/new/")
    assert "价保" in page.text and 'value="30"' in page.text
    r = client.post("/seller/products/new/", form_data(price_protection_days="30", is_active="on"))
    assert r.status_code == 302
    product = Product.objects.get(title="刻字保温杯")
    assert product.price_protection_days == 30
    edit = client.get(f"/seller/products/{product.pk}/")
    assert '<option value="30" selected>' in edit.text


def test_other_days_are_refused_beside_the_field(client):
    client.force_login(f.staff(f.merchant()))
    r = client.post("/seller/products/new/", form_data(price_protection_days="3"))
    assert r.status_code == 400
    assert not Product.objects.filter(title="刻字保温杯").exists()
