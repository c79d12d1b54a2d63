"""The storefront's search form: every filter in the query string, each bounded; a value that does not parse
is left out of the search (with a note saying so), never a server error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.catalog import rules
from anxin.core.errors import translate
from anxin.core.pages import YuanField
from anxin.geo.data import PROVINCES

PRICE_LIMIT_FEN = 100_000_000  # the most a SKU may cost (¥1,000,000)
SORT_LABELS = {
    rules.SORT_RELEVANCE: _("综合"),
    rules.SORT_SALES: _("销量"),
    rules.SORT_PRICE_UP: _("价格从低到高"),
    rules.SORT_PRICE_DOWN: _("价格从高到低"),
    rules.SORT_NEWEST: _("新品"),
}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=100, required=False)
    c = forms.SlugField(label=_("类目"), max_length=60, required=False)
    sort = forms.ChoiceField(label=_("排序"), choices=list(SORT_LABELS.items()), required=False)
    brand = forms.CharField(label=_("品牌"), max_length=60, required=False)
    shop = forms.SlugField(label=_("店铺"), max_length=80, required=False)
    min = YuanField(label=_("最低价"), limit_fen=PRICE_LIMIT_FEN, required=False)
    max = YuanField(label=_("最高价"), limit_fen=PRICE_LIMIT_FEN, required=False)
    custom = forms.BooleanField(label=_("可定制"), required=False)
    free = forms.BooleanField(label=_("包邮"), required=False)
    to = forms.ChoiceField(label=_("收货省份"), choices=[(p.code, p.name) for p in PROVINCES], required=False)

    def asked(self) -> tuple[rules.SearchRequest, list[str]]:
        """The search asked for, and a note per value left out (a bad price, an unknown sort ...)."""
        self.is_valid()
        data = self.cleaned_data
        notes = [f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()]
        price_min, price_max = data.get("min"), data.get("max")
        problem = rules.price_range_problem(price_min, price_max)
        if problem is not None:
            notes.append(translate(problem))
            price_min = price_max = None
        request = rules.SearchRequest(
            text=data.get("q") or "",
            category_slug=data.get("c") or "",
            sort=data.get("sort") or "",
            brand=(data.get("brand") or "").strip(),
            shop_slug=data.get("shop") or "",
            price_min_fen=price_min,
            price_max_fen=price_max,
            personalizable=bool(data.get("custom")),
            free_shipping=bool(data.get("free")),
        )
        return request, notes
