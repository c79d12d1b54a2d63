"""The price feed's file format (CSV with a header row, or JSON lines): each row checked into an `OfferRow` with
its money in fen, or a `BadRow` naming its line and why it was skipped (RULES §6: the feed is the evidence a
claim is decided on, so a row that is not clearly right is left out, never guessed).

Pure (no Django, no clock: `now` is passed in) and streaming: `read_feed` is a generator reading one physical
line at a time, each bounded to `LINE_MAX` characters, so a 100,000-row file never sits in memory whole and a
file of one enormous line cannot take the process's memory.
"""

import csv
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import IO, Any

from anxin.core.rules import Message, has_control_characters
from anxin.core.rules import message as _
from anxin.guarantee.platforms import PLATFORMS, PRICE_TYPES, listing_problem, url_key

LINE_MAX = 8192  # characters: a real row is a few hundred
PRICE_MAX_FEN = 100_000_000  # ¥1,000,000: above it a row is a typo, not a price
FEN_PER_YUAN = 100
TEXT_MAX = {"title": 300, "brand": 100, "model": 100, "spec": 300}
REQUIRED = ("platform", "url", "title", "price", "price_type", "captured_at")
COLUMNS = (*REQUIRED, "brand", "model", "spec", "shipping")
_YUAN = re.compile(r"[-+]?\d+(\.\d+)?")


@dataclass(frozen=True)
class OfferRow:
    """One good row: the listing (`url_key`, as `platforms.url_key` names it) and its capture, in fen and UTC."""

    line: int
    platform: str
    url_key: str
    title: str
    brand: str
    model: str
    spec: str
    price_fen: int
    shipping_fen: int
    price_type: str
    captured_at: datetime


@dataclass(frozen=True)
class BadRow:
    """A skipped row: its line number in the file and the reason in plain words (`reason.code` for machines)."""

    line: int
    reason: Message

    @property
    def code(self) -> str:
        return self.reason.code


class FeedUnreadable(Exception):
    """The file as a whole cannot be read as a feed (empty, not UTF-8, no usable header): nothing is imported."""

    def __init__(self, reason: Message):
        super().__init__(str(reason))
        self.reason = reason


class _RowProblem(Exception):
    def __init__(self, reason: Message):
        super().__init__(str(reason))
        self.reason = reason


def read_feed(stream: IO[str], name: str, now: datetime) -> Iterator[OfferRow | BadRow]:
    """Every row of the feed `stream` (text, already decoded; `name` picks the format by its extension, else
    the first character does), checked against `now` (no capture may be in the future)."""
    lines = _lines(stream)
    first = next(lines, None)
    while first is not None and first[1] is not None and not first[1].strip():
        first = next(lines, None)
    if first is None:
        raise FeedUnreadable(_("文件是空的。", code="feed_empty"))
    if _is_json_lines(name, first[1] or ""):
        yield from _json_rows(first, lines, now)
    else:
        yield from _csv_rows(first, lines, now)


def _is_json_lines(name: str, first_line: str) -> bool:
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return True
    if lowered.endswith(".csv"):
        return False
    return first_line.lstrip().startswith("{")


Line = tuple[int, str | None]


def _lines(stream: IO[str]) -> Iterator[Line]:
    """(line number, text) of each physical line, BOM and line ending removed; a line over `LINE_MAX` is read
    to its end in bounded pieces and yielded as None text, so it becomes a bad row without being held."""
    number = 0
    try:
        while True:
            text = stream.readline(LINE_MAX + 1)
            if not text:
                return
            number += 1
            if len(text) > LINE_MAX and not text.endswith("\n"):
                while text and not text.endswith("\n"):
                    text = stream.readline(LINE_MAX + 1)
                yield number, None
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield number, text.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise FeedUnreadable(_("文件不是 UTF-8 编码的文字，无法读取。", code="feed_not_utf8")) from exc


TOO_LONG = _("这一行超过 %(max)s 个字符。", code="line_too_long", max=f"{LINE_MAX:,}")


def _csv_rows(header_line: Line, lines: Iterator[Line], now: datetime) -> Iterator[OfferRow | BadRow]:
    header = _csv_header(header_line[1])
    for number, text in lines:
        if text is None:
            yield BadRow(number, TOO_LONG)
            continue
        if not text.strip():
            continue
        try:
            cells = next(csv.reader((text,), strict=True))
        except csv.Error:
            yield BadRow(number, _("这一行不是合法的 CSV（引号不成对？）。", code="csv_syntax"))
            continue
        if len(cells) != len(header):
            yield BadRow(
                number,
                _(
                    "这一行有 %(found)s 列，表头有 %(expected)s 列。",
                    code="csv_columns",
                    found=len(cells),
                    expected=len(header),
                ),
            )
            continue
        yield _checked(number, dict(zip(header, cells, strict=True)), now)


def _csv_header(text: str | None) -> list[str]:
    if text is None:
        raise FeedUnreadable(_("表头行过长，文件无法读取。", code="feed_header_too_long"))
    try:
        header = [cell.strip().lower() for cell in next(csv.reader((text,), strict=True))]
    except csv.Error as exc:
        raise FeedUnreadable(_("表头行不是合法的 CSV。", code="feed_header_invalid")) from exc
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise FeedUnreadable(
            _("表头缺少这些列：%(columns)s。", code="feed_missing_columns", columns=", ".join(missing))
        )
    return header


