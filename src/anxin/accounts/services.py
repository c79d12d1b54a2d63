"""Sign-up, tokens and addresses: the only code that changes accounts."""

from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from anxin.accounts.models import Address, ApiToken, User
from anxin.core import clock, events
from anxin.core.errors import AnxinError, Conflict, NotFound, Unauthorized
from anxin.core.text import clean_text
from anxin.geo.services import validate_address_codes

ADDRESS_FIELDS = ("recipient", "phone", "province_code", "city_code", "county_code", "street")
# A token's "last used" is shown to a minute; stamping it more often would be a write on every API call.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class UsernameTaken(Conflict):
    code = "username_taken"


def _username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def _create_account(
    username: str, password: str | None, role: str, *, display_name: str = "", phone: str = "", **fields: Any
) -> User:
    """The one way an account is made. Names are unique case-insensitively so 'Li' and 'li' are not two
    people; two sign-ups racing for one name both pass the first check, the database's unique index decides,
    and the loser gets the same clear answer as if the name had been taken before.

    `password` None makes an account without a usable password (one that is set later)."""
    username = clean_text(username, field="username", max_length=150)
    display_name = clean_text(display_name, field="display_name", max_length=64, required=False)
    phone = clean_text(phone, field="phone", max_length=20, required=False)
    errors: dict[str, str] = {}
    if _username_taken(username):
        errors["username"] = _("这个用户名已被使用。")
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
    if errors:
        raise AnxinError(_("注册信息有误。"), code="invalid_signup", fields=errors)
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, password=password, role=role, display_name=display_name, phone=phone, **fields
            )
    except IntegrityError:
        raise UsernameTaken(_("这个用户名已被使用。"), fields={"username": _("这个用户名已被使用。")}) from None


def sign_up_buyer(username: str, password: str, *, display_name: str = "") -> User:
    """A new buyer account, signed up by the buyer."""
    with transaction.atomic():
        user = _create_account(username, password, User.Role.BUYER, display_name=display_name)
        events.record("account.signed_up", user, {"role": user.role}, actor=user)
    return user


def create_staff_account(
    merchant: Any, username: str, password: str | None, *, actor: User, display_name: str = "", phone: str = ""
) -> User:
    """A staff account of `merchant`, opened by ops (catalog's `onboard_merchant` calls this)."""
    with transaction.atomic():
        user = _create_account(
            username, password, User.Role.MERCHANT_STAFF, display_name=display_name, phone=phone, merchant=merchant
        )
        events.record("account.created", user, {"role": user.role, "merchant_id": merchant.pk}, actor=actor)
    return user


def sign_up_for_token(username: str, password: str, *, display_name: str = "") -> tuple[User, str]:
    """Sign-up through the API: the new account and a bearer token for it, in one transaction."""
    with transaction.atomic():
        user = sign_up_buyer(username, password, display_name=display_name)
        return user, issue_token(user)


def issue_token(user: User, name: str = "api") -> str:
    """A new bearer token; the plain key is returned once and only its hash is kept."""
    name = clean_text(name, field="name", max_length=64)
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[:8], created_at=clock.now()
        )
        events.record("api_token.issued", token, {"name": token.name, "prefix": token.prefix}, actor=user)
    return key


def log_in_for_token(username: str, password: str) -> tuple[User, str]:
    user = authenticate(username=username, password=password)
    if user is None:
        raise Unauthorized(_("用户名或密码不正确。"), code="bad_credentials")
    return user, issue_token(user)


def revoke_token(key: str) -> None:
    """Unknown keys are ignored: logging out twice is not an error."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(key_hash=ApiToken.hash(key)).first()
        if token is None:
            return
        events.record("api_token.revoked", token, {"name": token.name, "prefix": token.prefix}, actor=token.user)
        token.delete()


def user_for_token(key: str) -> User | None:
    """The active user a bearer key belongs to; stamps the token's last use at most once a minute."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    _stamp_use(token)
    return token.user


