"""`anxin demo`: fill an empty database with a believable marketplace, built through the services.

`make run` calls `anxin demo --if-empty`, so a fresh checkout shows shops, products and orders in every
state at once, and a second `make run` leaves the data alone.
"""

import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from anxin.accounts.models import User
from anxin.catalog.models import Merchant
from anxin.core.money import format_fen
from anxin.simulate import data
from anxin.simulate.build import Summary, build

MAX_SCALE = 5.0


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < scale <= MAX_SCALE:
        raise ArgumentTypeError(f"scale must be above 0 and at most {MAX_SCALE:g}")
    return scale


class Command(BaseCommand):
    help = (
        "Build a demo marketplace (shops, products, buyers in all 31 provinces, 30 days of orders in every state) "
        "through the services, then print the demo logins. Needs an empty database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (and say so) when the database already has a shop"
        )
        parser.add_argument(
            "--scale", type=_scale, default=1.0, help="size relative to the full demo (e.g. 0.1 for tests)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed builds the same data")

    def handle(self, *args: Any, if_empty: bool, scale: float, seed: int, **options: Any) -> None:
        if Merchant.objects.exists():
            if if_empty:
                self.stdout.write("demo: the database already has shops; nothing to do.")
                if User.objects.filter(username=data.OPS_LOGIN[0]).exists():
                    self._print_logins()
                return
            raise CommandError("the database already has shops; run `anxin demo` on an empty database.")
        taken = sorted(User.objects.filter(username__in=data.FIXED_USERNAMES).values_list("username", flat=True))
        if taken:
            raise CommandError(f"the demo logins {', '.join(taken)} already exist; run on an empty database.")
        started = time.monotonic()
        self.stdout.write(f"demo: building at scale {scale:g} (seed {seed}) ...")
        summary = build(scale=scale, seed=seed, progress=lambda message: self.stdout.write(f"demo: {message}"))
        self._print_summary(summary, time.monotonic() - started)
        self._print_logins()

    def _print_summary(self, summary: Summary, seconds: float) -> None:
        out = self.stdout.write
        out(self.style.SUCCESS(f"demo: built in {seconds:.1f} s"))
        out(f"  shops        {summary.merchants}")
        out(f"  products     {summary.products} ({summary.skus} SKUs)")
        out(f"  buyers       {summary.buyers} in {summary.buyer_provinces} provinces")
        out(f"  checkouts    {summary.checkouts} (paid {format_fen(summary.paid_fen)})")
        states = ", ".join(f"{state} {count}" for state, count in summary.orders_by_state.items())
        out(f"  orders       {sum(summary.orders_by_state.values())}: {states}")
        out(
            f"  personalized {summary.personalized_lines} lines, {summary.production_lines} still to make; "
            f"{summary.overdue_orders} paid orders overdue for shipping"
        )
        out(
            f"  shipping     {summary.shipping_templates} templates ({summary.templates_not_to_tibet} not to Tibet), "
            f"{summary.remote_products_excluded} products not for remote regions"
        )
        remote = ", ".join(f"{name} {count}" for name, count in summary.remote_orders.items())
        out(f"  via the hub  {sum(summary.remote_orders.values())} orders: {remote}")
        shipments = ", ".join(f"{state} {count}" for state, count in summary.shipments_by_state.items())
        out(
            f"  shipments    {sum(summary.shipments_by_state.values())}: {shipments} ({summary.on_leg2} of them on "
            f"leg 2); {summary.two_leg_shipments} with leg 2, subsidy {format_fen(summary.subsidy_fen)}"
        )
        flagged = ", ".join(f"{flag} {count}" for flag, count in summary.flagged_scans.items()) or "none"
        out(f"  scans        {summary.scans} (flagged: {flagged})")
        out(f"  delivered    {summary.delivered_on_time} on time, {summary.delivered_late} late")
        out(f"  ledger       {summary.ledger_transactions} transactions")
        by_state = ", ".join(f"{state} {count}" for state, count in summary.cases_by_state.items() if count)
        out(f"  after-sales  {sum(summary.cases_by_state.values())} cases: {by_state}")
        promises = summary.price_promises
        claims = ", ".join(f"{state} {count}" for state, count in promises["claims_by_state"].items() if count)
        wallet = ", ".join(f"{state} {count}" for state, count in promises["coupons_by_state"].items() if count)
        out(
            f"  买贵必赔     {promises['enrolled_skus']} SKUs enrolled, {promises['offers']} competitor offers; "
            f"{sum(promises['claims_by_state'].values())} claims: {claims}"
        )
        out(f"  价保         {promises['protection_payouts']} payouts; coupons: {wallet}")
        if summary.skipped:
            skipped = ", ".join(f"{reason} {count}" for reason, count in summary.skipped.items())
            out(f"  skipped      {skipped}")
        if summary.failed_deadlines:
            out(self.style.WARNING(f"  {summary.failed_deadlines} deadline(s) failed; see `anxin worker` logs"))

    def _print_logins(self) -> None:
        out = self.stdout.write
        out("demo logins (username / password):")
        out(f"  ops      {data.OPS_LOGIN[0]} / {data.OPS_LOGIN[1]}   platform operator (also Django admin)")
        out(f"  buyer    {data.BUYER_LOGIN[0]} / {data.BUYER_LOGIN[1]}   orders in every state")
        out(f"  seller   {data.SELLER_LOGIN[0]} / {data.SELLER_LOGIN[1]}   staff of {data.SHOPS[0].name}")
        out(f"  courier  {data.COURIER_LOGIN[0]} / {data.COURIER_LOGIN[1]}")
        out(f"  carrier  {data.CARRIER_LOGIN[0]} / {data.CARRIER_LOGIN[1]}   posts the carriers' scans")
        out(
            f"  everyone else: password {data.SHARED_PASSWORD} — shop staff seller-<shop> "
            f"(e.g. seller-{data.SHOPS[1].slug}), buyers buyer-<province>-<n> (e.g. buyer-xinjiang-1)"
        )
