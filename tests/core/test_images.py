"""Uploaded pictures: real JPEG, PNG and WebP files are re-encoded with two square thumbnails; anything else is
refused with its code and leaves nothing in storage."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from anxin.core import images
from anxin.core.errors import AnxinError
from anxin.core.rules import ImagePolicy, image_count_problem, sniff_image_type
from tests import factories as f


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def opened(name: str) -> Image.Image:
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def refused_code(upload) -> str:
    with pytest.raises(AnxinError) as refused:
        images.store_image(upload, folder="tests")
    assert stored_files() == []
    assert refused.value.status == 400 and "image" in refused.value.fields
    return refused.value.code


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header announces a `width` x `height` canvas: a decompression bomb's opening."""
    real = f.picture("PNG", (200, 200))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    patched = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[:8] + patched + real[8 + 25 :]


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_real_picture_is_stored_re_encoded_with_two_square_thumbnails(kind):
    stored = images.store_image(f.upload(f.picture(kind, (1600, 1200))), folder="products/7")
    assert all(name.startswith("products/7/") and name.endswith(".webp") for name in stored.names())
    assert len(stored_files()) == 3
    assert opened(stored.original).format == "WEBP" and opened(stored.original).size == (1600, 1200)
    assert opened(stored.large).size == (images.LARGE_SIDE, images.LARGE_SIDE)
    assert opened(stored.small).size == (images.SMALL_SIDE, images.SMALL_SIDE)


def test_a_huge_photo_is_kept_at_the_full_side_at_most():
    stored = images.store_image(f.picture("JPEG", (6000, 3000)), folder="tests")
    assert opened(stored.original).size == (images.FULL_SIDE, images.FULL_SIDE // 2)


def test_the_exif_orientation_is_applied_and_no_metadata_is_kept():
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held upright: rotate 90 degrees to show it
    exif[0x010F] = "SecretCam"
    stored = images.store_image(f.picture("JPEG", (800, 600), exif=exif.tobytes()), folder="tests")
    kept = opened(stored.original)
    assert kept.size == (600, 800)
    assert not kept.getexif() and "exif" not in kept.info
    with default_storage.open(stored.original) as handle:
        assert b"SecretCam" not in handle.read()


def test_the_type_is_judged_by_content_not_by_the_name():
    stored = images.store_image(f.upload(f.picture("PNG"), name="really-a-png.jpg"), folder="tests")
    assert opened(stored.original).format == "WEBP"


def test_a_gif_is_refused_even_when_named_jpg():
    assert refused_code(f.upload(f.picture("GIF"), name="photo.gif", content_type="image/gif")) == "image_type"
    assert refused_code(f.upload(f.picture("GIF"), name="photo.jpg")) == "image_type"


def test_a_file_that_is_no_picture_is_refused_as_its_type():
    assert refused_code(f.upload(b"%PDF-1.7 not a photo" * 20, name="photo.png")) == "image_type"


def test_a_file_over_5_mb_is_refused_before_it_is_decoded():
    six_mb = f.picture("JPEG") + b"\0" * (6 * 1024 * 1024)
    assert refused_code(f.upload(six_mb)) == "image_too_big"
    assert refused_code(six_mb) == "image_too_big"  # bytes without a declared size: counted as read


def test_an_empty_file_and_no_file_are_refused():
    assert refused_code(f.upload(b"")) == "image_unreadable"
    assert refused_code(None) == "image_missing"


def test_a_10_by_10_picture_is_refused_as_too_small():
    assert refused_code(f.upload(f.picture("PNG", (10, 10)))) == "image_too_small"


def test_a_picture_wider_than_the_policy_is_refused_as_too_large():
    assert refused_code(f.upload(f.picture("PNG", (8200, 200)))) == "image_too_large"


@pytest.mark.parametrize("side", [30_000, 100_000])  # over our bound, and over Pillow's own bomb limit
def test_a_decompression_bomb_header_is_refused_before_decoding(side):
    assert refused_code(f.upload(png_claiming(side, side), name="bomb.png")) == "image_too_large"


def test_a_truncated_file_is_refused_as_unreadable():
    whole = f.picture("JPEG", (800, 600), quality=95)
    assert refused_code(f.upload(whole[: len(whole) // 2])) == "image_unreadable"


def test_a_corrupt_file_with_a_picture_header_is_refused_as_unreadable():
    assert refused_code(f.upload(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, name="x.png")) == "image_unreadable"


def test_a_failed_save_leaves_no_file_behind(monkeypatch):
    real_save, calls = default_storage.save, []

    def flaky_save(name, content):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_save(name, content)

    monkeypatch.setattr(default_storage, "save", flaky_save)
    with pytest.raises(OSError):
        images.store_image(f.picture(), folder="tests")
    assert stored_files() == []


def test_the_rules_sniff_types_and_count_limits():
    assert sniff_image_type(f.picture("JPEG")[:16]) == "JPEG"
    assert sniff_image_type(f.picture("PNG")[:16]) == "PNG"
    assert sniff_image_type(f.picture("WEBP")[:16]) == "WEBP"
    assert sniff_image_type(f.picture("GIF")[:16]) == "GIF"
    assert sniff_image_type(b"hello world") is None
    assert image_count_problem(8, 9) is None
    assert image_count_problem(9, 9).code == "too_many_images"


def test_a_stricter_policy_is_kept_by_callers_that_need_one():
    small_files = ImagePolicy(max_bytes=1024)
    with pytest.raises(AnxinError) as refused:
        images.store_image(f.picture("PNG", (800, 800)), folder="tests", policy=small_files)
    assert refused.value.code == "image_too_big"
