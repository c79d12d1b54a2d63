"""Sign-up, log-in and its throttle, tokens and addresses: the only code that changes accounts."""

import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from anxin.accounts import queries, rules, sms
from anxin.accounts.models import Address, ApiToken, AuthAttempt, Consent, PhoneCode, User
from anxin.core import clock, events
from anxin.core.errors import AnxinError, Conflict, NotFound, Unauthorized
from anxin.core.text import clean_text
from anxin.geo.services import validate_address_codes

ADDRESS_FIELDS = ("recipient", "phone", "province_code", "city_code", "county_code", "street")
# A token's "last used" is shown to a minute; stamping it more often would be a write on every API call.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


class UsernameTaken(Conflict):
    code = "username_taken"


class PhoneTaken(Conflict):
    code = "phone_taken"


class SmsFailed(AnxinError):
    status = 503
    code = "sms_failed"


class TooManyAttempts(AnxinError):
    """429: too many tries in a while; `headers` carries the Retry-After the API and the pages send."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, seconds: int):
        minutes = math.ceil(seconds / 60)
        super().__init__(_("尝试次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": minutes})
        self.retry_after = seconds
        self.headers = {"Retry-After": str(seconds)}


def _username_taken(username: str) -> bool:
    return queries.users_named(username).exists()


def _clean_username(value: object) -> str:
    """The one reading of a typed username, for sign-up and log-in alike: NFKC first, then the text policy
    (zero-width and bidi characters refused), so both compare the same form."""
    text = rules.canonical_username(value) if isinstance(value, str) else value
    return clean_text(text, field="username", max_length=150)


def _account_texts(username: object, *, display_name: object = "", phone: object = "") -> dict[str, str]:
    return {
        "username": _clean_username(username),
        "display_name": clean_text(display_name, field="display_name", max_length=64, required=False),
        "phone": clean_text(phone, field="phone", max_length=20, required=False),
    }


def _password_problems(password: str, texts: dict[str, str]) -> str:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS), in the request's language; the candidate user
    is passed so a password like the name is refused."""
    try:
        validate_password(password, user=User(username=texts["username"], display_name=texts["display_name"]))
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _create_account(texts: dict[str, str], password: str | None, role: str, **fields: Any) -> User:
    """The one way an account is made, from `_account_texts`. Names are unique case-insensitively so 'Li' and
    'li' are not two people. A weak password is answered with every problem of the form at once (400); a
    name already taken alone is a 409. Two sign-ups racing for one name both pass the first check, the
    database's unique index decides, and the loser gets the same 409 as if the name had been taken before.

    `password` None makes an account without a usable password (one that is set later)."""
    taken = _username_taken(texts["username"])
    password_problems = _password_problems(password, texts) if password is not None else ""
    if password_problems:
        errors = {"password": password_problems}
        if taken:
            errors["username"] = _("这个用户名已被使用。")
        raise AnxinError(_("注册信息有误。"), code="invalid_signup", fields=errors)
    if taken:
        raise _name_taken()
    try:
        with transaction.atomic():
            return User.objects.create_user(password=password, role=role, **texts, **fields)
    except IntegrityError:
        if texts["phone"] and User.objects.filter(phone=texts["phone"]).exists():
            raise _phone_taken() from None
        raise _name_taken() from None


def _name_taken() -> UsernameTaken:
    return UsernameTaken(_("这个用户名已被使用。"), fields={"username": _("这个用户名已被使用。")})


def _phone_taken() -> PhoneTaken:
    message = _("这个手机号已注册，请直接登录。")
    return PhoneTaken(message, fields={"phone": message})


# --- the throttle: counted attempts, shared by every process through the database ------------------------

LOGIN_LIMITS = (("account", rules.LOGIN_FAILURES_PER_ACCOUNT), ("client", rules.LOGIN_FAILURES_PER_ADDRESS))
SIGN_UP_LIMITS = (("client", rules.SIGN_UPS_PER_ADDRESS),)
Limits = tuple[tuple[str, rules.Limit], ...]


def _admit(kind: str, limits: Limits, *, account: str, client: str) -> AuthAttempt:
    """Count this attempt, then judge it; refused, it is uncounted again and 429 answered.

    The row is written (and, outside a transaction, committed) before the count, so of many requests racing
    the k-th to commit sees at least k rows: however many arrive at once, no more than the limit get through.
    An unknown client address (empty) is not counted: it would put every such client in one bucket."""
    now = clock.now()
    AuthAttempt.objects.filter(at__lt=now - rules.KEEP_ATTEMPTS).delete()
    attempt = AuthAttempt.objects.create(kind=kind, account=account, client=client, at=now)
    waits = [
        rules.retry_after(list(_counted(attempt, field, limit).exclude(pk=attempt.pk)[: limit.attempts]), limit, now)
        for field, limit in limits
        if getattr(attempt, field)
    ]
    wait = max((seconds for seconds in waits if seconds is not None), default=None)
    if wait is not None:
        attempt.delete()
        raise TooManyAttempts(wait)
    return attempt


