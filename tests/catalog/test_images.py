"""Product photos (at most nine, the first the cover) and one photo per SKU, through the services and the API:
another shop's product is not found, a refused upload stores nothing, and orders keep the photo bought."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from anxin.catalog import services as catalog
from anxin.catalog.models import ProductImage
from anxin.catalog.rules import MAX_PRODUCT_IMAGES
from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict, Forbidden, NotFound
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def shop_with_product():
    shop = f.merchant()
    return f.staff(shop), f.product(shop)


def with_photos(staff, item, count: int) -> list[ProductImage]:
    return [catalog.add_product_image(staff, item.pk, f.upload()) for _ in range(count)]


def test_the_first_photo_becomes_the_cover_and_the_rest_follow_in_order():
    staff, item = shop_with_product()
    first, second = with_photos(staff, item, 2)
    item.refresh_from_db()
    assert [first.position, second.position] == [0, 1]
    assert item.cover_small == first.small and default_storage.exists(first.small)
    assert Event.objects.filter(kind="product.images_added").count() == 2


def test_a_tenth_photo_is_refused_and_nothing_is_stored():
    staff, item = shop_with_product()
    with_photos(staff, item, MAX_PRODUCT_IMAGES)
    files = stored_files()
    with pytest.raises(Conflict) as refused:
        catalog.add_product_image(staff, item.pk, f.upload())
    assert refused.value.code == "too_many_images"
    assert item.images.count() == MAX_PRODUCT_IMAGES and stored_files() == files


def test_the_database_holds_the_limit_of_nine_too():
    staff, item = shop_with_product()
    image = with_photos(staff, item, 1)[0]
    for position in (0, MAX_PRODUCT_IMAGES):  # a taken position, and a tenth place
        with pytest.raises(IntegrityError), transaction.atomic():
            ProductImage.objects.create(
                product=item, position=position, original="a", large="b", small="c", created_at=clock.now()
            )
    assert list(item.images.all()) == [image]


def test_a_refused_upload_changes_nothing():
    staff, item = shop_with_product()
    with pytest.raises(AnxinError) as refused:
        catalog.add_product_image(staff, item.pk, f.upload(f.picture("GIF"), name="x.gif"))
    assert refused.value.code == "image_type"
    item.refresh_from_db()
    assert item.images.count() == 0 and item.cover_small == "" and stored_files() == set()


def test_another_shops_product_is_not_found_and_a_buyer_is_forbidden():
    _staff, item = shop_with_product()
    with pytest.raises(NotFound):
        catalog.add_product_image(f.staff(f.merchant()), item.pk, f.upload())
    with pytest.raises(Forbidden):
        catalog.add_product_image(f.buyer(), item.pk, f.upload())
    assert stored_files() == set() and item.images.count() == 0


def test_arranging_reorders_and_removes_in_one_step_and_moves_the_cover(django_capture_on_commit_callbacks):
    staff, item = shop_with_product()
    a, b, c = with_photos(staff, item, 3)
    with django_capture_on_commit_callbacks(execute=True):
        kept = catalog.arrange_product_images(staff, item.pk, [c.pk, a.pk])
    item.refresh_from_db()
    assert (
        [(i.pk, i.position) for i in item.images.all()] == [(c.pk, 0), (a.pk, 1)] == [(i.pk, i.position) for i in kept]
    )
    assert item.cover_small == c.small
    assert not default_storage.exists(b.original) and not default_storage.exists(b.large)
    assert default_storage.exists(b.small)  # orders placed earlier still show it


@pytest.mark.parametrize("ids", [[999_999], "twice"])
def test_an_order_naming_a_stranger_or_a_photo_twice_is_refused_and_changes_nothing(ids):
    staff, item = shop_with_product()
    a, b = with_photos(staff, item, 2)
    with pytest.raises(AnxinError) as refused:
        catalog.arrange_product_images(staff, item.pk, [a.pk, a.pk] if ids == "twice" else ids)
    assert refused.value.code == "invalid_image_order"
    assert [i.pk for i in item.images.all()] == [a.pk, b.pk]


def test_removing_every_photo_clears_the_cover():
    staff, item = shop_with_product()
    with_photos(staff, item, 1)
    catalog.arrange_product_images(staff, item.pk, [])
    item.refresh_from_db()
    assert item.cover_small == "" and item.images.count() == 0


def test_a_sku_has_one_photo_replaced_by_the_next_and_shown_before_the_cover(django_capture_on_commit_callbacks):
    staff, item = shop_with_product()
    cover = with_photos(staff, item, 1)[0]
    item.refresh_from_db()
    sku = item.skus.first()
    assert sku.photo_small == cover.small
    first = catalog.set_sku_image(staff, sku.pk, f.upload())
    old_large = first.image_large
    with django_capture_on_commit_callbacks(execute=True):
        second = catalog.set_sku_image(staff, sku.pk, f.upload(f.picture("PNG")))
    sku.refresh_from_db()
    assert sku.image_small == second.image_small != first.image_small
    assert sku.photo_small == sku.image_small
    assert not default_storage.exists(old_large)
    catalog.remove_sku_image(staff, sku.pk)
    sku.refresh_from_db()
    assert (sku.image_small, sku.photo_small) == ("", cover.small)


def test_another_shops_sku_is_not_found():
    _staff, item = shop_with_product()
    with pytest.raises(NotFound):
        catalog.set_sku_image(f.staff(f.merchant()), item.skus.first().pk, f.upload())
    assert stored_files() == set()


def test_an_order_line_keeps_the_photo_bought_when_the_merchant_changes_them():
    staff, item = shop_with_product()
    bought = with_photos(staff, item, 1)[0]
    checkout = f.paid_checkout(lines=[(item.skus.first(), 1)])
    catalog.add_product_image(staff, item.pk, f.upload(f.picture(color="#111111")))
    catalog.arrange_product_images(staff, item.pk, [item.images.last().pk])
    line = checkout.orders.get().lines.get()
    assert line.image_small == bought.small and default_storage.exists(line.image_small)


# --- the API ------------------------------------------------------------------------------------------


def put_json(client, url: str, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def post_image(client, url: str, data: bytes | None = None, name: str = "photo.jpg"):
    return client.post(url, {"image": f.upload(data, name=name)})


def test_the_api_uploads_lists_and_arranges_photos():
    staff, item = shop_with_product()
    client = f.api_client(staff)
    url = f"/api/seller/products/{item.pk}/images"
    first = post_image(client, url)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["position"] == 0 and body["small_url"].endswith("-360.webp")
    second = post_image(client, url, f.picture("WEBP")).json()
    shown = f.Client().get(f"/api/products/{item.pk}").json()
    assert [i["id"] for i in shown["images"]] == [body["id"], second["id"]]
    card = f.Client().get("/api/products").json()["items"][0]
    assert card["cover_url"] == body["small_url"]
    arranged = put_json(client, url, {"image_ids": [second["id"]]})
    assert arranged.status_code == 200 and [i["id"] for i in arranged.json()] == [second["id"]]


def test_the_api_refuses_a_bad_picture_with_its_code_and_stores_nothing():
    staff, item = shop_with_product()
    client = f.api_client(staff)
    url = f"/api/seller/products/{item.pk}/images"
    for data, code in [(f.picture("GIF"), "image_type"), (f.picture("PNG", (10, 10)), "image_too_small")]:
        response = post_image(client, url, data)
        assert response.status_code == 400 and response.json()["code"] == code
        assert response.json()["fields"]["image"]
    missing = client.post(url, {})
    assert missing.status_code == 400 and missing.json()["code"] == "image_missing"
    assert item.images.count() == 0 and stored_files() == set()


def test_the_api_refuses_a_tenth_photo_with_409():
    staff, item = shop_with_product()
    with_photos(staff, item, MAX_PRODUCT_IMAGES)
    response = post_image(f.api_client(staff), f"/api/seller/products/{item.pk}/images")
    assert response.status_code == 409 and response.json()["code"] == "too_many_images"
    assert item.images.count() == MAX_PRODUCT_IMAGES


def test_the_api_answers_404_for_another_shops_product_and_stores_nothing():
    _staff, item = shop_with_product()
    client = f.api_client(f.staff(f.merchant()))
    response = post_image(client, f"/api/seller/products/{item.pk}/images")
    assert response.status_code == 404 and stored_files() == set()
    arranged = put_json(client, f"/api/seller/products/{item.pk}/images", {"image_ids": []})
    assert arranged.status_code == 404


def test_the_api_sets_and_removes_a_skus_photo():
    staff, item = shop_with_product()
    client = f.api_client(staff)
    sku = item.skus.first()
    uploaded = post_image(client, f"/api/seller/skus/{sku.pk}/image")
    assert uploaded.status_code == 201 and uploaded.json()["image_small_url"].endswith("-360.webp")
    removed = client.delete(f"/api/seller/skus/{sku.pk}/image")
    assert removed.status_code == 200 and removed.json()["image_small_url"] == ""


def test_several_photos_picked_at_once_are_added_in_order():
    staff, item = shop_with_product()
    added = catalog.add_product_images(staff, item.pk, [f.upload(name="a.jpg"), f.upload(name="b.jpg")])
    assert [image.position for image in added] == [0, 1] and list(item.images.all()) == added
    item.refresh_from_db()
    assert item.cover_small == added[0].small


def test_one_refused_picture_among_several_refuses_them_all_naming_its_file():
    staff, item = shop_with_product()
    uploads = [f.upload(name="good.jpg"), f.upload(f.picture("GIF"), name="moving.gif")]
    with pytest.raises(AnxinError) as refused:
        catalog.add_product_images(staff, item.pk, uploads)
    assert refused.value.code == "image_type" and refused.value.message.startswith("moving.gif: ")
    assert item.images.count() == 0 and stored_files() == set()


def test_more_pictures_than_the_product_has_room_for_are_refused_before_any_is_read():
    staff, item = shop_with_product()
    with_photos(staff, item, MAX_PRODUCT_IMAGES - 1)
    files = stored_files()
    with pytest.raises(Conflict):
        catalog.add_product_images(staff, item.pk, [f.upload(), f.upload()])
    assert item.images.count() == MAX_PRODUCT_IMAGES - 1 and stored_files() == files
