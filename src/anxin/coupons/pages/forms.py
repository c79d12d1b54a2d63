"""The coupon issuing form of the ops console and the seller center: yuan typed into fen; the service
decides what is allowed and says why not, beside the field it names."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.core.pages import YuanField
from anxin.coupons import rules

REASONS = [(rules.CAMPAIGN, _("活动")), (rules.GOODWILL, _("客服补偿"))]


class IssueForm(forms.Form):
    buyer = forms.CharField(label=_("买家用户名"), max_length=150)
    amount = YuanField(label=_("面额（元）"), limit_fen=rules.MAX_AMOUNT_FEN)
    threshold = YuanField(label=_("使用门槛（元，0 为无门槛）"), required=False, limit_fen=rules.MAX_AMOUNT_FEN)
    valid_days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=rules.MAX_VALID_DAYS, initial=30)
    reason = forms.ChoiceField(label=_("原因"), choices=REASONS)
    # The form's own id: sent twice (a double click, a reload), it issues one coupon.
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["key"] = uuid.uuid4().hex


# The service's field names, as the form calls them.
FIELDS = {"amount": "amount", "threshold": "threshold", "valid_days": "valid_days", "reason": "reason"}
