"""The remote programme's figures and the ops console's navigation."""

import re
from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.fulfilment import queries as fulfilment_queries
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from anxin.shipping import queries as shipping_queries
from tests import factories as f
from tests.fulfilment.helpers import (
    baoyou_product,
    deliver_from_hub,
    remote_journey,
    remote_order,
    scan,
    to_hub,
)
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_figures_show_the_subsidy_and_the_remote_regions_against_the_others(client):
    clock.freeze(clock.now().replace(microsecond=0))
    remote_journey()
    ordinary = paid_order()
    fulfilment.ship(f.staff(ordinary.merchant), ordinary.pk, carrier="顺丰", tracking_number="SF000800000001")
    scan("SF000800000001", "delivered")
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
