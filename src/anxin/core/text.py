"""The one check every piece of free text goes through before it is stored.

Control characters (a newline in a name, a bell in a scan's location, a right-to-left override in a title)
are invisible on the page yet change what the buyer reads, so text fields refuse them with a message the
person can act on. Multi-line fields (a review, a note) may keep line breaks and tabs, nothing else.
"""

from django.utils.translation import gettext as _

from anxin.core.errors import AnxinError
from anxin.core.rules import has_control_characters


def clean_text(value: object, *, field: str, max_length: int, required: bool = True, multiline: bool = False) -> str:
    """Strip `value` and refuse what is not plain text, too long or (when `required`) empty, as a 400 on `field`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnxinError(_("请填写文字。"), code="invalid_text", fields={field: _("请填写文字。")})
    text = value.strip()
    if not text and required:
        raise AnxinError(_("请填写此项。"), code="required", fields={field: _("请填写此项。")})
    if has_control_characters(text, multiline=multiline):
        message = _("不能包含换行、制表符等控制字符。") if not multiline else _("不能包含控制字符。")
        raise AnxinError(message, code="control_characters", fields={field: message})
    if len(text) > max_length:
        message = _("最多 %(max)d 个字，现在是 %(n)d 个。") % {"max": max_length, "n": len(text)}
        raise AnxinError(message, code="too_long", fields={field: message})
    return text
