"""Every database constraint a staff member can break speaks Vietnamese, beside its field."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from awards.models import Decision, Recipient
from documents.models import Document, DocumentFile, Draft, DraftComment
from elections.models import ElectoralUnit, Membership, PollingArea, TurnoutSummary, UnitResult
from elections.roles import ELECTION_STAFF
from questions.models import Question
from schedule.models import Entry
from tests import factories as h
from tests.admin_forms import form_data
from tests.factories import make_decision

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)

# Every app of this project (not Django's or a library's): a new app is covered by itself.
APPS = [
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR)
    and not Path(config.path).is_relative_to(settings.BASE_DIR / ".venv")
]


def _constraints():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                yield pytest.param(model, constraint, id=constraint.name)


def test_every_app_with_constraints_is_walked():
    assert {"articles", "elections", "awards", "documents", "questions", "schedule",
            "organisation", "portal"} <= set(APPS)  # fmt: skip
    walked = {model._meta.app_label for model, _ in (p.values for p in _constraints())}
    assert {"articles", "elections", "awards", "documents", "questions", "schedule",
            "organisation"} <= walked  # fmt: skip


@pytest.mark.parametrize(("model", "constraint"), list(_constraints()))
def test_every_constraint_has_a_vietnamese_message_for_a_field(model, constraint):
    assert isinstance(constraint, (models.CheckConstraint, models.UniqueConstraint))
    message = str(constraint.get_violation_error_message())
    assert "violated" not in message and constraint.name not in message
    field = model.constraint_fields.get(constraint.name)
    assert field, f"{constraint.name}: no field to show the message next to"
    assert model._meta.get_field(field).editable
    with translation.override("en"):
        # The English admin has its own wording (tests/portal/test_translations.py).
        assert str(constraint.get_violation_error_message()) != message


def _errors(instance):
    with pytest.raises(ValidationError) as caught:
        instance.validate_constraints()
    return caught.value.message_dict


def test_check_constraints_land_on_their_field_when_clean_is_bypassed():
    unit = h.unit(seats=2)
    area = PollingArea(election=unit.contest.election, code="9", name="KV 9", registered=10,
                       voted=11, ballots_issued=5, ballots_received=6, valid_ballots=1,
                       invalid_ballots=1)  # fmt: skip
    errors = _errors(area)
    assert errors["voted"] == ["Số cử tri đã bỏ phiếu không được lớn hơn tổng số cử tri."]
    assert errors["ballots_received"] == ["Số phiếu thu vào không được lớn hơn số phiếu phát ra."]
    assert errors["valid_ballots"] == [
        "Số phiếu hợp lệ cộng số phiếu không hợp lệ phải bằng số phiếu thu vào."
    ]
    summary = TurnoutSummary(election=unit.contest.election, areas_total=3, areas_full=4)
    errors = _errors(summary)
    assert "areas_full" in errors and "percentage" in errors
    decision = Decision(status=Decision.Status.PROPOSED, title="Đề nghị", authority_id=1)
    assert "proposal_number" in _errors(decision)
    assert "name" in _errors(Recipient(decision=make_decision(), kind="individual", name=""))
    assert "valid_ballots" in _errors(
        UnitResult(unit=unit, ballots_received=5, valid_ballots=1, invalid_ballots=1)
    )


def test_the_other_apps_constraints_land_on_their_field_too():
    day = datetime.date(2025, 6, 5)
    document = Document(number="12/QĐ-UBND", issued_on=day, effective_on=day - ONE_DAY,
                        expires_on=day - ONE_DAY)  # fmt: skip
    errors = _errors(document)
    assert errors["effective_on"] == ["Ngày có hiệu lực không thể trước ngày ban hành."]
    assert errors["expires_on"] == ["Ngày hết hiệu lực phải sau ngày có hiệu lực."]
    now = timezone.now()
    assert list(_errors(Draft(title="Dự thảo", opens_at=now, closes_at=now))) == ["closes_at"]
    assert list(_errors(DocumentFile())) == ["document"]
    comment = DraftComment(name="An", body="Góp ý", status=DraftComment.Status.REJECTED)
    assert list(_errors(comment)) == ["reject_reason"]
    question = Question(asker_name="An", title="Hỏi", body="Nội dung", status="closed")
    errors = _errors(question)
    assert errors["asker_email"] == ["Cần có thư điện tử hoặc số điện thoại của người hỏi."]
    assert errors["close_reason"] == ["Ghi lý do đóng câu hỏi (chỉ cán bộ xem được)."]
    assert list(_errors(Question(asker_email="a@b.vn", status="answered"))) == ["answer"]
    entry = Entry(date=day, content="Họp", start_time=datetime.time(9), status="changed",
                  end_time=datetime.time(8))  # fmt: skip
    errors = _errors(entry)
    assert errors["end_time"] == ["Giờ kết thúc phải sau giờ bắt đầu."]
    assert errors["status_note"] == ["Ghi rõ thay đổi hoặc lý do hoãn."]


# --- through the admin, as staff use it -------------------------------------------------


def _field_errors(response, field):
    assert response.status_code == 200, response.get("Location")
    return [str(e) for e in response.context["adminform"].form.errors.get(field, [])]


def test_publish_now_with_an_empty_time_saves_and_publishes(client, make_user, category):
    client.force_login(make_user("duyettin", groups=["Người duyệt tin"]))
    url = reverse("admin:articles_article_add")
    data = form_data(client.get(url), title="Hội nghị tổng kết", category=category.pk,
                     summary="Tóm tắt", status="published", publish_at=("", ""))  # fmt: skip
    before = timezone.now()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert before <= article.publish_at <= timezone.now()
    assert Article.objects.published().get() == article


def test_unpublish_before_publish_is_refused_next_to_its_field(client, make_user, category):
    client.force_login(make_user("duyettin", groups=["Người duyệt tin"]))
    url = reverse("admin:articles_article_add")
    data = form_data(client.get(url), title="Tin", category=category.pk, summary="Tóm tắt",
                     status="published", publish_at=("05/06/2021", "08:30"),
                     unpublish_at=("04/06/2021", "08:30"))  # fmt: skip
    response = client.post(url, data)
    assert _field_errors(response, "unpublish_at") == [
        "Thời điểm gỡ bài phải sau thời điểm xuất bản."
    ]
    assert "Please correct" not in response.content.decode()


def test_duplicate_unit_number_is_a_vietnamese_message_on_the_number(client, make_user):
    unit = h.unit(number=1)
    client.force_login(make_user("baucu", groups=[ELECTION_STAFF]))
    url = reverse("admin:elections_electoralunit_add")
    data = form_data(client.get(url), contest=unit.contest_id, number=1, seats=2)
    response = client.post(url, data)
    assert _field_errors(response, "number") == ["Loại bầu cử này đã có đơn vị bầu cử mang số này."]
    assert ElectoralUnit.objects.count() == 1


def test_duplicate_polling_area_code_is_a_vietnamese_message_on_the_code(client, make_user):
    election = h.election()
    h.area(election, "01", 100, 90)
    client.force_login(make_user("baucu", groups=[ELECTION_STAFF]))
    url = reverse("admin:elections_pollingarea_add")
    data = form_data(client.get(url), election=election.pk, code="01", name="Khu vực khác",
                     registered=50, voted=40)  # fmt: skip
    response = client.post(url, data)
    assert _field_errors(response, "code") == [
        "Cuộc bầu cử này đã có khu vực bỏ phiếu mang mã này."
    ]


def test_duplicate_member_in_the_inline_is_refused_in_vietnamese(client, make_user):
    body = h.body(h.election())
    existing = h.member(body, "Lê Thị Thủy")
    client.force_login(make_user("baucu", groups=[ELECTION_STAFF]))
    url = reverse("admin:elections_body_change", args=[body.pk])
    page = client.get(url)
    data = form_data(page, **{"memberships-TOTAL_FORMS": "2", "memberships-1-person":
                              str(existing.person_id), "memberships-1-role": "uy-vien",
                              "memberships-1-titles": "[]", "memberships-1-order": "0",
                              "memberships-1-body": str(body.pk)})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct" not in html and "duplicate" not in html
    assert "trùng" in html
    assert Membership.objects.count() == 1


def test_decision_without_date_is_refused_on_the_date(client, make_user):
    decision = make_decision()
    client.force_login(make_user("canbo", groups=["Cán bộ thi đua khen thưởng"]))
    url = reverse("admin:awards_decision_change", args=[decision.pk])
    data = form_data(client.get(url), date="")
    response = client.post(url, data)
    assert _field_errors(response, "date") == ["Quyết định đã ban hành phải có ngày quyết định."]
    decision.refresh_from_db()
    assert decision.date == datetime.date(2021, 6, 22)