def _counted(attempt: AuthAttempt, field: str, limit: rules.Limit) -> QuerySet:
    """The times of the attempts counted with `attempt` by `field` (its account or its client), newest first."""
    return (
        AuthAttempt.objects.filter(kind=attempt.kind, at__gt=attempt.at - limit.window)
        .filter(**{field: getattr(attempt, field)})
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
    )


def _record_lockouts(attempt: AuthAttempt, limits: Limits) -> None:
    """If `attempt` is the one that fills a limit, an event says who is locked out, by what and until when."""
    for field, limit in limits:
        if not getattr(attempt, field):
            continue
        until = rules.lockout_until(list(_counted(attempt, field, limit)[: limit.attempts + 1]), limit, attempt.at)
        if until is not None:
            data = {"kind": attempt.kind, "by": field, field: getattr(attempt, field), "until": until.isoformat()}
            events.record("account.locked_out", attempt, data)


def log_in(username: str, password: str, *, client: str) -> User:
    """The user these credentials belong to, for the login page and the API alike.

    Each failure counts against the account name and the client address (`accounts.rules` says how many are
    allowed); past the limit every try is refused with 429 before the password is looked at, the right one
    too, until the window has moved on. A success clears that account's failures, not the address's: one
    account of one's own must not reset the count of guesses at everybody else's."""
    name = _clean_username(username)
    account = rules.throttle_key(name)
    attempt = _admit(AuthAttempt.Kind.LOGIN, LOGIN_LIMITS, account=account, client=client)
    stored = queries.users_named(name).values_list("username", flat=True).first()
    user = authenticate(username=stored or name, password=password)
    if user is None:
        _record_lockouts(attempt, LOGIN_LIMITS)
        raise Unauthorized(_("用户名或密码不正确。"), code="bad_credentials")
    AuthAttempt.objects.filter(kind=AuthAttempt.Kind.LOGIN, account=account).delete()
    return user


# --- the mobile number: its code, sent through the configured sender ------------------------------------

# The one-a-minute pause is not a lockout worth an event; the hourly limits are.
SMS_CODE_LOCKOUTS = (("account", rules.CODES_PER_PHONE), ("client", rules.CODES_PER_ADDRESS))
SMS_CODE_LIMITS = (("account", rules.CODES_PER_PHONE_MINUTE), *SMS_CODE_LOCKOUTS)


@dataclass(frozen=True)
class CodeSent:
    """A code on its way: to which number, until when it is good, and the code itself only where the
    sender is simulated (`shown_code`, else empty), for the page's "simulated SMS" notice."""

    phone: str
    expires_at: datetime
    shown_code: str = ""

    @property
    def minutes(self) -> int:
        return int(rules.CODE_LIFETIME.total_seconds() // 60)


def clean_phone(value: object) -> str:
    """The 11-digit mainland mobile number typed (`rules.mainland_mobile`), or a 400 `invalid_phone`."""
    phone = rules.mainland_mobile(value) if isinstance(value, str) else None
    if phone is None:
        message = _("请填写有效的中国大陆手机号（11 位，以 1 开头）。")
        raise AnxinError(message, code="invalid_phone", fields={"phone": message})
    return phone


def send_sign_up_code(phone: object, *, client: str) -> CodeSent:
    """Text a sign-up code to a number no account has yet. Throttled per number (one a minute, five an hour)
    and per client address (`accounts.rules`); a new code replaces the number's earlier ones."""
    number = clean_phone(phone)
    if User.objects.filter(phone=number).exists():
        raise _phone_taken()
    attempt = _admit(AuthAttempt.Kind.SMS_CODE, SMS_CODE_LIMITS, account=number, client=client)
    _record_lockouts(attempt, SMS_CODE_LOCKOUTS)
    code, now = rules.new_code(), clock.now()
    with transaction.atomic():
        PhoneCode.objects.filter(phone=number, used_at__isnull=True).delete()
        row = PhoneCode.objects.create(
            phone=number, code_hash=PhoneCode.hash(number, code), created_at=now, expires_at=now + rules.CODE_LIFETIME
        )
    sender = sms.configured()
    sent = CodeSent(number, row.expires_at, code if sender.shows_code else "")
    text = _("【安心】您的注册验证码是 %(code)s，%(minutes)d 分钟内有效。请勿告诉他人。")
    try:
        sender.send(number, text % {"code": code, "minutes": sent.minutes})
    except sms.SendFailed:
        row.delete()
        attempt.delete()
        raise SmsFailed(_("短信发送失败，请稍后再试。")) from None
    return sent


def _code_refused(message: str, code: str) -> AnxinError:
    return AnxinError(message, code=code, fields={"code": message})


def _code_text(entered: object) -> str:
    """The code as typed, if it has a code's shape; else a 400 before anything is counted."""
    text = entered.strip() if isinstance(entered, str) else ""
    if not text:
        raise _code_refused(_("请填写短信验证码。"), "code_required")
    if not rules.code_shaped(text):
        raise _code_refused(_("验证码是 6 位数字。"), "invalid_code")
    return text


def _checked_code(phone: str, text: str) -> PhoneCode:
    """The number's newest code if `text` is it; a wrong guess is counted (committed, whatever happens
    next), so five of them spend the code."""
    row = PhoneCode.objects.filter(phone=phone, used_at__isnull=True).order_by("-created_at", "-pk").first()
    usable = row is not None and rules.code_usable(
        expires_at=row.expires_at, wrong_guesses=row.wrong_guesses, used=False, now=clock.now()
    )
    if row is None or not usable:
        raise _code_refused(_("验证码已失效，请重新获取。"), "code_expired")
    if not hmac.compare_digest(row.code_hash, PhoneCode.hash(phone, text)):
        PhoneCode.objects.filter(pk=row.pk).update(wrong_guesses=F("wrong_guesses") + 1)
        raise _code_refused(_("验证码不正确。"), "invalid_code")
    return row


def _spend_code(row: PhoneCode) -> None:
    """Mark the code used, once: of two sign-ups racing with one code, the second is refused."""
    if not PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=clock.now()):
        raise _code_refused(_("验证码已失效，请重新获取。"), "code_expired")


