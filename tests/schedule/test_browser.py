import datetime

import pytest
from django.utils import timezone

from organisation.demo import load as load_organisation
from schedule.services import week_start
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from tests.factories import make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_week_navigation(page, live_server):
    monday = week_start(timezone.localdate())
    make_entry(timezone.localdate(), content="Giao ban tuần này")
    make_entry(monday + datetime.timedelta(days=8), content="Họp tuần sau")
    make_entry(monday - datetime.timedelta(days=5), content="Họp tuần trước")
    page.goto(f"{live_server.url}/lich-cong-tac/")
    table = page.locator(".schedule-table")
    assert "Giao ban tuần này" in table.inner_text()
    assert page.locator('[aria-current="date"]').count() == 1
    page.get_by_role("link", name="Tuần sau ›").click()
    page.wait_for_url("**/lich-cong-tac/?tuan=*")
    assert "Họp tuần sau" in table.inner_text() and "Giao ban tuần này" not in table.inner_text()
    assert page.locator('[aria-current="date"]').count() == 0
    page.get_by_role("link", name="Tuần này").click()
    page.get_by_role("link", name="‹ Tuần trước").click()
    page.wait_for_url("**/lich-cong-tac/?tuan=*")
    assert "Họp tuần trước" in table.inner_text()
    page.get_by_role("link", name="Bản in").click()
    assert "Họp tuần trước" in page.locator("table").inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 320])
def test_section_pages_accessible_and_fit(page, live_server, width):
    from schedule.demo import load as load_schedule

    load_organisation()
    load_schedule()
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/lich-cong-tac/", "/gioi-thieu/", "/gioi-thieu/gioi-thieu-chung/",
                 "/co-cau-to-chuc/", "/lien-he/", "/en/co-cau-to-chuc/", "/"]:  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    assert page.console_errors == []
