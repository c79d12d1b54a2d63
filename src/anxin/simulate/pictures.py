"""The demo's product photos, drawn with Pillow: no downloaded file, one distinct picture per product.

Each picture is a soft background in the product's colour (read from its colour spec or its title), a simple
drawing of what it is (a boot, a shirt, a bottle, a fruit ...) picked from its category (and a word of its
title where the category is mixed), a few decorations placed by a seed, and its name on a white band in a
CJK font when the machine has one (`fonts-wqy-microhei`; without it the band stays plain). It goes through
`core.images.store_image` and the catalog's photo service, so the demo's photos have the same checks and
thumbnails as a merchant's upload.
"""

import colorsys
import io
import math
import random
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from anxin.catalog import services as catalog
from anxin.core import images

SIDE = 800
FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)
RGB = tuple[int, int, int]
Box = tuple[int, int, int, int]

# Colour words of the demo's specs and titles (longest first when matched), then fruit and tea by name.
COLOURS: dict[str, RGB] = {
    "荧光黄": (214, 226, 40),
    "荧光绿": (96, 206, 72),
    "黑金": (42, 38, 30),
    "白蓝": (70, 120, 210),
    "烈焰红": (222, 44, 38),
    "主场红": (200, 30, 45),
    "客场白": (236, 238, 242),
    "深海蓝": (24, 62, 128),
    "大地色": (152, 112, 82),
    "蜜桃": (246, 164, 142),
    "玫瑰": (196, 58, 92),
    "南瓜": (226, 120, 44),
    "象牙白": (240, 232, 214),
    "自然色": (226, 190, 160),
    "小麦色": (200, 156, 108),
    "奶白": (244, 238, 222),
    "樱花粉": (242, 176, 196),
    "雾霾蓝": (128, 152, 178),
    "雾蓝": (128, 152, 178),
    "薄荷绿": (146, 212, 186),
    "星空黑": (34, 40, 62),
    "珍珠白": (236, 234, 228),
    "驼色": (188, 146, 98),
    "酒红": (128, 30, 52),
    "藏青": (32, 46, 92),
    "月白": (222, 232, 244),
    "墨绿": (32, 84, 62),
    "燕麦": (214, 198, 166),
    "卡其": (188, 168, 118),
    "军绿": (84, 96, 56),
    "豆沙粉": (196, 138, 138),
    "米白": (238, 230, 212),
    "浅灰": (196, 198, 202),
    "蓝莓": (72, 64, 142),
    "草莓": (220, 40, 62),
    "树莓": (196, 32, 82),
    "芒果": (246, 186, 40),
    "猕猴桃": (122, 160, 52),
    "苹果": (206, 40, 44),
    "葡萄": (108, 50, 128),
    "哈密瓜": (236, 184, 96),
    "荔枝": (218, 70, 82),
    "橙": (240, 130, 36),
    "柚": (238, 206, 88),
    "红茶": (150, 60, 30),
    "绿茶": (98, 146, 64),
    "茶": (112, 132, 60),
    "枸杞": (200, 40, 36),
    "牦牛": (110, 72, 48),
    "羊绒": (200, 170, 130),
    "丝": (226, 206, 170),
    "红": (208, 40, 50),
    "蓝": (44, 92, 196),
    "绿": (52, 148, 84),
    "黄": (238, 196, 40),
    "粉": (238, 160, 188),
    "紫": (128, 80, 176),
    "金": (206, 168, 64),
    "棕": (118, 80, 52),
    "灰": (132, 134, 140),
    "黑": (36, 36, 40),
    "白": (238, 238, 240),
}


class Photographer:
    """Draws and stores the demo's pictures on a worker thread while the build goes on (Pillow's encoders let
    go of the interpreter, so the second core does this work), then adds them as the products' first photos.
    The thread touches no database: it draws and stores; `finish` adds the rows, in the build's transaction."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-pictures")
        self.pending: list[tuple[object, int, Future[images.StoredImage]]] = []

    def take(self, staff, product, *, category: str, seed: int) -> None:
        """Start `product`'s picture, coloured as its first SKU's colour or its title says."""
        first = product.skus.order_by("pk").first()
        colour = colour_of(first.spec if first is not None else {}, product.title, seed)
        folder = catalog.product_folder(product.pk)
        future = self.pool.submit(_drawn_and_stored, product.title, category, colour, seed, folder)
        self.pending.append((staff, product.pk, future))

    def finish(self) -> None:
        """Add every picture taken (before any order is placed, so order lines show them)."""
        for staff, product_id, future in self.pending:
            catalog.add_stored_product_images(staff, product_id, [future.result()])
        self.pending.clear()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def _drawn_and_stored(title: str, category: str, colour: RGB, seed: int, folder: str) -> images.StoredImage:
    return images.store_image(draw(title, category=category, colour=colour, seed=seed), folder=folder)


def colour_of(spec: dict, title: str, seed: int) -> RGB:
    """The colour a shopper would name: the spec's colour, else one in the title, else one from the seed."""
    for text in [str(value) for key, value in spec.items() if "色" in key] + [title]:
        for word in sorted(COLOURS, key=len, reverse=True):
            if word in text:
                return COLOURS[word]
    red, green, blue = colorsys.hls_to_rgb(random.Random(seed).random(), 0.55, 0.55)
    return int(red * 255), int(green * 255), int(blue * 255)