# --- sign-up --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUp:
    """What a person gives to sign up, on the page or through the API."""

    username: object
    password: str
    phone: object
    code: object
    accept_terms: object
    display_name: object = ""


def _require_consent(accepted: object) -> None:
    if accepted is not True:
        message = _("请阅读并同意《用户协议》和《隐私政策》。")
        raise AnxinError(message, code="consent_required", fields={"accept_terms": message})


def _admit_sign_up(form: SignUp, client: str) -> tuple[dict[str, str], PhoneCode]:
    """A sign-up's consent and texts, checked (400, nothing written), then counted against the client
    address (a taken name or a weak password counts too, so names cannot be probed faster than the limit),
    then the number (409 if an account has it) and its code."""
    _require_consent(form.accept_terms)
    texts = _account_texts(form.username, display_name=form.display_name)
    texts["phone"] = clean_phone(form.phone)
    code = _code_text(form.code)
    attempt = _admit(AuthAttempt.Kind.SIGN_UP, SIGN_UP_LIMITS, account="", client=client)
    _record_lockouts(attempt, SIGN_UP_LIMITS)
    if User.objects.filter(phone=texts["phone"]).exists():
        raise _phone_taken()
    return texts, _checked_code(texts["phone"], code)


def _open_buyer_account(texts: dict[str, str], password: str, code: PhoneCode, client: str) -> User:
    now = clock.now()
    user = _create_account(texts, password, User.Role.BUYER, phone_verified_at=now)
    _spend_code(code)
    versions = {Consent.Document.TERMS: rules.TERMS_VERSION, Consent.Document.PRIVACY: rules.PRIVACY_VERSION}
    Consent.objects.bulk_create(
        Consent(user=user, document=document, version=version, at=now, client=client)
        for document, version in versions.items()
    )
    data = {"role": user.role, "phone_verified": True, "consents": {str(d): v for d, v in versions.items()}}
    events.record("account.signed_up", user, data, actor=user)
    return user


def sign_up_buyer(form: SignUp, *, client: str) -> User:
    """A new buyer account, signed up by the buyer on the page: consent to the current terms and privacy
    notice, and a mobile number confirmed by the code texted to it."""
    texts, code = _admit_sign_up(form, client)
    with transaction.atomic():
        return _open_buyer_account(texts, form.password, code, client)


def create_staff_account(
    merchant: Any, username: str, password: str | None, *, actor: User, display_name: str = "", phone: str = ""
) -> User:
    """A staff account of `merchant`, opened by ops (catalog's `onboard_merchant` calls this)."""
    texts = _account_texts(username, display_name=display_name, phone=phone)
    with transaction.atomic():
        user = _create_account(texts, password, User.Role.MERCHANT_STAFF, merchant=merchant)
        events.record("account.created", user, {"role": user.role, "merchant_id": merchant.pk}, actor=actor)
    return user


def sign_up_for_token(form: SignUp, *, client: str) -> tuple[User, str]:
    """Sign-up through the API: the new account and a bearer token for it, in one transaction."""
    texts, code = _admit_sign_up(form, client)
    with transaction.atomic():
        user = _open_buyer_account(texts, form.password, code, client)
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


def log_in_for_token(username: str, password: str, *, client: str) -> tuple[User, str]:
    """Log-in through the API: `log_in`, then a bearer token."""
    user = log_in(username, password, client=client)
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
