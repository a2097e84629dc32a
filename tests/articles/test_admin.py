import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Image
from tests import factories

pytestmark = pytest.mark.django_db

WRITERS = "Biên tập viên"
PUBLISHERS = "Người duyệt tin"


def article_form(category, **overrides):
    data = {
        "title": "Hội nghị tổng kết",
        "slug": "",
        "category": category.pk,
        "summary": "Tóm tắt",
        "body": "<p>Nội dung</p><script>alert(1)</script>",
        "cover": "",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "source": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def writer(make_user):
    return make_user("writer", groups=[WRITERS])


@pytest.fixture
def publisher(make_user):
    return make_user("publisher", groups=[PUBLISHERS])


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/articles/image/",
        "/admin/articles/image/add/",
        "/admin/articles/image/browse/",
    ],
)
def test_permission_ladder(client, make_user, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(make_user("staff-without-permission"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("writer2", groups=[WRITERS]))
    assert client.get(url).status_code == 200


def test_writer_creates_a_sanitised_draft(client, writer, category):
    client.force_login(writer)
    response = client.post("/admin/articles/article/add/", article_form(category))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.body == "<p>Nội dung</p>"
    assert article.created_by == writer and article.updated_by == writer
    assert article.slug == "hoi-nghi-tong-ket"


def test_writer_submits_for_review(client, writer, category):
    client.force_login(writer)
    client.post("/admin/articles/article/add/", article_form(category, status="review"))
    assert Article.objects.get().status == Article.Status.REVIEW


def test_writer_cannot_publish(client, writer, category):
    client.force_login(writer)
    response = client.post(
        "/admin/articles/article/add/", article_form(category, status="published")
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "status" in response.context["adminform"].form.errors


def test_writer_cannot_edit_a_published_article(client, writer, category):
    article = factories.article(category=category, title="Đã xuất bản")
    client.force_login(writer)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200  # read-only view
    assert b'name="title"' not in response.content
    client.post(url, article_form(category, title="Sửa trộm", status="draft"))
    article.refresh_from_db()
    assert article.title == "Đã xuất bản"


def test_writer_has_no_bulk_publish(client, writer, category):
    draft = factories.article(category=category, published=False)
    client.force_login(writer)
    response = client.get("/admin/articles/article/")
    assert b"publish_selected" not in response.content
    client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publisher_publishes_with_vietnamese_date(client, publisher, category):
    client.force_login(publisher)
    response = client.post(
        "/admin/articles/article/add/",
        article_form(category, status="published", publish_at_0="05/06/2021", publish_at_1="08:30"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    local = article.publish_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert (local.year, local.month, local.day, local.hour) == (2021, 6, 5, 8)


def test_publisher_bulk_publish_and_unpublish(client, publisher, category):
    drafts = [factories.article(category=category, published=False) for _ in range(3)]
    client.force_login(publisher)
    ids = [a.pk for a in drafts]
    client.post("/admin/articles/article/", {"action": "publish_selected", "_selected_action": ids})
    assert Article.objects.published().count() == 3
    client.post(
        "/admin/articles/article/", {"action": "unpublish_selected", "_selected_action": ids}
    )
    assert Article.objects.published().count() == 0


def test_admin_search_ignores_accents(client, publisher, category):
    hit = factories.article(category=category, title="Kết quả bầu cử")
    factories.article(category=category, title="Kinh tế")
    client.force_login(publisher)
    response = client.get("/admin/articles/article/", {"q": "BAU CU"})
    assert list(response.context["cl"].result_list) == [hit]


def test_admin_is_vietnamese(client, publisher):
    client.force_login(publisher)
    html = client.get("/admin/").content.decode()
    assert 'lang="vi"' in html
    assert "Bài viết" in html or "bài viết" in html


def test_image_upload_through_admin(client, writer):
    client.force_login(writer)
    response = client.post(
        "/admin/articles/image/add/",
        {
            "upload": factories.upload(),
            "alt_text": "Đại biểu dự hội nghị",
            "caption": "",
            "credit": "",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.created_by == writer
    assert image.renditions and image.width == 800


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (factories.image_bytes("GIF"), "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),
        (b"not an image", "Tệp không phải ảnh hợp lệ"),
    ],
)
def test_bad_image_gets_a_vietnamese_error_and_nothing_is_saved(client, writer, data, message):
    client.force_login(writer)
    response = client.post(
        "/admin/articles/image/add/",
        {"upload": factories.upload(data, name="x.gif"), "alt_text": "Mô tả", "caption": ""},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_file_name_is_refused_as_alt_text(client, writer):
    client.force_login(writer)
    response = client.post(
        "/admin/articles/image/add/", {"upload": factories.upload(), "alt_text": "IMG_5347.jpg"}
    )
    assert response.status_code == 200
    assert "không phải tên tệp" in response.content.decode()
    assert not Image.objects.exists()


def test_image_browser_lists_images_for_the_editor(client, writer):
    image = factories.image(alt_text="Toàn cảnh hội nghị")
    client.force_login(writer)
    html = client.get("/admin/articles/image/browse/", {"CKEditorFuncNum": "1"}).content.decode()
    assert image.rendition_url() in html
    assert 'data-func-num="1"' in html


def test_editor_widget_without_uploader(client, writer):
    client.force_login(writer)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "ckeditortype" in html
    assert "ckeditor_uploader" not in html
    assert "/admin/articles/image/browse/" in html


def _image_form(image, **overrides):
    data = {"alt_text": image.alt_text, "caption": image.caption, "credit": image.credit}
    data.update(overrides)
    return data


@pytest.mark.parametrize("use", ["cover", "photo", "body"])
def test_writer_cannot_change_an_image_a_published_article_shows(client, writer, category, use):
    from django.core.files.storage import default_storage

    image = factories.image(alt_text="Toàn cảnh hội nghị")
    fields = {
        "cover": {"cover": image},
        "photo": {},
        "body": {"body": f'<figure class="image"><img src="{image.rendition_url()}" alt="x">'},
    }[use]
    article = factories.article(category=category, **fields)
    if use == "photo":
        factories.photo(article, image=image)
    url = f"/admin/articles/image/{image.pk}/change/"
    client.force_login(writer)
    assert b'name="alt_text"' not in client.get(url).content  # read-only
    response = client.post(url, _image_form(image, alt_text="Ảnh khác", upload=factories.upload()))
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.alt_text == "Toàn cảnh hội nghị"
    assert default_storage.exists(image.renditions[-1]["jpeg"])


def test_writer_changes_an_image_only_drafts_show(client, writer, category):
    image = factories.image(alt_text="Toàn cảnh hội nghị")
    factories.article(category=category, cover=image, published=False)
    client.force_login(writer)
    response = client.post(
        f"/admin/articles/image/{image.pk}/change/", _image_form(image, alt_text="Hội trường")
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Hội trường"


@pytest.mark.parametrize("in_body", [True, False])
def test_replacing_an_image_keeps_the_files_article_bodies_link_to(
    client, publisher, category, in_body, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    image = factories.image()
    old_name = image.renditions[-1]["jpeg"]
    body = f'<p><img src="/media/{old_name}" alt="Ảnh"></p>' if in_body else "<p>Chữ</p>"
    factories.article(category=category, body=body, cover=image)
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/articles/image/{image.pk}/change/",
            _image_form(image, upload=factories.upload(factories.image_bytes(colour=(0, 0, 200)))),
        )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.renditions[-1]["jpeg"] != old_name
    assert default_storage.exists(old_name) is in_body


@pytest.mark.parametrize("use", ["cover", "body"])
def test_image_in_use_cannot_be_deleted(client, publisher, category, use):
    image = factories.image()
    fields = {"cover": {"cover": image}, "body": {"body": f'<img src="{image.rendition_url()}">'}}
    article = factories.article(category=category, title="Bài dùng ảnh", **fields[use])
    client.force_login(publisher)
    response = client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assert "Bài dùng ảnh" in response.content.decode()
    bulk = client.post(
        "/admin/articles/image/",
        {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()
    article.refresh_from_db()
    assert article.cover_id == (image.pk if use == "cover" else None)


def test_unused_image_can_be_deleted(client, publisher):
    image = factories.image()
    client.force_login(publisher)
    client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})
    assert not Image.objects.filter(pk=image.pk).exists()


def test_image_browser_search_accepts_decomposed_text(client, writer):
    import unicodedata

    image = factories.image(alt_text="Toàn cảnh hội nghị")
    client.force_login(writer)
    query = unicodedata.normalize("NFD", "hội nghị")
    html = client.get("/admin/articles/image/browse/", {"q": query}).content.decode()
    assert image.rendition_url() in html


def test_bulk_publish_skips_articles_whose_take_down_time_has_passed(client, publisher, category):
    now = timezone.now()
    expired = factories.article(
        category=category, published=False, unpublish_at=now - datetime.timedelta(days=1)
    )
    fine = factories.article(category=category, published=False)
    client.force_login(publisher)
    response = client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [expired.pk, fine.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "thời điểm gỡ bài đã qua" in response.content.decode()
    expired.refresh_from_db()
    fine.refresh_from_db()
    assert expired.status == Article.Status.DRAFT
    assert fine.status == Article.Status.PUBLISHED


def test_publishing_now_with_a_past_take_down_time_is_a_form_error(client, publisher, category):
    past = timezone.localtime() - datetime.timedelta(days=1)
    client.force_login(publisher)
    form = article_form(
        category,
        status="published",
        unpublish_at_0=past.strftime("%d/%m/%Y"),
        unpublish_at_1=past.strftime("%H:%M:%S"),
    )
    response = client.post("/admin/articles/article/add/", form)
    assert response.status_code == 200
    assert "Thời điểm gỡ bài phải sau thời điểm xuất bản." in response.content.decode()
    assert not Article.objects.exists()
