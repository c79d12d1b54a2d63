"""Feed files for the import tests: rows in the feed's CSV format."""

from datetime import datetime

HEADER = "platform,url,title,brand,model,spec,price,shipping,price_type,captured_at"


def feed_row(
    url: str = "https://item.jd.com/1.html", price: str = "99.00", at: str = "2026-12-01T10:00:00+08:00"
) -> str:
    return f"jd,{url},小米手环 9,小米,M9,黑色,{price},0,regular,{at}"


def feed_csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def iso(moment: datetime) -> str:
    return moment.isoformat()
