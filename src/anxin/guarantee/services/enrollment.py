"""Enrollment in 买贵必赔 (RULES §6): a merchant puts its own SKUs under the guarantee (multiplier 1, open-ended)
and takes them out again; ops run campaigns (a name, a multiplier of 1 or 2, a window) and enroll SKUs in them.

An enrollment is never deleted once it may have been in force: ending one sets its `ends_at`, so a claim on an
order paid earlier is still judged by the enrollment the buyer saw (`queries.enrollment.in_force`)."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from anxin.catalog import services as catalog
from anxin.catalog.models import SKU
from anxin.core import clock, events
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import require_role
from anxin.guarantee import rules_enrollment as rules
from anxin.guarantee.models import Campaign, Enrollment


def _open_merchant_enrollment(sku_id: int) -> Enrollment | None:
    now = clock.now()
    return (
        Enrollment.objects.select_for_update()
        .filter(sku_id=sku_id, source=Enrollment.Source.MERCHANT, starts_at__lte=now, ends_at__isnull=True)
        .first()
    )


def enroll_sku(staff, sku_id: int) -> Enrollment:
    """The shop's own SKU (another shop's is 404) carries 买贵必赔 from now on; enrolling it again is a no-op."""
    with transaction.atomic():
        sku = catalog.own_sku(staff, sku_id, lock=True)
        existing = _open_merchant_enrollment(sku.pk)
        if existing is not None:
            return existing
        enrollment = Enrollment.objects.create(
            sku=sku,
            source=Enrollment.Source.MERCHANT,
            multiplier=1,
            starts_at=clock.now(),
            created_by=staff,
            created_at=clock.now(),
        )
        events.record("guarantee.enrolled", enrollment, {"sku_id": sku.pk, "source": "merchant"}, actor=staff)
    return enrollment


def end_sku_enrollment(staff, sku_id: int) -> Enrollment:
    """The shop takes its own SKU out of 买贵必赔 from now on: orders paid before keep their guarantee."""
    with transaction.atomic():
        sku = catalog.own_sku(staff, sku_id, lock=True)
        enrollment = _open_merchant_enrollment(sku.pk)
        if enrollment is None:
            raise Conflict(_("这个 SKU 没有报名买贵必赔。"), code="not_enrolled")
        enrollment.ends_at = max(clock.now(), enrollment.starts_at)
        if enrollment.ends_at == enrollment.starts_at:  # enrolled and ended in the same instant: never in force
            enrollment.delete()
        else:
            enrollment.save(update_fields=["ends_at"])
        events.record("guarantee.enrollment_ended", sku, {"sku_id": sku.pk, "source": "merchant"}, actor=staff)
    return enrollment


def create_campaign(ops, *, name: str, multiplier: int, starts_at: datetime, ends_at: datetime) -> Campaign:
    """A new ops campaign; bad terms are a 400 naming each field, and nothing is created."""
    require_role(ops, "ops")
    terms = rules.CampaignTerms(name=name.strip(), multiplier=multiplier, starts_at=starts_at, ends_at=ends_at)
    problems = rules.campaign_problems(terms, clock.now())
    if problems:
        first = next(iter(problems.values()))
        raise AnxinError(first, code=first.code, fields=problems)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=terms.name,
            multiplier=terms.multiplier,
            starts_at=terms.starts_at,
            ends_at=terms.ends_at,
            created_by=ops,
            created_at=clock.now(),
        )
        events.record("guarantee.campaign_created", campaign, {"multiplier": campaign.multiplier}, actor=ops)
    return campaign


def _campaign(campaign_id: int, *, lock: bool = False) -> Campaign:
    query = Campaign.objects.filter(pk=campaign_id)
    found = (query.select_for_update() if lock else query).first()
    if found is None:
        raise NotFound(_("找不到这个活动。"))
    return found


def enroll_in_campaign(ops, campaign_id: int, sku_ids: list[int]) -> list[Enrollment]:
    """Enroll the SKUs in the campaign for its window (those already in it are left as they are). An unknown
    SKU id refuses the whole request, naming the ids, and enrolls none."""
    require_role(ops, "ops")
    wanted = sorted(set(sku_ids))
    problem = rules.sku_ids_problem(wanted)
    if problem is not None:
        raise AnxinError(problem, code=problem.code, fields={"sku_ids": problem})
    with transaction.atomic():
        campaign = _campaign(campaign_id, lock=True)
        if campaign.ends_at <= clock.now():
            raise Conflict(_("这个活动已经结束。"), code="campaign_ended")
        found = set(SKU.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        missing = [sku_id for sku_id in wanted if sku_id not in found]
        if missing:
            raise AnxinError(
                _("找不到这些 SKU：%(ids)s。") % {"ids": ", ".join(map(str, missing[:20]))},
                code="unknown_skus",
                fields={"sku_ids": ", ".join(map(str, missing[:20]))},
            )
        already = set(campaign.enrollments.values_list("sku_id", flat=True))
        created = Enrollment.objects.bulk_create(
            [
                Enrollment(
                    sku_id=sku_id,
                    source=Enrollment.Source.CAMPAIGN,
                    campaign=campaign,
                    multiplier=campaign.multiplier,
                    starts_at=max(campaign.starts_at, clock.now()),
                    ends_at=campaign.ends_at,
                    created_by=ops,
                    created_at=clock.now(),
                )
                for sku_id in wanted
                if sku_id not in already
            ]
        )
        events.record("guarantee.campaign_enrolled", campaign, {"sku_ids": [e.sku_id for e in created]}, actor=ops)
    return created


def end_campaign(ops, campaign_id: int) -> None:
    """End the campaign now: its SKUs lose its badge from now on, orders paid before keep it. A campaign that
    has not begun was never in force and is called off whole (it and its enrollments go)."""
    require_role(ops, "ops")
    with transaction.atomic():
        campaign = _campaign(campaign_id, lock=True)
        now = clock.now()
        if campaign.ends_at <= now:
            raise Conflict(_("这个活动已经结束。"), code="campaign_ended")
        events.record("guarantee.campaign_ended", campaign, {"begun": campaign.starts_at < now}, actor=ops)
        campaign.enrollments.filter(starts_at__gte=now).delete()
        if campaign.starts_at >= now:
            campaign.delete()
            return
        campaign.enrollments.filter(ends_at__gt=now).update(ends_at=now)
        campaign.ends_at = now
        campaign.save(update_fields=["ends_at"])
