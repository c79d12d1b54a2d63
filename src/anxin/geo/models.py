"""Mainland China's divisions: provinces (built in), cities and counties (imported from the official list)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "province"
        CITY = "city", "city"
        COUNTY = "county", "county"

    code = models.CharField(max_length=6, primary_key=True)
    name = models.CharField(max_length=64)
    name_en = models.CharField(max_length=64, blank=True)
    level = models.CharField(max_length=8, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Provinces only: RULES §1 remote regions and the transit hub (a city code) their parcels go through.
    is_remote = models.BooleanField(default=False)
    hub_code = models.CharField(max_length=6, blank=True)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = pgettext_lazy("plural", "地区")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
