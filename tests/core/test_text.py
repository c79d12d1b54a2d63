import pytest

from anxin.core.errors import AnxinError
from anxin.core.text import clean_text, has_control_characters


@pytest.mark.parametrize("bad", ["a\x07b", "line\nbreak", "tab\there", "rtl\u202eevil", "zero\u200bwidth", "\x00"])
def test_single_line_text_refuses_invisible_characters(bad):
    with pytest.raises(AnxinError) as refused:
        clean_text(bad, field="location", max_length=50)
    assert refused.value.code == "control_characters"
    assert "location" in refused.value.fields


def test_multiline_text_keeps_line_breaks_but_not_other_control_characters():
    assert clean_text("第一行\n第二行\t完", field="note", max_length=50, multiline=True) == "第一行\n第二行\t完"
    assert has_control_characters("a\x1bb", multiline=True)


def test_text_is_stripped_and_limited():
    assert clean_text("  乌鲁木齐转运中心 ", field="location", max_length=20) == "乌鲁木齐转运中心"
    with pytest.raises(AnxinError) as refused:
        clean_text("长" * 21, field="location", max_length=20)
    assert refused.value.code == "too_long"


def test_required_and_optional_empty_text():
    assert clean_text("  ", field="memo", max_length=5, required=False) == ""
    with pytest.raises(AnxinError) as refused:
        clean_text(None, field="memo", max_length=5)
    assert refused.value.code == "required"
    with pytest.raises(AnxinError) as refused:
        clean_text(12, field="memo", max_length=5)
    assert refused.value.code == "invalid_text"
