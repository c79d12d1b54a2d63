"""State changes of the region table: importing the official division lists, restoring the built-in rows,
loading (and rewriting) the list bundled inside the package.

`validate_address_codes` is read-only and lives in `queries.py`; it is re-exported here because
the accounts app validates addresses through the geo services.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from anxin.core.rules import has_control_characters
from anxin.geo import bundle, data, rules
from anxin.geo.models import Region
from anxin.geo.queries import validate_address_codes

__all__ = [
    "DivisionFileError",
    "ImportSummary",
    "bundle_divisions",
    "ensure_builtin_regions",
    "import_divisions",
    "load_bundled_divisions",
    "validate_address_codes",
]

PROVINCES_FILE = "provinces.csv"
CITIES_FILE = "cities.csv"
AREAS_FILE = "areas.csv"
COORDINATES_FILE = "adcode-with-coordinates.csv"
BATCH_SIZE = 500
# Imported rows change these; English names, remote flags and hubs belong to the built-in table and ops.
UPSERT_FIELDS = ["name", "level", "parent"]
COORDINATE_FIELDS = ["latitude", "longitude"]

Progress = Callable[[str], None]


class DivisionFileError(Exception):
    """A missing or malformed input file, naming the file and the line so the operator can fix it."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = str(path) if line is None else _("%(path)s 第 %(line)d 行") % {"path": path, "line": line}
        super().__init__(f"{where}: {message}")


@dataclass
class ImportSummary:
    provinces: int = 0
    cities: int = 0
    counties: int = 0
    coordinates: int = 0
    # Cities without districts (东莞, 中山, 儋州) appear in areas.csv under their own code: one row, the city.
    cities_as_counties: int = 0

    def __str__(self) -> str:
        text = _("%(p)d 个省份、%(c)d 个城市、%(k)d 个区县；%(n)d 个地区有坐标") % {
            "p": self.provinces,
            "c": self.cities,
            "k": self.counties,
            "n": self.coordinates,
        }
        if self.cities_as_counties:
            text += _("（%(m)d 个不设区的城市本身列为区县，未另建记录）") % {"m": self.cities_as_counties}
        return text


@dataclass
class _Division:
    code: str
    name: str
    level: str
    parent_code: str | None
    line: int


@dataclass
class _Parsed:
    provinces: dict[str, _Division] = field(default_factory=dict)
    cities: dict[str, _Division] = field(default_factory=dict)
    counties: dict[str, _Division] = field(default_factory=dict)
    cities_as_counties: int = 0
    county_rows: int = 0


def _fail(path: Path, line: int | None, message: str, **params: object) -> DivisionFileError:
    return DivisionFileError(path, line, message % params if params else message)


