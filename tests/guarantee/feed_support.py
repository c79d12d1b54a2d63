"""Feed files for the import tests: rows in the feed's CSV format."""

from datetime import datetime

from anxin.core import deadlines

HEADER = "platform,url,title,brand,model,spec,price,shipping,price_type,captured_at"


def feed_row(
    url: str = "https://item.jd.com/1.html", price: str = "99.00", at: str = "2026-12-01T10:00:00+08:00"
) -> str:
    return f"jd,{url},小米手环 9,小米,M9,黑色,{price},0,regular,{at}"


def feed_csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def iso(moment: datetime) -> str:
    return moment.isoformat()


def run_worker(capture_on_commit) -> None:
    """The worker's pass over due deadlines, and what its handlers left to run once it committed (the upload's
    import): pytest-django's `django_capture_on_commit_callbacks` as `capture_on_commit`."""
    with capture_on_commit(execute=True):
        deadlines.run_due()
