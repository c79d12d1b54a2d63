"""The ops console's 买贵必赔 figures page: headline numbers, four SVG charts, the tables, a range form."""

import pytest

from anxin.core import clock
from tests import factories as f
from tests.guarantee.figures_support import NOON, build_world

pytestmark = pytest.mark.django_db
URL = "/ops/guarantee/figures/"


@pytest.fixture(autouse=True)
def _beijing_noon():
    clock.freeze(NOON)
    yield
    clock.reset()


def test_the_page_shows_the_last_30_days_as_numbers_tables_and_charts(client):
    world = build_world()
    client.force_login(f.ops())
    page = client.get(URL)
    assert page.status_code == 200
    text = page.text
    assert 'id="claims">5<' in text and 'id="auto-share">75%' in text  # 3 of 4 decided claims by the system
    assert 'id="median-manual">3.0 小时' in text
    assert 'id="claims-paid">¥8.00' in text and 'id="protection-paid">¥10.00' in text
    assert text.count('<svg class="bar-chart"') == 4
    assert world["b"].merchant.name in text and "平台赔付账户" in text
    assert "2026-10-22 至 2026-11-20" in text
    assert "买家所见价格不更低" in text  # the turned-down claim, by its reason in a few words


def test_a_chosen_day_narrows_the_figures_and_a_backwards_range_is_refused(client):
    build_world()
    client.force_login(f.ops())
    one_day = client.get(URL + "?start=2026-11-18&end=2026-11-18")
    assert one_day.status_code == 200 and 'id="claims">1<' in one_day.text
    backwards = client.get(URL + "?start=2026-11-18&end=2026-11-17")
    assert backwards.status_code == 400 and "结束日期不能早于开始日期。" in backwards.text


def test_the_english_page_names_its_charts_in_english(client):
    client.force_login(f.ops())
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "这段时间没有" not in page.text
