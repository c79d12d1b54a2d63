"""The seller's photo section on the product page (a plain multipart form, no script needed) and the photos on
the storefront card, the product page's gallery, the cart and the order lines."""

import pytest

from anxin.catalog import services as catalog
from anxin.catalog.rules import MAX_PRODUCT_IMAGES
from anxin.checkout import services as checkouts
from anxin.core.images import image_url
from tests import factories as f

pytestmark = pytest.mark.django_db


def seller_with_product(client):
    shop = f.merchant()
    staff = f.staff(shop)
    client.force_login(staff)
    return staff, f.product(shop, title="白色帆布鞋")


def test_the_seller_uploads_a_photo_through_the_product_page(client):
    _staff, item = seller_with_product(client)
    page = client.get(f"/seller/products/{item.pk}/")
    assert 'enctype="multipart/form-data"' in page.text and 'name="image"' in page.text
    response = client.post(f"/seller/products/{item.pk}/images/", {"action": "upload", "image": f.upload()})
    assert response.status_code == 302 and response["Location"].endswith("#photos")
    image = item.images.get()
    assert image_url(image.small) in client.get(f"/seller/products/{item.pk}/").text


def test_a_refused_upload_shows_the_page_again_with_the_reason_and_stores_nothing(client):
    _staff, item = seller_with_product(client)
    response = client.post(
        f"/seller/products/{item.pk}/images/", {"action": "upload", "image": f.upload(f.picture("GIF"))}
    )
    assert response.status_code == 400
    assert "只支持 JPEG、PNG 或 WebP 格式的图片。" in response.text and 'id="photo-error"' in response.text
    missing = client.post(f"/seller/products/{item.pk}/images/", {"action": "upload"})
    assert missing.status_code == 400 and "请选择一张图片。" in missing.text
    assert item.images.count() == 0


def test_a_tenth_photo_is_refused_on_the_page_and_the_upload_form_is_gone(client):
    staff, item = seller_with_product(client)
    for _ in range(MAX_PRODUCT_IMAGES):
        catalog.add_product_image(staff, item.pk, f.upload())
    page = client.get(f"/seller/products/{item.pk}/")
    assert 'id="photo-file"' not in page.text and "9 / 9" in page.text
    response = client.post(f"/seller/products/{item.pk}/images/", {"action": "upload", "image": f.upload()})
    assert response.status_code == 409 and "最多上传 9 张图片。" in response.text
    assert item.images.count() == MAX_PRODUCT_IMAGES


def test_another_shops_product_answers_404_and_changes_nothing(client):
    staff, item = seller_with_product(client)
    catalog.add_product_image(staff, item.pk, f.upload())
    client.force_login(f.staff(f.merchant()))
    url = f"/seller/products/{item.pk}/images/"
    assert client.post(url, {"action": "upload", "image": f.upload()}).status_code == 404
    assert client.post(url, {"action": f"remove:{item.images.get().pk}"}).status_code == 404
    assert item.images.count() == 1


def test_the_buttons_make_a_photo_the_cover_move_it_and_remove_it(client):
    staff, item = seller_with_product(client)
    a, b, c = (catalog.add_product_image(staff, item.pk, f.upload()) for _ in range(3))
    url = f"/seller/products/{item.pk}/images/"
    order = lambda: [image.pk for image in item.images.all()]  # noqa: E731
    assert client.post(url, {"action": f"cover:{c.pk}"}).status_code == 302
    assert order() == [c.pk, a.pk, b.pk]
    client.post(url, {"action": f"down:{c.pk}"})
    assert order() == [a.pk, c.pk, b.pk]
    client.post(url, {"action": f"up:{b.pk}"})
    assert order() == [a.pk, b.pk, c.pk]
    client.post(url, {"action": f"remove:{a.pk}"})
    assert order() == [b.pk, c.pk]
    item.refresh_from_db()
    assert item.cover_small == b.small


@pytest.mark.parametrize("action", ["remove:999999", "spin:1", "remove:abc"])
def test_a_stale_or_odd_button_is_answered_and_changes_nothing(client, action):
    staff, item = seller_with_product(client)
    image = catalog.add_product_image(staff, item.pk, f.upload())
    response = client.post(f"/seller/products/{item.pk}/images/", {"action": action})
    assert response.status_code == 400 and "请刷新页面" in response.text
    assert [i.pk for i in item.images.all()] == [image.pk]


def test_the_seller_sets_and_removes_a_skus_photo_on_the_sku_page(client):
    _staff, item = seller_with_product(client)
    sku = item.skus.first()
    url = f"/seller/skus/{sku.pk}/"
    assert client.post(url, {"image_action": "upload", "image": f.upload()}).status_code == 302
    sku.refresh_from_db()
    assert sku.image_small and image_url(sku.image_small) in client.get(url).text
    refused = client.post(url, {"image_action": "upload", "image": f.upload(f.picture("PNG", (10, 10)))})
    assert refused.status_code == 400 and "图片太小" in refused.text
    assert client.post(url, {"image_action": "remove"}).status_code == 302
    sku.refresh_from_db()
    assert sku.image_small == ""


def test_the_card_gallery_cart_and_order_show_the_photos(client):
    staff, item = seller_with_product(client)
    first = catalog.add_product_image(staff, item.pk, f.upload())
    second = catalog.add_product_image(staff, item.pk, f.upload(f.picture("PNG")))
    home = client.get("/").text
    assert f'src="{image_url(first.small)}"' in home and 'loading="lazy"' in home
    product_page = client.get(f"/p/{item.pk}/").text
    assert image_url(first.large) in product_page and image_url(second.large) in product_page
    assert 'width="800" height="800"' in product_page and 'href="#photo-2"' in product_page
    buyer = f.buyer()
    checkouts.add_to_cart(buyer, item.skus.first().pk, 1)
    client.force_login(buyer)
    assert image_url(first.small) in client.get("/cart/").text
    order = f.paid_checkout(buyer, lines=[(item.skus.first(), 1)]).orders.get()
    assert image_url(first.small) in client.get(f"/orders/{order.pk}/").text
    client.force_login(staff)
    assert image_url(first.small) in client.get(f"/seller/orders/{order.pk}/packing-slip/").text


def test_a_product_without_photos_shows_a_placeholder_not_a_letter(client):
    _staff, item = seller_with_product(client)
    home = client.get("/").text
    assert "photo-none" in home and '<div class="thumb" aria-hidden="true">白</div>' not in home
    assert "photo-none" in client.get(f"/p/{item.pk}/").text


def test_the_storefront_needs_no_query_per_photo(client, django_assert_max_num_queries):
    shop = f.merchant()
    staff = f.staff(shop)
    for _ in range(6):
        catalog.add_product_image(staff, f.product(shop).pk, f.upload())
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_the_seller_picks_several_photos_at_once(client):
    _staff, item = seller_with_product(client)
    page = client.get(f"/seller/products/{item.pk}/")
    assert "multiple" in page.text and "还可添加 9 张" in page.text
    response = client.post(
        f"/seller/products/{item.pk}/images/",
        {"action": "upload", "image": [f.upload(name="a.jpg"), f.upload(f.picture("WEBP"), name="b.webp")]},
    )
    assert response.status_code == 302 and item.images.count() == 2