def draw(title: str, *, category: str, colour: RGB, seed: int) -> bytes:
    """An 800 x 800 picture of the product (a JPEG: the photo service re-encodes it, and JPEG is the quick one)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (SIDE, SIDE))
    pen = ImageDraw.Draw(image)
    _background(pen, colour)
    for _ in range(rng.randint(3, 6)):
        radius = rng.randint(30, 120)
        x, y = rng.randint(0, SIDE), rng.randint(0, 560)
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_mix(colour, (255, 255, 255), 0.72))
    _icon(title, category)(pen, (210, 90, 590, 470), colour)
    _label(pen, title)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def _mix(a: RGB, b: RGB, share_of_b: float) -> RGB:
    return tuple(round(x + (y - x) * share_of_b) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _background(pen: ImageDraw.ImageDraw, colour: RGB) -> None:
    top, bottom = _mix(colour, (255, 255, 255), 0.86), _mix(colour, (255, 255, 255), 0.6)
    for y in range(0, SIDE, 4):
        pen.rectangle((0, y, SIDE, y + 4), fill=_mix(top, bottom, y / SIDE))


def _ink(colour: RGB) -> RGB:
    """The drawing's own colour: the product's, deepened a little when it is pale, so it stands out."""
    light = sum(colour) / 3
    return _mix(colour, (40, 40, 48), 0.35) if light > 200 else colour


def _outline(colour: RGB) -> RGB:
    return _mix(_ink(colour), (20, 20, 24), 0.45)


# --- the drawings: each fills the box (left, top, right, bottom) -----------------------------------------------


def _shoe(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    ink, line = _ink(colour), _outline(colour)
    pen.polygon(
        [(left + 20, bottom - 150), (left + 150, bottom - 260), (left + 210, bottom - 200), (right - 30, bottom - 110),
         (right, bottom - 60), (right - 10, bottom - 30), (left + 10, bottom - 30)],
        fill=ink, outline=line, width=6,
    )  # fmt: skip
    pen.rectangle((left + 10, bottom - 40, right - 5, bottom - 14), fill=(250, 250, 250), outline=line, width=4)
    for stud in range(6):
        x = left + 40 + stud * 55
        pen.rectangle((x, bottom - 14, x + 18, bottom + 4), fill=line)
    for lace in range(3):
        x = left + 150 + lace * 30
        pen.line((x, bottom - 230 + lace * 24, x + 40, bottom - 200 + lace * 24), fill=(250, 250, 250), width=6)


def _shirt(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    mid = (left + right) // 2
    pen.polygon(
        [(mid - 70, top), (left, top + 60), (left + 40, top + 150), (left + 80, top + 130), (left + 80, bottom),
         (right - 80, bottom), (right - 80, top + 130), (right - 40, top + 150), (right, top + 60), (mid + 70, top)],
        fill=_ink(colour), outline=_outline(colour), width=6,
    )  # fmt: skip
    pen.arc((mid - 70, top - 50, mid + 70, top + 50), 0, 180, fill=_outline(colour), width=6)


def _ball(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    cx, cy, r = (left + right) // 2, (top + bottom) // 2, min(right - left, bottom - top) // 2 - 10
    patch = _outline(colour) if sum(colour) / 3 > 200 else _ink(colour)
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(250, 250, 250))
    pen.regular_polygon((cx, cy, r // 3), 5, rotation=0, fill=patch)
    for k in range(5):
        angle = math.radians(90 + 72 * k)
        x, y = cx + 0.78 * r * math.cos(angle), cy - 0.78 * r * math.sin(angle)
        pen.line((cx + r / 3 * math.cos(angle) * 0.9, cy - r / 3 * math.sin(angle) * 0.9, x, y), fill=patch, width=6)
        pen.regular_polygon((x, y, r // 5), 5, rotation=36, fill=patch)
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), outline=_outline(colour), width=8)


def _bottle(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    mid = (left + right) // 2
    pen.rounded_rectangle(
        (mid - 110, top + 120, mid + 110, bottom), 40, fill=_ink(colour), outline=_outline(colour), width=6
    )
    pen.rectangle((mid - 30, top + 60, mid + 30, top + 124), fill=_outline(colour))
    pen.rounded_rectangle(
        (mid - 55, top, mid + 55, top + 66), 12, fill=(212, 176, 82), outline=_outline(colour), width=4
    )
    pen.rounded_rectangle((mid - 70, top + 200, mid + 70, top + 290), 10, fill=(250, 250, 250))


def _lipstick(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    mid = (left + right) // 2
    pen.polygon([(mid - 45, top + 150), (mid - 45, top + 40), (mid + 45, top)], fill=_ink(colour))
    pen.rectangle((mid - 60, top + 150, mid + 60, top + 220), fill=(212, 176, 82), outline=_outline(colour), width=4)
    pen.rounded_rectangle((mid - 70, top + 220, mid + 70, bottom), 14, fill=(40, 40, 46))


def _palette(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    pen.rounded_rectangle((left, top + 40, right, bottom - 40), 30, fill=(44, 40, 44))
    for row in range(2):
        for col in range(3):
            x, y = left + 40 + col * 110, top + 80 + row * 130
            shade = _mix(_ink(colour), (255, 255, 255), 0.15 * (row * 3 + col) / 2)
            pen.ellipse((x, y, x + 90, y + 90), fill=shade)


def _fruit(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    for dx, dy, r in ((-80, 40, 120), (90, 60, 110), (0, -40, 130)):
        cx, cy = (left + right) // 2 + dx, (top + bottom) // 2 + dy
        pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_ink(colour), outline=_outline(colour), width=5)
        pen.ellipse((cx - r // 2, cy - r // 2, cx - r // 5, cy - r // 5), fill=_mix(_ink(colour), (255, 255, 255), 0.5))
    mid = (left + right) // 2
    pen.ellipse((mid + 10, top - 10, mid + 110, top + 50), fill=(70, 150, 70))


def _appliance(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    pen.rounded_rectangle(
        (left + 20, top + 30, right - 20, bottom), 40, fill=_ink(colour), outline=_outline(colour), width=6
    )
    pen.rounded_rectangle((left + 70, top + 80, right - 70, top + 200), 16, fill=(44, 52, 64))
    pen.text((left + 100, top + 115), "88:88", fill=(120, 230, 200), font=_font(48) or None)
    for knob in range(3):
        x = left + 90 + knob * 80
        pen.ellipse((x, bottom - 110, x + 50, bottom - 60), fill=(250, 250, 250), outline=_outline(colour), width=4)


def _bear(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    cx, cy = (left + right) // 2, (top + bottom) // 2 + 20
    fur, line = _ink(colour), _outline(colour)
    for ex in (-110, 110):
        pen.ellipse((cx + ex - 55, cy - 190, cx + ex + 55, cy - 80), fill=fur, outline=line, width=5)
    pen.ellipse((cx - 160, cy - 150, cx + 160, cy + 160), fill=fur, outline=line, width=6)
    pen.ellipse((cx - 70, cy + 10, cx + 70, cy + 110), fill=_mix(fur, (255, 255, 255), 0.6))
    for ex in (-60, 60):
        pen.ellipse((cx + ex - 14, cy - 50, cx + ex + 14, cy - 22), fill=(30, 30, 34))
    pen.ellipse((cx - 20, cy + 30, cx + 20, cy + 58), fill=(30, 30, 34))


def _blocks(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    tones = (_ink(colour), (238, 190, 50), (70, 140, 220), (90, 180, 100))
    for i, (x, y) in enumerate(((0, 200), (130, 200), (260, 200), (65, 70), (195, 70), (130, -60))):
        pen.rounded_rectangle(
            (left + x, top + y + 60, left + x + 120, top + y + 180),
            12,
            fill=tones[i % 4],
            outline=_outline(colour),
            width=4,
        )


def _bag(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    pen.arc((left + 110, top, right - 110, top + 200), 180, 360, fill=_outline(colour), width=16)
    pen.rounded_rectangle(
        (left + 20, top + 100, right - 20, bottom), 36, fill=_ink(colour), outline=_outline(colour), width=6
    )
    pen.rectangle(((left + right) // 2 - 30, top + 170, (left + right) // 2 + 30, top + 210), fill=(212, 176, 82))


def _cup(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    pen.ellipse((right - 130, top + 140, right - 10, top + 260), outline=_outline(colour), width=18)
    pen.chord(
        (left + 40, top + 20, right - 80, bottom + 40), 0, 180, fill=(250, 250, 250), outline=_outline(colour), width=6
    )
    pen.rectangle((left + 40, top + 170, right - 80, top + 200), fill=(250, 250, 250))
    pen.ellipse((left + 60, top + 150, right - 100, top + 210), fill=_ink(colour))
    pen.rounded_rectangle((left, bottom - 10, right - 40, bottom + 20), 12, fill=_outline(colour))


def _box(pen: ImageDraw.ImageDraw, box: Box, colour: RGB) -> None:
    left, top, right, bottom = box
    pen.polygon(
        [(left + 40, top + 110), (right - 40, top + 110), (right, top + 40), (left + 80, top + 40)],
        fill=_mix(_ink(colour), (255, 255, 255), 0.3),
    )
    pen.rectangle((left + 40, top + 110, right - 40, bottom), fill=_ink(colour), outline=_outline(colour), width=6)
    pen.rounded_rectangle((left + 110, top + 180, right - 110, top + 280), 50, fill=(250, 250, 250))


# What a product of each category looks like; within a mixed category a word of the title picks another drawing.
DRAWINGS_BY_CATEGORY: dict[str, Callable[..., None]] = {
    "football": _ball, "outdoor": _bag, "fragrance": _bottle, "makeup": _lipstick, "skincare": _bottle,
    "fruit": _fruit, "kitchen-appliances": _appliance, "home-appliances": _appliance, "care-appliances": _appliance,
    "plush-toys": _bear, "educational-toys": _blocks, "baby-care": _bottle, "tea": _cup, "snacks": _box,
    "specialty-food": _box, "womenswear": _shirt, "menswear": _shirt, "shoes": _shoe, "bags": _bag,
}  # fmt: skip
DRAWINGS_BY_WORD: dict[str, tuple[tuple[str, Callable[..., None]], ...]] = {
    "football": (("鞋", _shoe), ("服", _shirt), ("衣", _shirt), ("袜", _shirt)),
    "outdoor": (("衣", _shirt), ("帐篷", _box)),
    "makeup": (("眼影", _palette), ("气垫", _palette), ("粉", _palette)),
    "baby-care": (("裤", _box), ("巾", _box)),
    "womenswear": (("包", _bag),),
}


def _icon(title: str, category: str) -> Callable[..., None]:
    found = next((drawing for word, drawing in DRAWINGS_BY_WORD.get(category, ()) if word in title), None)
    return found or DRAWINGS_BY_CATEGORY.get(category, _box)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | None:
    path = next((p for p in FONT_PATHS if p.exists()), None)
    return ImageFont.truetype(str(path), size) if path is not None else None


def _width(text: str, size: int) -> float:
    """A line's width, estimated: a CJK character is as wide as the font is tall, Latin about half (measuring
    each character with the font would cost more than drawing the picture)."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.56 for char in text)


