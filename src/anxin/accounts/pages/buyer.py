"""The account pages: sign-up, log-in and log-out, and the buyer's delivery addresses with the
province/city/county selects that htmx refreshes as one of them changes."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.accounts import queries, rules, services
from anxin.accounts.pages.forms import AddressForm, LoginForm, SignUpForm
from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import apply_error, buyer_required, safe_next
from anxin.geo import queries as geo
from anxin.geo import rules as geo_rules

# --- sign-up, log-in, log-out -------------------------------------------------------------------------


def _desks() -> dict[str, tuple[str, ...]]:
    """Each staff role's own pages, its landing page first (ops also work the scan desk and the admin)."""
    return {
        "merchant_staff": (reverse("web:seller_dashboard"),),
        "ops": (reverse("web:ops_dashboard"), reverse("web:scans"), reverse("admin:index")),
        "carrier": (reverse("web:scans"),),
        "courier": (reverse("web:deliveries"),),
    }


class AnxinLoginView(LoginView):
    template_name = "accounts/buyer/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_success_url(self) -> str:
        """The landing page for the role (`rules.landing`), given the safe `next` the form carried."""
        return rules.landing(self.request.user.role, self.get_redirect_url(), _desks(), reverse("web:home"))

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.throttled is not None:
            _throttled(response, form.throttled)
        return response


def _throttled(response: HttpResponse, exc: services.TooManyAttempts) -> None:
    response.status_code = exc.status
    for name, value in exc.headers.items():
        response[name] = value


class AnxinLogoutView(LogoutView):
    http_method_names = ["post", "options"]


def _sign_up_page(request: HttpRequest, form: SignUpForm, error: AnxinError | None, **context: Any) -> HttpResponse:
    """The sign-up page: 200 when shown, the error's status (400, 409, 429 with Retry-After) when refused."""
    status = error.status if error else 200
    next_url = safe_next(request, "")  # kept through the code request and a refused try
    context = {"form": form, "error": error.message if error else "", "next": next_url, **context}
    response = render(request, "accounts/buyer/signup.html", context, status=status)
    if isinstance(error, services.TooManyAttempts):
        _throttled(response, error)
    return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignUpForm(request.POST or None)
    error = None
    if request.method == "POST":
        if not form.is_valid():
            return _sign_up_page(request, form, AnxinError(_("注册信息有误。"), code="invalid_signup"))
        try:
            user = services.sign_up_buyer(form.sign_up(), client=queries.client_address(request.META))
        except AnxinError as exc:
            apply_error(form, exc)
            error = exc
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("欢迎来到安心！"))
            return redirect(safe_next(request, reverse("web:home")))
    return _sign_up_page(request, form, error)


@require_POST
def signup_code(request: HttpRequest) -> HttpResponse:
    """Text a sign-up code to the phone typed. htmx gets the notice alone (swapped in beside the field);
    without script the whole page comes back with what was typed (the passwords excepted)."""
    sent, error = None, None
    try:
        sent = services.send_sign_up_code(request.POST.get("phone", ""), client=queries.client_address(request.META))
    except AnxinError as exc:
        error = exc
    if request.htmx:
        notice = {"sent": sent, "code_error": error.message if error else ""}
        response = render(request, "accounts/buyer/_code_notice.html", notice, status=error.status if error else 200)
        if isinstance(error, services.TooManyAttempts):
            _throttled(response, error)
        return response
    form = SignUpForm(request.POST)
    form.is_valid()
    if error is not None:
        apply_error(form, error)
    return _sign_up_page(request, form, error, sent=sent)


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html", {"version": rules.TERMS_VERSION})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html", {"version": rules.PRIVACY_VERSION})


# --- addresses ----------------------------------------------------------------------------------------


def _region_choices(province_code: str, city_code: str) -> dict[str, list]:
    """The three selects' options: provinces always, cities of the province, counties of the city."""

    def safe(read, code: str) -> list:
        if not code:
            return []
        try:
            return list(read(code))
        except AnxinError:
            return []

    cities = safe(geo.children, province_code)
    if city_code and not any(c.code == city_code for c in cities):
        city_code = ""
    counties = safe(geo.county_choices, city_code) if city_code else []
    return {"provinces": list(geo.children(None)), "cities": cities, "counties": counties}


