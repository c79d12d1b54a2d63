"""The ops console's after-sales: the arbitration queue by its 48-hour deadline, the escalated case with both
sides' evidence, the ruling form, and who may use them."""

import re
from datetime import timedelta

import pytest

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, CaseEntry
from anxin.core import clock, ledger
from anxin.core.models import Event
from tests import factories as f
from tests.aftersales.conftest import ask, assert_audit_clean, delivered, paid_order

pytestmark = pytest.mark.django_db


def escalated(**order_fields) -> Case:
    case = ask(delivered(paid_order(**order_fields)), rules.REFUND_ONLY, rules.QUALITY)
    services.reject(f.staff(case.merchant), case.pk, "商品完好", [f.upload()])
    return services.escalate(case.buyer, case.pk, "有划痕", [f.upload()])


def queue_numbers(html: str) -> list[str]:
    return re.findall(r'href="/ops/aftersales/\d+/">(AS\d+)</a>', html)


def test_the_queue_holds_escalated_cases_by_deadline_with_the_overdue_first_and_marked(client):
    late = escalated()
    clock.advance(timedelta(hours=49))
    fresh = escalated()
    ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)  # not escalated: not in the queue
    client.force_login(f.ops())
    page = client.get("/ops/aftersales/")
    assert page.status_code == 200
    assert queue_numbers(page.text) == [late.number, fresh.number]
    assert re.search(rf'<tr class="overdue">\s*<td><a href="/ops/aftersales/{late.pk}/">', page.text)
    assert f'data-countdown="{48 * 3600}"' in page.text


def test_only_ops_enter_the_arbitration_pages(client):
    case = escalated()
    for user in (case.buyer, f.staff(case.merchant)):
        client.force_login(user)
        assert client.get("/ops/aftersales/").status_code == 404
        assert client.get(f"/ops/aftersales/{case.pk}/").status_code == 404
        assert client.post(f"/ops/aftersales/{case.pk}/rule/", {"ruling": "refund", "note": "x"}).status_code == 404
        assert client.get("/ops/aftersales/figures/").status_code == 404
    assert Case.objects.get(pk=case.pk).state == rules.ARBITRATION


def test_the_case_page_shows_both_sides_evidence_and_words_and_the_ruling_form(client):
    case = escalated()
    client.force_login(f.ops())
    page = client.get(f"/ops/aftersales/{case.pk}/")
    assert page.status_code == 200
    assert "商品完好" in page.text and "有划痕" in page.text
    for image in case.evidence.all():
        assert image.image_small in page.text
    assert 'id="case-rule"' in page.text


def test_a_partial_refund_ruling_in_yuan_with_a_charge_to_the_merchant(client):
    case = escalated()
    client.force_login(f.ops())
    answer = client.post(
        f"/ops/aftersales/{case.pk}/rule/", {"ruling": "refund", "note": "划痕属实", "amount": "15", "charge": "3"}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.ruling, case.refunded_fen) == (rules.REFUNDED, "refund", 1500)
    assert ledger.balance(ledger.merchant_payable(case.merchant_id)) == 300  # the charge: the platform's claim
    page = client.get(f"/ops/aftersales/{case.pk}/")
    assert 'id="case-rule"' not in page.text and 'id="merchant-claim"' in page.text
    assert_audit_clean()


def test_a_ruling_above_what_was_asked_is_refused_beside_the_amount_and_nothing_changes(client):
    case = escalated()
    client.force_login(f.ops())
    events_before = Event.objects.count()
    refused = client.post(f"/ops/aftersales/{case.pk}/rule/", {"ruling": "refund", "note": "x", "amount": "999"})
    assert refused.status_code == 400
    assert re.search(r'id="ruling-amount".*?裁决退款金额须大于 0 且不超过申请金额', refused.text, re.S)
    no_choice = client.post(f"/ops/aftersales/{case.pk}/rule/", {"note": "x"})
    assert no_choice.status_code == 400 and "请选择裁决结果。" in no_choice.text
    assert Case.objects.get(pk=case.pk).state == rules.ARBITRATION
    assert Event.objects.count() == events_before


def test_an_abuse_ruling_closes_the_case_without_money(client):
    case = escalated()
    client.force_login(f.ops())
    assert client.post(f"/ops/aftersales/{case.pk}/rule/", {"ruling": "abuse", "note": "重复索赔"}).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.ruling, case.refunded_fen) == (rules.CLOSED, "abuse", 0)


def test_ruling_a_case_not_in_arbitration_is_refused(client):
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY)
    client.force_login(f.ops())
    refused = client.post(f"/ops/aftersales/{case.pk}/rule/", {"ruling": "refund", "note": "x"})
    assert refused.status_code == 409 and 'id="case-refused"' in refused.text
    assert Case.objects.get(pk=case.pk).state == rules.PENDING_MERCHANT


def test_ops_add_a_message_to_the_case(client):
    case = escalated()
    ops = f.ops()
    client.force_login(ops)
    assert client.post(f"/ops/aftersales/{case.pk}/message/", {"text": "请商家补充发货视频"}).status_code == 302
    entry = CaseEntry.objects.filter(case=case).last()
    assert (entry.role, entry.author, entry.text) == (rules.OPS, ops, "请商家补充发货视频")


def test_the_queue_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        escalated()
    client.force_login(f.ops())
    with django_assert_max_num_queries(10):
        page = client.get("/ops/aftersales/")
    assert len(queue_numbers(page.text)) == 5