def _label(pen: ImageDraw.ImageDraw, title: str) -> None:
    """The name on a white band, in at most two lines; a plain band where no CJK font is installed."""
    pen.rounded_rectangle((40, 560, SIDE - 40, 760), 28, fill=(255, 255, 255))
    size = 44
    font = _font(size)
    if font is None:
        return
    lines, line = [], ""
    for char in title:
        if _width(line + char, size) > SIDE - 140:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], lines[1][:-1] + "…"]
    for i, text in enumerate(lines):
        pen.text((70, 590 + i * 66), text, fill=(31, 35, 40), font=font)


EVIDENCE_SIZE = (640, 480)
FLAWS = ("scratch", "rotten", "crushed")


def draw_evidence(title: str, *, category: str, colour: RGB, seed: int, flaw: str) -> bytes:
    """A buyer's phone photo of what went wrong: the product on a table, with the flaw a person would point at
    (a circled scratch, brown rot spots, a crushed parcel corner), so a case page shows evidence that looks
    like evidence. 640 x 480, a JPEG as a phone sends it; the upload checks and re-encodes it."""
    rng = random.Random(seed)
    width, height = EVIDENCE_SIZE
    image = Image.new("RGB", EVIDENCE_SIZE, _mix(colour, (120, 96, 72), 0.7))
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, height * 2 // 3, width, height), fill=_mix(colour, (90, 70, 52), 0.8))  # the table's edge
    box = (150, 70, 490, 410)
    _icon(title, category)(pen, box, colour)
    if flaw == "rotten":
        for _ in range(rng.randint(5, 9)):
            r = rng.randint(12, 34)
            x, y = rng.randint(box[0] + 40, box[2] - 40), rng.randint(box[1] + 40, box[3] - 40)
            pen.ellipse((x - r, y - r, x + r, y + r), fill=(92, 64, 30))
    elif flaw == "crushed":
        pen.polygon([(box[2] - 120, box[1]), (box[2] + 30, box[1] - 20), (box[2], box[1] + 130)], fill=(150, 120, 80))
    x, y = rng.randint(box[0] + 60, box[2] - 60), rng.randint(box[1] + 60, box[3] - 60)
    pen.line([(x - 50, y - 20), (x - 10, y + 5), (x + 45, y - 15)], fill=(60, 60, 60), width=5)  # the crack
    pen.ellipse((x - 80, y - 70, x + 80, y + 70), outline=(230, 30, 30), width=8)  # the buyer's red circle
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
