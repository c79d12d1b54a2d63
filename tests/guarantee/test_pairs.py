"""The pair file format is read as it comes, and refused whole, with the line, when it is not that format."""

from pathlib import Path

import pytest

from anxin.guarantee.matching.pairs import PairFileError, read_pairs


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pairs.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_columns_map_to_roles_whatever_the_dataset_calls_them(tmp_path):
    path = write(tmp_path, "COL name VAL sony x1 COL description VAL a b COL price VAL  \tCOL title VAL sony x1 \t1\n")
    (pair,) = read_pairs(path)
    assert (pair.left.title, pair.left.price, dict(pair.left.extra)) == ("sony x1", None, {"description": "a b"})
    assert (pair.right.title, pair.label) == ("sony x1", 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("COL title VAL a\tCOL title VAL b\t1\nno tabs here\n", "line 2: expected 3 tab-separated fields"),
        ("COL title VAL a\tCOL title VAL b\tyes\n", "line 1: the label must be 0 or 1"),
        ("title a\tCOL title VAL b\t0\n", "line 1: a side must start with"),
        ("", "no pairs in the file"),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path, text, message):
    with pytest.raises(PairFileError, match=message):
        read_pairs(write(tmp_path, text))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(PairFileError, match="cannot be read"):
        read_pairs(tmp_path / "absent.txt")
