import pytest

from articles.models import Article
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer_page(page, live_server):
    factories.user("bientap", groups=["Biên tập viên"], password="Mat-khau-2021!")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "Mat-khau-2021!")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_writer_writes_a_draft_in_the_rich_text_editor(writer_page, live_server):
    category = factories.category("Bầu cử")
    image = factories.image(alt_text="Toàn cảnh hội nghị")
    page = writer_page
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.wait_for_selector(".cke_wysiwyg_frame", timeout=15_000)
    assert page.locator("select#id_status option[value=published]").count() == 0
    page.fill("#id_title", "Điểm cầu Đồng Văn sẵn sàng")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_summary", "Tóm tắt bài viết.")
    body = page.frame_locator(".cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("Nội dung gõ trong trình soạn thảo.")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/articles/article/")
    article = Article.objects.get()
    assert article.slug == "diem-cau-dong-van-san-sang"
    assert "Nội dung gõ trong trình soạn thảo." in article.body
    assert article.status == Article.Status.DRAFT
    # CKEditor works under the admin's Content-Security-Policy.
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []

    # The image picker lists the library and hands the chosen URL back to the editor.
    popup_url = live_server.url + "/admin/articles/image/browse/?CKEditorFuncNum=1"
    page.goto(popup_url)
    button = page.locator("[data-pick-url]")
    assert button.count() == 1
    assert button.get_attribute("data-pick-url") == image.rendition_url()
