"""Orders of products with 价保, and the merchant's price changes through the catalog service."""

from anxin.catalog import services as catalog
from anxin.core import audit, deadlines
from anxin.orders.models import Order
from tests import factories as f


def protected_order(*, days: int = 7, price_fen: int = 10000, quantity: int = 2, buyer=None, shop=None) -> Order:
    """A paid order of one line of a product offering `days` of price protection."""
    item = f.product(shop or f.merchant(), price_fen=price_fen, price_protection_days=days)
    return f.paid_checkout(buyer, lines=[(item.skus.get(), quantity)]).orders.get()


def set_price(order: Order, price_fen: int) -> None:
    """The merchant changes the list price of the order's SKU, as the seller center does."""
    line = order.lines.get()
    catalog.update_sku(f.staff(order.merchant), line.sku_id, {"price_fen": price_fen})


def run_worker() -> int:
    return deadlines.run_due(limit=1000)


def assert_audit_clean() -> None:
    assert {name: problems for name, problems in audit.run_all().items() if problems} == {}
