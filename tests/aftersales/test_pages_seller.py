"""The seller center's after-sales: the queue by deadline, the case page and each merchant action, and who
may see them (another shop's case and any other role answer 404)."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, CaseEntry, Evidence
from anxin.core import clock, ledger
from anxin.core.models import Event
from tests import factories as f
from tests.aftersales.conftest import ask, delivered, paid_order, run_worker_after, tracking

pytestmark = pytest.mark.django_db


def quality_case(**order_fields) -> Case:
    return ask(delivered(paid_order(**order_fields)), rules.REFUND_ONLY, rules.QUALITY)


def return_case() -> Case:
    return ask(delivered(paid_order()), rules.RETURN_REFUND, rules.NO_REASON)


def as_staff(client, case: Case):
    staff = f.staff(case.merchant)
    client.force_login(staff)
    return staff


def queue_numbers(html: str) -> list[str]:
    return re.findall(r'href="/seller/aftersales/\d+/">(AS\d+)</a>', html)


def test_the_queue_lists_the_shops_open_cases_soonest_deadline_first_with_the_overdue_marked(client):
    first = quality_case()
    second = quality_case()
    Case.objects.filter(pk=second.pk).update(merchant=first.merchant, due_at=clock.now() - timedelta(minutes=5))
    as_staff(client, first)
    page = client.get("/seller/aftersales/")
    assert page.status_code == 200
    assert queue_numbers(page.text) == [second.number, first.number]
    overdue_row = re.search(rf'<tr class="overdue">.*?{second.number}', page.text, re.S)
    assert overdue_row is not None and "已超时" in page.text
    seconds_left = int((first.due_at - clock.now()).total_seconds())
    assert f'data-countdown="{seconds_left}"' in page.text


def test_the_queue_filters_by_state_and_ignores_an_unknown_one(client):
    case = quality_case()
    as_staff(client, case)
    assert queue_numbers(client.get("/seller/aftersales/?state=rejected").text) == []
    assert queue_numbers(client.get("/seller/aftersales/?state=pending_merchant").text) == [case.number]
    assert queue_numbers(client.get("/seller/aftersales/?state=nonsense").text) == [case.number]


def test_another_shops_case_and_other_roles_are_not_found(client):
    case = quality_case()
    client.force_login(f.staff())
    assert client.get(f"/seller/aftersales/{case.pk}/").status_code == 404
    assert client.post(f"/seller/aftersales/{case.pk}/approve/").status_code == 404
    assert Case.objects.get(pk=case.pk).state == rules.PENDING_MERCHANT
    client.force_login(case.buyer)
    assert client.get("/seller/aftersales/").status_code == 404
    assert client.get(f"/seller/aftersales/{case.pk}/").status_code == 404
    client.force_login(f.ops())
    assert client.get("/seller/aftersales/").status_code == 404


def test_the_case_page_shows_lines_evidence_and_only_the_actions_allowed_now(client):
    order = delivered(paid_order())
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY, uploads=[f.upload()], description="有划痕")
    as_staff(client, case)
    page = client.get(f"/seller/aftersales/{case.pk}/")
    assert page.status_code == 200
    assert order.lines.get().title in page.text and "有划痕" in page.text
    assert Evidence.objects.get(case=case).image_small in page.text
    assert "提交售后申请" in page.text
    for form in ("case-approve", "case-offer", "case-reject", "case-message"):
        assert f'id="{form}"' in page.text
    for form in ("case-receive", "case-ship"):
        assert f'id="{form}"' not in page.text


def test_approving_refunds_a_refund_only_case(client):
    case = quality_case()
    as_staff(client, case)
    answer = client.post(f"/seller/aftersales/{case.pk}/approve/")
    assert answer.status_code == 302 and answer["Location"] == f"/seller/aftersales/{case.pk}/"
    case.refresh_from_db()
    assert (case.state, case.refunded_fen) == (rules.REFUNDED, case.order.total_fen)  # shipping too: all of it


def test_approving_twice_is_refused_with_the_page_again_and_nothing_changes(client):
    case = quality_case()
    as_staff(client, case)
    client.post(f"/seller/aftersales/{case.pk}/approve/")
    events_before = Event.objects.count()
    again = client.post(f"/seller/aftersales/{case.pk}/approve/")
    assert again.status_code == 409
    assert "售后单当前的状态不能进行这一步" in again.text
    assert Event.objects.count() == events_before


def test_rejecting_needs_a_reason_and_keeps_the_evidence(client):
    case = quality_case()
    as_staff(client, case)
    refused = client.post(f"/seller/aftersales/{case.pk}/reject/", {"why": ""})
    assert refused.status_code == 400 and "请填写此项。" in refused.text
    assert Case.objects.get(pk=case.pk).state == rules.PENDING_MERCHANT
    done = client.post(f"/seller/aftersales/{case.pk}/reject/", {"why": "商品完好", "images": [f.upload()]})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.reject_reason) == (rules.REJECTED, "商品完好")
    assert Evidence.objects.filter(case=case, role=rules.MERCHANT).count() == 1


def test_a_bad_image_on_a_rejection_is_shown_beside_the_upload_and_nothing_is_written(client):
    case = quality_case()
    as_staff(client, case)
    not_an_image = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    refused = client.post(f"/seller/aftersales/{case.pk}/reject/", {"why": "完好", "images": [not_an_image]})
    assert refused.status_code == 400
    assert re.search(r'id="reject-images".*?class="field-error"', refused.text, re.S)
    assert Case.objects.get(pk=case.pk).state == rules.PENDING_MERCHANT
    assert CaseEntry.objects.filter(case=case).count() == 0


def test_an_offer_is_typed_in_yuan_and_must_be_below_what_was_asked(client):
    case = quality_case()  # asked ¥40.00
    as_staff(client, case)
    too_much = client.post(f"/seller/aftersales/{case.pk}/offer/", {"offer": "40"})
    assert too_much.status_code == 400 and "协商退款金额须大于 0 且少于申请金额" in too_much.text
    not_money = client.post(f"/seller/aftersales/{case.pk}/offer/", {"offer": "十元"})
    assert not_money.status_code == 400 and "请输入金额" in not_money.text
    assert Case.objects.get(pk=case.pk).state == rules.PENDING_MERCHANT
    done = client.post(f"/seller/aftersales/{case.pk}/offer/", {"offer": "12.50"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.offer_fen) == (rules.OFFERED, 1250)


def test_confirming_the_return_refunds_the_case(client):
    case = return_case()
    services.approve(f.staff(case.merchant), case.pk)
    Case.objects.filter(pk=case.pk).update(asked_fen=150001)  # too much for 极速退款: the merchant decides
    services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking())
    as_staff(client, case)
    assert 'id="case-receive"' in client.get(f"/seller/aftersales/{case.pk}/").text
    assert client.post(f"/seller/aftersales/{case.pk}/receive/").status_code == 302
    case.refresh_from_db()
    assert case.state == rules.REFUNDED and case.refunded_fen > 0


def test_shipping_a_replacement_checks_the_tracking_number(client):
    case = ask(delivered(paid_order()), rules.RESEND, rules.MISSING_ITEM)
    staff = as_staff(client, case)
    services.approve(staff, case.pk)
    bad = client.post(f"/seller/aftersales/{case.pk}/ship/", {"carrier": "顺丰速运", "tracking_number": "123"})
    assert bad.status_code == 400
    assert Case.objects.get(pk=case.pk).state == rules.AWAITING_REPLACEMENT
    number = tracking()
    done = client.post(f"/seller/aftersales/{case.pk}/ship/", {"carrier": "顺丰速运", "tracking_number": number})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == rules.REPLACEMENT_SHIPPED and case.replacement_leg.tracking_number == number
    assert number in client.get(f"/seller/aftersales/{case.pk}/").text


def test_a_message_lands_on_the_timeline_and_an_empty_one_is_refused(client):
    case = quality_case()
    as_staff(client, case)
    empty = client.post(f"/seller/aftersales/{case.pk}/message/", {"text": ""})
    assert empty.status_code == 400 and "请填写留言或上传图片。" in empty.text
    assert client.post(f"/seller/aftersales/{case.pk}/message/", {"text": "请补充照片"}).status_code == 302
    entry = CaseEntry.objects.get(case=case)
    assert (entry.role, entry.text) == (rules.MERCHANT, "请补充照片")
    assert "请补充照片" in client.get(f"/seller/aftersales/{case.pk}/").text


def test_a_payable_below_zero_is_shown_as_the_platforms_claim(client):
    case = quality_case()
    as_staff(client, case)
    assert 'id="merchant-claim"' not in client.get("/seller/aftersales/").text
    lines = [ledger.Line(ledger.merchant_payable(case.merchant_id), 500), ledger.Line(ledger.ESCROW, -500)]
    ledger.post(f"test:claim:{case.pk}", "test_claim", lines)
    page = client.get("/seller/aftersales/")
    assert 'id="merchant-claim"' in page.text and "-¥5.00" in page.text


def test_a_silent_merchants_case_shows_it_was_approved_by_the_system(client):
    case = quality_case()
    run_worker_after(timedelta(hours=48))
    as_staff(client, case)
    page = client.get(f"/seller/aftersales/{case.pk}/")
    assert "商家超时，系统自动同意" in page.text and "系统按时限自动处理" in page.text


def test_the_queue_reads_the_same_few_queries_for_one_case_or_many(client, django_assert_max_num_queries):
    first = quality_case()
    as_staff(client, first)
    for _ in range(4):
        other = quality_case()
        Case.objects.filter(pk=other.pk).update(merchant=first.merchant)
    with django_assert_max_num_queries(12):
        page = client.get("/seller/aftersales/")
    assert len(queue_numbers(page.text)) == 5
