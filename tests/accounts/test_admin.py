"""The Django admin shows each account's phone and its consents, and lets nobody edit a consent."""

import pytest

from anxin.accounts.models import Consent
from anxin.core import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_consents_are_listed_and_cannot_be_changed_or_deleted(client):
    admin_user = f.ops()
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    buyer = f.buyer()
    consent = Consent.objects.create(user=buyer, document="terms", version="2026-12-01", at=clock.now())
    client.force_login(admin_user)
    listing = client.get("/admin/accounts/consent/")
    assert listing.status_code == 200 and buyer.username in listing.text
    assert client.post(f"/admin/accounts/consent/{consent.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/accounts/consent/add/").status_code == 403
    assert Consent.objects.filter(pk=consent.pk).exists()
    assert client.get(f"/admin/accounts/user/?q={buyer.username}").status_code == 200
