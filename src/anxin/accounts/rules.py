"""Pure policy of accounts: what one name is, where a request comes from, and how many tries are allowed.

No Django, no database, no clock: times are passed in, so the throttle's arithmetic is tested in microseconds.
"""

import ipaddress
import math
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


def canonical_username(text: str) -> str:
    """The form a username is stored and compared in. NFKC folds full-width and other compatibility forms
    ("ｂｕｙｅｒ" is "buyer"), so a name cannot be taken twice by spelling it in another width; zero-width and
    bidi characters survive NFKC and are refused by the text policy afterwards."""
    return unicodedata.normalize("NFKC", text)


def throttle_key(username: str) -> str:
    """One account's counter, whatever case the name was typed in (names are unique case-insensitively)."""
    return canonical_username(username).strip().lower()


def client_address(remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The address a request is counted against. Without a trusted proxy it is the peer: X-Forwarded-For is
    then whatever the client chose to write. Behind `trusted_proxies` proxies it is the hop the outermost of
    them appended, the `trusted_proxies`-th from the right; hops left of it were written by the client too.
    An address that does not parse falls back to the peer, so a forged header never makes a new counter."""
    if trusted_proxies > 0:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if len(hops) >= trusted_proxies:
            forwarded = _ip(hops[-trusted_proxies])
            if forwarded:
                return forwarded
    return _ip(remote_addr)


def _ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return ""


@dataclass(frozen=True)
class Limit:
    """At most `attempts` counted attempts in any `window`."""

    attempts: int
    window: timedelta


LOGIN_FAILURES_PER_ACCOUNT = Limit(10, timedelta(minutes=15))
LOGIN_FAILURES_PER_ADDRESS = Limit(50, timedelta(minutes=15))
SIGN_UPS_PER_ADDRESS = Limit(20, timedelta(hours=1))
# Text messages cost money and annoy the number's owner: one a minute and five an hour to a number, and
# twenty an hour from one address, however many numbers it tries.
CODES_PER_PHONE = Limit(5, timedelta(hours=1))
CODES_PER_PHONE_MINUTE = Limit(1, timedelta(minutes=1))
CODES_PER_ADDRESS = Limit(20, timedelta(hours=1))
# Attempts older than every window count for nothing and may be deleted.
KEEP_ATTEMPTS = max(
    LOGIN_FAILURES_PER_ACCOUNT.window,
    LOGIN_FAILURES_PER_ADDRESS.window,
    SIGN_UPS_PER_ADDRESS.window,
    CODES_PER_PHONE.window,
    CODES_PER_ADDRESS.window,
)

# --- the mobile number and its verification code ----------------------------------------------------

CODE_LENGTH = 6
CODE_LIFETIME = timedelta(minutes=10)
# A code guessed wrong this many times is spent: six digits then stand up to five guesses, not a million.
CODE_GUESSES = 5
# The versions of the documents a sign-up agrees to (the dates they took effect); a new text, a new version.
TERMS_VERSION = "2026-12-01"
PRIVACY_VERSION = "2026-12-01"

_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


def mainland_mobile(text: str) -> str | None:
    """The 11-digit mainland mobile number written in `text` (spaces, dashes and a leading +86 or 86 allowed;
    full-width digits folded), or None if it is not one: `1[3-9]` and nine more digits."""
    compact = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    for prefix in ("+86", "0086"):
        compact = compact.removeprefix(prefix)
    if len(compact) == 13 and compact.startswith("86"):
        compact = compact[2:]
    return compact if _MAINLAND_MOBILE.fullmatch(compact) else None


def new_code() -> str:
    """A random code of `CODE_LENGTH` digits, from the system's secure random source."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_shaped(text: str) -> bool:
    """`CODE_LENGTH` ASCII digits: anything else is a typing slip, refused before it counts as a guess."""
    return len(text) == CODE_LENGTH and text.isascii() and text.isdigit()


def code_usable(*, expires_at: datetime, wrong_guesses: int, used: bool, now: datetime) -> bool:
    """A code may still be tried: not used, not expired, not guessed wrong too often."""
    return not used and now < expires_at and wrong_guesses < CODE_GUESSES


def retry_after(earlier: Sequence[datetime], limit: Limit, now: datetime) -> int | None:
    """Seconds until one more attempt is allowed, or None if it is allowed now.

    `earlier` are the other counted attempts' times, newest first (at least the `limit.attempts` newest).
    When `limit.attempts` of them are still inside the window, the next is allowed once the oldest of those
    leaves it; a sliding window, so nobody waits longer than the window after their last failure."""
    in_window = [at for at in earlier[: limit.attempts] if now - at < limit.window]
    if len(in_window) < limit.attempts:
        return None
    release = in_window[-1] + limit.window
    return max(1, math.ceil((release - now).total_seconds()))


def lockout_until(counted: Sequence[datetime], limit: Limit, now: datetime) -> datetime | None:
    """When the attempt made at `now` is the one that starts a lockout, the time the lockout ends; else None.

    `counted` are the counted attempts' times, this one included, newest first. A lockout starts when the
    window holds exactly `limit.attempts` of them, so each lockout is recorded once, not at every refusal."""
    in_window = [at for at in counted[: limit.attempts + 1] if now - at < limit.window]
    if len(in_window) != limit.attempts:
        return None
    return in_window[-1] + limit.window


def landing(role: str, next_path: str, desks: Mapping[str, Sequence[str]], storefront: str) -> str:
    """Where a person lands after logging in. A buyer goes where they were going (`next_path`) or to the
    storefront. Staff go to their own desk (`desks[role]`, its first path the landing page), unless the page
    they asked for is on that desk: a seller who logs in from the storefront's header wants the seller
    center, not the home page, while a link into one of their orders should still open it."""
    areas = desks.get(role)
    if not areas:
        return next_path or storefront
    return next_path if any(next_path.startswith(area) for area in areas) else areas[0]
