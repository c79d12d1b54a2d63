"""Geo test helpers: a small division list written to tmp_path, so strict validation is tested quickly, on a
table cut back to the built-in rows (as a database was before the full list was bundled)."""

from collections.abc import Callable
from pathlib import Path

import pytest

SHARED_DIVISIONS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "china-divisions"

SMALL_PROVINCES = [("11", "北京市"), ("44", "广东省"), ("65", "新疆维吾尔自治区")]
SMALL_CITIES = [
    ("1101", "市辖区", "11"),
    ("4401", "广州市", "44"),
    ("4419", "东莞市", "44"),
    ("6501", "乌鲁木齐市", "65"),
    ("6502", "克拉玛依市", "65"),
]
SMALL_AREAS = [
    ("110101", "东城区", "1101", "11"),
    ("440104", "越秀区", "4401", "44"),
    ("440106", "天河区", "4401", "44"),
    ("441900", "东莞市", "4419", "44"),
    ("650102", "天山区", "6501", "65"),
    ("650103", "沙依巴克区", "6501", "65"),
    ("650202", "独山子区", "6502", "65"),
]
COORDINATES_HEADER = "code,parent,name,level,rank,adcode,post_code,area_code,longitude,latitude"


def _csv(path: Path, header: str, rows: list[tuple]) -> None:
    lines = [header] + [",".join(f'"{v}"' if not str(v).isdigit() else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_divisions(
    directory: Path,
    *,
    provinces: list[tuple] = SMALL_PROVINCES,
    cities: list[tuple] = SMALL_CITIES,
    areas: list[tuple] = SMALL_AREAS,
    coordinates: dict[str, tuple[str, str]] | None = None,
) -> Path:
    """Write the three division files (and optionally a coordinates file) in the official format."""
    directory.mkdir(parents=True, exist_ok=True)
    _csv(directory / "provinces.csv", "code,name", provinces)
    _csv(directory / "cities.csv", "code,name,provinceCode", cities)
    _csv(directory / "areas.csv", "code,name,cityCode,provinceCode", areas)
    if coordinates is not None:
        rows = [f"{code}000000,0,x,county,3,{code},,,{lng},{lat}" for code, (lat, lng) in coordinates.items()]
        (directory / "adcode-with-coordinates.csv").write_text(
            "\n".join([COORDINATES_HEADER, *rows]) + "\n", encoding="utf-8"
        )
    return directory


@pytest.fixture
def builtin_only(db) -> None:
    """Only the 93 built-in rows: the bundled cities and counties deleted, children before parents."""
    from anxin.geo.data import BUILTIN_CODES
    from anxin.geo.models import Region

    for level in (Region.Level.COUNTY, Region.Level.CITY):
        Region.objects.filter(level=level).exclude(code__in=BUILTIN_CODES).delete()


@pytest.fixture
def divisions_dir(tmp_path: Path, builtin_only) -> Callable[..., Path]:
    """Call with overrides to get a directory of division files; defaults to the small list above."""

    def make(**overrides) -> Path:
        return write_divisions(tmp_path / "divisions", **overrides)

    return make


@pytest.fixture
def small_import(divisions_dir) -> Path:
    """The small list imported: Beijing, Guangdong and Xinjiang become strict, others stay built-in only."""
    from anxin.geo.services import import_divisions

    path = divisions_dir()
    import_divisions(path)
    return path