def _json_rows(first: Line, lines: Iterator[Line], now: datetime) -> Iterator[OfferRow | BadRow]:
    for number, text in _chain(first, lines):
        if text is None:
            yield BadRow(number, TOO_LONG)
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text, parse_float=Decimal)
        except ValueError:
            yield BadRow(number, _("这一行不是合法的 JSON。", code="json_syntax"))
            continue
        if not isinstance(value, dict):
            yield BadRow(number, _("每一行须是一个 JSON 对象。", code="json_not_object"))
            continue
        yield _checked(number, value, now)


def _chain(first: Line, rest: Iterator[Line]) -> Iterator[Line]:
    yield first
    yield from rest


def _checked(number: int, fields: Mapping[str, Any], now: datetime) -> OfferRow | BadRow:
    try:
        return _offer_row(number, fields, now)
    except _RowProblem as problem:
        return BadRow(number, problem.reason)


def _offer_row(number: int, fields: Mapping[str, Any], now: datetime) -> OfferRow:
    platform = _text(fields, "platform", 20)
    if platform not in PLATFORMS:
        raise _RowProblem(_("不支持的平台 “%(platform)s”。", code="unknown_platform", platform=platform[:20]))
    url = _text(fields, "url", 500)
    problem = listing_problem(platform, url)
    if problem is not None:
        raise _RowProblem(problem)
    title = _text(fields, "title", TEXT_MAX["title"])
    if not title:
        raise _RowProblem(_("缺少商品标题。", code="title_missing"))
    price_type = _text(fields, "price_type", 20)
    if price_type not in PRICE_TYPES:
        raise _RowProblem(_("不认识的价格类型 “%(type)s”。", code="unknown_price_type", type=price_type[:20]))
    return OfferRow(
        line=number,
        platform=platform,
        url_key=url_key(url),
        title=title,
        brand=_text(fields, "brand", TEXT_MAX["brand"]),
        model=_text(fields, "model", TEXT_MAX["model"]),
        spec=_text(fields, "spec", TEXT_MAX["spec"]),
        price_fen=_fen(fields.get("price"), "price", low=1),
        shipping_fen=_fen(fields.get("shipping") or 0, "shipping", low=0),
        price_type=price_type,
        captured_at=_captured_at(fields.get("captured_at"), now),
    )


def _text(fields: Mapping[str, Any], name: str, limit: int) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _RowProblem(_("“%(field)s” 须是文字。", code="field_not_text", field=name))
    text = value.strip()
    if len(text) > limit:
        raise _RowProblem(_("“%(field)s” 超过 %(max)s 个字符。", code="field_too_long", field=name, max=limit))
    # isprintable() is False for every invisible character (and for some visible spaces): the C-speed check
    # first, the exact one only for what it flags.
    if not text.isprintable() and has_control_characters(text):
        raise _RowProblem(_("“%(field)s” 含有不可见字符。", code="field_control_characters", field=name))
    return text


def _fen(value: object, name: str, *, low: int) -> int:
    """Yuan (text or a JSON number, at most 2 decimals) as fen, from `low` to `PRICE_MAX_FEN`."""
    if isinstance(value, bool) or value is None or value == "":
        raise _RowProblem(_("缺少 “%(field)s”。", code=f"{name}_missing", field=name))
    text = str(value).strip()
    if not _YUAN.fullmatch(text):
        raise _RowProblem(_("“%(field)s” 须是以元为单位的数字，如 12.30。", code=f"{name}_not_number", field=name))
    amount = Decimal(text)
    if amount != amount.quantize(Decimal("0.01")):
        raise _RowProblem(_("“%(field)s” 最多两位小数。", code=f"{name}_decimals", field=name))
    fen = int(amount * FEN_PER_YUAN)
    if fen < low:
        if low > 0:
            raise _RowProblem(_("“%(field)s” 须大于 0。", code=f"{name}_not_positive", field=name))
        raise _RowProblem(_("“%(field)s” 不能是负数。", code=f"{name}_negative", field=name))
    if fen > PRICE_MAX_FEN:
        raise _RowProblem(
            _("“%(field)s” 超过 ¥%(max)s。", code=f"{name}_too_high", field=name, max=f"{PRICE_MAX_FEN // 100:,}")
        )
    return fen


def _captured_at(value: object, now: datetime) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise _RowProblem(_("缺少采集时间 captured_at。", code="captured_at_missing"))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise _RowProblem(
            _("采集时间须是 ISO 8601 格式，如 2026-12-01T10:00:00+08:00。", code="captured_at_invalid")
        ) from exc
    if moment.tzinfo is None:
        raise _RowProblem(_("采集时间须带时区，如 +08:00。", code="captured_at_no_offset"))
    if moment > now:
        raise _RowProblem(_("采集时间在未来。", code="captured_at_future"))
    return moment.astimezone(UTC)
