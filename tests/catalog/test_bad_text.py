"""Every free-text field of the catalog refuses control characters with a 400 and writes nothing."""

import json

import pytest

from anxin.catalog.models import SKU, PersonalizationQuestion, Product
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db

BAD = "李\u202e雷"


def _refused(response, *fields: str) -> None:
    """Refused naming the field: by the service (`questions.0`) or, for a C0 control, by the request guard,
    which names it by its place in the body (`0.options.0.label`)."""
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "control_characters"
    assert any(key.startswith(fields) for key in response.json()["fields"]), response.json()


@pytest.mark.parametrize("field", ["title", "title_en", "brand"])
def test_a_new_product_with_a_control_character_is_refused(field):
    staff = f.staff()
    body = {"title": "香水", "category_id": f.category().pk, field: BAD}
    _refused(f.post_json(f.api_client(staff), "/api/seller/products", body), field)
    assert not Product.objects.exists() and not Event.objects.filter(kind__startswith="product.").exists()


def test_a_description_may_have_line_breaks_but_not_other_control_characters():
    staff = f.staff()
    client = f.api_client(staff)
    body = {"title": "香水", "category_id": f.category().pk}
    ok = f.post_json(client, "/api/seller/products", {**body, "description": "前调\n中调"})
    assert ok.status_code == 201
    _refused(f.post_json(client, "/api/seller/products", {**body, "description": "前调\x07"}), "description")
    assert Product.objects.count() == 1


def test_editing_a_title_with_a_newline_changes_nothing():
    staff = f.staff()
    item = f.product(staff.merchant, title="保温杯")
    response = f.api_client(staff).patch(
        f"/api/seller/products/{item.pk}", json.dumps({"title": "保温\n杯"}), content_type="application/json"
    )
    _refused(response, "title")
    item.refresh_from_db()
    assert item.title == "保温杯" and not Event.objects.filter(kind="product.updated").exists()


@pytest.mark.parametrize(
    "sku", [{"code": "A\x00"}, {"spec": {"颜色": BAD}}, {"spec": {"颜\n色": "红"}}], ids=["code", "value", "name"]
)
def test_a_sku_with_a_control_character_in_its_code_or_spec_is_refused(sku):
    staff = f.staff()
    item = f.product(staff.merchant)
    body = {"code": "A-1", "price_fen": 100, **sku}
    _refused(f.post_json(f.api_client(staff), f"/api/seller/products/{item.pk}/skus", body), next(iter(sku)))
    assert SKU.objects.count() == 1 and not Event.objects.filter(kind="sku.created").exists()


def test_a_sku_spec_edit_with_a_control_character_changes_nothing():
    staff = f.staff()
    sku = f.product(staff.merchant).skus.first()
    response = f.api_client(staff).patch(
        f"/api/seller/skus/{sku.pk}", json.dumps({"spec": {"颜色": BAD}}), content_type="application/json"
    )
    _refused(response, "spec")
    assert SKU.objects.get(pk=sku.pk).spec == {"颜色": "黑"}
    assert not Event.objects.filter(kind__startswith="sku.").exists()


@pytest.mark.parametrize(
    "question",
    [
        {"kind": "text", "label": BAD},
        {"kind": "choice", "label": "香调", "options": [{"label": "玫瑰\x1b"}]},
    ],
    ids=["question", "option"],
)
def test_question_and_option_labels_with_a_control_character_are_refused(question):
    staff = f.staff()
    item = f.product(staff.merchant)
    f.text_question(item, label="印字")
    response = f.api_client(staff).put(
        f"/api/seller/products/{item.pk}/questions", json.dumps([question]), content_type="application/json"
    )
    _refused(response, "questions.0", "0.")
    assert list(PersonalizationQuestion.objects.values_list("label", flat=True)) == ["印字"]
    assert not Event.objects.filter(kind="product.questions_set").exists()
