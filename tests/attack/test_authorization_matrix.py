"""Who may call what: every operation of the OpenAPI document and every page, as each party, with the owner's
real ids. Another party's object answers 404, a forbidden role 403 or 404, anonymous 401 (the API) or the
log-in page; never a 2xx to a non-owner, never a 5xx, and no private string of the world in anyone else's answer.

An operation or page added later without a line here fails `test_every_*_has_a_rule`, so the matrix stays
complete."""

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories as f
from tests.attack.world import OTHER_OF, PARTIES, build_world, call, fill_path, openapi_operations, row_counts

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PARTIES)
SIGNED_IN = EVERYONE - {"anonymous"}
BUYERS = frozenset({"buyer", "other_buyer"})
STAFF = frozenset({"staff", "other_staff"})
CASE_PARTIES = frozenset({"buyer", "staff", "ops"})  # the world's after-sales case: its buyer, its shop, ops

# Who may use each operation on the world's objects (the owner's ids are filled in); everyone else is refused.
API_RULES: dict[str, frozenset[str]] = {
    "GET /api/health": EVERYONE,
    "POST /api/auth/signup": EVERYONE,
    "POST /api/auth/signup/code": EVERYONE,
    "POST /api/auth/login": EVERYONE,
    "POST /api/auth/logout": SIGNED_IN,
    "GET /api/me": SIGNED_IN,
    "GET /api/addresses": SIGNED_IN,
    "POST /api/addresses": SIGNED_IN,  # everyone keeps an address book of their own, as GET shows
    "PATCH /api/addresses/{address_id}": frozenset({"buyer"}),
    "DELETE /api/addresses/{address_id}": frozenset({"buyer"}),
    "GET /api/geo/regions": EVERYONE,
    "GET /api/geo/regions/{code}": EVERYONE,
    "GET /api/categories": EVERYONE,
    "GET /api/products": EVERYONE,
    "GET /api/products/{product_id}": EVERYONE,
    "GET /api/search": EVERYONE,
    "GET /api/seller/products": STAFF,
    "POST /api/seller/products": STAFF,
    "PATCH /api/seller/products/{product_id}": frozenset({"staff"}),
    "POST /api/seller/products/{product_id}/skus": frozenset({"staff"}),
    "PATCH /api/seller/skus/{sku_id}": frozenset({"staff"}),
    "PUT /api/seller/skus/{sku_id}/stock": frozenset({"staff"}),
    "PUT /api/seller/products/{product_id}/questions": frozenset({"staff"}),
    "GET /api/seller/products/{product_id}/specs": frozenset({"staff"}),
    "PUT /api/seller/products/{product_id}/specs": frozenset({"staff"}),
    "POST /api/seller/products/{product_id}/images": frozenset({"staff"}),
    "PUT /api/seller/products/{product_id}/images": frozenset({"staff"}),
    "POST /api/seller/skus/{sku_id}/image": frozenset({"staff"}),
    "DELETE /api/seller/skus/{sku_id}/image": frozenset({"staff"}),
    "GET /api/seller/shipping-templates": STAFF,
    "POST /api/seller/shipping-templates": STAFF,
    "PUT /api/seller/shipping-templates/{template_id}": frozenset({"staff"}),
    "GET /api/seller/shipping-templates/{template_id}/preview": frozenset({"staff"}),
    "POST /api/seller/shipping-assignments": frozenset({"staff"}),
    "GET /api/cart": BUYERS,
    "POST /api/cart/lines": BUYERS,
    "PATCH /api/cart/lines/{line_id}": frozenset({"buyer"}),
    "DELETE /api/cart/lines/{line_id}": frozenset({"buyer"}),
    "PUT /api/cart/selection": BUYERS,
    "POST /api/checkouts": frozenset({"buyer"}),
    "GET /api/checkouts/{checkout_id}": frozenset({"buyer"}),
    "POST /api/checkouts/{checkout_id}/payment": frozenset({"buyer"}),
    "POST /api/payments/{payment_id}/simulate": frozenset({"buyer"}),
    "POST /api/payments/callback": EVERYONE,  # the provider's, anonymous and signed: refused unsigned for all
    "POST /api/payments/refunds/callback": EVERYONE,
    "GET /api/orders": BUYERS,
    "GET /api/orders/{order_id}": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/cancel": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/confirm-receipt": frozenset({"buyer"}),
    "GET /api/seller/orders": STAFF,
    "GET /api/seller/orders/{order_id}": frozenset({"staff"}),
    "GET /api/seller/production-list": STAFF,
    "POST /api/seller/orders/{order_id}/ship": frozenset({"staff"}),
    "POST /api/seller/orders/{order_id}/tracking": frozenset({"staff"}),
    "POST /api/seller/orders/{order_id}/made": frozenset({"staff"}),
    "POST /api/seller/bulk-ship": STAFF,
    "POST /api/logistics/orders/{order_id}/leg2": frozenset({"ops"}),
    "POST /api/logistics/scans": frozenset({"carrier", "ops"}),
    "POST /api/logistics/scans/import": frozenset({"carrier", "other_carrier", "ops"}),
    "POST /api/logistics/scans/{scan_id}/resolve": frozenset({"carrier", "ops"}),
    "POST /api/ops/orders/{order_id}/cancel": frozenset({"ops"}),
    "POST /api/ops/orders/{order_id}/refunds": frozenset({"ops"}),
    "POST /api/ops/orders/{order_id}/notes": frozenset({"ops"}),
    "GET /api/orders/{order_id}/tracking": frozenset({"buyer"}),
    "GET /api/orders/{order_id}/price-protection": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/lines/{line_id}/price-protection": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/lines/{order_line_id}/price-claims": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/lines/{order_line_id}/price-claims/images": frozenset({"buyer"}),
    "GET /api/price-claims": BUYERS,
    "GET /api/price-claims/{claim_id}": frozenset({"buyer"}),
    "GET /api/ops/price-claims": frozenset({"ops"}),
    "POST /api/ops/price-claims/{claim_id}/approve": frozenset({"ops"}),
    "POST /api/ops/price-claims/{claim_id}/reject": frozenset({"ops"}),
    "GET /api/deliveries": frozenset({"courier", "other_courier", "ops"}),
    "POST /api/deliveries/{order_id}/courier": frozenset({"staff", "ops"}),
    "POST /api/deliveries/{order_id}/delivered": frozenset({"courier", "ops"}),
    "GET /api/aftersales": BUYERS | STAFF | {"ops"},  # each party lists its own cases
    "GET /api/aftersales/{case_id}": CASE_PARTIES,
    "GET /api/orders/{order_id}/aftersales/options": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/aftersales": frozenset({"buyer"}),
    "POST /api/orders/{order_id}/aftersales/images": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/approve": frozenset({"staff"}),
    "POST /api/aftersales/{case_id}/reject": frozenset({"staff"}),
    "POST /api/aftersales/{case_id}/offer": frozenset({"staff"}),
    "POST /api/aftersales/{case_id}/receive": frozenset({"staff"}),
    "POST /api/aftersales/{case_id}/ship-replacement": frozenset({"staff"}),
    "POST /api/aftersales/{case_id}/accept-offer": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/decline-offer": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/withdraw": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/escalate": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/ship-return": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/convert-to-refund": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/confirm-replacement": frozenset({"buyer"}),
    "POST /api/aftersales/{case_id}/rule": frozenset({"ops"}),
    "POST /api/aftersales/{case_id}/messages": CASE_PARTIES,
    "POST /api/aftersales/{case_id}/images": CASE_PARTIES,
    "GET /api/coupons": BUYERS,
    "POST /api/ops/coupons": frozenset({"ops"}),
    "POST /api/seller/coupons": STAFF,
    "POST /api/coupons/{coupon_id}/revoke": frozenset({"staff", "ops"}),  # the world's coupon is the shop's
    "GET /api/seller/guarantee/skus": STAFF,
    "POST /api/seller/guarantee/skus/{sku_id}/enroll": frozenset({"staff"}),
    "POST /api/seller/guarantee/skus/{sku_id}/unenroll": frozenset({"staff"}),
    "GET /api/ops/guarantee/campaigns": frozenset({"ops"}),
    "POST /api/ops/guarantee/campaigns": frozenset({"ops"}),
    "GET /api/ops/guarantee/campaigns/{campaign_id}": frozenset({"ops"}),
    "POST /api/ops/guarantee/campaigns/{campaign_id}/skus": frozenset({"ops"}),
    "POST /api/ops/guarantee/campaigns/{campaign_id}/end": frozenset({"ops"}),
    "POST /api/ops/guarantee/feed-imports": frozenset({"ops"}),
    "GET /api/ops/guarantee/feed-imports/{feed_import_id}": frozenset({"ops"}),
    "GET /api/ops/guarantee/offers": frozenset({"ops"}),
}


