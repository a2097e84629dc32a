import datetime

import pytest
from django.utils import timezone

from documents.models import DraftComment
from portal.publicforms import protection_data
from tests.factories import make_comment, make_draft

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "name": "Trần Văn Bình",
        "organisation": "Hội Luật gia tỉnh",
        "email": "binh@example.com",
        "phone": "0912 345 678",
        "article_ref": "Điều 9, khoản 2",
        "body": "Đề nghị bổ sung việc công khai báo cáo tiếp thu.",
        "consent": "on",
        **protection_data(),
    }
    data.update(overrides)
    return data


def test_comment_goes_to_moderation_then_a_thank_you_page(client):
    draft = make_draft()
    response = client.post(draft.get_absolute_url(), _form())
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/du-thao/{draft.slug}/da-gui/"
    comment = DraftComment.objects.get()
    assert comment.status == DraftComment.Status.PENDING and comment.consent
    assert comment.email == "binh@example.com"
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert "Cảm ơn bạn đã góp ý" in html
    assert "Trần Văn Bình" not in html and "binh@example.com" not in html
    assert "Set-Cookie" not in thanks.headers or "sessionid" not in thanks.headers["Set-Cookie"]
    # Pending: not shown on the draft yet.
    assert "Đề nghị bổ sung" not in client.get(draft.get_absolute_url()).content.decode()


def test_published_comments_never_show_contact_details(client):
    draft = make_draft()
    make_comment(draft, status=DraftComment.Status.PUBLISHED, organisation="Sở Tư pháp")
    make_comment(draft, status=DraftComment.Status.REJECTED, reject_reason="Nội bộ: quảng cáo",
                 body="Quảng cáo")  # fmt: skip
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Nguyễn Thị Lan" in html and "Sở Tư pháp" in html
    assert "lan.nguyen@example.com" not in html and "0912 345 678" not in html
    assert "Quảng cáo" not in html and "Nội bộ" not in html
    drafts = client.get("/van-ban/du-thao/").content.decode()
    assert "2 ý kiến đã nhận, 1 đã công khai" in drafts


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": ""}, "đồng ý"),
        ({"body": "   "}, "nội dung"),
        ({"name": ""}, "bắt buộc"),
        ({"email": "khong-phai-email"}, "thư điện tử"),
        ({"phone": "<script>"}, "Số điện thoại"),
        ({"website": "http://spam.example"}, "Không gửi được"),
        ("fast", "quá nhanh"),
        ({"form_started": "forged"}, "không hợp lệ"),
        ({"body": "x" * 6000}, "5000"),
    ],
)
def test_bad_comments_are_refused_with_a_vietnamese_message(client, overrides, message):
    draft = make_draft()
    if overrides == "fast":
        overrides = protection_data(seconds_ago=0)
    response = client.post(draft.get_absolute_url(), _form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message.lower() in html.lower()
    assert DraftComment.objects.count() == 0
    if "consent" in overrides:
        assert "Trần Văn Bình" in html  # what was typed is kept


def test_open_draft_page_is_never_cached_closed_one_may_be(client):
    open_draft = make_draft()
    response = client.get(open_draft.get_absolute_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    closed = make_draft(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert "no-store" not in client.get(closed.get_absolute_url()).get("Cache-Control", "")


def test_form_closes_by_itself_when_the_period_ends(client):
    draft = make_draft(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    html = client.get(draft.get_absolute_url()).content.decode()
    assert 'name="body"' not in html and "biểu mẫu góp ý đã đóng" in html
    response = client.post(draft.get_absolute_url(), _form())
    assert response.status_code == 409
    assert "thời gian lấy ý kiến đã kết thúc" in response.content.decode()
    assert DraftComment.objects.count() == 0


def test_future_and_hidden_drafts_are_not_public(client):
    future = make_draft(opens_at=timezone.now() + datetime.timedelta(days=1))
    hidden = make_draft(is_published=False)
    for draft in (future, hidden):
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.post(draft.get_absolute_url(), _form()).status_code == 404
    assert DraftComment.objects.count() == 0


def test_posting_is_rate_limited_per_address(client, settings):
    settings.PORTAL_RATELIMITS = {"documents-comment": "2/m"}
    draft = make_draft()
    codes = [client.post(draft.get_absolute_url(), _form()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert DraftComment.objects.count() == 2
    assert client.get(draft.get_absolute_url()).status_code == 200  # reading is not limited


def test_draft_list_states(client):
    open_draft = make_draft(title="Dự thảo đang mở")
    soon = make_draft(title="Dự thảo sắp hết hạn", open_for=datetime.timedelta(days=2))
    now = timezone.now()
    closed = make_draft(
        title="Dự thảo đã đóng",
        opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=10),
    )
    html = client.get("/van-ban/du-thao/?trang-thai=open").content.decode()
    assert open_draft.title in html and soon.title in html and closed.title not in html
    assert "Sắp hết hạn góp ý" in html
    html = client.get("/van-ban/du-thao/?trang-thai=closing-soon").content.decode()
    assert soon.title in html and open_draft.title not in html and closed.title not in html
    html = client.get("/van-ban/du-thao/?trang-thai=closed").content.decode()
    assert closed.title in html and open_draft.title not in html
    assert client.get("/van-ban/du-thao/?trang-thai=%3Cx%3E&page=zz").status_code == 200
