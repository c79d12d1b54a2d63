"""Pure policy shared by every domain: no Django, no database, no clock.

Rules speak to people, yet must not import Django's gettext (that would tie them to settings and the active
language). So a rule returns a `Message`: the Chinese source sentence, the values to put into it and a
machine code, and the edge (`core.errors.AnxinError`, `core.errors.translate`) translates it when it answers.
Rules build messages with `_ = message`, the name `makemessages` already extracts, so the msgids stay in
`locale/en/LC_MESSAGES/django.po` with their English.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = {"\n", "\r", "\t"}


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True if `text` holds a character a person cannot see; line breaks and tabs count unless `multiline`."""
    allowed = _LINE_BREAKS if multiline else set()
    return any(ch not in allowed and unicodedata.category(ch) in _INVISIBLE for ch in text)


@dataclass(frozen=True)
class Message:
    """A sentence for a person, untranslated: `msgid` is the gettext source string, `params` fill its `%(name)s`."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)
    code: str = ""

    def interpolate(self, template: str) -> str:
        """`template` (the msgid or its translation) with the params put in; a msgid without params is used as is."""
        return template % dict(self.params) if self.params else template

    def __str__(self) -> str:
        """The Chinese source sentence, for logs and exceptions; people get `core.errors.translate`."""
        return self.interpolate(self.msgid)


def message(msgid: str, /, *, code: str = "", **params: object) -> Message:
    """Mark `msgid` for translation without translating it; rules import this as `_`."""
    return Message(msgid, params, code)


def whole_number_problem(value: object, low: int, high: int) -> Message | None:
    """Why `value` cannot be one of the rules' numbers, or None: a whole number from `low` to `high`.
    A bool is not a number here (`True` would silently count as 1)."""
    _ = message
    if isinstance(value, bool) or not isinstance(value, int):
        return _("须为整数。", code="not_integer")
    if not low <= value <= high:
        return _("须在 %(low)s 到 %(high)s 之间。", code="out_of_range", low=f"{low:,}", high=f"{high:,}")
    return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A text cell for a CSV a person opens in Excel or WPS: one starting like a formula is prefixed with an
    apostrophe, so a buyer's name such as `=HYPERLINK(...)` stays text (CSV injection). Numbers we write
    ourselves (amounts) are not passed through here."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- uploaded images (product photos; after-sales evidence and price-claim screenshots reuse them) -----------

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class ImagePolicy:
    """What an uploaded picture may be. Pixels are bounded apart from the sides because a small file can claim a
    huge canvas (a decompression bomb) and decoding it would take the process's memory."""

    max_bytes: int = 5 * MEGABYTE
    min_side: int = 200
    max_side: int = 8000
    max_pixels: int = 40_000_000
    formats: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP"})


PHOTO_POLICY = ImagePolicy()

# The magic numbers at the head of each accepted file type: the type is judged by content, never by the name.
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
)


def sniff_image_type(head: bytes) -> str | None:
    """The file type the first bytes announce (JPEG, PNG, WEBP, GIF, BMP), or None for anything else."""
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


def image_size_problem(size_bytes: int, policy: ImagePolicy = PHOTO_POLICY) -> Message | None:
    _ = message
    if size_bytes <= 0:
        return _("图片文件是空的。", code="image_unreadable")
    if size_bytes > policy.max_bytes:
        return _("图片不能超过 %(mb)s MB。", code="image_too_big", mb=policy.max_bytes // MEGABYTE)
    return None


def image_type_problem(kind: str, policy: ImagePolicy = PHOTO_POLICY) -> Message | None:
    _ = message
    if kind not in policy.formats:
        return _("只支持 JPEG、PNG 或 WebP 格式的图片。", code="image_type")
    return None


def image_dimensions_problem(width: int, height: int, policy: ImagePolicy = PHOTO_POLICY) -> Message | None:
    _ = message
    if min(width, height) < policy.min_side:
        return _("图片太小：宽和高至少 %(side)s 像素。", code="image_too_small", side=policy.min_side)
    if max(width, height) > policy.max_side or width * height > policy.max_pixels:
        return _(
            "图片太大：宽和高不能超过 %(side)s 像素，总像素不超过 %(mp)s 百万。",
            code="image_too_large",
            side=policy.max_side,
            mp=policy.max_pixels // 1_000_000,
        )
    return None


def image_count_problem(existing: int, limit: int) -> Message | None:
    """Adding one more to `existing` images where at most `limit` are allowed."""
    _ = message
    if existing >= limit:
        return _("最多上传 %(limit)s 张图片。", code="too_many_images", limit=limit)
    return None