def api_body(key: str, ids: dict[str, Any]) -> Any:
    """A body the owner could send (so a refusal is about who asks, not about the body)."""
    if key == "POST /api/auth/signup":  # texts a code to a fresh number: only when this body is the one asked for
        return f.sign_up(password="a-long-pass-9371")
    address = {
        "recipient": "韩梅梅",
        "phone": "13900139000",
        "province_code": "330000",
        "city_code": "330100",
        "county_code": "330106",
        "street": "新街 1 号",
    }
    template = {"name": "偏远加价", "first_fen": 1000, "step_fen": 500}
    return {
        "POST /api/auth/signup/code": {"phone": f.mobile()},
        "POST /api/auth/login": {"username": ids["buyer_username"], "password": f.PASSWORD},
        "POST /api/addresses": address,
        "PATCH /api/addresses/{address_id}": {"recipient": "韩梅梅"},
        "POST /api/seller/products": {"title": "新品", "category_id": ids["category_id"]},
        "PATCH /api/seller/products/{product_id}": {"title": "改名"},
        "POST /api/seller/products/{product_id}/skus": {"code": f"NEW-{f.n()}", "price_fen": 100},
        "PATCH /api/seller/skus/{sku_id}": {"price_fen": 200},
        "PUT /api/seller/skus/{sku_id}/stock": {"available": 5},
        "PUT /api/seller/products/{product_id}/questions": [],
        "PUT /api/seller/products/{product_id}/specs": {
            "dimensions": [{"name": "颜色", "values": [{"name": "红"}]}],
            "skus": [{"values": ["红"], "price_fen": 100}],
        },
        "PUT /api/seller/products/{product_id}/images": {"image_ids": []},
        "POST /api/seller/shipping-templates": template,
        "PUT /api/seller/shipping-templates/{template_id}": template,
        "POST /api/seller/shipping-assignments": {"product_ids": [ids["product_id"]], "template_id": None},
        "POST /api/cart/lines": {"sku_id": ids["sku_id"], "quantity": 1},
        "PATCH /api/cart/lines/{line_id}": {"quantity": 2},
        "PUT /api/cart/selection": {"selected": True},
        "POST /api/checkouts": {"address_id": ids["address_id"]},
        "POST /api/payments/callback": {},
        "POST /api/payments/refunds/callback": {},
        "POST /api/seller/orders/{order_id}/ship": {"carrier": "SF", "tracking_number": "SF002000000002"},
        "POST /api/seller/orders/{order_id}/tracking": {"tracking_number": "SF002000000003"},
        "POST /api/seller/orders/{order_id}/made": {},
        "POST /api/seller/bulk-ship": {"csv": "0,SF,SF002000000004\n"},
        "POST /api/logistics/orders/{order_id}/leg2": {"carrier": "EMS", "tracking_number": "1300000000003"},
        "POST /api/logistics/scans": {"tracking_number": "SF001000000001", "carrier": "SF", "kind": "in_transit"},
        "POST /api/logistics/scans/import": {"csv": "SF,SF001000000001,in_transit,,杭州\n"},
        "POST /api/deliveries/{order_id}/courier": {"courier_id": ids["courier_id"]},
        "POST /api/logistics/scans/{scan_id}/resolve": {"resolution": "运单号录错，已核实"},
        "POST /api/ops/orders/{order_id}/cancel": {"note": "买家来电要求取消"},
        "POST /api/ops/orders/{order_id}/refunds": {
            "line_id": ids["order_line_id"],
            "amount_fen": 100,
            "reason": "补偿",
            "number": 1,
        },
        "POST /api/ops/orders/{order_id}/notes": {"text": "买家来电：周末送货"},
        "POST /api/orders/{order_id}/aftersales": {
            "kind": "refund_only",
            "reason": "quality",
            "lines": {str(ids["order_line_id"]): 1},
        },
        "POST /api/aftersales/{case_id}/reject": {"why": "无质量问题"},
        "POST /api/aftersales/{case_id}/offer": {"offer_fen": 1},
        "POST /api/aftersales/{case_id}/escalate": {"text": "请平台介入"},
        "POST /api/aftersales/{case_id}/ship-return": {"carrier": "SF", "tracking_number": "SF002000000005"},
        "POST /api/aftersales/{case_id}/ship-replacement": {"carrier": "SF", "tracking_number": "SF002000000006"},
        "POST /api/aftersales/{case_id}/rule": {"ruling": "merchant", "note": "证据不足"},
        "POST /api/aftersales/{case_id}/messages": {"text": "补充说明"},
        "POST /api/ops/coupons": {"buyer": ids["buyer_username"], "amount_fen": 500},
        "POST /api/seller/coupons": {"buyer": ids["buyer_username"], "amount_fen": 500},
        "POST /api/orders/{order_id}/lines/{order_line_id}/price-claims": {
            "platform": "jd",
            "url": "https://item.jd.com/2.html",
            "title": "同款",
            "price_seen": "0.50",
        },
        "POST /api/ops/price-claims/{claim_id}/approve": {},
        "POST /api/ops/price-claims/{claim_id}/reject": {"reason": "证据不足"},
        "POST /api/ops/guarantee/campaigns": {
            "name": "双倍赔",
            "multiplier": 2,
            "starts_at": "2030-01-01T00:00:00+08:00",
            "ends_at": "2030-01-08T00:00:00+08:00",
        },
        "POST /api/ops/guarantee/campaigns/{campaign_id}/skus": {"sku_ids": [ids["sku_id"]]},
    }.get(key)


