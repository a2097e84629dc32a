import re
import smtplib

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation.models import Unit
from portal.publicforms import HONEYPOT_FIELD, protection_data
from questions.models import REFERENCE_ALPHABET, Question, Topic, reference_normalize
from questions.roles import ANSWERERS, PUBLISHERS
from tests.budgets import PUBLIC_PAGE_QUERIES
from tests.factories import make_question

pytestmark = pytest.mark.django_db

ASK = "/hoi-dap/gui-cau-hoi/"
STATUS = "/hoi-dap/tra-cuu/"


@pytest.fixture
def topic():
    return Topic.objects.create(name="Đất đai, xây dựng")


def form_data(topic_obj, **overrides):
    data = {
        "asker_name": "Trần Thị Dân",
        "asker_email": "dan@example.com",
        "asker_phone": "",
        "topic": str(topic_obj.pk),
        "title": "Hỏi về cấp đổi giấy phép",
        "body": "Xin hỏi hồ sơ cấp đổi gồm những gì?",
        "consent": "on",
        **protection_data(),
    }
    data.update(overrides)
    return data


# --- asking --------------------------------------------------------------------------------


def test_citizen_asks_and_gets_a_reference_without_cookies(client, topic):
    response = client.post(ASK, form_data(topic))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.status == Question.Status.RECEIVED
    assert question.consent_at is not None
    assert len(question.reference) == 10 and set(question.reference) <= set(REFERENCE_ALPHABET)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert question.formatted_reference in html
    assert "sessionid" not in page.cookies and "messages" not in page.cookies


