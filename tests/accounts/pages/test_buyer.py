"""The account pages: log-in, log-out, sign-up, and the language switch."""

import pytest

from anxin.accounts.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_login_page_has_labelled_fields(client):
    r = client.get("/login/")
    assert r.status_code == 200
    assert 'for="id_username"' in r.text and 'for="id_password"' in r.text


def test_buyer_logs_in_and_out(client):
    buyer = f.buyer()
    r = client.post("/login/", {"username": buyer.username, "password": f.PASSWORD})
    assert r.status_code == 302 and r.url == "/"
    assert "我的订单" in client.get("/").text
    r = client.post("/logout/")
    assert r.status_code == 302
    assert "登录" in client.get("/").text
    assert client.get("/orders/").status_code == 302


def test_wrong_password_is_refused_and_the_username_kept(client):
    buyer = f.buyer()
    r = client.post("/login/", {"username": buyer.username, "password": "wrong-password"})
    assert r.status_code == 200
    assert f'value="{buyer.username}"' in r.text
    assert "alert-error" in r.text


def test_logout_needs_a_post(client):
    client.force_login(f.buyer())
    assert client.get("/logout/").status_code == 405


def test_sign_up_creates_a_buyer_and_logs_them_in(client):
    r = client.post("/signup/", f.sign_up_form("hanmeimei", "a-long-secret-9", display_name="韩梅梅"))
    assert r.status_code == 302
    user = User.objects.get(username="hanmeimei")
    assert user.role == "buyer"
    assert "韩梅梅" in client.get("/").text


def test_sign_up_errors_show_beside_the_fields_and_keep_the_name(client):
    f.buyer(username="taken")
    r = client.post("/signup/", f.sign_up_form("Taken", "short", display_name="小明"))
    assert r.status_code == 400
    assert "这个用户名已被使用" in r.text
    assert 'value="小明"' in r.text
    assert not User.objects.filter(display_name="小明").exists()


def test_sign_up_with_mismatched_passwords_is_refused(client):
    r = client.post("/signup/", {"username": "lucy", "password": "a-long-secret-9", "password2": "another-secret-9"})
    assert r.status_code == 400
    assert "两次输入的密码不一致" in r.text


def test_switching_to_english_changes_the_page_text(client):
    r = client.get("/")
    assert 'lang="zh-hans"' in r.text and "购物车" in r.text
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    r = client.get("/")
    assert 'lang="en"' in r.text
    assert "Cart" in r.text and "购物车" not in r.text
    r = client.get("/login/")
    assert "Username" in r.text
    item = f.product(title="定制足球鞋", title_en="Custom football boots")
    f.text_question(item, label="印字")
    r = client.get(f"/p/{item.pk}/")
    assert "Add to cart" in r.text and "Custom football boots" in r.text and "Personalizable" in r.text


def test_buyer_pages_send_anonymous_people_to_log_in(client):
    for url in ("/cart/", "/checkout/", "/orders/", "/addresses/"):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith("/login/?next="), url