def refusals_for(party: str, allowed: frozenset[str], *, api: bool) -> set[int]:
    """What a party outside `allowed` may be answered: anonymous must sign in, the owner's rival of the same
    role is told the object does not exist, any other role is forbidden or told the same."""
    if not api:
        return _page_refusals(party, allowed) | {405}  # a form's POST-only page refuses a GET before anything else
    if party == "anonymous":
        return {401}
    return {404} if OTHER_OF.get(party) in allowed else {403, 404}


def _page_refusals(party: str, allowed: frozenset[str]) -> set[int]:
    return {302} if party == "anonymous" else {404}


def _keys(operations) -> list[str]:
    return [f"{method} {path}" for method, path, _ in operations]


def test_every_operation_of_the_openapi_document_has_a_rule():
    assert sorted(_keys(openapi_operations())) == sorted(API_RULES)


@pytest.mark.parametrize("key", _keys(openapi_operations()))
def test_only_the_owner_may_use_an_operation(key):
    allowed = API_RULES[key]  # KeyError: a new operation needs its line in API_RULES
    world = build_world()
    method, path = key.split(" ", 1)
    url = fill_path(path, world.ids)
    headers = {"Idempotency-Key": f"matrix-{f.n()}"}
    before = row_counts()
    answers: dict[str, int] = {}
    for party in [p for p in PARTIES if p not in allowed]:
        response = call(world.client(party), method, url, api_body(key, world.ids), **headers)
        answers[party] = response.status_code
        assert response.status_code in refusals_for(party, allowed, api=True), (party, response.content[:300])
        assert not world.leaks_to(party, response.content.decode()), party
    assert row_counts() == before, "a refused call wrote something"
    for party in [p for p in PARTIES if p in allowed]:  # last: an owner's call may change the world
        response = call(world.client(party), method, url, api_body(key, world.ids), **headers)
        answers[party] = response.status_code
        assert response.status_code < 500, (party, response.content[:300])
        assert response.status_code not in {401, 403}, (party, response.content[:300])
        assert not world.leaks_to(party, response.content.decode()), party


