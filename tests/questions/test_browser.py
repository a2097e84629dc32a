import pytest

from questions.models import Question, Topic
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from tests.factories import make_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 900}, locale="vi-VN"
    )
    page = context.new_page()
    yield page
    context.close()


def test_question_form_works_without_javascript(no_js_page, live_server, settings):
    settings.PORTAL_FORM_MIN_SECONDS = 0  # a test fills the form faster than a person
    Topic.objects.create(name="Đất đai, xây dựng")
    page = no_js_page
    page.goto(f"{live_server.url}/hoi-dap/gui-cau-hoi/")
    page.get_by_label("Họ và tên").fill("Trần Thị Dân")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    # Refused (no contact, no consent): the messages are Vietnamese and the name is kept.
    assert "Ghi thư điện tử hoặc số điện thoại" in page.content()
    assert page.get_by_label("Họ và tên").input_value() == "Trần Thị Dân"
    page.get_by_label("Thư điện tử", exact=True).fill("dan@example.com")
    page.get_by_label("Lĩnh vực").select_option(label="Đất đai, xây dựng")
    page.get_by_label("Tiêu đề câu hỏi").fill("Hỏi về tách thửa")
    page.get_by_label("Nội dung câu hỏi").fill("Cần những giấy tờ gì?")
    page.get_by_label("Tôi đồng ý", exact=False).check()
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url("**/hoi-dap/da-gui/**")
    question = Question.objects.get()
    assert question.formatted_reference in page.locator(".qa-reference").inner_text()
    page.get_by_role("link", name="Xem trạng thái câu hỏi").click()
    assert "Đã tiếp nhận" in page.locator(".qa-status").inner_text()


@pytest.mark.parametrize("width", [1280, 320])
def test_question_pages_accessible_and_fit(page, live_server, width):
    topic = Topic.objects.create(name="Chuyển đổi số")
    make_question(topic, status="published", answer="<p>Trả lời</p>", title="Nộp hồ sơ trực tuyến")
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/hoi-dap/", "/hoi-dap/gui-cau-hoi/", "/hoi-dap/tra-cuu/?ma=HD-22222-22222"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    assert page.console_errors == []
