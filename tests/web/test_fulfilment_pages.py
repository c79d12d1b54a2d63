"""Shipping on the pages: the product page's delivery offer, the buyer's tracking, the seller's shipping
templates and remote orders, the carriers' scan desk, and the ops console's remote-region program."""

import re
from datetime import date, timedelta

import pytest
from django.utils import translation

from anxin.core import clock, config, ledger
from anxin.fulfilment import queries as fulfilment_queries
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg, Scan
from anxin.geo.models import Region
from anxin.orders.models import Order
from anxin.shipping import queries as shipping_queries
from anxin.shipping import services as shipping
from anxin.shipping.models import ShippingTemplate
from anxin.web.templatetags.anxin_web import promise_text
from tests import factories as f
from tests.fulfilment.helpers import (
    URUMQI,
    baoyou_product,
    deliver_from_hub,
    remote_journey,
    remote_order,
    scan,
    to_hub,
)
from tests.web.helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many users are made here; a cheap hasher keeps the tests quick (no password is ever checked)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def editor_data(**changes) -> dict:
    data = {
        "name": "江浙沪包邮",
        "mode": "weight",
        "first_units": "1000",
        "first_yuan": "8",
        "step_units": "1000",
        "step_yuan": "3.00",
        "region_rows": "1",
        "r0_provinces": ["11", "12"],
        "r0_first": "12",
        "r0_step": "5",
        "free_rows": "1",
        "f0_provinces": ["31", "32", "33"],
        "f0_kind": "always",
        "f0_threshold": "",
        "excluded_provinces": ["54"],
        "action": "save",
    }
    data.update(changes)
    return data


# --- the promise as text ---------------------------------------------------------------------------------


def test_a_promise_reads_as_a_date_range_within_and_across_months():
    assert promise_text(date(2026, 11, 27), date(2026, 11, 29)) == "预计 11月27日–29日送达"
    assert promise_text(date(2026, 11, 30), date(2026, 12, 2)) == "预计 11月30日–12月2日送达"
    assert promise_text(date(2026, 12, 31), date(2027, 1, 2)) == "预计 12月31日–1月2日送达"
    with translation.override("en"):
        assert promise_text(date(2026, 11, 27), date(2026, 11, 29)) == "Estimated delivery Nov 27–29"
        assert promise_text(date(2026, 11, 30), date(2026, 12, 2)) == "Estimated delivery Nov 30–Dec 2"
    assert promise_text(None, None) == ""


# --- product page ----------------------------------------------------------------------------------------


def test_product_page_shows_the_fee_and_the_promise_to_the_buyers_default_address(client):
    item = f.product(f.merchant(province_code="330000"), price_fen=5900)
    buyer = f.buyer()
    f.address(buyer)  # Hangzhou
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert r.status_code == 200
    offer = shipping_queries.offer(item, item.skus.first(), "330000", clock.now())
    assert f"{offer.fee_fen / 100:.2f}" in r.text
    assert promise_text(offer.promise.earliest, offer.promise.latest) in r.text
    assert "中转仓" not in r.text


def test_a_remote_buyer_sees_the_hub_and_that_baoyou_is_still_free(client):
    item = baoyou_product()
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert r.status_code == 200
    block = re.search(r'<div id="delivery".*?\n</div>', r.text, re.S).group(0)
    assert "包邮" in block and "西安市中转仓" in block and "偏远地区也包邮" in block
    assert "预计 " in block and "送达" in block


def test_a_product_not_for_remote_regions_shows_the_buyer_why_and_can_still_be_browsed(client):
    item = baoyou_product(remote_deliverable=False, title="大号冰箱")
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert r.status_code == 200
    assert 'id="delivery-refusal"' in r.text
    assert "“大号冰箱”不支持配送到偏远地区" in r.text
    assert 'id="delivery-promise"' not in r.text


def test_the_delivery_offer_follows_the_chosen_sku_in_the_htmx_preview(client):
    item = baoyou_product()
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert 'id="delivery" class="delivery" aria-live="polite" hx-swap-oob="true"' in r.text
    assert "西安市中转仓" in r.text


def test_anonymous_visitors_and_buyers_without_an_address_are_told_how_to_see_the_promise(client):
    item = f.product()
    r = client.get(f"/p/{item.pk}/")
    assert "登录</a>后即可查看运费和预计送达时间" in r.text
    client.force_login(f.buyer())
    r = client.get(f"/p/{item.pk}/")
    assert "添加收货地址</a>后即可查看运费和预计送达时间" in r.text
    assert "/addresses/new/?next=" in r.text


