"""Sign-up, tokens and addresses: the only code that changes accounts."""

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anxin.accounts.models import Address, ApiToken, User
from anxin.core import clock, events
from anxin.core.errors import AnxinError, NotFound, Unauthorized
from anxin.geo.services import validate_address_codes

ADDRESS_FIELDS = ("recipient", "phone", "province_code", "city_code", "county_code", "street")


def sign_up_buyer(username: str, password: str, *, display_name: str = "") -> User:
    """A new buyer account; names are unique case-insensitively so 'Li' and 'li' are not two people."""
    username = username.strip()
    errors: dict[str, str] = {}
    if not username or len(username) > 150:
        errors["username"] = _("请填写用户名（最多150个字符）。")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("这个用户名已被使用。")
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise AnxinError(_("注册信息有误。"), code="invalid_signup", fields=errors)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, role=User.Role.BUYER, display_name=display_name.strip()[:64]
        )
        events.record("account.signed_up", user, {"role": user.role}, actor=user)
    return user


def issue_token(user: User, name: str = "api") -> str:
    """A new bearer token; the plain key is returned once and only its hash is kept."""
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user, name=name[:64], key_hash=ApiToken.hash(key), prefix=key[:8], created_at=clock.now()
    )
    return key


def log_in_for_token(username: str, password: str) -> tuple[User, str]:
    user = authenticate(username=username, password=password)
    if user is None:
        raise Unauthorized(_("用户名或密码不正确。"), code="bad_credentials")
    return user, issue_token(user)


def revoke_token(key: str) -> None:
    ApiToken.objects.filter(key_hash=ApiToken.hash(key)).delete()


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    return token.user


def _clean_address(data: dict) -> dict:
    cleaned = {field: str(data.get(field) or "").strip() for field in ADDRESS_FIELDS}
    errors: dict[str, str] = {}
    if not cleaned["recipient"] or len(cleaned["recipient"]) > 40:
        errors["recipient"] = _("请填写收件人（最多40个字）。")
    phone = cleaned["phone"].replace(" ", "").replace("-", "")
    if not (phone.isdigit() and 7 <= len(phone) <= 15):
        errors["phone"] = _("请填写有效的电话号码。")
    cleaned["phone"] = phone
    if not cleaned["street"] or len(cleaned["street"]) > 200:
        errors["street"] = _("请填写详细地址（最多200个字）。")
    if errors:
        raise AnxinError(_("地址信息有误。"), code="invalid_address", fields=errors)
    validate_address_codes(cleaned["province_code"], cleaned["city_code"], cleaned["county_code"])
    return cleaned


def add_address(user: User, data: dict, *, make_default: bool = False) -> Address:
    cleaned = _clean_address(data)
    with transaction.atomic():
        first = not user.addresses.exists()
        if make_default and not first:
            user.addresses.filter(is_default=True).update(is_default=False)
        address = Address.objects.create(user=user, is_default=make_default or first, created_at=clock.now(), **cleaned)
        events.record("address.added", address, {"province_code": address.province_code}, actor=user)
    return address


def update_address(user: User, address_id: int, data: dict, *, make_default: bool = False) -> Address:
    address = owned_address(user, address_id)
    current = {field: getattr(address, field) for field in ADDRESS_FIELDS}
    cleaned = _clean_address({**current, **{k: v for k, v in data.items() if v is not None}})
    with transaction.atomic():
        if make_default:
            user.addresses.filter(is_default=True).exclude(pk=address.pk).update(is_default=False)
            address.is_default = True
        for field, value in cleaned.items():
            setattr(address, field, value)
        address.save()
    return address


def delete_address(user: User, address_id: int) -> None:
    address = owned_address(user, address_id)
    with transaction.atomic():
        address.delete()
        if address.is_default:
            replacement = user.addresses.order_by("-id").first()
            if replacement:
                replacement.is_default = True
                replacement.save(update_fields=["is_default"])


def owned_address(user: User, address_id: int) -> Address:
    address = Address.objects.filter(pk=address_id, user=user).first()
    if address is None:
        raise NotFound(_("找不到这个地址。"))
    return address


def default_address(user: User) -> Address | None:
    return user.addresses.filter(is_default=True).first()
