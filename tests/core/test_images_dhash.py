"""The screenshots' perceptual hash: the same picture re-encoded or resized keeps it, another picture does not."""

import io

from PIL import Image

from anxin.core.images import decode, dhash
from tests import factories as f


def test_the_same_picture_re_encoded_and_resized_keeps_its_hash():
    original = decode(f.picture(size=(800, 600)))
    out = io.BytesIO()
    original.resize((400, 300)).save(out, format="WEBP", quality=60)
    assert dhash(Image.open(io.BytesIO(out.getvalue()))) == dhash(original)


def test_another_picture_has_another_hash_of_16_hex_digits():
    first = dhash(decode(f.picture(size=(800, 600))))
    second = dhash(decode(f.picture(size=(800, 600), color="#d53a3a")).transpose(Image.Transpose.ROTATE_180))
    assert len(first) == 16 and int(first, 16) >= 0
    assert first != second