def _rows(path: Path, columns: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a UTF-8 CSV file with a header, checking the header and the column count."""
    if not path.is_file():
        raise DivisionFileError(path, None, _("文件不存在"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise _fail(path, 1, _("缺少列：%(columns)s"), columns=", ".join(missing))
            for row in reader:
                if None in row or None in row.values():
                    raise DivisionFileError(path, reader.line_num, _("列数与表头不一致"))
                yield reader.line_num, {key: value.strip() for key, value in row.items()}
        except UnicodeDecodeError as exc:
            raise DivisionFileError(path, reader.line_num + 1, _("不是 UTF-8 编码的文本")) from exc
        except csv.Error as exc:
            raise _fail(path, reader.line_num, _("CSV 格式错误：%(error)s"), error=exc) from exc


def _digits(path: Path, line: int, row: dict[str, str], column: str, length: int) -> str:
    value = row[column]
    if len(value) != length or not value.isdigit():
        message = _("%(column)s 应为 %(length)d 位数字：%(value)r")
        raise _fail(path, line, message, column=column, length=length, value=value)
    return value


def _name(path: Path, line: int, row: dict[str, str]) -> str:
    name = row["name"]
    limit = Region._meta.get_field("name").max_length
    if not name or (limit is not None and len(name) > limit):
        raise DivisionFileError(path, line, _("名称为空或过长"))
    if has_control_characters(name):  # a name is shown on every address: nothing invisible may ride in it
        raise DivisionFileError(path, line, _("名称含有控制字符"))
    return name


def _add(path: Path, into: dict[str, _Division], division: _Division) -> None:
    if division.code in into:
        message = _("代码 %(code)s 与第 %(other)d 行重复")
        raise _fail(path, division.line, message, code=division.code, other=into[division.code].line)
    into[division.code] = division


def _parse_provinces(path: Path, parsed: _Parsed) -> None:
    for line, row in _rows(path, ("code", "name")):
        code = _digits(path, line, row, "code", 2)
        if rules.is_not_served(code) or code == "00":
            raise _fail(path, line, _("不是中国大陆的省份代码：%(code)s"), code=code)
        division = _Division(code + "0000", _name(path, line, row), Region.Level.PROVINCE, None, line)
        _add(path, parsed.provinces, division)


def _parse_cities(path: Path, parsed: _Parsed) -> None:
    for line, row in _rows(path, ("code", "name", "provinceCode")):
        code = _digits(path, line, row, "code", 4)
        province = _digits(path, line, row, "provinceCode", 2)
        if code[:2] != province or code.endswith("00"):
            raise _fail(path, line, _("城市代码 %(code)s 与省份代码 %(p)s 不一致"), code=code, p=province)
        if province + "0000" not in parsed.provinces:
            raise _fail(path, line, _("省份 %(p)s 不在 %(file)s 中"), p=province, file=PROVINCES_FILE)
        division = _Division(code + "00", _name(path, line, row), Region.Level.CITY, province + "0000", line)
        _add(path, parsed.cities, division)


def _parse_areas(path: Path, parsed: _Parsed) -> None:
    for line, row in _rows(path, ("code", "name", "cityCode", "provinceCode")):
        code = _digits(path, line, row, "code", 6)
        city = _digits(path, line, row, "cityCode", 4)
        province = _digits(path, line, row, "provinceCode", 2)
        if code[:4] != city or city[:2] != province:
            message = _("区县代码 %(code)s 与城市代码 %(c)s、省份代码 %(p)s 不一致")
            raise _fail(path, line, message, code=code, c=city, p=province)
        if city + "00" not in parsed.cities:
            raise _fail(path, line, _("城市 %(c)s 不在 %(file)s 中"), c=city, file=CITIES_FILE)
        name = _name(path, line, row)
        parsed.county_rows += 1
        if code == city + "00":
            parsed.cities_as_counties += 1
            continue
        _add(path, parsed.counties, _Division(code, name, Region.Level.COUNTY, city + "00", line))


def _coordinate(path: Path, line: int, row: dict[str, str], column: str, limit: float) -> float:
    try:
        value = float(row[column])
    except ValueError:
        value = float("nan")
    if not -limit <= value <= limit:
        raise _fail(path, line, _("%(column)s 不是有效的坐标：%(value)r"), column=column, value=row[column])
    return value


def _parse_coordinates(path: Path, wanted: set[str]) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) by code, for the codes being imported; rows without a centre are skipped."""
    found: dict[str, tuple[float, float]] = {}
    for line, row in _rows(path, ("adcode", "longitude", "latitude")):
        if row["adcode"] not in wanted or not (row["latitude"] or row["longitude"]):
            continue
        found[row["adcode"]] = (
            _coordinate(path, line, row, "latitude", 90),
            _coordinate(path, line, row, "longitude", 180),
        )
    return found


def _parse(directory: Path) -> tuple[_Parsed, dict[str, tuple[float, float]]]:
    parsed = _Parsed()
    _parse_provinces(directory / PROVINCES_FILE, parsed)
    _parse_cities(directory / CITIES_FILE, parsed)
    _parse_areas(directory / AREAS_FILE, parsed)
    coordinates: dict[str, tuple[float, float]] = {}
    if (directory / COORDINATES_FILE).exists():
        wanted = set(parsed.provinces) | set(parsed.cities) | set(parsed.counties)
        coordinates = _parse_coordinates(directory / COORDINATES_FILE, wanted)
    return parsed, coordinates


def _upsert(label: str, divisions: list[_Division], coordinates: dict, progress: Progress) -> None:
    """Insert or update one level in batches; only rows with a known centre have their coordinates set."""
    done = 0
    for start in range(0, len(divisions), BATCH_SIZE):
        batch = divisions[start : start + BATCH_SIZE]
        with_centre = [d for d in batch if d.code in coordinates]
        without_centre = [d for d in batch if d.code not in coordinates]
        for group, fields in (
            (with_centre, UPSERT_FIELDS + COORDINATE_FIELDS),
            (without_centre, UPSERT_FIELDS),
        ):
            if group:
                Region.objects.bulk_create(
                    [_region(d, coordinates.get(d.code)) for d in group],
                    update_conflicts=True,
                    unique_fields=["code"],
                    update_fields=fields,
                )
        done += len(batch)
        progress(_("%(label)s：%(done)d/%(total)d") % {"label": label, "done": done, "total": len(divisions)})


def _region(division: _Division, centre: tuple[float, float] | None) -> Region:
    latitude, longitude = centre or (None, None)
    return Region(
        code=division.code,
        name=division.name,
        level=division.level,
        parent_id=division.parent_code,
        latitude=latitude,
        longitude=longitude,
    )


def import_divisions(directory: Path | str, *, progress: Progress | None = None) -> ImportSummary:
    """Load the official province/city/county lists (and centres, when given) in one transaction.

    Everything is parsed and checked before the first write, and the writes share one transaction, so a
    bad file changes nothing. Existing rows are updated in place (addresses and products point at them).
    """
    directory = Path(directory)
    report = progress or (lambda message: None)
    parsed, coordinates = _parse(directory)
    with transaction.atomic():
        _upsert(_("省份"), list(parsed.provinces.values()), coordinates, report)
        _upsert(_("城市"), list(parsed.cities.values()), coordinates, report)
        _upsert(_("区县"), list(parsed.counties.values()), coordinates, report)
    return _summary(parsed, coordinates)


def _summary(parsed: _Parsed, coordinates: dict[str, tuple[float, float]]) -> ImportSummary:
    return ImportSummary(
        provinces=len(parsed.provinces),
        cities=len(parsed.cities),
        counties=parsed.county_rows,
        coordinates=len(coordinates),
        cities_as_counties=parsed.cities_as_counties,
    )


def ensure_builtin_regions() -> int:
    """Recreate any missing built-in row (after a test flush, say) without touching existing ones."""
    existing = set(Region.objects.filter(code__in=data.BUILTIN_CODES).values_list("code", flat=True))
    missing = [row for row in data.builtin_rows() if row["code"] not in existing]
    Region.objects.bulk_create([_builtin_region(row) for row in missing])
    return len(missing)


def _builtin_region(row: dict) -> Region:
    values = dict(row)
    return Region(parent_id=values.pop("parent_code"), **values)


def load_bundled_divisions() -> int:
    """Add every bundled province, city and county the table lacks (the data migration does this on a new
    database; a test that flushed the table and needs the whole list calls it). Existing rows are kept."""
    with transaction.atomic():
        return bundle.load_into(Region)


def bundle_divisions(directory: Path | str, target: Path = bundle.BUNDLE_PATH) -> ImportSummary:
    """Rewrite the bundled list from the official files in `directory`, checked exactly as an import is,
    for a new edition of the list; the package then ships it and new databases load it."""
    parsed, coordinates = _parse(Path(directory))
    divisions = [*parsed.provinces.values(), *parsed.cities.values(), *parsed.counties.values()]
    bundle.write_rows((_bundle_row(d, coordinates.get(d.code)) for d in divisions), target)
    return _summary(parsed, coordinates)


def _bundle_row(division: _Division, centre: tuple[float, float] | None) -> dict:
    latitude, longitude = centre or (None, None)
    return {
        "code": division.code,
        "parent_id": division.parent_code,
        "level": str(division.level),
        "name": division.name,
        "latitude": latitude,
        "longitude": longitude,
    }