def _stamp_use(token: ApiToken) -> None:
    """A conditional UPDATE, so concurrent requests with one token write once and never wait on each other."""
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOKEN_USE_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


ADDRESS_TEXTS = {"recipient": 40, "street": 200}


def _clean_address(data: dict) -> dict:
    """Every field's problem at once, so a form can show each in place; control characters name their code."""
    cleaned = {field: str(data.get(field) or "").strip() for field in ADDRESS_FIELDS}
    errors: dict[str, str] = {}
    code = "invalid_address"
    for field, max_length in ADDRESS_TEXTS.items():
        try:
            cleaned[field] = clean_text(data.get(field), field=field, max_length=max_length)
        except AnxinError as exc:
            errors.update(exc.fields)
            code = "control_characters" if exc.code == "control_characters" else code
    phone = cleaned["phone"].replace(" ", "").replace("-", "")
    if not (phone.isdigit() and 7 <= len(phone) <= 15):
        errors["phone"] = _("请填写有效的电话号码。")
    cleaned["phone"] = phone
    if errors:
        raise AnxinError(_("地址信息有误。"), code=code, fields=errors)
    validate_address_codes(cleaned["province_code"], cleaned["city_code"], cleaned["county_code"])
    return cleaned


def _lock_address_book(user: User) -> None:
    """Every change to a user's addresses first locks the user's row, so two of them (two "make default",
    two first addresses) run one after the other instead of colliding on the one-default index."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def _unset_default(user: User, keep: Address | None = None) -> int | None:
    """Clear the current default (other than `keep`); the id it had, for the event's history."""
    defaults = user.addresses.filter(is_default=True)
    current = (defaults.exclude(pk=keep.pk) if keep is not None else defaults).first()
    if current is None:
        return None
    current.is_default = False
    current.save(update_fields=["is_default"])
    return current.pk


def add_address(user: User, data: dict, *, make_default: bool = False) -> Address:
    cleaned = _clean_address(data)
    with transaction.atomic():
        _lock_address_book(user)
        first = not user.addresses.exists()
        previous_default = _unset_default(user) if make_default and not first else None
        address = Address.objects.create(user=user, is_default=make_default or first, created_at=clock.now(), **cleaned)
        events.record(
            "address.added",
            address,
            {"after": _snapshot(address), "previous_default_id": previous_default},
            actor=user,
        )
    return address


def _snapshot(address: Address) -> dict:
    return {field: getattr(address, field) for field in (*ADDRESS_FIELDS, "is_default")}


def update_address(user: User, address_id: int, data: dict, *, make_default: bool = False) -> Address:
    with transaction.atomic():
        _lock_address_book(user)
        address = owned_address(user, address_id)
        before = _snapshot(address)
        cleaned = _clean_address({**before, **{k: v for k, v in data.items() if v is not None}})
        previous_default = _unset_default(user, keep=address) if make_default else None
        address.is_default = address.is_default or make_default
        for field, value in cleaned.items():
            setattr(address, field, value)
        address.save()
        changed = events.changes(before, _snapshot(address))
        if changed:
            events.record(
                "address.updated", address, {"changes": changed, "previous_default_id": previous_default}, actor=user
            )
    return address


def delete_address(user: User, address_id: int) -> None:
    """Deleting the default makes the newest remaining address the default, so checkout always has one."""
    with transaction.atomic():
        _lock_address_book(user)
        address = owned_address(user, address_id)
        replacement = user.addresses.exclude(pk=address.pk).order_by("-id").first() if address.is_default else None
        events.record(
            "address.deleted",
            address,
            {"before": _snapshot(address), "new_default_id": getattr(replacement, "pk", None)},
            actor=user,
        )
        address.delete()
        if replacement is not None:
            replacement.is_default = True
            replacement.save(update_fields=["is_default"])


def owned_address(user: User, address_id: int) -> Address:
    address = Address.objects.filter(pk=address_id, user=user).first()
    if address is None:
        raise NotFound(_("找不到这个地址。"))
    return address
