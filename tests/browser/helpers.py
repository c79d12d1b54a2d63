"""Shared steps of the browser tests: logging in through the login page, screenshots, orders made by services."""

import re
from pathlib import Path

from anxin.checkout import services as checkouts
from tests import factories as f

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 10_000


def log_in(page, user) -> None:
    """Log in through the real login page (username and password), as a person would."""
    page.goto("/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/)"))


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot of what the person sees now as test-artifacts/browser/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def boots_shop():
    """A shoemaker's shop selling personalizable football boots (a name on the tongue, 12 characters at most)."""
    shop = f.merchant(name="鞋匠铺")
    boots = f.product(
        shop, price_fen=39900, stock=5, title="定制足球鞋", title_en="Custom football boots", brand="Kicks"
    )
    question = f.text_question(boots, label="鞋舌印字", max_chars=12)
    return shop, boots, question


def paid_boots_order(name: str = "李雷"):
    """A buyer's paid order for the boots with `name` on them, placed and paid through the services."""
    shop, boots, question = boots_shop()
    buyer = f.buyer()
    address = f.address(buyer)
    checkouts.add_to_cart(buyer, boots.skus.first().pk, 1, {str(question.pk): name})
    checkout = checkouts.place_order(buyer, address_id=address.pk, idempotency_key=f"browser-{f.n()}")
    payment = checkouts.start_payment(buyer, checkout.pk)
    checkouts.simulate_provider_approval(buyer, payment.pk)
    return shop, buyer, checkout.orders.get()
