"""The embedded default serves stored pictures itself (WhiteNoise serves only static files): picture types only,
only names inside the media folder, cached for long since a stored name is never reused."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from anxin.core import images
from tests import factories as f


def test_a_stored_picture_answers_200_with_an_image_type_and_a_long_cache():
    stored = images.store_image(f.picture(), folder="products/1")
    response = f.Client().get(images.image_url(stored.small))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp" and response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"RIFF")


@pytest.mark.parametrize("name", ["products/1/missing.webp", "../anxin.sqlite3", "products/../../x.png"])
def test_a_missing_file_or_a_name_outside_the_folder_is_404(name):
    assert f.Client().get(f"/media/{name}").status_code == 404


def test_a_file_that_is_not_a_picture_type_is_never_served():
    name = default_storage.save("notes/page.html", ContentFile(b"<script>alert(1)</script>"))
    assert f.Client().get(f"/media/{name}").status_code == 404


def test_only_reading_is_allowed():
    stored = images.store_image(f.picture(), folder="products/1")
    assert f.Client().post(images.image_url(stored.small)).status_code == 405
