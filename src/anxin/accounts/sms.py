"""The text-message port: how a verification code reaches a phone.

The setting `ANXIN_SMS_SENDER` (environment variable) names the sender class by its dotted path; the
default, `SimulatedSender`, sends nothing: it logs the message, and because `shows_code` is true the
sign-up page and the API hand the code back in a "simulated SMS" notice, so the demo and testers can
sign up without a phone. A real sender (an SMS gateway's client) implements `Sender` with `shows_code`
false; an import error in the named class stops the first sign-up, not silently the delivery.
"""

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

DEFAULT_SENDER = "anxin.accounts.sms.SimulatedSender"


class SendFailed(Exception):
    """The gateway did not take the message; the code is not kept and the person may ask again."""


class Sender(Protocol):
    # True only where no real message goes out: the code is then shown to whoever asked for it.
    shows_code: bool

    def send(self, phone: str, text: str) -> None:
        """Deliver `text` to the mainland mobile `phone` (11 digits), or raise `SendFailed`."""


class SimulatedSender:
    """The demo's and the tests' sender: the message goes to the log and the code onto the page."""

    shows_code = True

    def send(self, phone: str, text: str) -> None:
        log.info("simulated SMS to %s: %s", phone, text)


@cache
def _sender_class(path: str) -> type:
    return import_string(path)


def configured() -> Sender:
    """A sender of the class the setting names."""
    return _sender_class(getattr(settings, "ANXIN_SMS_SENDER", DEFAULT_SENDER))()