# --- pages ------------------------------------------------------------------------------------------------------

PUBLIC_PAGES = {
    "web:home",
    "web:product",
    "web:product_preview",
    "web:shop",
    "web:login",
    "web:signup",
    "web:signup_code",  # texts a sign-up code: anyone may ask, throttled per number and address
    "web:terms",
    "web:guarantee_rules",  # 买贵必赔 and 价保 in plain words, linked from the footer
    "web:privacy",
    "web:region_selects",  # the address form's region lists: the regions are public, as on the API
    "set_language",
}

# Who may open each page that needs an account (with the owner's ids filled in).
PAGE_RULES: dict[str, frozenset[str]] = {
    "web:logout": SIGNED_IN,
    "web:address_list": BUYERS,
    "web:address_new": BUYERS,
    "web:address_edit": frozenset({"buyer"}),
    "web:address_delete": frozenset({"buyer"}),
    "web:seller_products": STAFF,
    "web:seller_product_new": STAFF,
    "web:seller_product_edit": frozenset({"staff"}),
    "web:seller_specs": frozenset({"staff"}),
    "web:seller_product_images": frozenset({"staff"}),
    "web:seller_sku_edit": frozenset({"staff"}),
    "web:seller_questions": frozenset({"staff"}),
    "web:cart": BUYERS,
    "web:cart_line_quantity": frozenset({"buyer"}),
    "web:cart_line_remove": frozenset({"buyer"}),
    "web:checkout": BUYERS,
    "web:checkout_now": BUYERS,
    "web:cart_select": BUYERS,
    "web:cart_pending": SIGNED_IN,
    "web:order_list": BUYERS,
    "web:order_detail": frozenset({"buyer"}),
    "web:order_pay": frozenset({"buyer"}),
    "web:order_price_protection": frozenset({"buyer"}),
    "web:seller_guarantee": STAFF,
    "web:seller_guarantee_enroll": frozenset({"staff"}),
    "web:seller_guarantee_unenroll": frozenset({"staff"}),
    "web:ops_guarantee_campaigns": frozenset({"ops"}),
    "web:ops_guarantee_campaign": frozenset({"ops"}),
    "web:ops_guarantee_campaign_end": frozenset({"ops"}),
    "web:ops_feed": frozenset({"ops"}),
    "web:ops_feed_import": frozenset({"ops"}),
    "web:ops_feed_import_progress": frozenset({"ops"}),
    "web:order_cancel": frozenset({"buyer"}),
    "web:order_confirm": frozenset({"buyer"}),
    "web:seller_dashboard": STAFF,
    "web:seller_orders": STAFF,
    "web:seller_order": frozenset({"staff"}),
    "web:seller_packing_slip": frozenset({"staff"}),
    "web:seller_production": STAFF,
    "web:seller_bulk_ship": STAFF,
    "web:seller_orders_export": STAFF,
    "web:seller_mark_made": frozenset({"staff"}),
    "web:ops_dashboard": frozenset({"ops"}),
    "web:ops_lookup": frozenset({"ops"}),
    "web:ops_order": frozenset({"ops"}),
    "web:ops_order_cancel": frozenset({"ops"}),
    "web:ops_order_refund": frozenset({"ops"}),
    "web:ops_order_note": frozenset({"ops"}),
    "web:ops_ledger": frozenset({"ops"}),
    "web:ops_payments": frozenset({"ops"}),
    "web:seller_shipping": STAFF,
    "web:seller_shipping_new": STAFF,
    "web:seller_shipping_edit": frozenset({"staff"}),
    "web:seller_shipping_assign": frozenset({"staff"}),
    "web:ops_remote": frozenset({"ops"}),
    "web:scans": frozenset({"carrier", "other_carrier", "ops"}),
    "web:scans_post": frozenset({"carrier", "other_carrier", "ops"}),
    "web:scans_import": frozenset({"carrier", "other_carrier", "ops"}),
    "web:scans_resolve": frozenset({"carrier", "other_carrier", "ops"}),
    "web:scans_dispatch": frozenset({"ops"}),
    "web:ops_remote_figures": frozenset({"ops"}),
    "web:sim_pay": frozenset({"buyer"}),
    "web:payment_result": frozenset({"buyer"}),
    "web:ops_settings": frozenset({"ops"}),
    "web:deliveries": frozenset({"courier", "other_courier", "ops"}),  # each courier sees only their own
    "web:delivered": frozenset({"courier", "ops"}),
    "web:case_list": BUYERS,
    "web:case_detail": frozenset({"buyer"}),
    "web:case_new": frozenset({"buyer"}),
    "web:case_ship_return": frozenset({"buyer"}),
    "web:case_escalate": frozenset({"buyer"}),
    "web:case_message": frozenset({"buyer"}),
    **{
        f"web:case_{step}": frozenset({"buyer"})
        for step in ("withdraw", "accept_offer", "decline_offer", "convert_to_refund", "confirm_replacement")
    },
    "web:seller_cases": STAFF,
    "web:seller_case": frozenset({"staff"}),
    "web:seller_case_approve": frozenset({"staff"}),
    "web:seller_case_reject": frozenset({"staff"}),
    "web:seller_case_offer": frozenset({"staff"}),
    "web:seller_case_receive": frozenset({"staff"}),
    "web:seller_case_ship": frozenset({"staff"}),
    "web:seller_case_message": frozenset({"staff"}),
    "web:ops_cases": frozenset({"ops"}),
    "web:ops_case_figures": frozenset({"ops"}),
    "web:ops_case": frozenset({"ops"}),
    "web:ops_case_rule": frozenset({"ops"}),
    "web:ops_case_message": frozenset({"ops"}),
    "web:coupons": BUYERS,
    "web:ops_coupons": frozenset({"ops"}),
    "web:seller_coupons": STAFF,
    "web:ops_guarantee_figures": frozenset({"ops"}),
    "web:price_claim_new": frozenset({"buyer"}),
    "web:price_claims": BUYERS,
    "web:price_claim": frozenset({"buyer"}),
    "web:ops_price_claims": frozenset({"ops"}),
    "web:ops_price_claim_approve": frozenset({"ops"}),
    "web:ops_price_claim_reject": frozenset({"ops"}),
}


