"""Importing the price feed (RULES §6: the competitor offers a claim is checked against).

`import_offers` reads a feed in batches of `BATCH_ROWS`: per batch one upsert of the offers (keyed by platform and
URL; a row replaces an offer's fields only when it was captured later than what the offer holds, so files may come
in any order), one look-up of their ids, one insert of the captures that ignores a capture already stored (so
importing the same file again changes nothing), and one update of the `FeedImport`'s counters, so the upload page
shows progress while it runs. No query per row: 100,000 rows import in seconds on PostgreSQL.

Ops upload a file (`start_upload`): it is stored through Django's storage and the worker imports it
(`run_stored_import`, the handler of `IMPORT_FEED`, watched by `WATCH_IMPORT`); `anxin guarantee import-offers
FILE` imports at once.
"""

import io
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import IO

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from anxin.core import clock, deadlines, events
from anxin.core.errors import AnxinError
from anxin.core.permissions import require_role
from anxin.guarantee import feed
from anxin.guarantee.models import FeedImport, Offer, OfferCapture

IMPORT_FEED = "guarantee.import_feed"
WATCH_IMPORT = "guarantee.watch_feed_import"
STALLED_AFTER = timedelta(minutes=15)  # 100,000 rows take well under a minute
BATCH_ROWS = 2000
SQL_ROWS = 500  # rows per INSERT statement: SQLite allows at most 32,766 parameters in one
ERRORS_KEPT = 200
UPLOAD_MAX_BYTES = 50 * 1024 * 1024  # the multipart limit of every upload (core.middleware); 100,000 rows are ~20 MB
UPLOAD_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json", ".txt")
_OFFER_FIELDS = ("platform", "url", "title", "brand", "model", "spec", "price_fen", "shipping_fen", "price_type")
_OFFER_COLUMNS = (*_OFFER_FIELDS, "captured_at")

Progress = Callable[[FeedImport], None]


def new_import(file_name: str, *, by=None) -> FeedImport:
    return FeedImport.objects.create(file_name=file_name[:200], created_by=by, created_at=clock.now())


def import_offers(stream: IO[bytes], feed_import: FeedImport, progress: Progress | None = None) -> FeedImport:
    """Import the feed `stream` (bytes) into offers and captures, counting into `feed_import` after each batch.
    A file that cannot be read at all leaves the import `failed` with the reason in `failure`."""
    FeedImport.objects.filter(pk=feed_import.pk).update(state=FeedImport.State.RUNNING, started_at=clock.now())
    feed_import.state = FeedImport.State.RUNNING
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    rows = feed.read_feed(text, feed_import.file_name, clock.now())
    try:
        for batch in _batches(rows):
            with transaction.atomic():
                _import_batch(batch, feed_import)
            if progress is not None:
                progress(feed_import)
    except feed.FeedUnreadable as unreadable:
        return _finish(feed_import, FeedImport.State.FAILED, failure=str(unreadable.reason))
    return _finish(feed_import, FeedImport.State.DONE)


def _batches(rows: Iterator[feed.OfferRow | feed.BadRow]) -> Iterator[list[feed.OfferRow | feed.BadRow]]:
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch


def _import_batch(batch: list[feed.OfferRow | feed.BadRow], feed_import: FeedImport) -> None:
    good = [row for row in batch if isinstance(row, feed.OfferRow)]
    bad = [row for row in batch if isinstance(row, feed.BadRow)]
    _store(good, feed_import)
    room = ERRORS_KEPT - len(feed_import.errors)
    feed_import.errors = feed_import.errors + [_error_of(row) for row in bad[: max(room, 0)]]
    feed_import.rows_done += len(batch)
    feed_import.rows_good += len(good)
    feed_import.rows_bad += len(bad)
    FeedImport.objects.filter(pk=feed_import.pk).update(
        rows_done=feed_import.rows_done,
        rows_good=feed_import.rows_good,
        rows_bad=feed_import.rows_bad,
        errors=feed_import.errors,
    )


def _error_of(row: feed.BadRow) -> dict:
    """A bad row as `FeedImport.errors` keeps it: the message untranslated, so each page shows it in its language."""
    return {"line": row.line, "code": row.code, "msgid": row.reason.msgid, "params": dict(row.reason.params)}


def _store(rows: list[feed.OfferRow], feed_import: FeedImport) -> None:
    if not rows:
        return
    latest: dict[tuple[str, str], feed.OfferRow] = {}
    for row in rows:
        key = (row.platform, row.url_key)
        if key not in latest or row.captured_at > latest[key].captured_at:
            latest[key] = row
    _upsert_offers(list(latest.values()))
    ids = _offer_ids(latest)
    captures = {
        (ids[(row.platform, row.url_key)], row.captured_at): OfferCapture(
            offer_id=ids[(row.platform, row.url_key)],
            price_fen=row.price_fen,
            shipping_fen=row.shipping_fen,
            price_type=row.price_type,
            captured_at=row.captured_at,
            feed_import_id=feed_import.pk,
        )
        for row in rows
    }
    OfferCapture.objects.bulk_create(list(captures.values()), ignore_conflicts=True)


