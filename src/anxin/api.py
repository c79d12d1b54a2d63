"""The JSON API at /api/: one NinjaAPI, a router per domain app, and errors shaped `{code, message, fields}`."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.openapi import declare_errors


class BearerToken(HttpBearer):
    """`Authorization: Bearer ax_...` for apps, couriers and carriers."""

    def authenticate(self, request: HttpRequest, token: str):
        from anxin.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Session(APIKeyCookie):
    """The pages' login session; unsafe methods also need the CSRF token, as on the pages."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class AnxinAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        return declare_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = AnxinAPI(
    title="Anxin API",
    version="1",
    description="Marketplace where every service promise is enforced, paid and measured.",
    auth=[BearerToken(), Session()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)


def error_response(request: HttpRequest, status: int, code: str, message: str, fields=None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


@api.exception_handler(AnxinError)
def anxin_error(request: HttpRequest, exc: AnxinError) -> HttpResponse:
    response = error_response(request, exc.status, exc.code, exc.message, exc.fields)
    for name, value in getattr(exc, "headers", {}).items():  # e.g. a throttle's Retry-After
        response[name] = value
    return response


def _field_path(loc) -> str:
    parts = [str(p) for p in loc if p not in {"body", "payload", "query", "path", "header"}]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        if error.get("type") == "json_invalid" or "JSON" in str(error.get("msg", "")):
            return error_response(request, 400, "malformed_json", _("请求体不是合法的 JSON。"))
        fields.setdefault(_field_path(error.get("loc", ())), str(error.get("msg", "invalid")))
    return error_response(request, 422, "invalid", _("请求中有字段不正确，请检查后重试。"), fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthorized", _("请先登录，或提供有效的访问令牌。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("找不到这个对象。"))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ValueError):  # the body could not be parsed (json.JSONDecodeError, bad encoding)
        return error_response(request, 400, "malformed_json", _("请求体不是合法的 JSON。"))
    return error_response(request, exc.status_code, "http_error", str(exc))


@api.get("/health", auth=None, tags=["platform"])
def health(request: HttpRequest) -> dict:
    """Liveness: answers without touching the database."""
    return {"status": "ok", "time": clock.now().isoformat()}


def _mount_routers() -> None:
    from anxin.accounts.api import router as accounts_router
    from anxin.aftersales.api import router as aftersales_router
    from anxin.catalog.api import router as catalog_router
    from anxin.checkout.api import router as checkout_router
    from anxin.coupons.api import router as coupons_router
    from anxin.fulfilment.api import router as fulfilment_router
    from anxin.geo.api import router as geo_router
    from anxin.guarantee.api import router as guarantee_router
    from anxin.orders.api import router as orders_router
    from anxin.payments.api import router as payments_router
    from anxin.shipping.api import router as shipping_router

    api.add_router("/", accounts_router)
    api.add_router("/geo", geo_router)
    api.add_router("/", catalog_router)
    api.add_router("/", shipping_router)
    api.add_router("/", coupons_router)
    api.add_router("/", checkout_router)
    api.add_router("/", payments_router)
    api.add_router("/", orders_router)
    api.add_router("/", fulfilment_router)
    api.add_router("/", aftersales_router)
    api.add_router("/", guarantee_router)


_mount_routers()