def test_references_are_random_and_distinct(topic):
    refs = {make_question(topic).reference for _ in range(30)}
    assert len(refs) == 30


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"asker_email": "", "asker_phone": ""}, "Ghi thư điện tử hoặc số điện thoại"),
        ({"asker_email": "khong-phai-email"}, "Thư điện tử chưa đúng"),
        ({"asker_email": "", "asker_phone": "gọi tôi"}, "Số điện thoại chưa đúng"),
        ({"consent": ""}, "Bạn cần đồng ý cho phép xử lý dữ liệu cá nhân"),
        ({"topic": "999999"}, "Lĩnh vực không hợp lệ"),
        ({"topic": "abc"}, "Lĩnh vực không hợp lệ"),
        ({"title": ""}, "Vui lòng ghi tiêu đề câu hỏi."),
        ({"body": "x" * 5001}, "Nội dung câu hỏi dài quá 5.000 ký tự."),
        ({HONEYPOT_FIELD: "http://spam.example"}, "Không gửi được biểu mẫu"),
        ({"too_fast": True}, "Biểu mẫu được gửi quá nhanh"),
        ({"form_started": "gia-mao"}, "Biểu mẫu không hợp lệ"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_says_why(client, topic, overrides, message):
    overrides = dict(overrides)
    if overrides.pop("too_fast", False):
        overrides = protection_data(seconds_ago=0)
    response = client.post(ASK, form_data(topic, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Hỏi về cấp đổi giấy phép" in html or overrides.get("title") == ""
    assert Question.objects.count() == 0


def test_asking_is_rate_limited_per_address(client, topic):
    for _ in range(5):
        assert client.post(ASK, form_data(topic)).status_code == 302
    response = client.post(ASK, form_data(topic))
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert Question.objects.count() == 5
    assert client.get(ASK).status_code == 200  # reading the form is not limited


def test_sent_page_refuses_a_forged_token(client):
    response = client.get("/hoi-dap/da-gui/?t=gia-mao")
    assert response.status_code == 302 and response["Location"].endswith(ASK)


# --- status lookup ----------------------------------------------------------------------------


def test_status_lookup_shows_status_only(client, topic):
    question = make_question(topic, status=Question.Status.ROUTED)
    typed = f"hd-{question.reference[:5].lower()} {question.reference[5:]}"
    html = client.get(STATUS, {"ma": typed}).content.decode()
    assert "Đang xử lý" in html
    for private in ["Nguyễn Văn Hỏi", "nguoihoi@example.com", "0912345678", "tách thửa"]:
        assert private not in html
    html = client.get(STATUS, {"ma": "HD-22222-22222"}).content.decode()
    assert "Không tìm thấy câu hỏi với mã này" in html
    html = client.get(STATUS, {"ma": "abc"}).content.decode()
    assert "Mã tra cứu gồm 10 chữ và số" in html
    assert client.get(STATUS, {"ma": "x" * 10000}).status_code == 200


def test_closed_question_shows_closed_without_the_internal_reason(client, topic):
    question = make_question(topic, status=Question.Status.CLOSED, close_reason="Trùng lặp nội bộ")
    html = client.get(STATUS, {"ma": question.reference}).content.decode()
    assert "Đã đóng" in html and "Trùng lặp nội bộ" not in html


def test_status_lookups_are_rate_limited(client):
    for _ in range(20):
        assert client.get(STATUS, {"ma": "HD-22222-22222"}).status_code == 200
    assert client.get(STATUS, {"ma": "HD-22222-22222"}).status_code == 429


def test_reference_normalize():
    assert reference_normalize(" hd-abcde-fghjk ") == "ABCDEFGHJK"
    assert reference_normalize("ABCDE FGHJK") == "ABCDEFGHJK"
    assert reference_normalize(None) == ""
    assert reference_normalize("HDABCDEFGH") == "HDABCDEFGH"  # a bare code starting with HD


# --- public list ---------------------------------------------------------------------------


def test_only_published_questions_are_public_without_personal_data(client, topic):
    published = make_question(
        topic, status=Question.Status.PUBLISHED, answer="<p>Trả lời: cần bản đồ địa chính.</p>"
    )
    answered = make_question(topic, status=Question.Status.ANSWERED, answer="<p>Chưa công khai</p>",
                             title="Câu chưa công khai")  # fmt: skip
    html = client.get("/hoi-dap/").content.decode()
    assert "Thủ tục tách thửa" in html and "Câu chưa công khai" not in html
    detail = client.get(published.get_absolute_url()).content.decode()
    assert "cần bản đồ địa chính" in detail
    for private in ["Nguyễn Văn Hỏi", "nguoihoi@example.com", "0912345678", published.reference]:
        assert private not in html and private not in detail
    assert client.get(answered.get_absolute_url()).status_code == 404
    assert client.get("/hoi-dap/999999/").status_code == 404


def test_search_ignores_accents_and_filters_by_field(client, topic):
    other = Topic.objects.create(name="Chuyển đổi số")
    make_question(topic, status="published", answer="<p>Đất ở nông thôn</p>", title="Tách thửa")
    make_question(other, status="published", answer="<p>Nộp hồ sơ trực tuyến</p>",
                  title="Hồ sơ điện tử")  # fmt: skip
    html = client.get("/hoi-dap/", {"q": "DAT O NONG THON"}).content.decode()
    assert "Tách thửa" in html and "Hồ sơ điện tử" not in html
    # Whole words, like the site search: "thu" is not "thửa", "ho" is not in "hồ" + "sơ".
    assert [q.title for q in Question.objects.search("nop truc tuyen")] == ["Hồ sơ điện tử"]
    assert not Question.objects.search("truc tuy").exists()
    assert not Question.objects.search("ho s").exists()
    html = client.get("/hoi-dap/", {"linh-vuc": other.slug}).content.decode()
    assert "Hồ sơ điện tử" in html and ">Tách thửa<" not in html
    html = client.get("/hoi-dap/", {"linh-vuc": "khong-co", "q": "x" * 5000}).content.decode()
    assert "Không có câu hỏi nào khớp" in html
    assert client.get("/hoi-dap/", {"page": "-1"}).status_code == 200


@pytest.mark.parametrize("url", ["/hoi-dap/", "/hoi-dap/?q=thua", "detail", STATUS + "?ma=x",
                                 ASK, "/"])  # fmt: skip
def test_public_pages_run_a_fixed_number_of_queries(client, topic, url):
    counts = []
    for n in (1, 15):
        Question.objects.all().delete()
        questions = [
            make_question(topic, status="published", answer="<p>Trả lời thửa</p>") for _ in range(n)
        ]
        target = questions[0].get_absolute_url() if url == "detail" else url
        if "?ma=" in target:
            target = f"{STATUS}?ma={questions[0].reference}"
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= PUBLIC_PAGE_QUERIES


@pytest.mark.parametrize("url", ["/hoi-dap/", "/hoi-dap/?q=thua&page=1"])
def test_a_warm_list_reads_only_the_generation_and_follows_every_change(
    client, topic, url, django_assert_num_queries
):
    make_question(topic, status="published", answer="<p>Trả lời thửa</p>", title="Tách thửa")
    first = client.get(url)
    # Warm (the page cache is off here): the topics and the questions are kept per content.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content
    make_question(topic, status="published", answer="<p>Về thửa đất</p>", title="Hợp thửa")
    html = client.get(url).content.decode()
    assert ">Hợp thửa</a>" in html and f"{topic.name}</a> (2)" in html


def test_home_block_lists_latest_answered_questions(client, topic):
    make_question(topic, status="published", answer="<p>a</p>", title="Câu hỏi đã công khai")
    make_question(topic, status="answered", answer="<p>b</p>", title="Câu chưa công khai")
    html = client.get("/").content.decode()
    block = html.split('id="home-questions"')[1].split("</section>")[0]
    assert "Câu hỏi đã công khai" in block and "Câu chưa công khai" not in block


# --- staff: routing, answering, publishing, email --------------------------------------------


def change_url(question):
    return reverse("admin:questions_question_change", args=[question.pk])


def admin_data(question, **overrides):
    data = {
        "topic": str(question.topic_id),
        "title": question.title,
        "body": question.body,
        "status": question.status,
        "unit": str(question.unit_id or ""),
        "answer": question.answer,
        "close_reason": question.close_reason,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:questions_question_changelist",
        "change",
        "history",
        "admin:questions_topic_changelist",
    ],
)
def test_admin_permission_ladder(client, make_user, topic, url_name):
    question = make_question(topic)
    url = {
        "change": change_url(question),
        "history": reverse("admin:questions_question_history", args=[question.pk]),
    }.get(url_name) or reverse(url_name)
    assert client.get(url).status_code == 302
    client.force_login(make_user("writer", groups=["Biên tập viên"]))
    assert client.get(url).status_code == 403
    client.force_login(make_user("answerer", groups=[ANSWERERS]))
    assert client.get(url).status_code == 200


def test_staff_cannot_add_questions_in_the_admin(client, make_user):
    client.force_login(make_user("boss", groups=[PUBLISHERS]))
    assert client.get(reverse("admin:questions_question_add")).status_code == 403


def test_answering_routes_sanitises_emails_and_records_history(client, make_user, topic):
    unit = Unit.objects.create(name_vi="Sở Tài nguyên và Môi trường")
    question = make_question(topic)
    user = make_user("answerer", groups=[ANSWERERS])
    client.force_login(user)
    response = client.post(
        change_url(question),
        admin_data(
            question,
            status="answered",
            unit=str(unit.pk),
            answer='<p>Hồ sơ gồm đơn đề nghị.<script>alert(1)</script></p><p onclick="x">Hết</p>',
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.unit == unit and question.status == "answered"
    assert "<script" not in question.answer and "onclick" not in question.answer
    assert question.answered_by == user and question.answered_at is not None
    assert question.notified_at is not None and question.notify_error == ""
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nguoihoi@example.com"]
    assert question.formatted_reference in message.subject
    assert "Hồ sơ gồm đơn đề nghị." in message.body and "<p>" not in message.body
    assert "/hoi-dap/tra-cuu/" in message.body
    assert question.history.count() == 2
    # Saving again does not email again.
    client.post(change_url(question), admin_data(question))
    assert len(mail.outbox) == 1


def test_failed_email_keeps_the_answer_and_tells_staff(client, make_user, topic, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("questions.services.send_mail", refuse)
    question = make_question(topic)
    client.force_login(make_user("answerer", groups=[ANSWERERS]))
    response = client.post(
        change_url(question), admin_data(question, status="answered", answer="<p>Trả lời</p>"),
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert "CHƯA gửi được thư" in html and "SMTPServerDisconnected" in html
    question.refresh_from_db()
    assert question.answer == "<p>Trả lời</p>" and question.status == "answered"
    assert question.notified_at is None and "SMTPServerDisconnected" in question.notify_error
    # Once mail works again, staff send it from the list.
    monkeypatch.undo()
    client.force_login(question.answered_by)
    response = client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "notify_again", "_selected_action": [question.pk]},
        follow=True,
    )
    assert "Đã gửi thư báo trả lời" in response.content.decode()
    question.refresh_from_db()
    assert question.notified_at is not None and question.notify_error == ""


def test_answerers_cannot_publish_or_close_publishers_can(client, make_user, topic):
    question = make_question(topic, status="answered", answer="<p>Trả lời</p>",
                             notified_at=timezone.now())  # fmt: skip
    client.force_login(make_user("answerer", groups=[ANSWERERS]))
    response = client.post(change_url(question), admin_data(question, status="published"))
    assert response.status_code == 200
    assert "Chỉ người có quyền công khai câu hỏi" in response.content.decode()
    client.force_login(make_user("boss", groups=[PUBLISHERS]))
    response = client.post(change_url(question), admin_data(question, status="published"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == "published" and question.published_at is not None


def test_publishing_needs_an_answer_and_closing_needs_a_reason(client, make_user, topic):
    question = make_question(topic)
    client.force_login(make_user("boss", groups=[PUBLISHERS]))
    html = client.post(change_url(question), admin_data(question, status="published")).content
    assert "Cần có nội dung trả lời" in html.decode()
    html = client.post(change_url(question), admin_data(question, status="closed")).content
    assert "Ghi lý do đóng câu hỏi" in html.decode()
    response = client.post(
        change_url(question), admin_data(question, status="closed", close_reason="Trùng câu hỏi")
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 0  # closing tells nobody by email


def test_bulk_publish_skips_unanswered_and_needs_the_permission(client, make_user, topic):
    answered = make_question(
        topic, status="answered", answer="<p>Có</p>", notified_at=timezone.now()
    )
    unanswered = make_question(topic)
    client.force_login(make_user("answerer", groups=[ANSWERERS]))
    html = client.get(reverse("admin:questions_question_changelist")).content.decode()
    assert "publish_selected" not in html
    client.force_login(make_user("boss", groups=[PUBLISHERS]))
    response = client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "publish_selected", "_selected_action": [answered.pk, unanswered.pk]},
        follow=True,
    )
    assert re.search(r"Bỏ qua 1 câu hỏi", response.content.decode())
    answered.refresh_from_db()
    unanswered.refresh_from_db()
    assert answered.status == "published" and unanswered.status == "received"


def test_admin_search_ignores_accents(client, make_user, topic):
    make_question(topic, title="Thủ tục đất đai")
    client.force_login(make_user("answerer", groups=[ANSWERERS]))
    html = client.get(reverse("admin:questions_question_changelist"), {"q": "dat dai"}).content
    assert "Thủ tục đất đai" in html.decode()


def test_a_taken_reference_is_redrawn_not_lost(client, topic, monkeypatch):
    taken = make_question(topic)
    field = Question._meta.get_field("reference")
    # The form's new question gets the taken code; the retry draws a fresh one.
    monkeypatch.setitem(field.__dict__, "_get_default", lambda: taken.reference)
    monkeypatch.setattr("questions.services.reference_new", lambda: "NEWCODE234")
    assert client.post(ASK, form_data(topic)).status_code == 302
    assert Question.objects.filter(reference="NEWCODE234").exists()
    assert Question.objects.count() == 2


def test_sitemap_lists_published_questions_and_sections(client, topic):
    published = make_question(topic, status="published", answer="<p>a</p>")
    hidden = make_question(topic)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"{published.get_absolute_url()}</loc>" in xml
    assert f"/hoi-dap/{hidden.pk}/</loc>" not in xml
    for path in ["/gioi-thieu/", "/co-cau-to-chuc/", "/lien-he/", "/hoi-dap/", "/lich-cong-tac/"]:
        assert f"{path}</loc>" in xml


def test_searching_is_rate_limited_browsing_is_not(client, settings):
    settings.PORTAL_RATELIMITS = {"questions-search": "3/m"}
    for _ in range(3):
        assert client.get("/hoi-dap/", {"q": "dat"}).status_code == 200
    assert client.get("/hoi-dap/", {"q": "dat"}).status_code == 429
    assert client.get("/hoi-dap/").status_code == 200


def test_the_form_page_is_indexed_and_the_personal_pages_are_not(client, topic):
    # Citizens find "gửi câu hỏi" through search engines; a reference look-up is personal.
    assert "noindex" not in client.get(ASK).content.decode()
    assert '<meta name="robots" content="noindex">' in client.get(STATUS).content.decode()
