"""The ops remote programme: provinces, hubs and the second leg's price."""

import re

import pytest

from anxin.core import config
from anxin.geo.models import Region
from tests import factories as f
from tests.pages_helpers import program_post

pytestmark = pytest.mark.django_db


def row_of(html: str, code: str) -> str:
    return re.search(rf'<tr id="province-{code}".*?</tr>', html, re.S).group(0)


def test_ops_program_page_lists_the_six_remote_regions_with_their_hub_by_city_name(client):
    client.force_login(f.ops())
    r = client.get("/ops/remote/")
    assert r.status_code == 200
    assert re.findall(r'<tr id="province-(\d{6})"', r.text) == [
        "150000",
        "540000",
        "620000",
        "630000",
        "640000",
        "650000",
    ]
    xinjiang = row_of(r.text, "650000")
    assert "新疆维吾尔自治区" in xinjiang and '<option value="610100" selected>西安市</option>' in xinjiang
    assert '<optgroup label="陕西省">' in xinjiang and '<option value="650200">克拉玛依市</option>' in xinjiang
    assert 'type="text"' not in xinjiang  # no raw code boxes
    assert '<option value="110100">北京市</option>' in xinjiang  # a municipality's city row is named by it
    add = re.search(r'<select id="add-province".*?</select>', r.text, re.S).group(0)
    assert len(re.findall(r'<option value="\d{6}">', add)) == 25 and "650000" not in add
    assert 'name="leg2_first_kg" value="6.00"' in r.text and 'name="leg2_next_kg" value="2.00"' in r.text


def test_ops_program_page_in_english_names_provinces_and_capitals_in_english(client):
    client.force_login(f.ops())
    r = client.get("/ops/remote/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Xinjiang" in row_of(r.text, "650000") and '<option value="610100" selected>Xi&#x27;an</option>' in r.text


def test_ops_save_the_remote_program(client):
    client.force_login(f.ops())
    data = program_post(remote_630000="", hub_650000="620100", add_province="460000", add_hub="440100")
    r = client.post("/ops/remote/", data)
    assert r.status_code == 302
    remote = dict(Region.objects.filter(level="province", is_remote=True).values_list("code", "hub_code"))
    assert remote == {
        "150000": "610100",
        "540000": "610100",
        "620000": "610100",
        "640000": "610100",
        "650000": "620100",
        "460000": "440100",
    }
    config.invalidate()
    assert (config.get("shipping.leg2_first_kg_fen"), config.get("shipping.leg2_next_kg_fen")) == (700, 250)
    r = client.get("/ops/remote/")
    assert "460000" in re.findall(r'<tr id="province-(\d{6})"', r.text)
    assert '<option value="440100" selected>广州市</option>' in row_of(r.text, "460000")


def test_ops_program_refuses_a_bad_hub_and_bad_money_changing_nothing(client):
    client.force_login(f.ops())
    r = client.post("/ops/remote/", program_post(hub_650000="123456"))
    assert r.status_code == 400
    assert "中转仓须为地区表中的城市代码" in row_of(r.text, "650000")
    assert Region.objects.get(code="650000").hub_code == "610100"
    r = client.post("/ops/remote/", program_post(add_province="990000"))
    assert r.status_code == 400 and "未知的省份代码" in r.text
    assert not Region.objects.filter(code="990000").exists()
    r = client.post("/ops/remote/", program_post(leg2_first_kg="六块"))
    assert r.status_code == 400 and "请输入金额" in r.text and 'value="六块"' in r.text
    r = client.post("/ops/remote/", program_post(leg2_next_kg="-1"))
    assert r.status_code == 400 and "须为 0 到 100,000 分之间的整数" in r.text
    config.invalidate()
    assert config.get("shipping.leg2_first_kg_fen") == 600
    remote = set(Region.objects.filter(level="province", is_remote=True).values_list("code", flat=True))
    assert remote == {"150000", "540000", "620000", "630000", "640000", "650000"}


def test_ops_pages_are_for_ops_only(client):
    for who in (f.buyer(), f.user("carrier"), f.staff()):
        client.force_login(who)
        assert client.get("/ops/remote/").status_code == 404
        assert client.post("/ops/remote/", program_post()).status_code == 404
        assert client.get("/ops/remote/figures/").status_code == 404
    assert config.get("shipping.leg2_first_kg_fen") == 600
