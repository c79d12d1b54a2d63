"""The seller's shipping-template editor, its preview and the products that use a template."""

import re

import pytest

from anxin.core import clock
from anxin.core.models import Event
from anxin.shipping import services as shipping
from anxin.shipping.models import ShippingTemplate
from tests import factories as f
from tests.fulfilment.helpers import (
    remote_journey,
)
from tests.pages_helpers import editor_data, editor_service_data

pytestmark = pytest.mark.django_db


def test_template_editor_saves_a_valid_template(client):
    staff = f.staff()
    client.force_login(staff)
    assert client.get("/seller/shipping/new/").status_code == 200
    r = client.post("/seller/shipping/new/", editor_data())
    assert r.status_code == 302, r.text
    template = ShippingTemplate.objects.get(merchant=staff.merchant)
    assert r["Location"] == f"/seller/shipping/{template.pk}/"
    assert (template.name, template.mode, template.first_fen, template.step_fen) == ("江浙沪包邮", "weight", 800, 300)
    assert template.excluded_provinces == ["54"]
    region = template.region_fees.get()
    assert (region.provinces, region.first_fen, region.step_fen) == (["11", "12"], 1200, 500)
    free = template.free_rules.get()
    assert (free.provinces, free.kind, free.threshold) == (["31", "32", "33"], "always", 0)
    listing = client.get("/seller/shipping/")
    assert "江浙沪包邮" in listing.text and "北京市" in listing.text


def test_template_editor_shows_overlapping_regions_and_a_negative_fee_in_place_keeping_what_was_typed(client):
    client.force_login(f.staff())
    data = editor_data(
        first_yuan="-1",
        region_rows="2",
        r0_provinces=["33", "32"],
        r1_provinces=["33"],
        r1_first="9.50",
        r1_step="2",
        name="我的模板",
    )
    r = client.post("/seller/shipping/new/", data)
    assert r.status_code == 400
    assert not ShippingTemplate.objects.exists()
    assert "运费模板有误" in r.text
    fees = r.text[r.text.index("<legend>默认运费") : r.text.index("指定地区运费")]
    assert "运费不能为负数" in fees and 'value="-1"' in fees
    region1 = r.text[r.text.index('id="region-1"') : r.text.index("包邮条件</h2>")]
    assert "同一个省份只能出现在一条地区规则里" in region1
    assert 'name="r1_provinces" value="33" checked' in region1 and 'value="9.50"' in region1
    region0 = r.text[r.text.index('id="region-0"') : r.text.index('id="region-1"')]
    assert "同一个省份" not in region0
    assert 'value="我的模板"' in r.text
    assert 'name="excluded_provinces" value="54" checked' in r.text


def test_template_editor_reports_text_that_is_not_money_without_saving(client):
    client.force_login(f.staff())
    r = client.post("/seller/shipping/new/", editor_data(step_yuan="三块", f0_kind="subtotal", f0_threshold=""))
    assert r.status_code == 400
    assert "请输入金额" in r.text and 'value="三块"' in r.text
    assert "请填写金额" in r.text[r.text.index('id="free-0"') :]
    assert not ShippingTemplate.objects.exists()


def test_rows_are_added_and_removed_without_saving(client):
    client.force_login(f.staff())
    r = client.post("/seller/shipping/new/", editor_data(action="add_region"))
    assert r.status_code == 200
    assert 'id="region-1"' in r.text and "修改尚未保存" in r.text
    assert 'name="region_rows" value="2"' in r.text
    r = client.post("/seller/shipping/new/", editor_data(action="remove_free:0"))
    assert 'name="free_rows" value="0"' in r.text
    assert not ShippingTemplate.objects.exists()


def test_the_preview_shows_every_province_with_not_delivered_for_an_excluded_one(client):
    staff = f.staff()
    template = shipping.save_template(
        staff,
        {
            "name": "不发西藏",
            "mode": "weight",
            "first_units": 1000,
            "first_fen": 800,
            "step_units": 1000,
            "step_fen": 300,
            "regions": [{"provinces": ["11"], "first_fen": 1500, "step_fen": 500}],
            "free": [{"provinces": ["33"], "kind": "always", "threshold": 0}],
            "excluded_provinces": ["54"],
        },
    )
    client.force_login(staff)
    r = client.get(f"/seller/shipping/{template.pk}/")
    assert r.status_code == 200
    rows = re.findall(r'<tr id="pv-(\d{6})"[^>]*>(.*?)</tr>', r.text, re.S)
    assert len(rows) == 31
    by_code = dict(rows)
    assert "不配送" in by_code["540000"]
    assert "¥15.00" in by_code["110000"]
    assert "包邮" in by_code["330000"]
    assert "¥8.00" in by_code["440000"]
    assert "偏远·中转" in by_code["650000"]
    assert sum("不配送" in row for row in by_code.values()) == 1
    heavier = client.get(f"/seller/shipping/{template.pk}/", {"weight_g": "2000"})
    assert "¥11.00" in dict(re.findall(r'<tr id="pv-(\d{6})"[^>]*>(.*?)</tr>', heavier.text, re.S))["440000"]


