"""The scan desk for people: flagged scans resolved with a reason (who and when kept), every label pointing at
its own input, and CSV problems (an empty scan type, a NUL byte) said plainly with their line and column."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anxin.core import clock
from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Scan
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def _flagged_scan(company: str = "SF") -> Scan:
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF500000000001")
    carrier = f.carrier(company)
    data = {"tracking_number": "SF500000000001", "kind": "delivered", "at": clock.now()}
    fulfilment.record_scan(carrier, data)
    return fulfilment.record_scan(carrier, {**data, "kind": "in_transit"}).scan  # after delivery: flagged


def test_a_flagged_scan_is_resolved_with_a_reason_and_leaves_the_list_to_look_into(client):
    scan = _flagged_scan()
    carrier = scan.posted_by
    client.force_login(carrier)
    page = client.get("/logistics/scans/?flagged=1")
    assert f'action="/logistics/scans/{scan.pk}/resolve/?flagged=1"' in page.text
    assert f'for="resolve-{scan.pk}"' in page.text
    r = client.post(f"/logistics/scans/{scan.pk}/resolve/?flagged=1", {"resolution": "签收后的重复扫描，已核实"})
    assert r.status_code == 302 and r["Location"] == "/logistics/scans/?flagged=1#recent"
    scan.refresh_from_db()
    assert scan.resolution == "签收后的重复扫描，已核实" and scan.resolved_by == carrier and scan.resolved_at
    assert scan.flag == "after_delivery"  # the flag stays: it is what happened
    event = Event.objects.get(kind="scan.resolved")
    assert event.actor_id == carrier.pk and event.data["resolution"] == "签收后的重复扫描，已核实"
    assert f"/logistics/scans/{scan.pk}/resolve/" not in client.get("/logistics/scans/?flagged=1").text
    assert "签收后的重复扫描，已核实" in client.get("/logistics/scans/").text


def test_resolving_without_a_reason_twice_or_another_companys_scan_is_refused(client):
    scan = _flagged_scan()
    client.force_login(scan.posted_by)
    r = client.post(f"/logistics/scans/{scan.pk}/resolve/", {"resolution": "  "})
    assert r.status_code == 400 and "请填写此项。" in r.text
    scan.refresh_from_db()
    assert scan.resolved_at is None and not Event.objects.filter(kind="scan.resolved").exists()
    client.force_login(f.carrier("ZTO"))
    assert client.post(f"/logistics/scans/{scan.pk}/resolve/", {"resolution": "不是我们的"}).status_code == 404
    client.force_login(f.ops())
    assert client.post(f"/logistics/scans/{scan.pk}/resolve/", {"resolution": "运营核实"}).status_code == 302
    r = client.post(f"/logistics/scans/{scan.pk}/resolve/", {"resolution": "再来一次"})
    assert r.status_code == 409 and "这条扫描已经处理过了。" in r.text
    scan.refresh_from_db()
    assert scan.resolution == "运营核实"


def test_a_scan_that_is_not_flagged_needs_no_resolving(client):
    scan = _flagged_scan()
    clean = Scan.objects.get(kind="delivered")
    client.force_login(f.ops())
    r = client.post(f"/logistics/scans/{clean.pk}/resolve/", {"resolution": "看看"})
    assert r.status_code == 409
    clean.refresh_from_db()
    assert clean.resolved_at is None and scan.pk != clean.pk


def test_every_label_on_the_desk_points_at_its_own_input(client):
    _flagged_scan()
    client.force_login(f.ops())
    html = client.get("/logistics/scans/").text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert f'id="{target}"' in html, target
    assert 'for="scan-carrier"' in html and 'for="dispatch-carrier"' in html


def test_a_csv_row_with_an_empty_scan_type_names_the_line_and_column(client):
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF500000000002")
    text = f"carrier,tracking_number,kind,at,location\n顺丰,SF500000000002,,{clock.now().isoformat()},杭州\n"
    client.force_login(f.carrier("SF"))
    r = client.post("/logistics/scans/import/", {"csv_text": text})
    assert r.status_code == 200
    assert "第 2 行：kind 列：请填写扫描类型（picked_up、in_transit" in r.text
    assert not Scan.objects.exists()


def test_a_csv_file_with_a_nul_byte_says_where_and_imports_nothing(client):
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF500000000003")
    now = clock.now().isoformat()
    body = (
        "carrier,tracking_number,kind,at,location\n"
        f"顺丰,SF500000000003,in_transit,{now},杭州\n"
        f"顺丰,SF5\x0000003,delivered,{now},\n"
    )
    client.force_login(f.carrier("SF"))
    r = client.post("/logistics/scans/import/", {"csv_file": SimpleUploadedFile("scans.csv", body.encode())})
    assert r.status_code == 400
    assert "第 3 行第 7 列是 NUL" in r.text and "没有导入任何扫描" in r.text
    assert not Scan.objects.exists()
