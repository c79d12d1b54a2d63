"""买贵必赔 enrollment pages: the seller center's list of the shop's SKUs with 报名/退出 buttons, and the ops
console's campaigns (create, enroll SKUs by id, end). Each POST is one service call; a refusal shows the page
again with the reason and its status."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.core.pages import apply_error, ops_required, page_of, staff_required
from anxin.guarantee import rules_enrollment as rules
from anxin.guarantee.queries import enrollment as queries
from anxin.guarantee.services import enrollment as services

SKU_IDS_MAX_CHARS = 8000
SKUS_PAGE_SIZE = 50


# --- the seller center ---------------------------------------------------------------------------------


def _seller_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    page = page_of(request, queries.merchant_sku_list(request.user.merchant_id), SKUS_PAGE_SIZE)
    context = {"page": page, "rows": queries.sku_states(list(page.object_list), clock.now()), "error": error}
    return render(request, "guarantee/enrollment/seller_skus.html", context, status=status)


@require_GET
@staff_required
def seller_skus(request: HttpRequest) -> HttpResponse:
    return _seller_page(request)


@require_POST
@staff_required
def seller_enroll(request: HttpRequest, sku_id: int) -> HttpResponse:
    services.enroll_sku(request.user, sku_id)
    messages.success(request, _("已报名买贵必赔。"))
    return HttpResponseRedirect(reverse("web:seller_guarantee"))


@require_POST
@staff_required
def seller_unenroll(request: HttpRequest, sku_id: int) -> HttpResponse:
    try:
        services.end_sku_enrollment(request.user, sku_id)
    except AnxinError as exc:
        if exc.status == 404:
            raise
        return _seller_page(request, error=exc.message, status=exc.status)
    messages.success(request, _("已退出买贵必赔；此前付款的订单仍享有保障。"))
    return HttpResponseRedirect(reverse("web:seller_guarantee"))


# --- the ops console -----------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("活动名称"), max_length=rules.CAMPAIGN_NAME_MAX)
    multiplier = forms.TypedChoiceField(
        label=gettext_lazy("倍数"),
        choices=[(1, gettext_lazy("买贵必赔（1 倍）")), (2, gettext_lazy("买贵双倍赔（2 倍）"))],
        coerce=int,
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class CampaignSkusForm(forms.Form):
    sku_ids = forms.CharField(
        label=gettext_lazy("SKU 编号"),
        help_text=gettext_lazy("用逗号、空格或换行分隔，一次最多 500 个。"),
        max_length=SKU_IDS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_sku_ids(self) -> list[int]:
        words = self.cleaned_data["sku_ids"].replace(",", " ").replace("，", " ").split()
        if not all(word.isdigit() and len(word) <= 18 for word in words):
            raise forms.ValidationError(_("SKU 编号须是数字。"))
        return [int(word) for word in words]


def _campaigns_page(request: HttpRequest, form: CampaignForm, status: int = 200) -> HttpResponse:
    context = {"campaigns": queries.campaigns(), "form": form, "now": clock.now()}
    return render(request, "guarantee/enrollment/ops_campaigns.html", context, status=status)


@require_http_methods(["GET", "POST"])
@ops_required
def ops_campaigns(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _campaigns_page(request, CampaignForm())
    form = CampaignForm(request.POST)
    if not form.is_valid():
        return _campaigns_page(request, form, 400)
    try:
        campaign = services.create_campaign(request.user, **form.cleaned_data)
    except AnxinError as exc:
        apply_error(form, exc)
        return _campaigns_page(request, form, exc.status)
    messages.success(request, _("活动已创建。"))
    return HttpResponseRedirect(reverse("web:ops_guarantee_campaign", args=[campaign.pk]))


def _campaign_page(request: HttpRequest, campaign_id: int, form: CampaignSkusForm, status: int = 200) -> HttpResponse:
    campaign = queries.campaign(campaign_id)
    context = {
        "campaign": campaign,
        "enrollments": queries.campaign_skus(campaign),
        "form": form,
        "running": campaign.ends_at > clock.now(),
    }
    return render(request, "guarantee/enrollment/ops_campaign.html", context, status=status)


@require_http_methods(["GET", "POST"])
@ops_required
def ops_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    if request.method == "GET":
        return _campaign_page(request, campaign_id, CampaignSkusForm())
    form = CampaignSkusForm(request.POST)
    if not form.is_valid():
        queries.campaign(campaign_id)  # an unknown campaign is 404 before its form is judged
        return _campaign_page(request, campaign_id, form, 400)
    try:
        created = services.enroll_in_campaign(request.user, campaign_id, form.cleaned_data["sku_ids"])
    except AnxinError as exc:
        if exc.status == 404:
            raise
        apply_error(form, exc)
        return _campaign_page(request, campaign_id, form, exc.status)
    messages.success(request, _("已报名 %(n)s 个 SKU。") % {"n": len(created)})
    return HttpResponseRedirect(reverse("web:ops_guarantee_campaign", args=[campaign_id]))


@require_POST
@ops_required
def ops_campaign_end(request: HttpRequest, campaign_id: int) -> HttpResponse:
    try:
        services.end_campaign(request.user, campaign_id)
    except AnxinError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("web:ops_guarantee_campaign", args=[campaign_id]))
    messages.success(request, _("活动已结束。"))
    return HttpResponseRedirect(reverse("web:ops_guarantee_campaigns"))
