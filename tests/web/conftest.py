import pytest


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    """Pages are in Simplified Chinese unless a test switches language."""
    settings.LANGUAGE_CODE = "zh-hans"
