from tests.pages_helpers import chinese_by_default  # noqa: F401
