"""The price feed for ops: imports with their progress and bad rows, and the offers with their history."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anxin.core.errors import NotFound
from anxin.core.rules import Message
from anxin.guarantee.models import FeedImport, Offer, OfferCapture
from anxin.guarantee.platforms import url_key

RECENT_IMPORTS = 20
OFFERS_SHOWN = 50


def feed_import(feed_import_id: int) -> FeedImport:
    found = FeedImport.objects.filter(pk=feed_import_id).first()
    if found is None:
        raise NotFound(_("找不到这次导入。"))
    return found


def recent_imports() -> QuerySet[FeedImport]:
    return FeedImport.objects.order_by("-created_at", "-pk")[:RECENT_IMPORTS]


def bad_rows(feed_import: FeedImport) -> list[tuple[int, Message]]:
    """(line, reason) of the bad rows kept, for a page or an answer to translate."""
    return [
        (error["line"], Message(error["msgid"], error.get("params") or {}, error["code"]))
        for error in feed_import.errors
    ]


def offers(platform: str = "", url: str = "") -> QuerySet[Offer]:
    """Offers of `platform` (any if empty) whose key is `url`'s (any if empty), the latest captured first."""
    found = Offer.objects.order_by("-captured_at", "-pk")
    if platform:
        found = found.filter(platform=platform)
    if url:
        found = found.filter(url=url_key(url))
    return found[:OFFERS_SHOWN]


def captures(offer: Offer) -> QuerySet[OfferCapture]:
    return offer.captures.order_by("-captured_at", "-pk")
