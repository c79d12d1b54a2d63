"""The base layout: the language menu names each language in itself, and the site has an icon at /favicon.ico
(linked from every page)."""

import re

import pytest
from django.conf import settings

from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_the_language_menu_names_each_language_in_itself(client):
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/").text
        start = html.index('id="lang-select"')
        menu = html[start : html.index("</select>", start)]
        assert '<option value="en" lang="en"' in menu and ">English</option>" in menu
        assert ">简体中文</option>" in menu and ">繁體中文</option>" in menu
        assert "Simplified Chinese" not in menu and "英语" not in menu


def test_the_favicon_answers_as_an_icon_and_every_page_links_it(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert "max-age=86400" in r["Cache-Control"]
    assert re.search(r'<link rel="icon" href="[^"]*/web/favicon[^"]*\.ico"', client.get("/").text)
    assert client.post("/favicon.ico").status_code == 405


def test_order_lines_show_the_english_title_on_english_pages(client):
    order = paid_order()
    line = order.lines.get()
    line.product.title_en = "Lucky football"
    line.product.save()
    client.force_login(order.buyer)
    assert line.title in client.get(f"/orders/{order.pk}/").text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (f"/orders/{order.pk}/", "/orders/"):
        assert "Lucky football" in client.get(url).text
