"""Rules stay pure (no Django at all), and their untranslated messages reach people translated at the edge."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

import anxin
from anxin.core.errors import AnxinError, translate
from anxin.core.rules import Message
from anxin.core.rules import message as _

PACKAGE = Path(anxin.__file__).parent
RULES_FILES = sorted(PACKAGE.glob("*/rules.py"))
RULES_MODULES = [f"anxin.{path.parent.name}.rules" for path in RULES_FILES]

# Imports the module with every `django` import refused, then fails if anything Django got in regardless.
_IMPORT_WITHOUT_DJANGO = """
import importlib, importlib.abc, sys

class RefuseDjango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"a rules module imported {name}")
        return None

sys.meta_path.insert(0, RefuseDjango())
importlib.import_module(sys.argv[1])
leaked = sorted(name for name in sys.modules if name.split(".")[0] in {"django", "ninja"})
assert not leaked, leaked
"""


def test_every_app_with_rules_is_checked():
    assert {"anxin.core.rules", "anxin.catalog.rules", "anxin.geo.rules", "anxin.shipping.rules"} <= set(RULES_MODULES)


@pytest.mark.parametrize("module", RULES_MODULES)
def test_a_rules_module_imports_no_django(module):
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_WITHOUT_DJANGO, module],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_guard_bites_on_a_module_that_imports_django():
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_WITHOUT_DJANGO, "anxin.core.errors"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "imported django" in done.stderr


def _marked_msgids(path: Path) -> list[str]:
    """The literal first arguments of every `_(...)` call: what `makemessages` extracts from the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        call.args[0].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "_"
        and call.args
        and isinstance(call.args[0], ast.Constant)
    ]


@pytest.mark.parametrize("path", RULES_FILES, ids=lambda path: path.parent.name)
def test_every_message_a_rule_can_give_has_its_english(path):
    msgids = _marked_msgids(path)
    with translation.override("en"):
        untranslated = [msgid for msgid in msgids if translation.gettext(msgid) == msgid]
    assert not untranslated


def test_a_message_is_built_untranslated_with_its_values():
    refused = _("最多 %(max)d 个字，现在是 %(n)d 个。", code="too_long", max=10, n=11)
    assert refused == Message("最多 %(max)d 个字，现在是 %(n)d 个。", {"max": 10, "n": 11}, "too_long")
    assert str(refused) == "最多 10 个字，现在是 11 个。"


def test_a_message_is_translated_in_the_active_language():
    refused = _("最多 %(max)d 个字，现在是 %(n)d 个。", code="too_long", max=10, n=11)
    with translation.override("en"):
        assert translate(refused) == "At most 10 characters; this has 11."
    with translation.override("zh-hans"):
        assert translate(refused) == "最多 10 个字，现在是 11 个。"


def test_a_message_without_values_keeps_its_percent_signs():
    assert translate(_("100% 新品")) == "100% 新品"


def test_an_error_translates_its_message_and_field_messages():
    required = _("请填写“%(label)s”。", code="required", label="印字")
    with translation.override("en"):
        error = AnxinError(required, code="invalid_personalization", fields={"answers.1": required})
    assert error.as_dict() == {
        "code": "invalid_personalization",
        "message": 'Please fill in "印字".',
        "fields": {"answers.1": 'Please fill in "印字".'},
    }
    assert str(error) == 'Please fill in "印字".'
