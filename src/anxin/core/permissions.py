"""Who may do what. Objects of another party are reported as not found, never as forbidden."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from anxin.core.errors import Forbidden, NotFound, Unauthorized


def require_login(user) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthorized(_("请先登录。"))


def require_role(user, *roles: str) -> None:
    """The caller must hold one of `roles` (a buyer cannot use the seller center, and so on)."""
    require_login(user)
    if user.role not in roles:
        raise Forbidden(_("你的账号没有使用这项功能的权限。"))


def owned(query: QuerySet, missing: str, *, lock: bool = False):
    """The one object of `query` (already narrowed to the caller's own objects), locked if asked; otherwise
    NotFound with `missing`, the same answer whether the object does not exist or belongs to someone else."""
    found = (query.select_for_update() if lock else query).first()
    if found is None:
        raise NotFound(missing)
    return found
