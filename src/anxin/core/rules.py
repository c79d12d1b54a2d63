"""Pure policy shared by every domain: no Django, no database, no clock.

Rules speak to people, yet must not import Django's gettext (that would tie them to settings and the active
language). So a rule returns a `Message`: the Chinese source sentence, the values to put into it and a
machine code, and the edge (`core.errors.AnxinError`, `core.errors.translate`) translates it when it answers.
Rules build messages with `_ = message`, the name `makemessages` already extracts, so the msgids stay in
`locale/en/LC_MESSAGES/django.po` with their English.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_LINE_BREAKS = {"\n", "\r", "\t"}


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True if `text` holds a character a person cannot see; line breaks and tabs count unless `multiline`."""
    allowed = _LINE_BREAKS if multiline else set()
    return any(ch not in allowed and unicodedata.category(ch) in _INVISIBLE for ch in text)


@dataclass(frozen=True)
class Message:
    """A sentence for a person, untranslated: `msgid` is the gettext source string, `params` fill its `%(name)s`."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)
    code: str = ""

    def interpolate(self, template: str) -> str:
        """`template` (the msgid or its translation) with the params put in; a msgid without params is used as is."""
        return template % dict(self.params) if self.params else template

    def __str__(self) -> str:
        """The Chinese source sentence, for logs and exceptions; people get `core.errors.translate`."""
        return self.interpolate(self.msgid)


def message(msgid: str, /, *, code: str = "", **params: object) -> Message:
    """Mark `msgid` for translation without translating it; rules import this as `_`."""
    return Message(msgid, params, code)


def whole_number_problem(value: object, low: int, high: int) -> Message | None:
    """Why `value` cannot be one of the rules' numbers, or None: a whole number from `low` to `high`.
    A bool is not a number here (`True` would silently count as 1)."""
    _ = message
    if isinstance(value, bool) or not isinstance(value, int):
        return _("须为整数。", code="not_integer")
    if not low <= value <= high:
        return _("须在 %(low)s 到 %(high)s 之间。", code="out_of_range", low=f"{low:,}", high=f"{high:,}")
    return None