def _upsert_offers(rows: list[feed.OfferRow]) -> None:
    """One INSERT ... ON CONFLICT per `SQL_ROWS` rows (the same statement on PostgreSQL and SQLite): a new
    listing is inserted, a known one takes the row's fields only if the row was captured after its own."""
    table = connection.ops.quote_name(Offer._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _OFFER_COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in map(connection.ops.quote_name, _OFFER_COLUMNS))
    placeholder = "(" + ", ".join(["%s"] * len(_OFFER_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), SQL_ROWS):
            chunk = rows[start : start + SQL_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT (platform, url) DO UPDATE SET {updates} "
                f"WHERE {table}.captured_at < excluded.captured_at",
                [value for row in chunk for value in _offer_values(row)],
            )


def _offer_values(row: feed.OfferRow) -> tuple:
    return (
        row.platform,
        row.url_key,
        row.title,
        row.brand,
        row.model,
        row.spec,
        row.price_fen,
        row.shipping_fen,
        row.price_type,
        connection.ops.adapt_datetimefield_value(row.captured_at),
    )


def _offer_ids(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = set(keys)
    found = Offer.objects.filter(url__in={url for _platform, url in wanted}).values_list("platform", "url", "pk")
    return {(platform, url): pk for platform, url, pk in found if (platform, url) in wanted}


def _finish(feed_import: FeedImport, state: str, *, failure: str = "") -> FeedImport:
    feed_import.state, feed_import.failure, feed_import.finished_at = state, failure, clock.now()
    feed_import.rows_total = feed_import.rows_done
    FeedImport.objects.filter(pk=feed_import.pk).update(
        state=state, failure=failure, finished_at=feed_import.finished_at, rows_total=feed_import.rows_total
    )
    deadlines.cancel(WATCH_IMPORT, feed_import.pk)
    events.record(
        "guarantee.feed_imported",
        feed_import,
        {"state": state, "rows_good": feed_import.rows_good, "rows_bad": feed_import.rows_bad},
    )
    return feed_import


def start_upload(ops, upload: UploadedFile | None) -> FeedImport:
    """Ops upload a feed: kept in storage, imported by the worker as soon as it runs (`run_stored_import`)."""
    require_role(ops, "ops")
    if upload is None:
        raise AnxinError(_("请选择要上传的文件。"), code="feed_file_missing", fields={"file": _("必填")})
    name = (upload.name or "").rsplit("/", 1)[-1]
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise AnxinError(_("请上传 .csv 或 .jsonl 文件。"), code="feed_file_type")
    if not upload.size:
        raise AnxinError(_("文件是空的。"), code="feed_empty")
    if upload.size > UPLOAD_MAX_BYTES:
        raise AnxinError(_("文件不能超过 50 MB。"), code="feed_too_large")
    with transaction.atomic():
        feed_import = new_import(name, by=ops)
        # A name no one can guess: the media storage may be served publicly.
        stored_name = f"guarantee/feeds/{feed_import.pk}-{secrets.token_hex(16)}{_suffix(name)}"
        feed_import.stored_as = default_storage.save(stored_name, upload)
        feed_import.save(update_fields=["stored_as"])
        deadlines.schedule_new(IMPORT_FEED, feed_import.pk, clock.now())
        events.record("guarantee.feed_uploaded", feed_import, {"file_name": name}, actor=ops)
    return feed_import


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower()


def run_stored_import(feed_import_id: int) -> None:
    """The worker's handler of `IMPORT_FEED`. A handler runs inside the worker's transaction, where no other
    connection would see the import's progress until the very end, so the import itself starts once that
    transaction has committed (`_import_stored`), committing batch by batch. A watch deadline
    (`WATCH_IMPORT`) restarts an import that a dying worker left queued or running."""
    feed_import = FeedImport.objects.filter(pk=feed_import_id).first()
    if feed_import is None or _finished(feed_import):
        return
    deadlines.schedule(WATCH_IMPORT, feed_import_id, clock.now() + STALLED_AFTER)
    transaction.on_commit(lambda: _import_stored(feed_import_id))


def _finished(feed_import: FeedImport) -> bool:
    return feed_import.state in (FeedImport.State.DONE, FeedImport.State.FAILED)


def _import_stored(feed_import_id: int) -> None:
    claimed = FeedImport.objects.filter(pk=feed_import_id, state=FeedImport.State.QUEUED).update(
        state=FeedImport.State.RUNNING, started_at=clock.now()
    )
    if not claimed:  # another worker has it, or it is over
        return
    feed_import = FeedImport.objects.get(pk=feed_import_id)
    try:
        stream = default_storage.open(feed_import.stored_as, "rb")
    except OSError:
        _finish(feed_import, FeedImport.State.FAILED, failure=_("上传的文件已不在存储中。"))
        return
    with stream:
        import_offers(stream, feed_import)


def watch_import(feed_import_id: int) -> None:
    """The handler of `WATCH_IMPORT`: an upload still queued, or running since `STALLED_AFTER`, lost its worker;
    it starts again from the first row (importing rows twice changes nothing)."""
    feed_import = FeedImport.objects.filter(pk=feed_import_id).first()
    if feed_import is None or _finished(feed_import):
        return
    running = feed_import.state == FeedImport.State.RUNNING
    if running and feed_import.started_at and feed_import.started_at > clock.now() - STALLED_AFTER:
        deadlines.schedule(WATCH_IMPORT, feed_import_id, feed_import.started_at + STALLED_AFTER)
        return
    FeedImport.objects.filter(pk=feed_import_id).update(
        state=FeedImport.State.QUEUED, rows_done=0, rows_good=0, rows_bad=0, errors=[], started_at=None
    )
    deadlines.schedule(IMPORT_FEED, feed_import_id, clock.now())
