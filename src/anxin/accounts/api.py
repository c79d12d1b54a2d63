"""Sign-up (with its text-message code), log-in (bearer tokens), the caller's profile and address book."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from anxin.accounts import queries, services
from anxin.accounts.models import Address
from anxin.core.permissions import require_login
from anxin.core.schemas import Input, paginate

router = Router(tags=["accounts"])

# Log-in and sign-up may also answer 429 (the throttle in `services.log_in`), which the shared error
# declarations of `anxin.openapi` do not know of.
THROTTLED = {
    "responses": {
        "429": {
            "description": "Too many attempts from this address or for this account; retry after the given seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    }
}


class Credentials(Input):
    username: str
    password: str


class SignUp(Credentials):
    display_name: str = ""
    phone: str
    code: str
    # Agreement to the current 用户协议 and 隐私政策 (/terms/, /privacy/); anything but true is refused.
    accept_terms: bool = False


class CodeRequest(Input):
    phone: str


class CodeSentOut(Schema):
    phone: str
    expires_at: datetime
    # The code itself, only while the configured sender is the simulated one (demo, tests); else null.
    simulated_code: str | None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    merchant_id: int | None = None


class TokenOut(Schema):
    token: str
    user: UserOut


class AddressIn(Input):
    recipient: str
    phone: str
    province_code: str
    city_code: str
    county_code: str
    street: str
    is_default: bool = False


class AddressPatch(Input):
    recipient: str | None = None
    phone: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    county_code: str | None = None
    street: str | None = None
    is_default: bool = False


class AddressOut(Schema):
    id: int
    recipient: str
    phone: str
    province_code: str
    city_code: str
    county_code: str
    street: str
    is_default: bool


@router.post("/auth/signup/code", auth=None, response={202: CodeSentOut}, openapi_extra=THROTTLED)
def send_sign_up_code(request: HttpRequest, payload: CodeRequest):
    """Text a sign-up code to a mainland mobile number that no account has yet (valid 10 minutes)."""
    sent = services.send_sign_up_code(payload.phone, client=queries.client_address(request.META))
    return 202, {"phone": sent.phone, "expires_at": sent.expires_at, "simulated_code": sent.shown_code or None}


@router.post("/auth/signup", auth=None, response={201: TokenOut}, openapi_extra=THROTTLED)
def sign_up(request: HttpRequest, payload: SignUp):
    """Create a buyer account (consenting to the terms and privacy notice, with the phone's code) and
    return a bearer token for it."""
    form = services.SignUp(**payload.dict())
    user, token = services.sign_up_for_token(form, client=queries.client_address(request.META))
    return 201, {"token": token, "user": user}


@router.post("/auth/login", auth=None, response=TokenOut, openapi_extra=THROTTLED)
def log_in(request: HttpRequest, payload: Credentials):
    """Exchange a username and password for a bearer token."""
    client = queries.client_address(request.META)
    user, token = services.log_in_for_token(payload.username, payload.password, client=client)
    return {"token": token, "user": user}


@router.post("/auth/logout", response={204: None})
def log_out(request: HttpRequest):
    """Revoke the bearer token used for this call."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.revoke_token(header[7:].strip())
    return 204, None


@router.get("/me", response=UserOut)
def me(request: HttpRequest):
    return request.auth


@router.get("/addresses", response=list[AddressOut])
@paginate
def list_addresses(request: HttpRequest):
    require_login(request.auth)
    return Address.objects.filter(user=request.auth)


@router.post("/addresses", response={201: AddressOut})
def add_address(request: HttpRequest, payload: AddressIn):
    data = payload.dict()
    make_default = data.pop("is_default")
    return 201, services.add_address(request.auth, data, make_default=make_default)


@router.patch("/addresses/{address_id}", response=AddressOut)
def update_address(request: HttpRequest, address_id: int, payload: AddressPatch):
    data = payload.dict()
    make_default = data.pop("is_default")
    return services.update_address(request.auth, address_id, data, make_default=make_default)


@router.delete("/addresses/{address_id}", response={204: None})
def delete_address(request: HttpRequest, address_id: int):
    services.delete_address(request.auth, address_id)
    return 204, None
