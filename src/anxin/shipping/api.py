"""Shipping templates under /api/ (merchant staff): what a parcel costs to each province."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from anxin.core.permissions import require_role
from anxin.core.schemas import Input
from anxin.shipping import queries, services
from anxin.shipping.models import ShippingTemplate

router = Router(tags=["shipping"])


class RegionFeeIn(Input):
    provinces: list[str] = Field(..., max_length=31)
    first_fen: int = Field(..., ge=0, le=10_000_000)
    step_fen: int = Field(..., ge=0, le=10_000_000)


class FreeRuleIn(Input):
    provinces: list[str] = Field([], max_length=31)
    kind: Literal["always", "subtotal", "pieces"]
    threshold: int = Field(0, ge=0, le=100_000_000)


class TemplateIn(Input):
    name: str = Field(..., min_length=1, max_length=60)
    mode: Literal["weight", "piece"] = "weight"
    first_units: int = Field(1000, ge=1, le=1_000_000)
    first_fen: int = Field(..., ge=0, le=10_000_000)
    step_units: int = Field(1000, ge=1, le=1_000_000)
    step_fen: int = Field(..., ge=0, le=10_000_000)
    regions: list[RegionFeeIn] = Field([], max_length=31)
    free: list[FreeRuleIn] = Field([], max_length=31)
    excluded_provinces: list[str] = Field([], max_length=31)


class RegionFeeOut(Schema):
    provinces: list[str]
    first_fen: int
    step_fen: int


class FreeRuleOut(Schema):
    provinces: list[str]
    kind: str
    threshold: int


class TemplateOut(Schema):
    id: int
    name: str
    mode: str
    first_units: int
    first_fen: int
    step_units: int
    step_fen: int
    excluded_provinces: list[str]
    regions: list[RegionFeeOut]
    free: list[FreeRuleOut]

    @staticmethod
    def resolve_regions(template) -> list:
        return list(template.region_fees.all())

    @staticmethod
    def resolve_free(template) -> list:
        return list(template.free_rules.all())


class PreviewRow(Schema):
    province_code: str
    province_name: str
    fee_fen: int | None


class TemplateAssignIn(Input):
    product_ids: list[int] = Field(..., min_length=1, max_length=500)
    template_id: int | None = None


def _template_out(template: ShippingTemplate) -> ShippingTemplate:
    return queries.with_rules(ShippingTemplate.objects.filter(pk=template.pk)).get()


@router.get("/seller/shipping-templates", response=list[TemplateOut], tags=["seller"])
def list_templates(request: HttpRequest):
    require_role(request.auth, "merchant_staff")
    return list(queries.with_rules(ShippingTemplate.objects.filter(merchant_id=request.auth.merchant_id)))


@router.post("/seller/shipping-templates", response={201: TemplateOut}, tags=["seller"])
def create_template(request: HttpRequest, payload: TemplateIn):
    return 201, _template_out(services.save_template(request.auth, payload.dict()))


@router.put("/seller/shipping-templates/{template_id}", response=TemplateOut, tags=["seller"])
def replace_template(request: HttpRequest, template_id: int, payload: TemplateIn):
    return _template_out(services.save_template(request.auth, payload.dict(), template_id))


@router.get("/seller/shipping-templates/{template_id}/preview", response=list[PreviewRow], tags=["seller"])
def preview_template(request: HttpRequest, template_id: int, weight_g: int = 1000):
    """The fee of one parcel (1 kg by default) to every province."""
    template = services.own_template(request.auth, template_id)
    rows = services.preview(template, max(1, min(weight_g, 1_000_000)))
    return [{"province_code": code, "province_name": name, "fee_fen": fee} for code, name, fee in rows]


@router.post("/seller/shipping-assignments", response={200: dict}, tags=["seller"])
def assign_template(request: HttpRequest, payload: TemplateAssignIn):
    count = services.assign_template(request.auth, payload.product_ids, payload.template_id)
    return {"updated": count}
