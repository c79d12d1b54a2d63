"""Uploaded pictures: checked, re-encoded and stored with their thumbnails, through Django's storage API.

Product photos use it now; after-sales evidence and price-claim screenshots will go through the same
`store_image`, so one place decides what a picture may be. A file is judged by its content (the first bytes
pick the one decoder allowed to read it), its declared canvas is checked before a pixel is decoded (a
decompression bomb never reaches memory), and what is kept is a fresh encoding of the pixels with the EXIF
orientation applied: no metadata (camera, GPS) and no trailing bytes of the upload survive. Files go to
`default_storage` (`STORAGES["default"]`), so a deployment moves them to object storage by configuration.
"""

import io
import secrets
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from anxin.core.errors import AnxinError
from anxin.core.rules import (
    PHOTO_POLICY,
    ImagePolicy,
    Message,
    image_dimensions_problem,
    image_size_problem,
    image_type_problem,
    sniff_image_type,
)

FULL_SIDE = 2400  # the kept picture: enough to zoom into, far below what a camera writes
LARGE_SIDE = 800  # galleries (the marketplaces' 800 x 800 main picture)
SMALL_SIDE = 360  # cards, cart and order lines (a 180-px box at twice the pixel density)
BACKGROUND = (255, 255, 255)  # thumbnails are padded to a square on white, as marketplace photos are
QUALITY = 82
_HEAD = 16
DHASH_SIDE = 8  # 8 x 8 comparisons: 64 bits
Upload = File | bytes | bytearray | None  # an uploaded file, bytes (the demo draws its own), or nothing chosen


@dataclass(frozen=True)
class StoredImage:
    """The storage names of one accepted picture: the re-encoded full picture and its two square thumbnails."""

    original: str
    large: str
    small: str
    phash: str = ""  # the picture's `dhash`, for recognising the same picture sent again

    def names(self) -> tuple[str, str, str]:
        return (self.original, self.large, self.small)


def store_image(upload: Upload, *, folder: str, policy: ImagePolicy = PHOTO_POLICY) -> StoredImage:
    """Check `upload` (a Django `File` or bytes), then save it and its thumbnails under `folder`.

    Refusals are `AnxinError`s (codes `image_missing`, `image_too_big`, `image_type`, `image_too_small`,
    `image_too_large`, `image_unreadable`) and store nothing."""
    picture = decode(read_upload(upload, policy), policy)
    full = picture.copy()
    full.thumbnail((FULL_SIDE, FULL_SIDE), Image.Resampling.LANCZOS)
    flat = _on_white(picture)
    renditions = {
        "": full,
        f"-{LARGE_SIDE}": _square(flat, LARGE_SIDE),
        f"-{SMALL_SIDE}": _square(flat, SMALL_SIDE),
    }
    token = secrets.token_hex(10)
    saved: list[str] = []
    try:
        for suffix, image in renditions.items():
            saved.append(default_storage.save(f"{folder}/{token}{suffix}.webp", ContentFile(_webp(image))))
    except Exception:
        discard(saved)
        raise
    original, large, small = saved
    return StoredImage(original, large, small, phash=dhash(picture))


def read_upload(upload: Upload, policy: ImagePolicy = PHOTO_POLICY) -> bytes:
    """The upload's bytes, refused by its size before more than the limit is read."""
    if upload is None:
        message = _("请选择一张图片。")
        raise AnxinError(message, code="image_missing", fields={"image": message})
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        declared = getattr(upload, "size", None)
        if declared is not None:
            _refuse(image_size_problem(declared, policy))
        upload.seek(0)
        data = upload.read(policy.max_bytes + 1)
    _refuse(image_size_problem(len(data), policy))
    return data


def decode(data: bytes, policy: ImagePolicy = PHOTO_POLICY) -> Image.Image:
    """The picture's pixels, upright, as RGB or RGBA, after every check of the policy."""
    kind = sniff_image_type(data[:_HEAD]) or "unknown"
    _refuse(image_type_problem(kind, policy))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=[kind])
            _refuse(image_dimensions_problem(*probe.size, policy))
            probe.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refusal(_too_large(policy)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _unreadable() from None
    upright = ImageOps.exif_transpose(probe)
    return upright.convert("RGBA" if _has_alpha(upright) else "RGB")


def dhash(picture: Image.Image) -> str:
    """A 64-bit difference hash as 16 hex digits: the picture in grey at 9 x 8, one bit per pair of
    neighbours (is the left one brighter?). Re-encoding, resizing or a new file name keep it, so the same
    screenshot sent by many buyers is recognised (the 买贵必赔 fraud signal)."""
    small = picture.convert("L").resize((DHASH_SIDE + 1, DHASH_SIDE), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # one byte a pixel in grey
    bits = 0
    for row in range(DHASH_SIDE):
        for col in range(DHASH_SIDE):
            left, right = pixels[row * (DHASH_SIDE + 1) + col], pixels[row * (DHASH_SIDE + 1) + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


@contextmanager
def discarding_on_failure(stored: list[StoredImage]) -> Iterator[None]:
    """Pictures stored for a change that then fails (refused, or the database said no) are deleted with it."""
    try:
        yield
    except BaseException:
        discard(name for picture in stored for name in picture.names())
        raise


def discard(names: Iterable[str]) -> None:
    """Delete stored files by name (missing ones are fine: a retried clean-up must not fail)."""
    for name in names:
        if name:
            default_storage.delete(name)


def image_url(name: str) -> str:
    """The address a browser fetches a stored file from ('' for no file)."""
    return default_storage.url(name) if name else ""


def _refuse(problem: Message | None) -> None:
    if problem is not None:
        raise _refusal(problem)


def _refusal(problem: Message) -> AnxinError:
    return AnxinError(problem, code=problem.code, fields={"image": problem})


def _too_large(policy: ImagePolicy) -> Message:
    """The dimensions refusal for a canvas Pillow itself would not decode."""
    problem = image_dimensions_problem(policy.max_side + 1, policy.max_side + 1, policy)
    assert problem is not None
    return problem


def _unreadable() -> AnxinError:
    message = _("图片无法读取：文件可能已损坏或不完整。")
    return AnxinError(message, code="image_unreadable", fields={"image": message})


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def _on_white(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, BACKGROUND)
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _square(image: Image.Image, side: int) -> Image.Image:
    return ImageOps.pad(image, (side, side), method=Image.Resampling.LANCZOS, color=BACKGROUND)


def _webp(image: Image.Image) -> bytes:
    """A fresh encoding of the pixels only: `exif` and `icc_profile` are not passed, so none is written."""
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=QUALITY, method=4)
    return out.getvalue()