def page_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """Every (name, route) of the project's URLconf outside Django's admin and the API (tested above)."""
    found: list[tuple[str, str]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += page_patterns(entry, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((namespace + entry.name, route))
    return found


def fill_route(route: str, ids: dict[str, Any]) -> str:
    for name, value in ids.items():
        route = route.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in route, f"no id in the world for {route}"
    return "/" + route


def test_every_page_has_a_rule():
    names = {name for name, _ in page_patterns()}
    assert names - PUBLIC_PAGES - set(PAGE_RULES) == set()
    assert set(PAGE_RULES) - names == set()


def page_text(response) -> str:
    """What a page shows, also when it is streamed (the seller's CSV export of orders)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("name,route", page_patterns())
def test_only_the_owner_may_open_a_page(name, route):
    allowed = EVERYONE if name in PUBLIC_PAGES else PAGE_RULES[name]  # KeyError: a new page needs its rule
    world = build_world()
    url = fill_route(route, world.ids)
    for party in [p for p in PARTIES if p not in allowed]:
        response = world.client(party).get(url)
        assert response.status_code in refusals_for(party, allowed, api=False), (party, response.status_code, url)
        assert not world.leaks_to(party, page_text(response)), party
    for party in [p for p in PARTIES if p in allowed]:
        response = world.client(party).get(url)
        assert response.status_code < 500, party
        assert not world.leaks_to(party, page_text(response)), party
