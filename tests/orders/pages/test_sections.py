"""The order page's section registry: apps above orders add a part of the order page (and its POST) per
audience without orders importing them."""

import copy

import pytest
from django.contrib import messages
from django.shortcuts import redirect

from anxin.orders.pages import sections
from anxin.orders.pages.sections import Refused, Section
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db

TEST_TEMPLATES = {
    "test/note.html": '<p id="note">{{ note }} for {{ order.number }}</p>',
    "test/stamp.html": '<p id="stamp">{{ stamp|default:"unstamped" }}</p>',
}


@pytest.fixture(autouse=True)
def _registry_and_templates(settings, monkeypatch):
    """Each test registers on a copy of the registry, and its templates come from memory."""
    monkeypatch.setattr(sections, "_sections", copy.deepcopy(sections._sections))
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", TEST_TEMPLATES),
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = [engine]


def stamp(request, order):
    if request.POST.get("stamp") == "bad":
        return Refused(400, {"stamp": "refused stamp"}, error="the stamp was refused")
    messages.success(request, "stamped")
    return redirect("web:order_detail", order_id=order.pk)


def test_the_pay_and_ship_actions_and_tracking_are_registered_by_their_own_apps():
    buyer = ["carrier", "tracking", "pay", "aftersales", "price_protection", "price_claims"]
    assert [s.name for s in sections.sections_for("buyer")] == buyer
    assert [s.name for s in sections.sections_for("seller")] == [
        "carrier",
        "ship",
        "tracking_fix",
        "courier",
        "tracking",
        "price_protection",
    ]
    assert [s.name for s in sections.sections_for("ops")] == ["carrier", "courier", "tracking"]
    assert sections.sections_for("seller")[1].post is not None


def test_a_section_shows_on_its_audiences_page_in_its_slot_with_its_own_context(client):
    sections.register("buyer", Section("note", "details", "test/note.html", lambda request, order: {"note": "hi"}))
    order = paid_order()
    client.force_login(order.buyer)
    text = client.get(f"/orders/{order.pk}/").text
    assert f'<p id="note">hi for {order.number}</p>' in text
    assert text.index('id="tracking"') < text.index('id="note"')  # after the sections registered before it
    client.force_login(f.staff(order.merchant))
    assert 'id="note"' not in client.get(f"/seller/orders/{order.pk}/").text


def test_registering_a_name_again_replaces_the_section():
    sections.register("ops", Section("note", "summary", "test/note.html"))
    sections.register("ops", Section("note", "details", "test/stamp.html"))
    notes = [s for s in sections.sections_for("ops") if s.name == "note"]
    assert len(notes) == 1 and notes[0].template == "test/stamp.html"


def test_unknown_slots_and_audiences_are_refused_at_registration():
    with pytest.raises(ValueError):
        Section("note", "sidebar", "test/note.html")
    with pytest.raises(ValueError):
        sections.register("courier", Section("note", "details", "test/note.html"))


def test_a_sections_post_is_handled_by_its_handler_and_a_refusal_shows_the_page_again(client):
    sections.register("seller", Section("stamp", "details", "test/stamp.html", post=stamp))
    order = paid_order()
    client.force_login(f.staff(order.merchant))
    r = client.post(f"/seller/orders/{order.pk}/", {"section": "stamp", "stamp": "bad"})
    assert r.status_code == 400
    assert '<p id="stamp">refused stamp</p>' in r.text and "the stamp was refused" in r.text
    r = client.post(f"/seller/orders/{order.pk}/", {"section": "stamp", "stamp": "ok"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "paid"  # the ship section was not asked


def test_a_post_naming_no_registered_section_is_not_found_and_changes_nothing(client):
    order = paid_order()
    client.force_login(f.staff(order.merchant))
    r = client.post(f"/seller/orders/{order.pk}/", {"section": "refund", "carrier": "顺丰", "tracking_number": "SF1"})
    assert r.status_code == 404
    order.refresh_from_db()
    assert order.state == "paid"
    client.force_login(order.buyer)
    assert client.post(f"/orders/{order.pk}/pay/").status_code == 409  # paid already: refused on the page