def test_product_page_queries_stay_bounded_with_a_delivery_offer(client, django_assert_max_num_queries):
    item = baoyou_product()
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    with django_assert_max_num_queries(16):
        assert client.get(f"/p/{item.pk}/").status_code == 200


# --- buyer's tracking ------------------------------------------------------------------------------------


def test_buyer_order_page_shows_both_legs_with_their_scans_the_promise_and_on_time(client):
    clock.freeze(clock.now().replace(microsecond=0))
    order = remote_order()
    to_hub(order, "ZT100000001")
    deliver_from_hub(order, "YZ200000001")
    assert order.delivery_days_late == 0
    client.force_login(order.buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert r.status_code == 200
    tracking = r.text[r.text.index('id="tracking"') :]
    leg1 = tracking[tracking.index('id="leg-1"') : tracking.index('id="leg-2"')]
    leg2 = tracking[tracking.index('id="leg-2"') :]
    assert "第一段：商家 → 西安市中转仓" in leg1 and "中通" in leg1 and "ZT100000001" in leg1
    assert "已揽收" in leg1 and "到达中转仓" in leg1
    assert "第二段：西安市中转仓 → 收货地址" in leg2 and "邮政" in leg2 and "YZ200000001" in leg2
    assert "离开中转仓" in leg2 and "派送中" in leg2 and "已签收" in leg2
    assert promise_text(order.promise_earliest, order.promise_latest) in tracking
    assert "准时送达" in tracking
    delivered = Scan.objects.get(tracking_number="YZ200000001", kind="delivered")
    shanghai = delivered.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert shanghai.strftime("%Y-%m-%d %H:%M") in leg2


def test_a_late_delivery_says_by_how_many_days(client):
    clock.freeze(clock.now().replace(microsecond=0))
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF300000001")
    order.refresh_from_db()
    clock.advance(timedelta(days=(order.promise_latest - shipping_queries.local_date(clock.now())).days + 2))
    scan("SF300000001", "delivered")
    client.force_login(order.buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "晚到 2 天" in r.text
    assert "第一段" not in r.text and "商家 → 收货地址" in r.text


def test_an_order_not_yet_shipped_says_tracking_comes_after_shipping(client):
    order = remote_order()
    client.force_login(order.buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "商家发货后可在这里查看物流" in r.text
    assert "经西安市中转仓配送" in r.text


# --- seller: shipping templates ---------------------------------------------------------------------------


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


def editor_service_data() -> dict:
    return {"name": "T", "mode": "piece", "first_units": 1, "first_fen": 500, "step_units": 1, "step_fen": 200}


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


# --- seller: remote orders ------------------------------------------------------------------------------


def test_a_seller_order_to_urumqi_is_marked_and_shows_the_hub_and_the_final_address(client):
    order = remote_order()
    client.force_login(f.staff(order.merchant))
    listing = client.get("/seller/orders/")
    row = re.search(rf"<tr[^>]*>\s*<td><a href=\"/seller/orders/{order.pk}/\">.*?</tr>", listing.text, re.S).group(0)
    assert "偏远·中转" in row
    detail = client.get(f"/seller/orders/{order.pk}/")
    assert "发往中转仓：西安市（610100）" in detail.text
    assert "买家最终收货地址" in detail.text and "乌鲁木齐市" in detail.text
    slip = client.get(f"/seller/orders/{order.pk}/packing-slip/")
    assert "发往中转仓：西安市（610100）" in slip.text and "乌鲁木齐市" in slip.text


def test_an_ordinary_seller_order_has_no_hub(client):
    order = paid_order()
    client.force_login(f.staff(order.merchant))
    assert "偏远·中转" not in client.get("/seller/orders/").text
    assert "发往中转仓" not in client.get(f"/seller/orders/{order.pk}/").text


# --- the scan desk -----------------------------------------------------------------------------------------


def test_the_scan_desk_is_for_carriers_and_ops_only(client):
    assert client.get("/logistics/scans/").status_code == 302
    for who in (f.buyer(), f.staff(), f.courier()):
        client.force_login(who)
        assert client.get("/logistics/scans/").status_code == 404
        assert client.post("/logistics/scans/one/", {"tracking_number": "SF1234567"}).status_code == 404
        assert client.post("/logistics/hub/dispatch/", {"order": "1"}).status_code == 404
    assert not Scan.objects.exists()
    for who in (f.carrier("SF"), f.ops()):
        client.force_login(who)
        r = client.get("/logistics/scans/")
        assert r.status_code == 200
        assert 'href="/logistics/scans/"' in r.text  # the header's link


def test_a_scan_posted_on_the_desk_delivers_the_order(client):
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF400000001")
    client.force_login(f.carrier("SF"))
    data = {"tracking_number": "sf400000001", "carrier": "顺丰", "kind": "delivered", "at": "", "location": "杭州"}
    r = client.post("/logistics/scans/one/", data, follow=True)
    assert r.status_code == 200
    assert "SF400000001 已签收，订单已送达" in r.text
    order.refresh_from_db()
    assert order.state == "delivered" and order.delivery_days_late == 0
    assert "杭州" in r.text[r.text.index('id="recent-scans"') :]


def test_a_scan_with_bad_values_shows_errors_in_place_and_keeps_them(client):
    client.force_login(f.carrier("SF"))
    r = client.post("/logistics/scans/one/", {"tracking_number": "X1", "kind": "teleported", "at": "2026-13-45T99:00"})
    assert r.status_code == 400
    assert "运单号须为 6–40 位" in r.text and "未知的扫描类型" in r.text and "时间格式须为 ISO 8601" in r.text
    assert 'value="X1"' in r.text and 'value="2026-13-45T99:00"' in r.text
    assert not Scan.objects.exists()


def test_an_unknown_tracking_number_is_kept_and_flagged(client):
    client.force_login(f.ops())
    r = client.post("/logistics/scans/one/", {"tracking_number": "NOPE123456", "kind": "in_transit"}, follow=True)
    assert "被标记为“未知运单号”" in r.text
    recent = r.text[r.text.index('id="recent-scans"') :]
    assert re.search(r'<tr class="flagged">.*?NOPE123456.*?未知运单号', recent, re.S)
    assert Scan.objects.get().flag == "unknown_tracking"
    only_flagged = client.get("/logistics/scans/", {"flagged": "1"})
    assert "NOPE123456" in only_flagged.text


def test_a_csv_import_reports_what_was_recorded_and_bad_rows_by_line(client):
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF500000001")
    now = clock.now()
    text = (
        "carrier,tracking_number,kind,at,location\n"
        f"顺丰,SF500000001,picked_up,{(now - timedelta(hours=2)).isoformat()},杭州\n"
        f"顺丰,SF500000001,teleported,{now.isoformat()},杭州\n"
        f"顺丰,SF500000001,delivered,{now.isoformat()},上海\n"
        f"顺丰,UNKNOWN0001,in_transit,{now.isoformat()},上海\n"
    )
    client.force_login(f.ops())
    r = client.post("/logistics/scans/import/", {"csv_text": text})
    assert r.status_code == 200
    summary = r.text[r.text.index('id="import-summary"') :]
    assert re.search(r'id="sum-recorded">3<', summary)
    assert re.search(r'id="sum-applied">1<', summary)
    assert re.search(r'id="sum-flagged">1<', summary)
    assert re.search(r'id="sum-errors">1<', summary)
    assert "第 3 行：未知的扫描类型：teleported" in summary
    order.refresh_from_db()
    assert order.state == "delivered"


def test_a_csv_file_without_the_needed_columns_is_refused_with_the_reason(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(f.carrier("SF"))
    upload = SimpleUploadedFile("scans.csv", "运单,时间\nSF1,2026\n".encode())
    r = client.post("/logistics/scans/import/", {"csv_file": upload})
    assert r.status_code == 400
    assert "CSV 缺少列" in r.text
    r = client.post("/logistics/scans/import/", {"csv_text": "  "})
    assert r.status_code == 400 and "请粘贴 CSV 内容或选择一个文件" in r.text


def test_the_hub_lists_arrived_orders_and_dispatches_leg_two_from_the_desk(client):
    clock.freeze(clock.now().replace(microsecond=0))
    order = remote_order()
    waiting_elsewhere = remote_order()
    fulfilment.ship(
        f.staff(waiting_elsewhere.merchant), waiting_elsewhere.pk, carrier="中通", tracking_number="ZT9999999"
    )
    to_hub(order, "ZT600000001")
    client.force_login(f.carrier("EMS"))
    desk = client.get("/logistics/scans/")
    queue = desk.text[desk.text.index('id="hub-queue"') : desk.text.index('id="recent"')]
    assert order.number in queue and "ZT600000001" in queue and "西安市" in queue
    assert waiting_elsewhere.number not in queue  # still on leg 1
    early = {"order": waiting_elsewhere.number, "carrier": "邮政", "tracking_number": "YZ600000009"}
    refused = client.post("/logistics/hub/dispatch/", early)
    assert refused.status_code == 409 and "包裹还没有到达中转仓" in refused.text
    prefilled = client.get("/logistics/scans/", {"order": order.number})
    assert f'name="order" value="{order.number}"' in prefilled.text
    r = client.post(
        "/logistics/hub/dispatch/",
        {"order": order.number, "carrier": "邮政", "tracking_number": "YZ600000001"},
        follow=True,
    )
    assert f"订单 {order.number} 的第二段已发出，平台承担运费 ¥8.00" in r.text
    assert Leg.objects.get(shipment__order=order, number=2).tracking_number == "YZ600000001"
    assert ledger.balance(ledger.PLATFORM_SUBSIDY) == 800
    assert order.number not in r.text[r.text.index('id="hub-queue"') : r.text.index('id="recent"')]
    again = client.post(
        "/logistics/hub/dispatch/", {"order": str(order.pk), "carrier": "邮政", "tracking_number": "YZ600000002"}
    )
    assert again.status_code == 409 and "第二段已经发出" in again.text


def test_dispatch_errors_are_shown_beside_their_field(client):
    client.force_login(f.ops())
    r = client.post("/logistics/hub/dispatch/", {"order": "no-such-order", "carrier": "邮政", "tracking_number": "YZ1"})
    assert r.status_code == 404 and "找不到这个订单" in r.text and 'value="no-such-order"' in r.text
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF700000001")
    r = client.post(
        "/logistics/hub/dispatch/", {"order": order.number, "carrier": "", "tracking_number": "YZ700000001"}
    )
    assert r.status_code == 400 and "请填写快递公司" in r.text
    r = client.post(
        "/logistics/hub/dispatch/", {"order": order.number, "carrier": "邮政", "tracking_number": "YZ7000001"}
    )
    assert r.status_code == 409 and "这个订单不经过中转仓" in r.text


@pytest.mark.parametrize("count", [3, 30])
def test_scan_desk_queries_do_not_grow_with_orders_and_scans(client, django_assert_max_num_queries, count):
    clock.freeze(clock.now().replace(microsecond=0))
    item = baoyou_product()
    for i in range(count):
        order = remote_order(item=item)
        to_hub(order, f"ZT7{i:08d}")
        scan(f"UNKNOWN{i:05d}", "in_transit")
    client.force_login(f.user("carrier"))
    with django_assert_max_num_queries(8):
        r = client.get("/logistics/scans/")
    assert r.status_code == 200
    assert r.text.count("未知运单号") >= min(count, 50) // 2


# --- ops: the remote-region program ------------------------------------------------------------------------


def program_post(**changes) -> dict:
    data = {"leg2_first_kg": "7.00", "leg2_next_kg": "2.50"}
    for code in ("150000", "540000", "620000", "630000", "640000", "650000"):
        data[f"remote_{code}"] = "1"
        data[f"hub_{code}"] = "610100"
    data.update(changes)
    return data


def test_ops_program_page_lists_31_provinces_with_the_remote_ones_ticked(client):
    client.force_login(f.ops())
    r = client.get("/ops/remote/")
    assert r.status_code == 200
    assert len(re.findall(r'<tr id="province-\d{6}"', r.text)) == 31
    assert len(re.findall(r'name="remote_\d{6}" value="1" checked', r.text)) == 6
    assert 'name="leg2_first_kg" value="6.00"' in r.text and 'name="leg2_next_kg" value="2.00"' in r.text


def test_ops_save_the_remote_program(client):
    client.force_login(f.ops())
    data = program_post(remote_630000="", hub_650000="620100")
    data["remote_460000"], data["hub_460000"] = "1", "610100"  # Hainan joins
    r = client.post("/ops/remote/", data)
    assert r.status_code == 302
    remote = dict(Region.objects.filter(level="province", is_remote=True).values_list("code", "hub_code"))
    assert remote == {
        "150000": "610100",
        "540000": "610100",
        "620000": "610100",
        "640000": "610100",
        "650000": "620100",
        "460000": "610100",
    }
    config.invalidate()
    assert (config.get("shipping.leg2_first_kg_fen"), config.get("shipping.leg2_next_kg_fen")) == (700, 250)


def test_ops_program_refuses_a_bad_hub_code_and_bad_money_changing_nothing(client):
    client.force_login(f.ops())
    r = client.post("/ops/remote/", program_post(hub_650000="123456"))
    assert r.status_code == 400
    row = re.search(r'<tr id="province-650000".*?</tr>', r.text, re.S).group(0)
    assert "中转仓须为地区表中的城市代码" in row and 'value="123456"' in row
    assert Region.objects.get(code="650000").hub_code == "610100"
    r = client.post("/ops/remote/", program_post(leg2_first_kg="六块"))
    assert r.status_code == 400 and "请输入金额" in r.text and 'value="六块"' in r.text
    r = client.post("/ops/remote/", program_post(leg2_next_kg="-1"))
    assert r.status_code == 400 and "须为 0 到 100,000 分之间的整数" in r.text
    config.invalidate()
    assert config.get("shipping.leg2_first_kg_fen") == 600


def test_ops_pages_are_for_ops_only(client):
    for who in (f.buyer(), f.user("carrier"), f.staff()):
        client.force_login(who)
        assert client.get("/ops/remote/").status_code == 404
        assert client.post("/ops/remote/", program_post()).status_code == 404
        assert client.get("/ops/remote/figures/").status_code == 404
    assert config.get("shipping.leg2_first_kg_fen") == 600


def test_figures_show_the_subsidy_and_the_remote_regions_against_the_others(client):
    clock.freeze(clock.now().replace(microsecond=0))
    remote_journey()
    ordinary = paid_order()
    fulfilment.ship(f.staff(ordinary.merchant), ordinary.pk, carrier="顺丰", tracking_number="SF800000001")
    scan("SF800000001", "delivered")
    client.force_login(f.ops())
    r = client.get("/ops/remote/figures/")
    assert r.status_code == 200
    assert re.search(r'id="fig-subsidy">¥8.00<', r.text)
    assert re.search(r'id="fig-orders">1<', r.text)
    xinjiang = re.search(r'<tr id="region-650000">(.*?)</tr>', r.text, re.S).group(1)
    cells = re.findall(r'<td class="right">([^<]*)</td>', xinjiang)
    assert cells[0] == "1" and cells[1] == "¥8.00" and cells[2] == "1" and cells[4] == "100%"
    assert "新疆维吾尔自治区" in xinjiang
    other = re.search(r'<tr id="region-other">(.*?)</tr>', r.text, re.S).group(1)
    assert "非偏远地区" in other and "100%" in other
    assert len(re.findall(r'<tr id="region-\d{6}"', r.text)) == 6
    week = client.get("/ops/remote/figures/", {"days": "7"})
    assert len(re.findall(r"<tr><td>\d\d-\d\d</td>", week.text)) == 7
    assert client.get("/ops/remote/figures/", {"days": "bogus"}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_figures_page_queries_do_not_grow_with_orders(client, django_assert_max_num_queries, count):
    clock.freeze(clock.now().replace(microsecond=0))
    item = baoyou_product()
    for i in range(count):
        order = remote_order(item=item)
        if i % 3 == 0:
            to_hub(order)
            deliver_from_hub(order)
    client.force_login(f.ops())
    with django_assert_max_num_queries(9):
        r = client.get("/ops/remote/figures/", {"days": "90"})
    assert r.status_code == 200
    assert re.search(rf'id="fig-orders">{count}<', r.text)


def test_navigation_links_lead_to_the_new_pages(client):
    client.force_login(f.staff())
    assert 'href="/seller/shipping/"' in client.get("/seller/").text
    client.force_login(f.ops())
    text = client.get("/ops/").text
    assert (
        'href="/ops/remote/"' in text and 'href="/ops/remote/figures/"' in text and 'href="/logistics/scans/"' in text
    )


def test_orders_still_count_in_the_figures_on_the_day_they_were_paid():
    order = remote_order()
    paid_day = shipping_queries.local_date(Order.objects.get(pk=order.pk).paid_at)
    figures = fulfilment_queries.remote_figures(7, paid_day)
    xinjiang = next(r for r in figures.regions if r.code == "650000")
    assert xinjiang.per_day[-1] == 1 and xinjiang.orders == 1
    assert fulfilment_queries.remote_figures(7, paid_day - timedelta(days=1)).remote.orders == 0


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
