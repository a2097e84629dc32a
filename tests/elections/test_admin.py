"""Staff side: the election role's permission ladder, import flow, computed outcome, history."""

import pytest
from django.urls import reverse

from elections.models import Candidate, PollingArea, UnitResult
from elections.roles import ELECTION_STAFF
from tests import factories as h
from tests.samples import POLLING_AREA_ROWS, polling_area_csv

pytestmark = pytest.mark.django_db

MODELS = [
    "election",
    "contest",
    "body",
    "person",
    "membership",
    "electoralunit",
    "pollingarea",
    "turnoutsummary",
    "candidate",
    "unitresult",
]
ADMIN_PAGES = [
    "admin:elections_election_changelist",
    "admin:elections_election_add",
    "admin:elections_body_changelist",
    "admin:elections_body_add",
    "admin:elections_person_changelist",
    "admin:elections_electoralunit_changelist",
    "admin:elections_electoralunit_add",
    "admin:elections_pollingarea_changelist",
    "admin:elections_pollingarea_import",
    "admin:elections_turnoutsummary_changelist",
    "admin:elections_candidate_changelist",
    "admin:elections_unitresult_changelist",
]


@pytest.fixture
def staff(make_user):
    return make_user("baucu", groups=[ELECTION_STAFF])


def test_role_has_full_rights_on_every_election_model(staff):
    for model in MODELS:
        for action in ("view", "add", "change", "delete"):
            assert staff.has_perm(f"elections.{action}_{model}"), (action, model)
    assert not staff.has_perm("articles.publish_article")


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_permission_ladder(client, make_user, staff, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

    client.force_login(make_user("khong-quyen", groups=["Biên tập viên"]))
    assert client.get(url).status_code == 403

    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_change_pages_open_for_staff(client, staff):
    unit = h.unit(seats=1)
    h.candidate(unit, 800, name="Người A")
    result = h.result(unit, valid=1000)
    area = h.area(unit.contest.election, "01", 100, 90, unit=unit)
    body = h.body(unit.contest.election)
    h.member(body, "Lê Thị Thủy", titles=["Bí thư Tỉnh ủy", "Trưởng ban"])
    client.force_login(staff)
    for url in [
        reverse("admin:elections_election_change", args=[unit.contest.election_id]),
        reverse("admin:elections_body_change", args=[body.pk]),
        reverse("admin:elections_pollingarea_change", args=[area.pk]),
        reverse("admin:elections_unitresult_history", args=[result.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("admin:elections_electoralunit_change", args=[unit.pk]))
    html = page.content.decode()
    assert "Kết quả tính theo luật" in html
    assert "Đã xác định người trúng cử" in html
    assert "Trúng cử" in html


def test_import_preview_then_confirm(client, staff):
    election = h.election()
    h.unit(h.contest(election), number=1)
    client.force_login(staff)
    url = reverse("admin:elections_pollingarea_import")
    upload = polling_area_csv(POLLING_AREA_ROWS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {"election": election.pk, "file": SimpleUploadedFile("bb.csv", upload, "text/csv")},
    )
    assert response.status_code == 200
    assert "Tệp hợp lệ" in response.content.decode()
    assert PollingArea.objects.count() == 0
    token = response.context["token"]
    assert token

    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert PollingArea.objects.filter(election=election).count() == 3
    assert PollingArea.history.filter(history_user=staff).count() == 3

    # The same confirmation again (back button, double click): nothing more is written.
    PollingArea.objects.filter(code="KV01").update(name="Đã sửa sau khi nhập")
    response = client.post(url, {"token": token}, follow=True)
    assert "đã được nhập lúc" in response.content.decode()
    assert PollingArea.objects.get(code="KV01").name == "Đã sửa sau khi nhập"
    assert PollingArea.history.count() == 3


def test_a_preview_is_not_confirmed_over_areas_edited_since(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    election = h.election()
    h.unit(h.contest(election), number=1)
    area = h.area(election, "KV01", registered=1000, voted=900)
    client.force_login(staff)
    url = reverse("admin:elections_pollingarea_import")
    response = client.post(
        url,
        {
            "election": election.pk,
            "file": SimpleUploadedFile("bb.csv", polling_area_csv(POLLING_AREA_ROWS)),
        },
    )
    token = response.context["token"]
    # A colleague corrects the area's minutes by hand after the preview was made.
    PollingArea.objects.filter(pk=area.pk).update(voted=901)

    response = client.post(url, {"token": token})
    assert "Dữ liệu đã thay đổi từ lúc xem trước" in response.content.decode()
    assert PollingArea.objects.get(pk=area.pk).voted == 901
    assert PollingArea.objects.filter(election=election).count() == 1


def test_import_with_errors_shows_them_and_offers_no_confirm(client, staff):
    election = h.election()
    client.force_login(staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = polling_area_csv([["1", "KV01", "Khu vực 1", "", "", "10", "11", "", "", "", ""]])
    response = client.post(
        reverse("admin:elections_pollingarea_import"),
        {"election": election.pk, "file": SimpleUploadedFile("bb.csv", bad, "text/csv")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "import-errors" in html
    assert "lớn hơn tổng số cử tri" in html
    assert 'name="token"' not in html
    assert PollingArea.objects.count() == 0


@pytest.mark.parametrize("token", ["x:y:z", "00000000-0000-0000-0000-000000000000"])
def test_import_rejects_a_forged_token(client, staff, token):
    client.force_login(staff)
    response = client.post(reverse("admin:elections_pollingarea_import"), {"token": token})
    assert response.status_code == 200
    assert "hết hạn hoặc không hợp lệ" in response.content.decode()
    assert PollingArea.objects.count() == 0


def test_history_records_who_changed_a_result(client, staff):
    unit = h.unit(seats=1)
    candidate = h.candidate(unit, 100)
    result = h.result(unit, valid=200)
    client.force_login(staff)
    url = reverse("admin:elections_candidate_change", args=[candidate.pk])
    response = client.post(
        url,
        {
            "unit": unit.pk,
            "full_name": candidate.full_name,
            "birth_date": "01/02/1970",
            "gender": "",
            "hometown": "",
            "ethnicity": "",
            "position": "",
            "workplace": "",
            "votes": "150",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.votes == 150
    assert candidate.birth_date.isoformat() == "1970-02-01"
    latest = Candidate.history.filter(id=candidate.pk).first()
    assert latest.history_user == staff
    assert latest.votes == 150
    assert UnitResult.history.filter(id=result.pk).count() == 1


def test_body_search_matches_decision_number_variants(client, staff):
    election = h.election()
    h.body(election, name="Ban Chỉ đạo bầu cử tỉnh", decision_number="522-QĐ/TU")
    h.body(election, name="Ủy ban Bầu cử tỉnh", decision_number="1234/QĐ-UBND")
    client.force_login(staff)
    response = client.get(reverse("admin:elections_body_changelist"), {"q": "522/QĐ-TU"})
    names = [body.name for body in response.context["cl"].result_list]
    assert names == ["Ban Chỉ đạo bầu cử tỉnh"]


def test_view_only_user_cannot_revert_history(client, make_user):
    """A revert is a write: viewing history is not enough (portal.admin_history)."""
    from django.contrib.auth.models import Permission

    from tests import factories as helpers

    candidate = helpers.candidate(helpers.unit(), 500, name="Người ứng cử gốc")
    candidate.full_name = "Người ứng cử đã sửa"
    candidate.save()
    viewer = make_user("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(viewer)
    first = candidate.history.order_by("history_id").first()
    url = reverse("admin:elections_candidate_simple_history", args=[candidate.pk, first.pk])
    assert client.get(url).status_code == 200
    before = candidate.history.count()
    assert client.post(url, {}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.full_name == "Người ứng cử đã sửa"
    assert candidate.history.count() == before


def test_view_only_user_cannot_import(client, make_user):
    """Viewing polling areas is not enough to upload or confirm an import."""
    from django.contrib.auth.models import Permission
    from django.core.files.uploadedfile import SimpleUploadedFile

    election = h.election()
    h.unit(h.contest(election), number=1)
    owner = make_user("nhap-lieu", groups=[ELECTION_STAFF])
    client.force_login(owner)
    response = client.post(
        reverse("admin:elections_pollingarea_import"),
        {
            "election": election.pk,
            "file": SimpleUploadedFile("bb.csv", polling_area_csv(POLLING_AREA_ROWS)),
        },
    )
    token = response.context["token"]
    viewer = make_user("chi-xem")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_pollingarea", "view_election"])
    )
    client.force_login(viewer)
    url = reverse("admin:elections_pollingarea_import")
    assert client.get(reverse("admin:elections_pollingarea_changelist")).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, {"token": token}).status_code == 403
    assert PollingArea.objects.count() == 0


def test_view_only_user_cannot_change_results_or_summary(client, make_user):
    from django.contrib.auth.models import Permission

    unit = h.unit(seats=1)
    result = h.result(unit, valid=800)
    viewer = make_user("chi-xem-kq")
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    url = reverse("admin:elections_unitresult_change", args=[result.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit": unit.pk,
            "registered": 1000,
            "voted": 10,
            "valid_ballots": 1,
            "invalid_ballots": 0,
            "ballots_received": 1,
            "ballots_issued": 1,
        },
    )
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.voted == 900
    assert client.post(reverse("admin:elections_unitresult_add"), {}).status_code == 403


def test_import_preview_counts_new_and_existing_areas(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    election = h.election()
    h.unit(h.contest(election), number=1)
    h.area(election, "kv01", 10, 5)
    client.force_login(staff)
    response = client.post(
        reverse("admin:elections_pollingarea_import"),
        {
            "election": election.pk,
            "file": SimpleUploadedFile("bb.csv", polling_area_csv(POLLING_AREA_ROWS), "text/csv"),
        },
    )
    html = response.content.decode()
    assert "Khu vực mới: 2; khu vực đã có, sẽ được cập nhật: 1." in html


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "anh.csv"),
        (b"PK\x03\x04garbage", "bb.xlsx"),
        (b"\xff\xfe\x00", "bb.csv"),
        (b"", "bb.csv"),
    ],
)
def test_import_of_a_file_that_is_not_a_spreadsheet_never_errors(client, staff, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    election = h.election()
    client.force_login(staff)
    response = client.post(
        reverse("admin:elections_pollingarea_import"),
        {"election": election.pk, "file": SimpleUploadedFile(name, content, "text/csv")},
    )
    assert response.status_code == 200
    assert PollingArea.objects.count() == 0


def test_seats_changes_are_in_the_unit_history(client, staff):
    """Seats decide who is elected: changing them is recorded with who, when and what."""
    from elections.models import ElectoralUnit

    unit = h.unit(seats=2)
    client.force_login(staff)
    data = {"contest": unit.contest_id, "number": unit.number, "area_description": "", "seats": 1}
    for prefix in ("candidates", "result", "polling_areas"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(reverse("admin:elections_electoralunit_change", args=[unit.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = ElectoralUnit.history.filter(id=unit.pk).first()
    assert (latest.seats, latest.history_user, latest.history_type) == (1, staff, "~")
    page = client.get(reverse("admin:elections_electoralunit_history", args=[unit.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert staff.username in html or staff.get_full_name() in html
    assert "Số đại biểu được bầu" in html  # what changed, from the history diff
