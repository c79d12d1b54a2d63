"""The entity-matching pair format: `COL attr VAL value ... <TAB> COL attr VAL value ... <TAB> label`.

Each file has its own columns; they are read as they come and mapped to roles by `Product.from_columns`. A file
that is not in this format is refused whole, with the line that broke it, so a score is never printed for half a file.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from anxin.guarantee.matching.listing import Product

COLUMN = re.compile(r"COL (\S+) VAL ?(.*?)(?= COL \S+ VAL|\s*$)")


class PairFileError(ValueError):
    """The file cannot be read as pairs; the message names the line."""


@dataclass(frozen=True)
class Pair:
    left: Product
    right: Product
    label: int


def parse_side(text: str) -> dict[str, str]:
    """The columns of one side, in order; a side that does not start with `COL` is not in the format."""
    text = text.strip()
    if not text.startswith("COL "):
        raise ValueError("a side must start with 'COL name VAL value'")
    return {name: value.strip() for name, value in COLUMN.findall(text)}


def parse_line(line: str) -> Pair:
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) != 3:
        raise ValueError(f"expected 3 tab-separated fields, found {len(parts)}")
    label = parts[2].strip()
    if label not in {"0", "1"}:
        raise ValueError(f"the label must be 0 or 1, not {label!r}")
    return Pair(Product.from_columns(parse_side(parts[0])), Product.from_columns(parse_side(parts[1])), int(label))


def iter_pairs(path: Path) -> Iterator[Pair]:
    """Pairs of a file, line by line; blank lines are skipped, any other bad line raises PairFileError."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise PairFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield parse_line(line)
                except ValueError as exc:
                    raise PairFileError(f"{path}, line {number}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise PairFileError(f"{path}: not UTF-8 text") from exc


def read_pairs(path: Path) -> list[Pair]:
    """All pairs of a file; an empty file is an error, since precision and recall of nothing mean nothing."""
    pairs = list(iter_pairs(path))
    if not pairs:
        raise PairFileError(f"{path}: no pairs in the file")
    return pairs
