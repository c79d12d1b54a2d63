"""The price guarantee's pages (composed under the `web` namespace by `anxin.web.urls`)."""

from django.urls import path

from anxin.guarantee.pages import claims, claims_ops, enrollment, feed, ops_figures, protection, rules_page
from anxin.orders.pages import buyer as order_pages

urlpatterns: list = [
    # 价保: the buyer order page's 申请价保 button posts to its section of that page.
    path(
        "orders/<int:order_id>/price-protection/",
        order_pages.order_section,
        {"section": protection.SECTION},
        name="order_price_protection",
    ),
    path("ops/guarantee/figures/", ops_figures.figures, name="ops_guarantee_figures"),
    # 买贵必赔: the buyer's claim form, claim page and list; the ops review queue.
    path("orders/<int:order_id>/lines/<int:order_line_id>/price-claim/", claims.claim_new, name="price_claim_new"),
    path("price-claims/", claims.claim_list, name="price_claims"),
    path("price-claims/<int:claim_id>/", claims.claim_detail, name="price_claim"),
    path("ops/price-claims/", claims_ops.queue, name="ops_price_claims"),
    path("ops/price-claims/<int:claim_id>/approve/", claims_ops.approve, name="ops_price_claim_approve"),
    path("ops/price-claims/<int:claim_id>/reject/", claims_ops.reject, name="ops_price_claim_reject"),
    # 买贵必赔: the public rules, the seller center's enrollment, ops' campaigns and the price feed.
    path("guarantee/", rules_page.guarantee_rules, name="guarantee_rules"),
    path("seller/guarantee/", enrollment.seller_skus, name="seller_guarantee"),
    path("seller/guarantee/<int:sku_id>/enroll/", enrollment.seller_enroll, name="seller_guarantee_enroll"),
    path("seller/guarantee/<int:sku_id>/unenroll/", enrollment.seller_unenroll, name="seller_guarantee_unenroll"),
    path("ops/guarantee/campaigns/", enrollment.ops_campaigns, name="ops_guarantee_campaigns"),
    path("ops/guarantee/campaigns/<int:campaign_id>/", enrollment.ops_campaign, name="ops_guarantee_campaign"),
    path(
        "ops/guarantee/campaigns/<int:campaign_id>/end/", enrollment.ops_campaign_end, name="ops_guarantee_campaign_end"
    ),
    path("ops/guarantee/feed/", feed.ops_feed, name="ops_feed"),
    path("ops/guarantee/feed/<int:feed_import_id>/", feed.ops_feed_import, name="ops_feed_import"),
    path(
        "ops/guarantee/feed/<int:feed_import_id>/progress/",
        feed.ops_feed_import_progress,
        name="ops_feed_import_progress",
    ),
]
