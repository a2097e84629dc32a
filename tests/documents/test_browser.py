import datetime

import pytest

from documents.models import DraftComment, Field
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll
from tests.factories import attach_pdf, make_comment, make_document, make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(transactional_db):
    field = Field.objects.create(name="Công nghệ thông tin")
    decree = make_document(
        number="42/2022/NĐ-CP",
        summary="Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà "
        "nước trên môi trường mạng",
        effective_on=datetime.date(2022, 8, 15),
        signer_name="Người ký",
        signer_title="KT. Thủ tướng – Phó Thủ tướng",
    )
    decree.fields.add(field)
    attach_pdf(decree)
    make_document(
        doc_type="Chỉ thị", issuer="Bộ Chính trị", number="45-CT/TW",
        summary="Về lãnh đạo cuộc bầu cử", issued_on=datetime.date(2020, 6, 20),
    )  # fmt: skip
    return decree


@pytest.mark.parametrize("width", [1280, 320])
def test_list_and_detail_are_accessible(page, live_server, registry, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/van-ban/")
    assert page.locator(".documents-item").count() == 2
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}{registry.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Nghị định 42/2022/NĐ-CP"
    assert page.locator(".documents-pdf iframe").count() == 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []


def test_list_filters_in_the_browser(page, live_server, registry):
    page.goto(f"{live_server.url}/van-ban/")
    page.get_by_label("Hình thức").select_option(label="Chỉ thị")
    page.get_by_role("button", name="Tìm văn bản").click()
    page.wait_for_url("**/van-ban/?*type=chi-thi*")
    assert page.locator(".documents-item").count() == 1
    page.goto(f"{live_server.url}/van-ban/")
    page.get_by_label("Từ khóa hoặc số, ký hiệu").fill("42-2022-ND-CP")
    page.get_by_role("button", name="Tìm văn bản").click()
    page.wait_for_url("**q=42-2022-ND-CP*")
    assert page.locator(".documents-item h2").inner_text() == "Nghị định 42/2022/NĐ-CP"
    page.goto(f"{live_server.url}/van-ban/?year=abc")
    assert "không hợp lệ" in page.locator(".documents-filter-errors").inner_text()


def test_comment_form_works_without_javascript(browser, live_server, settings, transactional_db):
    settings.PORTAL_FORM_MIN_SECONDS = 0
    draft = make_draft(title="Dự thảo Quy chế Cổng thông tin điện tử tỉnh")
    make_comment(draft, status=DraftComment.Status.PUBLISHED, body="Ý kiến đã công khai")
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{draft.get_absolute_url()}")
        assert page.locator(".documents-comment-form .documents-field").count() == 7
        honeypot = page.locator('input[name="website"]')
        # Hidden from people (clipped by the stylesheet), out of the tab order.
        assert honeypot.evaluate("e => getComputedStyle(e).position") == "absolute"
        assert honeypot.get_attribute("tabindex") == "-1"
        page.get_by_label("Họ và tên").fill("Trần Văn Bình")
        page.get_by_label("Nội dung góp ý").fill("Đề nghị sửa Điều 5.")
        page.get_by_role("button", name="Gửi góp ý").click()
        # Without consent: refused, what was typed is kept.
        assert "đồng ý" in page.locator(".documents-comment-form").inner_text()
        assert page.get_by_label("Họ và tên").input_value() == "Trần Văn Bình"
        page.locator('input[name="consent"]').check()
        page.get_by_role("button", name="Gửi góp ý").click()
        page.wait_for_url("**/da-gui/")
        assert "Cảm ơn bạn đã góp ý" in page.locator("h1").inner_text()
    finally:
        context.close()
    comment = DraftComment.objects.get(name="Trần Văn Bình")
    assert comment.status == DraftComment.Status.PENDING


def test_draft_page_is_accessible(page, live_server, transactional_db):
    draft = make_draft()
    attach_pdf(draft)
    make_comment(draft, status=DraftComment.Status.PUBLISHED)
    page.goto(f"{live_server.url}/van-ban/du-thao/")
    assert_accessible(page)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_pdf_frame_loads_under_the_content_security_policy(page, live_server, registry):
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Refused" in msg.text else None)
    page.goto(f"{live_server.url}{registry.get_absolute_url()}")
    frame = page.locator(".documents-pdf iframe")
    frame.scroll_into_view_if_needed()
    # Load the frame once, eagerly, and wait for its load event: a lazy frame scrolled into
    # view may start a first load that the reload cancels, and a cancelled response carries
    # no headers to read.
    src = frame.evaluate(
        """e => new Promise(done => {
            e.addEventListener("load", () => done(e.src), {once: true});
            e.loading = "eager";
            e.src = e.src;
        })"""
    )
    assert "/xem/" in src
    response = page.request.get(src)
    assert response.status == 200
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    page.wait_for_timeout(500)
    assert blocked == []