def test_an_existing_template_is_edited_in_place(client):
    staff = f.staff()
    client.force_login(staff)
    client.post("/seller/shipping/new/", editor_data())
    template = ShippingTemplate.objects.get()
    page = client.get(f"/seller/shipping/{template.pk}/")
    assert 'value="江浙沪包邮"' in page.text and 'name="r0_provinces" value="11" checked' in page.text
    r = client.post(f"/seller/shipping/{template.pk}/", editor_data(name="新名字", region_rows="0", free_rows="0"))
    assert r.status_code == 302
    template.refresh_from_db()
    assert template.name == "新名字" and not template.region_fees.exists() and not template.free_rules.exists()


def test_products_are_assigned_to_a_template_on_its_page(client):
    shop = f.merchant()
    staff = f.staff(shop)
    template = shipping.save_template(staff, {**editor_service_data(), "name": "A"})
    chosen, other, leaving = f.product(shop), f.product(shop), f.product(shop, shipping_template=template)
    client.force_login(staff)
    page = client.get(f"/seller/shipping/{template.pk}/")
    assert f'id="pick-{leaving.pk}" name="product_ids" value="{leaving.pk}" checked' in page.text
    listed = [str(p.pk) for p in (chosen, other, leaving)]
    r = client.post(f"/seller/shipping/{template.pk}/products/", {"product_ids": [str(chosen.pk)], "listed": listed})
    assert r.status_code == 302
    chosen.refresh_from_db(), other.refresh_from_db(), leaving.refresh_from_db()
    assert chosen.shipping_template_id == template.pk
    assert other.shipping_template_id is None and leaving.shipping_template_id is None
    unlisted = f.product(shop, shipping_template=template)  # not on the page the seller saw: left alone
    client.post(f"/seller/shipping/{template.pk}/products/", {"product_ids": [], "listed": listed})
    unlisted.refresh_from_db(), chosen.refresh_from_db()
    assert unlisted.shipping_template_id == template.pk and chosen.shipping_template_id is None
    changes = [e.data for e in Event.objects.filter(kind="shipping_template.products_changed").order_by("pk")]
    assert changes == [
        {"added": [chosen.pk], "removed": sorted([leaving.pk])},
        {"added": [], "removed": [chosen.pk]},
    ]


def test_assigning_another_shops_product_changes_nothing(client):
    shop = f.merchant()
    staff = f.staff(shop)
    template = shipping.save_template(staff, {**editor_service_data(), "name": "A"})
    mine, theirs = f.product(shop), f.product(f.merchant())
    client.force_login(staff)
    r = client.post(
        f"/seller/shipping/{template.pk}/products/",
        {"product_ids": [str(mine.pk), str(theirs.pk)], "listed": [str(mine.pk), str(theirs.pk)]},
    )
    assert r.status_code == 302
    assert "找不到所选的商品" in client.get(r.url).text
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.shipping_template_id is None and theirs.shipping_template_id is None
    assert not Event.objects.filter(kind="shipping_template.products_changed").exists()


def test_another_shops_template_is_not_found(client):
    template = shipping.save_template(f.staff(), editor_service_data())
    mine = f.product(f.merchant())
    staff = f.staff(mine.merchant)
    client.force_login(staff)
    assert client.get(f"/seller/shipping/{template.pk}/").status_code == 404
    assert client.post(f"/seller/shipping/{template.pk}/", editor_data()).status_code == 404
    assert client.post(f"/seller/shipping/{template.pk}/products/", {"product_ids": [mine.pk]}).status_code == 404
    template.refresh_from_db()
    assert template.name == "T"
    assert "T" not in re.findall(r"<td><a [^>]*>([^<]*)</a></td>", client.get("/seller/shipping/").text)


def test_the_shipping_pages_read_in_english(client, settings):
    clock.freeze(clock.now().replace(microsecond=0))
    order = remote_journey()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(order.buyer)
    text = client.get(f"/orders/{order.pk}/").text
    assert "Delivered on time" in text and "Leg 1: seller → Xi&#x27;an transit hub" in text
    assert "Estimated delivery " in text
    item = order.lines.get().product
    assert "Estimated delivery " in client.get(f"/p/{item.pk}/").text
    client.force_login(f.staff(order.merchant))
    assert "Ship to the transit hub: Xi&#x27;an (610100)" in client.get(f"/seller/orders/{order.pk}/").text
    editor = client.get(f"/seller/shipping/{item.shipping_template_id}/").text
    assert "Fee preview" in editor and "Xinjiang" in editor
    client.force_login(f.ops())
    assert "Platform subsidy (leg 2)" in client.get("/ops/remote/figures/").text
    assert "Remote program settings" in client.get("/ops/remote/").text
    assert "Transit hub: waiting for leg 2" in client.get("/logistics/scans/").text


def test_the_editor_says_a_region_rule_does_not_apply_to_remote_provinces(client):
    client.force_login(f.staff())
    r = client.post("/seller/shipping/new/", editor_data(r0_provinces=["65", "11"], action="add_free"))
    note = re.search(r'<p class="help remote-note">(.*?)</p>', r.text, re.S).group(1)
    assert "新疆维吾尔自治区" in note and "北京市" not in note
