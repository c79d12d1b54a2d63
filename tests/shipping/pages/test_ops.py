"""The ops remote programme: provinces, hubs and the second leg's price."""

import re

import pytest

from anxin.core import config
from anxin.geo.models import Region
from tests import factories as f
from tests.pages_helpers import program_post

pytestmark = pytest.mark.django_db


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
