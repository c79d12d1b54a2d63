"""A merchant uploads a photo on the product page in a real browser; the storefront card and the product
gallery show it, and the picture's address answers with an image."""

import re

import pytest
from playwright.sync_api import expect

from anxin.core.images import image_url
from tests import factories as f
from tests.browser.helpers import PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


def loaded(image) -> bool:
    """The browser fetched and decoded the picture (a broken address leaves naturalWidth at 0)."""
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_the_merchant_uploads_a_photo_and_buyers_see_it_on_the_card_and_in_the_gallery(open_page):
    shop = f.merchant(name="帆布鞋铺")
    item = f.product(shop, title="白色帆布鞋", price_fen=12900)
    page = open_page()
    log_in(page, f.staff(shop))

    page.goto(f"/seller/products/{item.pk}/")
    section = page.locator("#photos")
    expect(section).to_contain_text("还没有图片")
    section.get_by_label("添加图片").set_input_files(
        {"name": "canvas-shoe.png", "mimeType": "image/png", "buffer": f.picture("PNG", (900, 900), "#e8402f")}
    )
    section.get_by_role("button", name="上传").click()
    expect(page).to_have_url(re.compile(rf"/seller/products/{item.pk}/#photos$"))
    expect(page.locator(".messages")).to_contain_text("图片已上传")
    expect(section.locator(".photo-tile")).to_have_count(1)
    expect(section).to_contain_text("主图")
    assert loaded(section.locator(".photo-tile img"))
    screenshot(page, "seller-product-photos")

    image = item.images.get()
    buyer_page = open_page()
    buyer_page.goto("/")
    card_image = buyer_page.locator("a.product-card", has_text="白色帆布鞋").locator("img")
    expect(card_image).to_have_attribute("src", image_url(image.small))
    card_image.scroll_into_view_if_needed()
    buyer_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=card_image.element_handle())
    screenshot(buyer_page, "storefront-card-photo")

    buyer_page.locator("a.product-card", has_text="白色帆布鞋").click()
    gallery_image = buyer_page.locator(".gallery img").first
    expect(gallery_image).to_have_attribute("src", image_url(image.large))
    buyer_page.wait_for_function("img => img.complete && img.naturalWidth === 800", arg=gallery_image.element_handle())
    screenshot(buyer_page, "product-gallery-photo")

    for name in (image.large, image.small):
        answer = buyer_page.request.get(image_url(name))
        assert answer.status == 200 and answer.headers["content-type"] == "image/webp"
        assert answer.body()[:4] == b"RIFF"

    phone = open_page(PHONE)
    phone.goto(f"/p/{item.pk}/")
    expect(phone.locator(".gallery img").first).to_be_visible()
    box = phone.locator(".gallery img").first.bounding_box()
    assert box["width"] <= PHONE["width"] and abs(box["width"] - box["height"]) < 2  # square, within the screen
    screenshot(phone, "product-gallery-photo-phone")


def test_a_refused_upload_says_why_in_the_browser_and_adds_nothing(open_page):
    shop = f.merchant()
    item = f.product(shop, title="保温杯")
    page = open_page()
    log_in(page, f.staff(shop))
    page.goto(f"/seller/products/{item.pk}/")
    page.get_by_label("添加图片").set_input_files(
        {"name": "tiny.png", "mimeType": "image/png", "buffer": f.picture("PNG", (10, 10))}
    )
    page.locator("#photos").get_by_role("button", name="上传").click()
    expect(page.locator("#photo-error")).to_contain_text("图片太小")
    expect(page.locator("#photos .photo-tile")).to_have_count(0)
    assert item.images.count() == 0
