"""People and their roles; buyers' addresses; API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        constraints = [
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

    kind = models.CharField(max_length=8, choices=Kind.choices)
    account = models.CharField(max_length=150, blank=True)  # accounts.rules.throttle_key of the name tried
    client = models.CharField(max_length=45, blank=True)  # accounts.rules.client_address
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "account", "at"], name="auth_attempt_by_account"),
            models.Index(fields=["kind", "client", "at"], name="auth_attempt_by_client"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.account or '-'} from {self.client or '?'}"
