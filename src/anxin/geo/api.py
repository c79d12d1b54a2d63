"""Regions for address forms: public, read-only, mounted at /api/geo."""

from django.http import HttpRequest
from ninja import Router, Schema

from anxin.geo import queries

router = Router(tags=["geo"])


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    is_remote: bool


class RegionDetailOut(RegionOut):
    parent_code: str | None
    latitude: float | None
    longitude: float | None
    hub_code: str


@router.get("/regions", response=list[RegionOut], auth=None)
def list_regions(request: HttpRequest, parent: str | None = None) -> list[dict]:
    """The provinces, or the regions directly under `parent`; an unknown parent answers 404."""
    return list(queries.children(parent).values("code", "name", "name_en", "level", "is_remote"))


@router.get("/regions/{code}", response=RegionDetailOut, auth=None)
def get_region(request: HttpRequest, code: str) -> dict:
    """One region with its parent, centre and (for remote provinces) transit hub."""
    row = queries.region(code)
    return {
        "code": row.code,
        "name": row.name,
        "name_en": row.name_en,
        "level": row.level,
        "is_remote": row.is_remote,
        "parent_code": row.parent_id,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "hub_code": row.hub_code,
    }
