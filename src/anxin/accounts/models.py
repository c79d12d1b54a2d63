"""People and their roles; buyers' addresses; API tokens."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    class Role(models.TextChoices):
        BUYER = "buyer", _("买家")
        MERCHANT_STAFF = "merchant_staff", _("商家员工")
        OPS = "ops", _("平台运营")
        COURIER = "courier", _("骑手/快递员")
        CARRIER = "carrier", _("物流承运商")

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.BUYER)
    merchant = models.ForeignKey(
        "catalog.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    display_name = models.CharField(max_length=64, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    # When the phone was confirmed by a code sent to it (sign-up); empty for accounts opened by ops.
    phone_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("plural", "用户")
        constraints = [
            # One account per mobile number, so a phone identifies its owner; accounts without one are many.
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
            models.CheckConstraint(
                condition=Q(role="merchant_staff", merchant__isnull=False) | (~Q(role="merchant_staff")),
                name="merchant_staff_has_merchant",
            ),
            # "Li" and "li" are one person: the sign-up check is backed here, so a race cannot make two.
            models.UniqueConstraint(Lower("username"), name="username_unique_case_insensitive"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class Address(models.Model):
    """A delivery address; its codes were checked against the region table when it was saved."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    recipient = models.CharField(max_length=40)
    phone = models.CharField(max_length=20)
    province_code = models.CharField(max_length=6)
    city_code = models.CharField(max_length=6)
    county_code = models.CharField(max_length=6)
    street = models.CharField(max_length=200)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = pgettext_lazy("singular", "收货地址")
        verbose_name_plural = pgettext_lazy("plural", "收货地址")
        ordering = ["-is_default", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_default=True), name="one_default_address_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.street}"


class ApiToken(models.Model):
    """A bearer token for apps, couriers and carriers; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = pgettext_lazy("plural", "接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "ax_" + secrets.token_urlsafe(32)


class AuthAttempt(models.Model):
    """One try at logging in or signing up, counted by the throttle. A table and not a per-process cache,
    because every web worker on every host must see the same count; rows older than the longest window
    are deleted as new ones are written, and an account's login rows as soon as it logs in."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        SIGN_UP = "sign_up", _("注册")
        SMS_CODE = "sms_code", _("短信验证码")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    account = models.CharField(max_length=150, blank=True)  # accounts.rules.throttle_key of the name tried
    client = models.CharField(max_length=45, blank=True)  # accounts.rules.client_address
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = pgettext_lazy("plural", "登录尝试")
        indexes = [
            models.Index(fields=["kind", "account", "at"], name="auth_attempt_by_account"),
            models.Index(fields=["kind", "client", "at"], name="auth_attempt_by_client"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.account or '-'} from {self.client or '?'}"


class Consent(models.Model):
    """A person's agreement to one version of a document (用户协议, 隐私政策), kept as evidence: which text,
    when, from where. A new version of a document asks again; these rows are never changed."""

    class Document(models.TextChoices):
        TERMS = "terms", _("用户协议")
        PRIVACY = "privacy", _("隐私政策")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(max_length=8, choices=Document.choices)
    version = models.CharField(max_length=16)
    at = models.DateTimeField()
    client = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = pgettext_lazy("plural", "同意记录")
        constraints = [
            models.UniqueConstraint(fields=["user", "document", "version"], name="one_consent_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.document} {self.version}"


class PhoneCode(models.Model):
    """A verification code sent to a mobile number; only its hash is kept. It is good for one use, until
    it expires or too many wrong guesses were made (`accounts.rules`)."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    wrong_guesses = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = pgettext_lazy("plural", "手机验证码")

    def __str__(self) -> str:
        return f"{self.phone} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def hash(phone: str, code: str) -> str:
        """Keyed by the installation's secret and the number: a copy of the table does not give the codes
        away to someone trying all million of them."""
        return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()
