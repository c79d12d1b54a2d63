"""The scan desk: one scan, CSV import, flags, and hub dispatch of leg 2."""

import re
from datetime import timedelta

import pytest

from anxin.core import clock, ledger
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg, Scan
from tests import factories as f
from tests.fulfilment.helpers import (
    baoyou_product,
    remote_order,
    scan,
    to_hub,
)
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_the_scan_desk_is_for_carriers_and_ops_only(client):
    assert client.get("/logistics/scans/").status_code == 302
    for who in (f.buyer(), f.staff(), f.courier()):
        client.force_login(who)
        assert client.get("/logistics/scans/").status_code == 404
        assert client.post("/logistics/scans/one/", {"tracking_number": "SF000001234567"}).status_code == 404
        assert client.post("/logistics/hub/dispatch/", {"order": "1"}).status_code == 404
    assert not Scan.objects.exists()
    for who in (f.carrier("SF"), f.ops()):
        client.force_login(who)
        r = client.get("/logistics/scans/")
        assert r.status_code == 200
        assert 'href="/logistics/scans/"' in r.text  # the header's link


def test_a_scan_posted_on_the_desk_delivers_the_order(client):
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000400000001")
    client.force_login(f.carrier("SF"))
    data = {"tracking_number": "sf000400000001", "carrier": "顺丰", "kind": "delivered", "at": "", "location": "杭州"}
    r = client.post("/logistics/scans/one/", data, follow=True)
    assert r.status_code == 200
    assert "SF000400000001 已签收，订单已送达" in r.text
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
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000500000001")
    now = clock.now()
    text = (
        "carrier,tracking_number,kind,at,location\n"
        f"顺丰,SF000500000001,picked_up,{(now - timedelta(hours=2)).isoformat()},杭州\n"
        f"顺丰,SF000500000001,teleported,{now.isoformat()},杭州\n"
        f"顺丰,SF000500000001,delivered,{now.isoformat()},上海\n"
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
    assert "第 3 行：kind 列：未知的扫描类型：teleported" in summary
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
        f.staff(waiting_elsewhere.merchant), waiting_elsewhere.pk, carrier="中通", tracking_number="750009999999"
    )
    to_hub(order, "750600000001")
    client.force_login(f.carrier("EMS"))
    desk = client.get("/logistics/scans/")
    queue = desk.text[desk.text.index('id="hub-queue"') : desk.text.index('id="recent"')]
    assert order.number in queue and "750600000001" in queue and "西安市" in queue
    assert waiting_elsewhere.number not in queue  # still on leg 1
    early = {"order": waiting_elsewhere.number, "carrier": "邮政", "tracking_number": "9000600000009"}
    refused = client.post("/logistics/hub/dispatch/", early)
    assert refused.status_code == 409 and "包裹还没有到达中转仓" in refused.text
    prefilled = client.get("/logistics/scans/", {"order": order.number})
    assert f'name="order" value="{order.number}"' in prefilled.text
    r = client.post(
        "/logistics/hub/dispatch/",
        {"order": order.number, "carrier": "邮政", "tracking_number": "9000600000001"},
        follow=True,
    )
    assert f"订单 {order.number} 的第二段已发出，平台承担运费 ¥8.00" in r.text
    assert Leg.objects.get(shipment__order=order, number=2).tracking_number == "9000600000001"
    assert ledger.balance(ledger.PLATFORM_SUBSIDY) == 800
    assert order.number not in r.text[r.text.index('id="hub-queue"') : r.text.index('id="recent"')]
    again = client.post(
        "/logistics/hub/dispatch/", {"order": str(order.pk), "carrier": "邮政", "tracking_number": "9000600000002"}
    )
    assert again.status_code == 409 and "第二段已经发出" in again.text


def test_dispatch_errors_are_shown_beside_their_field(client):
    client.force_login(f.ops())
    r = client.post("/logistics/hub/dispatch/", {"order": "no-such-order", "carrier": "邮政", "tracking_number": "YZ1"})
    assert r.status_code == 404 and "找不到这个订单" in r.text and 'value="no-such-order"' in r.text
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000700000001")
    r = client.post(
        "/logistics/hub/dispatch/", {"order": order.number, "carrier": "", "tracking_number": "9000700000001"}
    )
    assert r.status_code == 400 and "请填写快递公司" in r.text
    r = client.post(
        "/logistics/hub/dispatch/", {"order": order.number, "carrier": "邮政", "tracking_number": "9000007000001"}
    )
    assert r.status_code == 409 and "这个订单不经过中转仓" in r.text


@pytest.mark.parametrize("count", [3, 30])
def test_scan_desk_queries_do_not_grow_with_orders_and_scans(client, django_assert_max_num_queries, count):
    clock.freeze(clock.now().replace(microsecond=0))
    item = baoyou_product()
    for i in range(count):
        order = remote_order(item=item)
        to_hub(order, f"757{i:011d}")
        scan(f"UNKNOWN{i:05d}", "in_transit")
    client.force_login(f.ops())
    with django_assert_max_num_queries(8):
        r = client.get("/logistics/scans/")
    assert r.status_code == 200
    assert r.text.count("未知运单号") >= min(count, 50) // 2


def test_a_carrier_sees_only_its_own_companys_scans_on_the_desk(client):
    sf_order, zto_order = paid_order(), paid_order()
    fulfilment.ship(f.staff(sf_order.merchant), sf_order.pk, carrier="顺丰", tracking_number="SF000720000001")
    fulfilment.ship(f.staff(zto_order.merchant), zto_order.pk, carrier="中通", tracking_number="750720000001")
    fulfilment.record_scan(f.carrier("SF"), {"tracking_number": "SF000720000001", "kind": "in_transit"})
    fulfilment.record_scan(f.carrier("ZTO"), {"tracking_number": "750720000001", "kind": "in_transit"})
    client.force_login(f.carrier("SF"))
    recent = client.get("/logistics/scans/").text.split('id="recent-scans"')[1]
    assert "SF000720000001" in recent and "750720000001" not in recent
    client.force_login(f.ops())
    recent = client.get("/logistics/scans/").text.split('id="recent-scans"')[1]
    assert "SF000720000001" in recent and "750720000001" in recent
