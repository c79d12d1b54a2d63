"""After-sales under /api/: every step of a case through the API, with the services' permissions and refusals."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from anxin.aftersales import rules
from anxin.aftersales.models import Case
from anxin.api import api
from anxin.core import ledger
from anxin.payments.models import Refund
from tests import factories as f
from tests.aftersales.conftest import ask, delivered, paid_order, run_worker_after, settle_refunds, tracking
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "顺丰速运"}


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def buyer_of(case_or_order):
    return f.api_client(case_or_order.buyer)


def shop_of(case_or_order):
    return f.api_client(f.staff(case_or_order.merchant))


def post(client, url: str, data=None, **headers: str):
    return f.post_json(client, url, data, **headers)


def step(client, case: Case, action: str, data=None, **headers: str) -> dict:
    response = post(client, f"/api/aftersales/{case.pk}/{action}", data, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def open_body(order, kind: str, reason: str, **extra) -> dict:
    line = order.lines.order_by("pk").first()
    return {"kind": kind, "reason": reason, "lines": {str(line.pk): line.quantity}, **extra}


def images_form(count: int, data: bytes | None = None, name: str = "photo.jpg") -> list:
    return [f.upload(data, name=name) for _ in range(count)]


# --- reads -----------------------------------------------------------------------------------------------


def test_each_party_lists_its_own_cases_and_can_filter_by_state():
    mine = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    other = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.DAMAGED)
    step(shop_of(other), other, "approve")
    as_buyer = buyer_of(mine).get("/api/aftersales").json()
    assert (as_buyer["count"], [c["id"] for c in as_buyer["items"]]) == (1, [mine.pk])
    assert [c["id"] for c in shop_of(other).get("/api/aftersales").json()["items"]] == [other.pk]
    everything = f.api_client(f.ops()).get("/api/aftersales").json()
    assert {c["id"] for c in everything["items"]} == {mine.pk, other.pk}
    refunded = f.api_client(f.ops()).get("/api/aftersales?state=refunded").json()
    assert [c["id"] for c in refunded["items"]] == [other.pk]


def test_a_role_without_cases_is_told_there_is_none():
    assert_refused(f.api_client(f.courier()).get("/api/aftersales"), 404, "not_found")


def test_the_detail_says_who_acts_next_by_when_and_shows_the_timeline():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY, description="有划痕")
    body = buyer_of(case).get(f"/api/aftersales/{case.pk}").json()
    assert (body["state"], body["next_actor"], body["overdue"]) == ("pending_merchant", "merchant", False)
    assert body["due_at"] is not None and body["refund_state"] is None
    assert [(line["quantity"], line["amount_fen"]) for line in body["lines"]] == [(2, 4000)]
    assert [event["kind"] for event in body["timeline"]] == ["case.opened"]
    assert body["description"] == "有划痕"


def test_another_buyers_or_shops_case_is_not_found_and_untouched():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    stranger, rival = f.api_client(f.buyer()), f.api_client(f.staff(f.merchant()))
    before = row_counts()
    assert_refused(stranger.get(f"/api/aftersales/{case.pk}"), 404, "not_found")
    assert_refused(post(stranger, f"/api/aftersales/{case.pk}/withdraw"), 404, "not_found")
    assert_refused(post(rival, f"/api/aftersales/{case.pk}/approve"), 404, "not_found")
    assert_refused(post(stranger, f"/api/aftersales/{case.pk}/messages", {"text": "嗨"}), 404, "not_found")
    assert row_counts() == before
    case.refresh_from_db()
    assert case.state == rules.PENDING_MERCHANT


def test_the_options_offer_only_what_is_allowed_and_say_why_not():
    order = delivered(paid_order())
    body = buyer_of(order).get(f"/api/orders/{order.pk}/aftersales/options").json()
    [line] = body["lines"]
    kinds = {k["code"]: k for k in line["kinds"]}
    assert kinds["refund_only"]["allowed"] and kinds["return_refund"]["allowed"]
    assert (kinds["refund_unshipped"]["allowed"], kinds["refund_unshipped"]["why_not_code"]) == (
        False,
        "already_shipped",
    )
    assert kinds["refund_unshipped"]["why_not"]
    reasons = {r["code"]: r for r in line["reasons"]}
    assert (reasons["rotten"]["allowed"], reasons["rotten"]["why_not_code"]) == (False, "not_fresh")


def test_the_options_of_another_buyers_order_are_not_found():
    order = delivered(paid_order())
    assert_refused(f.api_client(f.buyer()).get(f"/api/orders/{order.pk}/aftersales/options"), 404, "not_found")


# --- opening ---------------------------------------------------------------------------------------------


def test_a_buyer_opens_a_case_and_the_same_key_returns_the_first_answer():
    order = delivered(paid_order())
    client, key = buyer_of(order), {"Idempotency-Key": "open-1"}
    first = post(client, f"/api/orders/{order.pk}/aftersales", open_body(order, "refund_only", "quality"), **key)
    assert first.status_code == 201, first.content
    again = post(client, f"/api/orders/{order.pk}/aftersales", open_body(order, "refund_only", "quality"), **key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert Case.objects.count() == 1
    other = post(client, f"/api/orders/{order.pk}/aftersales", open_body(order, "refund_only", "damaged"), **key)
    assert_refused(other, 409, "idempotency_key_reused")


def test_an_unshipped_cancel_is_refunded_at_once_and_shows_refund_in_progress_then_success():
    order = paid_order()
    client = buyer_of(order)
    body = post(client, f"/api/orders/{order.pk}/aftersales", {"kind": "refund_unshipped", "lines": {}}).json()
    assert (body["state"], body["approved_at_once"], body["refund_state"]) == ("refunded", True, "requested")
    settle_refunds()
    assert client.get(f"/api/aftersales/{body['id']}").json()["refund_state"] == "succeeded"


def test_rotten_goods_with_a_photo_are_refunded_on_the_spot_through_the_multipart_open():
    order = delivered(paid_order(is_fresh=True, price_fen=5000))
    line = order.lines.get()
    form = {"kind": "refund_only", "reason": "rotten", "lines": f'{{"{line.pk}": 2}}', "images": images_form(1)}
    response = buyer_of(order).post(f"/api/orders/{order.pk}/aftersales/images", form)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["refunded_fen"], body["approved_at_once"]) == ("refunded", 10000, True)
    [entry] = body["entries"]
    assert len(entry["images"]) == 1 and entry["images"][0]["small_url"].endswith(".webp")
    assert len(stored_files()) == 3  # the picture and its two thumbnails


def test_rotten_without_a_photo_is_refused_and_writes_nothing():
    order = delivered(paid_order(is_fresh=True))
    client = buyer_of(order)
    before = row_counts()
    response = post(client, f"/api/orders/{order.pk}/aftersales", open_body(order, "refund_only", "rotten"))
    assert_refused(response, 400, "photo_required")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "refund_only", "reason": "why_not"}, 400, "invalid_reason"),
        ({"kind": "teleport", "reason": "quality"}, 400, "invalid_kind"),
        ({"kind": "refund_unshipped", "reason": ""}, 400, "already_shipped"),
        ({"kind": "refund_only", "reason": "quality", "amount_fen": 4001}, 400, "amount_above_limit"),
        ({"kind": "refund_only", "reason": "no_reason"}, 400, "no_reason_needs_return"),
        ({"kind": "refund_only", "reason": "quality", "lines": {}}, 400, "no_lines"),
        ({"kind": "refund_only", "reason": "quality", "lines": {"999999": 1}}, 404, "not_found"),
        ({"kind": "refund_only", "reason": "quality", "amount_fen": "12"}, 422, "invalid"),
    ],
)
def test_a_request_the_rules_refuse_answers_its_code_and_writes_nothing(body, status, code):
    order = delivered(paid_order())
    client = buyer_of(order)
    before = row_counts()
    response = post(client, f"/api/orders/{order.pk}/aftersales", {**open_body(order, "x", "x"), **body})
    assert_refused(response, status, code)
    assert row_counts() == before


def test_a_second_open_case_on_a_line_is_refused():
    order = delivered(paid_order())
    ask(order, rules.REFUND_ONLY, rules.QUALITY)
    client = buyer_of(order)
    before = row_counts()
    response = post(client, f"/api/orders/{order.pk}/aftersales", open_body(order, "return_refund", "quality"))
    assert_refused(response, 400, "case_already_open")
    assert row_counts() == before


def test_a_sixth_case_on_a_line_is_refused():
    order = delivered(paid_order())
    client = buyer_of(order)
    for _ in range(rules.MAX_CASES_PER_LINE):
        step(client, ask(order, rules.REFUND_ONLY, rules.QUALITY), "withdraw")
    before = row_counts()
    response = post(client, f"/api/orders/{order.pk}/aftersales", open_body(order, "refund_only", "quality"))
    assert_refused(response, 400, "too_many_cases")
    assert row_counts() == before


def test_another_buyers_order_cannot_be_asked_about():
    order = delivered(paid_order())
    stranger = f.api_client(f.buyer())
    before = row_counts()
    response = post(stranger, f"/api/orders/{order.pk}/aftersales", open_body(order, "refund_only", "quality"))
    assert_refused(response, 404, "not_found")
    assert row_counts() == before


# --- evidence --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "code"),
    [
        (lambda: images_form(9), "too_many_images"),
        (lambda: images_form(1, b"%PDF-1.4 not a picture", name="a.pdf"), "image_type"),
        (lambda: images_form(1, f.picture()[:400]), "image_unreadable"),
        (lambda: [*images_form(1), *images_form(1, b"x" * (5 * 1024 * 1024 + 1))], "image_too_big"),
    ],
    ids=["nine", "not_an_image", "truncated", "oversized"],
)
def test_bad_pictures_are_refused_and_nothing_is_written_or_kept(files, code):
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    client = buyer_of(case)
    before, kept = row_counts(), stored_files()
    response = client.post(f"/api/aftersales/{case.pk}/images", {"text": "看图", "images": files()})
    assert response.status_code in {400, 409} and response.json()["code"] == code, response.content
    assert (row_counts(), stored_files()) == (before, kept)


def test_bad_pictures_at_opening_write_no_case_and_keep_no_file():
    order = delivered(paid_order(is_fresh=True))
    line = order.lines.get()
    form = {"kind": "refund_only", "reason": "rotten", "lines": f'{{"{line.pk}": 1}}', "images": images_form(9)}
    client = buyer_of(order)
    before = row_counts()
    assert_refused(client.post(f"/api/orders/{order.pk}/aftersales/images", form), 400, "too_many_images")
    assert (row_counts(), stored_files()) == (before, set())


def test_either_side_adds_pictures_and_words_up_to_eight_pictures_in_all():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    response = buyer_of(case).post(f"/api/aftersales/{case.pk}/images", {"text": "划痕", "images": images_form(5)})
    assert response.status_code == 201, response.content
    assert (response.json()["role"], len(response.json()["images"])) == ("buyer", 5)
    shop = shop_of(case)
    assert shop.post(f"/api/aftersales/{case.pk}/images", {"images": images_form(3)}).status_code == 201
    kept = stored_files()
    assert_refused(shop.post(f"/api/aftersales/{case.pk}/images", {"images": images_form(1)}), 400, "too_many_images")
    assert stored_files() == kept
    message = post(shop, f"/api/aftersales/{case.pk}/messages", {"text": "请补充照片"})
    assert (message.status_code, message.json()["role"]) == (201, "merchant")
    assert len(buyer_of(case).get(f"/api/aftersales/{case.pk}").json()["entries"]) == 3


def test_an_empty_message_and_one_on_a_closed_case_are_refused():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    client = buyer_of(case)
    assert_refused(post(client, f"/api/aftersales/{case.pk}/messages", {"text": ""}), 400, "empty_message")
    step(client, case, "withdraw")
    assert_refused(post(client, f"/api/aftersales/{case.pk}/messages", {"text": "还在吗"}), 409, "case_closed")


# --- the steps -------------------------------------------------------------------------------------------


def test_a_return_with_its_tracking_number_is_refunded_instantly_and_once_per_key():
    case = ask(delivered(paid_order()), rules.RETURN_REFUND, rules.NO_REASON)
    assert step(shop_of(case), case, "approve")["state"] == "awaiting_return"
    client, key = buyer_of(case), {"Idempotency-Key": "return-1"}
    shipped = {**SHIP, "tracking_number": tracking()}
    first = step(client, case, "ship-return", shipped, **key)
    assert (first["state"], first["instant"], first["refund_state"]) == ("return_shipped", True, "requested")
    assert first["return_tracking_number"] == shipped["tracking_number"]
    assert step(client, case, "ship-return", shipped, **key) == first
    assert Refund.objects.count() == 1
    received = step(shop_of(case), case, "receive")
    assert (received["state"], received["postage_fen"]) == ("refunded", rules.POSTAGE_SAME_PROVINCE_FEN)
    assert ledger.balance(ledger.PLATFORM_ADVANCES) == 0


def test_a_bad_tracking_number_is_refused_and_changes_nothing():
    case = ask(delivered(paid_order()), rules.RETURN_REFUND, rules.NO_REASON)
    step(shop_of(case), case, "approve")
    client = buyer_of(case)
    before = row_counts()
    response = post(client, f"/api/aftersales/{case.pk}/ship-return", {**SHIP, "tracking_number": "123"})
    assert response.status_code == 400 and response.json()["code"], response.content
    assert row_counts() == before


def test_a_rejection_escalated_and_ruled_by_ops_refunds_what_ops_decided_once_per_key():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    rejected = step(shop_of(case), case, "reject", {"why": "商品无质量问题"})
    assert (rejected["state"], rejected["reject_reason"], rejected["next_actor"]) == (
        "rejected",
        "商品无质量问题",
        "buyer",
    )
    escalated = step(buyer_of(case), case, "escalate", {"text": "明明有划痕"})
    assert (escalated["state"], escalated["next_actor"]) == ("arbitration", "ops")
    ops, key = f.api_client(f.ops()), {"Idempotency-Key": "rule-1"}
    ruling = {"ruling": "refund", "note": "划痕属实", "amount_fen": 1500}
    ruled = step(ops, case, "rule", ruling, **key)
    assert (ruled["state"], ruled["refunded_fen"], ruled["ruling"]) == ("refunded", 1500, "refund")
    assert step(ops, case, "rule", ruling, **key) == ruled
    assert Refund.objects.count() == 1
    assert [e["kind"] for e in ruled["timeline"]] == ["case.opened", "case.reject", "case.escalate", "case.rule"]


def test_a_ruling_above_what_was_asked_is_refused_and_changes_nothing():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    step(shop_of(case), case, "reject", {"why": "无问题"})
    buyer = buyer_of(case)
    step(buyer, case, "escalate", {"text": "要退"})
    ops = f.api_client(f.ops())
    before = row_counts()
    ruling = {"ruling": "refund", "note": "退", "amount_fen": case.asked_fen + 1}
    assert_refused(post(ops, f"/api/aftersales/{case.pk}/rule", ruling), 400, "amount_above_limit")
    assert_refused(post(buyer, f"/api/aftersales/{case.pk}/rule", ruling), 403, "forbidden")
    assert row_counts() == before


def test_an_offer_accepted_refunds_that_much_once_per_key():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED)
    offered = step(shop_of(case), case, "offer", {"offer_fen": 1000})
    assert (offered["state"], offered["offer_fen"], offered["next_actor"]) == ("offered", 1000, "buyer")
    client, key = buyer_of(case), {"Idempotency-Key": "accept-1"}
    accepted = step(client, case, "accept-offer", **key)
    assert (accepted["state"], accepted["refunded_fen"]) == ("refunded", 1000)
    assert step(client, case, "accept-offer", **key) == accepted
    assert Refund.objects.count() == 1


def test_an_offer_declined_leaves_the_buyer_free_to_escalate():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED)
    assert_refused(post(shop_of(case), f"/api/aftersales/{case.pk}/offer", {"offer_fen": 4000}), 400, "invalid_offer")
    step(shop_of(case), case, "offer", {"offer_fen": 1000})
    assert step(buyer_of(case), case, "decline-offer")["state"] == "rejected"


def test_an_exchange_runs_through_return_and_replacement():
    case = ask(delivered(paid_order()), rules.EXCHANGE, rules.WRONG_ITEM)
    shop, buyer = shop_of(case), buyer_of(case)
    step(shop, case, "approve")
    step(buyer, case, "ship-return", {**SHIP, "tracking_number": tracking()})
    assert step(shop, case, "receive")["state"] == "awaiting_replacement"
    sent = step(shop, case, "ship-replacement", {**SHIP, "tracking_number": tracking()})
    assert (sent["state"], sent["replacement_tracking_number"][:2]) == ("replacement_shipped", "SF")
    done = step(buyer, case, "confirm-replacement")
    assert (done["state"], done["postage_by_merchant"]) == ("completed", True)


def test_a_late_replacement_is_turned_into_a_refund_once_per_key():
    case = ask(delivered(paid_order()), rules.RESEND, rules.MISSING_ITEM)
    step(shop_of(case), case, "approve")
    run_worker_after(timedelta(hours=48))
    client, key = buyer_of(case), {"Idempotency-Key": "convert-1"}
    converted = step(client, case, "convert-to-refund", **key)
    assert (converted["state"], converted["refunded_fen"]) == ("refunded", case.order.total_fen)
    assert step(client, case, "convert-to-refund", **key) == converted
    assert Refund.objects.count() == 1


def test_a_silent_merchant_is_shown_overdue_then_the_worker_approves():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    run_worker_after(timedelta(hours=48))
    body = buyer_of(case).get(f"/api/aftersales/{case.pk}").json()
    assert (body["state"], body["auto_approved"]) == ("refunded", True)


@pytest.mark.parametrize(
    ("who", "action", "data", "code"),
    [
        ("buyer", "escalate", {"text": "想升级"}, "illegal_transition"),
        ("buyer", "accept-offer", None, "illegal_transition"),
        ("merchant", "receive", None, "illegal_transition"),
        ("merchant", "ship-replacement", {**SHIP, "tracking_number": "SF123456789012"}, "illegal_transition"),
        ("buyer", "convert-to-refund", None, "illegal_transition"),
        ("buyer", "confirm-replacement", None, "illegal_transition"),
        ("buyer", "ship-return", {**SHIP, "tracking_number": "SF123456789012"}, "illegal_transition"),
        ("ops", "rule", {"ruling": "merchant", "note": "否"}, "illegal_transition"),
    ],
)
def test_a_step_out_of_turn_answers_409_with_its_code_and_changes_nothing(who, action, data, code):
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    client = {"buyer": buyer_of(case), "merchant": shop_of(case), "ops": f.api_client(f.ops())}[who]
    before = row_counts()
    assert_refused(post(client, f"/api/aftersales/{case.pk}/{action}", data), 409, code)
    assert row_counts() == before
    case.refresh_from_db()
    assert case.state == rules.PENDING_MERCHANT


@pytest.mark.parametrize(("who", "action"), [("buyer", "approve"), ("merchant", "withdraw"), ("buyer", "rule")])
def test_a_role_that_never_takes_a_step_is_forbidden_and_nothing_changes(who, action):
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    client = buyer_of(case) if who == "buyer" else shop_of(case)
    before = row_counts()
    data = {"ruling": "refund", "note": "退"} if action == "rule" else None
    assert_refused(post(client, f"/api/aftersales/{case.pk}/{action}", data), 403, "forbidden")
    assert row_counts() == before


# --- the document ----------------------------------------------------------------------------------------


def test_the_openapi_document_declares_every_after_sales_operation_with_its_errors():
    paths = api.get_openapi_schema()["paths"]
    actions = [
        "approve",
        "reject",
        "offer",
        "accept-offer",
        "decline-offer",
        "withdraw",
        "escalate",
        "ship-return",
        "receive",
        "ship-replacement",
        "convert-to-refund",
        "confirm-replacement",
        "rule",
        "messages",
        "images",
    ]
    for action in actions:
        operation = paths[f"/api/aftersales/{{case_id}}/{action}"]["post"]
        assert {"404", "409", "422"} <= set(operation["responses"]), action
    listing = paths["/api/aftersales"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"state", "offset", "limit"}
    upload = paths["/api/aftersales/{case_id}/images"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    detail = api.get_openapi_schema()["components"]["schemas"]["CaseDetailOut"]["properties"]
    assert {"next_actor", "due_at", "refund_state", "timeline", "entries", "lines"} <= set(detail)
