"""Deadline handlers of the price guarantee."""

from anxin.core.deadlines import handler
from anxin.guarantee.services import claims, feed, protection

handler(protection.PRICE_DROPPED)(protection.protect_after_drop)  # 价保: a SKU's list price dropped
handler(claims.REVIEW_DUE)(claims.review_due)  # 买贵必赔: a claim's 48 hours of review are over
handler(feed.IMPORT_FEED)(feed.run_stored_import)  # an ops upload of the price feed
handler(feed.WATCH_IMPORT)(feed.watch_import)  # restarts an upload whose worker died
