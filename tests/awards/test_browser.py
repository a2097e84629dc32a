import pytest

from awards.models import Decision
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from tests.factories import make_decision, make_recipients

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decisions(transactional_db):
    decided = make_decision(
        number="1436/QĐ-UBND",
        title="Về việc tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong công "
        "tác bầu cử đại biểu Quốc hội khóa XV và HĐND các cấp nhiệm kỳ 2021 - 2026",
        declared_collectives=3,
        declared_individuals=4,
        signer_name="Người ký minh họa",
        signer_title="Chủ tịch",
        event="Cuộc bầu cử ĐBQH khóa XV và HĐND các cấp nhiệm kỳ 2021 - 2026",
    )
    for r in make_recipients(decided, collectives=3, individuals=3):
        r.unit = "Ủy ban nhân dân xã Thanh Hà, huyện Thanh Liêm, tỉnh Hà Nam (đơn vị rất dài)"
        r.save()
    proposal = make_decision(status=Decision.Status.PROPOSED, title="Đề nghị Thủ tướng tặng "
                             "Bằng khen")  # fmt: skip
    make_recipients(proposal, collectives=1, individuals=1)
    return decided, proposal


@pytest.mark.parametrize("width", [1280, 320])
def test_list_page_accessible_and_fits(page, live_server, decisions, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/khen-thuong/")
    assert page.locator("h1").inner_text() == "Thi đua – Khen thưởng"
    assert page.get_by_text("Đề nghị – chưa có quyết định").count() == 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []


def test_filter_form_works_in_the_browser(page, live_server, decisions):
    page.goto(f"{live_server.url}/khen-thuong/")
    page.get_by_label("Năm").select_option("2021")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/khen-thuong/?*year=2021*")
    assert page.locator(".awards-decision").count() == 2


@pytest.mark.parametrize("width", [1280, 320])
def test_detail_page_accessible_and_fits(page, live_server, decisions, width):
    decided, proposal = decisions
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{decided.get_absolute_url()}")
    assert page.get_by_role("heading", name="Tập thể (3)").count() == 1
    assert page.get_by_role("heading", name="Cá nhân (3)").count() == 1
    assert "thiếu 1" in page.locator(".awards-reconciliation").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    assert page.locator(".awards-proposal-note").is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