def _address_context(form: AddressForm, *, address=None) -> dict[str, Any]:
    data = form.data if form.is_bound else form.initial
    province_code = (data.get("province_code") or "").strip()
    city_code = (data.get("city_code") or "").strip()
    county_code = (data.get("county_code") or "").strip()
    return {
        "form": form,
        "address": address,
        "regions": _region_choices(province_code, city_code),
        "province_code": province_code,
        "city_code": city_code,
        "county_code": county_code,
    }


@require_GET
@buyer_required
def address_list(request: HttpRequest) -> HttpResponse:
    addresses = geo.add_region_text(list(request.user.addresses.all()))
    return render(request, "accounts/buyer/addresses.html", {"addresses": addresses, "next": safe_next(request, "")})


def _missing_regions(data: dict[str, Any]) -> dict[str, str]:
    """An empty select is named as such, whatever the service says about the empty code."""
    messages_by_field = (
        ("province_code", _("请选择省份")),
        ("city_code", _("请选择城市")),
        ("county_code", _("请选择区县")),
    )
    return {field: message for field, message in messages_by_field if not data[field]}


def _pasted_form(request: HttpRequest) -> tuple[AddressForm, dict[str, str]]:
    """Smart paste: the form again, filled with what the pasted line said unambiguously over what was typed,
    and a notice naming the parts filled and the parts left to the person."""
    pasted = str(request.POST.get("paste", ""))
    result = geo.read_pasted_address(pasted)
    typed = {field: str(request.POST.get(field, ""))[:200] for field in services.ADDRESS_FIELDS}
    form = AddressForm(initial={**typed, **result.values, "make_default": bool(request.POST.get("make_default"))})
    labels = {name: str(field.label) for name, field in form.fields.items()}
    filled = [labels[part] for part in services.ADDRESS_FIELDS if part in result.values]
    missing = [labels[part] for part in result.missing if not typed[part].strip()]
    return form, {
        "text": pasted[: geo_rules.MAX_PASTE_CHARS],
        "filled": _("、").join(filled),
        "missing": _("、").join(missing),
    }


def _address_form_view(request: HttpRequest, *, address=None) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "paste":
        form, paste = _pasted_form(request)
        context = {**_address_context(form, address=address), "paste": paste, "next": safe_next(request, "")}
        return render(request, "accounts/buyer/address_form.html", context)
    initial: dict[str, Any] = {}
    if address is not None:
        initial = {field: getattr(address, field) for field in services.ADDRESS_FIELDS}
        initial["make_default"] = address.is_default
    if request.method == "GET":
        initial.update({k: v[:200] for k, v in request.GET.items() if k in services.ADDRESS_FIELDS})
    form = AddressForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {field: form.cleaned_data.get(field, "") for field in services.ADDRESS_FIELDS}
            missing = _missing_regions(data)
            make_default = form.cleaned_data["make_default"]
            try:
                if address is None:
                    services.add_address(request.user, data, make_default=make_default)
                else:
                    services.update_address(request.user, address.pk, data, make_default=make_default)
            except NotFound:
                raise
            except AnxinError as exc:
                named = bool(exc.fields)
                exc.fields = {key: value for key, value in exc.fields.items() if key not in missing}
                if exc.fields or not named:
                    apply_error(form, exc)
                for field, message in missing.items():
                    form.add_error(field, message)
            else:
                messages.success(request, _("地址已保存。"))
                return redirect(safe_next(request, reverse("web:address_list")))
        status = 400
    context = _address_context(form, address=address)
    context["next"] = safe_next(request, "")
    return render(request, "accounts/buyer/address_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@buyer_required
def address_new(request: HttpRequest) -> HttpResponse:
    return _address_form_view(request)


@require_http_methods(["GET", "POST"])
@buyer_required
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    return _address_form_view(request, address=services.owned_address(request.user, address_id))


@require_POST
@buyer_required
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    services.delete_address(request.user, address_id)
    messages.success(request, _("地址已删除。"))
    return redirect("web:address_list")


@require_GET
def region_selects(request: HttpRequest) -> HttpResponse:
    """htmx: the province/city/county selects again after one of them changed."""
    province_code = request.GET.get("province_code", "").strip()[:6]
    city_code = request.GET.get("city_code", "").strip()[:6]
    county_code = request.GET.get("county_code", "").strip()[:6]
    if city_code[:2] != province_code[:2]:
        city_code, county_code = "", ""
    if county_code[:4] != city_code[:4]:
        county_code = ""
    context = {
        "regions": _region_choices(province_code, city_code),
        "province_code": province_code,
        "city_code": city_code,
        "county_code": county_code,
        "form": AddressForm(),
    }
    return render(request, "accounts/buyer/_region_selects.html", context)
