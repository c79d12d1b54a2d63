"""Password validators of our own where Django's do not speak the platform's languages."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length check, worded in Chinese (with English in our catalogue): Django's own Simplified
    Chinese catalogue lacks this sentence since it was reworded, so sign-up answered it in English."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
