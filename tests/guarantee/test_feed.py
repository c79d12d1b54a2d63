"""The feed parser: good rows in fen and UTC, each bad row with its line and reason, CSV and JSON lines."""

import io
import json
from datetime import UTC, datetime

import pytest

from anxin.guarantee import feed

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
HEADER = "platform,url,title,brand,model,spec,price,shipping,price_type,captured_at"
GOOD = "jd,https://item.jd.com/100.html,小米手环 9,小米,M9,黑色,199.00,0,regular,2026-12-04T10:00:00+08:00"


def rows(text: str, name: str = "feed.csv") -> list:
    return list(feed.read_feed(io.StringIO(text), name, NOW))


def csv_with(**changes: str) -> str:
    values = dict(zip(HEADER.split(","), GOOD.split(","), strict=True)) | changes
    return HEADER + "\n" + ",".join(values.values()) + "\n"


def json_row(**changes: object) -> str:
    values = dict(zip(HEADER.split(","), GOOD.split(","), strict=True)) | changes
    return json.dumps(values, ensure_ascii=False)


def test_a_good_csv_row_is_read_in_fen_utc_and_with_its_url_key():
    (row,) = rows(f"{HEADER}\n{GOOD}\n")
    assert row == feed.OfferRow(
        line=2,
        platform="jd",
        url_key="item.jd.com/100.html",
        title="小米手环 9",
        brand="小米",
        model="M9",
        spec="黑色",
        price_fen=19900,
        shipping_fen=0,
        price_type="regular",
        captured_at=datetime(2026, 12, 4, 2, 0, tzinfo=UTC),
    )


def test_a_utf8_bom_and_crlf_line_endings_are_accepted():
    (row,) = rows(f"\ufeff{HEADER}\r\n{GOOD}\r\n")
    assert isinstance(row, feed.OfferRow) and row.captured_at.tzinfo is UTC


def test_shipping_is_optional_and_defaults_to_zero():
    text = "platform,url,title,price,price_type,captured_at\njd,https://jd.com/1,T,9.9,regular,2026-12-01T00:00:00Z\n"
    (row,) = rows(text)
    assert (row.price_fen, row.shipping_fen, row.brand) == (990, 0, "")


def test_json_lines_are_detected_by_the_first_character_and_read_with_exact_decimals():
    (row,) = rows(json_row(price=0.29, shipping="5") + "\n", name="upload")
    assert (row.price_fen, row.shipping_fen) == (29, 500)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"platform": "amazon"}, "unknown_platform"),
        ({"url": "http://item.jd.com/1.html"}, "listing_url_not_https"),
        ({"url": "https://evil.example/1.html"}, "listing_not_on_platform"),
        ({"url": ""}, "listing_url_length"),
        ({"title": ""}, "title_missing"),
        ({"title": "长" * 301}, "field_too_long"),
        ({"brand": "a\u200bb"}, "field_control_characters"),
        ({"price": ""}, "price_missing"),
        ({"price": "0"}, "price_not_positive"),
        ({"price": "-3.00"}, "price_not_positive"),
        ({"price": "1.999"}, "price_decimals"),
        ({"price": "12元"}, "price_not_number"),
        ({"price": "1e3"}, "price_not_number"),
        ({"price": "1000000.01"}, "price_too_high"),
        ({"shipping": "-1"}, "shipping_negative"),
        ({"shipping": "abc"}, "shipping_not_number"),
        ({"price_type": "coupon"}, "unknown_price_type"),
        ({"captured_at": ""}, "captured_at_missing"),
        ({"captured_at": "yesterday"}, "captured_at_invalid"),
        ({"captured_at": "2026-12-04T10:00:00"}, "captured_at_no_offset"),
        ({"captured_at": "2026-12-04T12:00:01Z"}, "captured_at_future"),
    ],
)
def test_each_bad_field_skips_the_row_with_its_line_and_reason(changes, code):
    (bad,) = rows(csv_with(**changes))
    assert isinstance(bad, feed.BadRow)
    assert (bad.line, bad.code) == (2, code)
    assert str(bad.reason)  # a sentence for a person


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"price": True}, "price_missing"), ({"title": 12}, "field_not_text"), ({"price": 1.005}, "price_decimals")],
)
def test_json_values_of_the_wrong_kind_are_bad_rows(changes, code):
    (bad,) = rows(json_row(**changes) + "\n", name="feed.jsonl")
    assert bad.code == code


def test_bad_rows_are_skipped_and_good_rows_around_them_kept():
    text = f'{HEADER}\n{GOOD}\njd,"unclosed\n{GOOD.replace("199.00", "0")}\njd,too,few\n\n{GOOD}\n'
    found = rows(text)
    assert [(type(r).__name__, r.line) for r in found] == [
        ("OfferRow", 2),
        ("BadRow", 3),
        ("BadRow", 4),
        ("BadRow", 5),
        ("OfferRow", 7),
    ]
    assert [r.code for r in found if isinstance(r, feed.BadRow)] == ["csv_syntax", "price_not_positive", "csv_columns"]


def test_json_lines_report_syntax_and_non_objects_by_line():
    text = json_row() + "\n{not json\n[1, 2]\n" + json_row() + "\n"
    found = rows(text, name="feed.jsonl")
    assert [getattr(r, "code", "ok") for r in found] == ["ok", "json_syntax", "json_not_object", "ok"]
    assert [r.line for r in found] == [1, 2, 3, 4]


def test_a_huge_line_is_one_bad_row_and_the_next_line_is_still_read():
    text = f"{HEADER}\n{'x' * (feed.LINE_MAX * 3)}\n{GOOD}\n"
    found = rows(text)
    assert [(getattr(r, "code", "ok"), r.line) for r in found] == [("line_too_long", 2), ("ok", 3)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "feed_empty"),
        ("\n\n  \n", "feed_empty"),
        ("platform,url,title\njd,https://jd.com/1,T\n", "feed_missing_columns"),
        ('platform,"url\n', "feed_header_invalid"),
    ],
)
def test_a_file_that_is_not_a_feed_is_unreadable_as_a_whole(text, code):
    with pytest.raises(feed.FeedUnreadable) as raised:
        rows(text)
    assert raised.value.reason.code == code


def test_reading_is_lazy_so_a_large_file_streams():
    stream = io.StringIO(HEADER + "\n" + (GOOD + "\n") * 1000)
    reader = feed.read_feed(stream, "feed.csv", NOW)
    next(reader)
    assert stream.tell() < len(stream.getvalue()) // 10


def test_a_visible_wide_space_in_a_title_is_kept():
    (row,) = rows(csv_with(title="小米\u3000手环"))
    assert row.title == "小米\u3000手环"
