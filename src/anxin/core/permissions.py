"""Who may do what. Objects of another party are reported as not found, never as forbidden."""

from django.utils.translation import gettext as _

from anxin.core.errors import Forbidden, Unauthorized


def require_login(user) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthorized(_("请先登录。"))


def require_role(user, *roles: str) -> None:
    """The caller must hold one of `roles` (a buyer cannot use the seller center, and so on)."""
    require_login(user)
    if user.role not in roles:
        raise Forbidden(_("你的账号没有使用这项功能的权限。"))
