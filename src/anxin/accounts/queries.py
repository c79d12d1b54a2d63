"""Reads of accounts: a user by name, and where a request comes from."""

from collections.abc import Mapping

from django.conf import settings
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower

from anxin.accounts import rules
from anxin.accounts.models import User


def users_named(username: str) -> QuerySet[User]:
    """The user with this (canonical) name in any case: compared as the unique index compares, by Lower()."""
    return User.objects.alias(lower_name=Lower("username")).filter(lower_name=Lower(Value(username)))


def client_address(meta: Mapping[str, str]) -> str:
    """The address a request's log-in and sign-up attempts are counted against (`rules.client_address`);
    X-Forwarded-For is believed only behind `ANXIN_TRUSTED_PROXY_COUNT` proxies."""
    return rules.client_address(
        meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), settings.ANXIN_TRUSTED_PROXY_COUNT
    )
