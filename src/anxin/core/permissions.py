"""Who may do what. Objects of another party are reported as not found, never as forbidden."""

from typing import Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from anxin.core.errors import Forbidden, NotFound, Unauthorized

ModelT = TypeVar("ModelT", bound=Model)


class Person(Protocol):
    """What core needs of a signed-in account; `accounts.User` (a floor above core) has it."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def role(self) -> str: ...


def require_login(user: Person | AnonymousUser | None) -> Person:
    """The caller, signed in, so a role check can read its role; otherwise Unauthorized."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise Unauthorized(_("请先登录。"))
    return user


def require_role(user: Person | AnonymousUser | None, *roles: str) -> None:
    """The caller must hold one of `roles` (a buyer cannot use the seller center, and so on)."""
    if require_login(user).role not in roles:
        raise Forbidden(_("你的账号没有使用这项功能的权限。"))


def owned(query: QuerySet[ModelT], missing: str, *, lock: bool = False) -> ModelT:
    """The one object of `query` (already narrowed to the caller's own objects), locked if asked; otherwise
    NotFound with `missing`, the same answer whether the object does not exist or belongs to someone else."""
    found = (query.select_for_update() if lock else query).first()
    if found is None:
        raise NotFound(missing)
    return found
