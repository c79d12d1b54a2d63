"""The address form on the full division list: required markers, the cascade, and smart paste (智能填写)."""

import re

import pytest

from anxin.accounts.models import Address
from tests import factories as f

pytestmark = pytest.mark.django_db

LINE = "张三 13800000000 浙江省杭州市西湖区文三路 100 号"


def options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d{6})"', select)


def test_required_fields_carry_a_marker_an_accessible_label_and_a_legend(client):
    client.force_login(f.buyer())
    r = client.get("/addresses/new/")
    assert "为必填项" in r.text
    for field in ("recipient", "phone", "province_code", "city_code", "county_code", "street"):
        label = re.search(rf'<label for="id_{field}">.*?</label>', r.text, re.S).group(0)
        assert 'class="req" aria-hidden="true"' in label and "（必填）" in label, field
    label = re.search(r'<label class="choice" for="id_make_default">.*?</label>', r.text, re.S).group(0)
    assert "req" not in label


def test_every_province_offers_all_its_cities_and_every_city_its_counties(client):
    r = client.get("/addresses/regions/", {"province_code": "650000"})
    assert len(options(r.text, "id_city_code")) == 15  # Xinjiang's cities, from the bundled list
    r = client.get("/addresses/regions/", {"province_code": "330000", "city_code": "330100"})
    assert "330106" in options(r.text, "id_county_code") and len(options(r.text, "id_county_code")) == 13
    r = client.get("/addresses/regions/", {"province_code": "440000", "city_code": "441900"})
    assert options(r.text, "id_county_code") == ["441900"]  # 东莞: the city is its own county


def test_an_address_in_a_city_without_districts_is_saved(client):
    buyer = f.buyer()
    client.force_login(buyer)
    data = {"recipient": "陈七", "phone": "13800138000", "street": "南城街道 1 号"}
    r = client.post(
        "/addresses/new/", {**data, "province_code": "440000", "city_code": "441900", "county_code": "441900"}
    )
    assert r.status_code == 302
    assert Address.objects.get(user=buyer).county_code == "441900"


def test_smart_paste_fills_the_form_and_saves_nothing(client):
    client.force_login(f.buyer())
    r = client.post("/addresses/new/", {"action": "paste", "paste": LINE})
    assert r.status_code == 200
    assert 'name="recipient" value="张三"' in r.text and 'value="13800000000"' in r.text
    assert 'value="文三路 100 号"' in r.text
    assert '<option value="330000" selected>' in r.text and '<option value="330100" selected>' in r.text
    assert '<option value="330106" selected>' in r.text
    assert "已填入：收件人、电话、省份、城市、区县、详细地址" in r.text and "未能确定" not in r.text
    assert not Address.objects.exists()


def test_smart_paste_says_what_it_could_not_read_and_keeps_what_was_typed(client):
    client.force_login(f.buyer())
    r = client.post("/addresses/new/", {"action": "paste", "paste": "西湖区文三路 100 号", "recipient": "李雷"})
    assert r.status_code == 200
    assert 'name="recipient" value="李雷"' in r.text
    assert "未能确定：电话、省份、城市、区县、详细地址" in r.text  # 西湖区 is in 杭州 and in 南昌
    assert not options(r.text, "id_city_code")


def test_a_pasted_then_saved_address_is_the_buyers(client):
    buyer = f.buyer()
    client.force_login(buyer)
    client.post("/addresses/new/", {"action": "paste", "paste": LINE})
    data = {
        "recipient": "张三",
        "phone": "13800000000",
        "province_code": "330000",
        "city_code": "330100",
        "county_code": "330106",
        "street": "文三路 100 号",
    }
    assert client.post("/addresses/new/", data).status_code == 302
    assert Address.objects.get(user=buyer).street == "文三路 100 号"


def test_smart_paste_in_english_names_the_parts_in_english(client):
    client.force_login(f.buyer())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.post("/addresses/new/", {"action": "paste", "paste": "13800000000"})
    assert "Filled in: Phone" in r.text and "Could not tell: Recipient, Province" in r.text
