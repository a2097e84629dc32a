import csv
import hashlib
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Authority, Decision, ExportLog, Recipient
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/awards/decision/xuat/"


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_export_permission_ladder(client, plain_staff, auditor, staff_user, decision):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(plain_staff)
    assert client.get(EXPORT_URL).status_code == 403
    for user in (auditor, staff_user):
        client.force_login(user)
        response = client.get(EXPORT_URL + "?format=xlsx")
        assert response.status_code == 200
        body(response)
    assert ExportLog.objects.count() == 2


def test_admin_csv_export_is_logged_with_the_hash_of_its_bytes(client, auditor):
    decision = make_decision(declared_collectives=1)
    make_recipients(decision, collectives=1, individuals=2)
    other = make_decision()
    make_recipients(other, individuals=5)
    client.force_login(auditor)
    response = client.get(EXPORT_URL, {"decision": decision.slug, "kind": "individual",
                                       "year": "abc"})  # fmt: skip
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = body(response)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3
    log = ExportLog.objects.get(pk=response["X-Export-Log"])
    assert log.user == auditor and log.username == "kiemtoan" and log.source == "admin"
    assert log.row_count == 2
    assert log.sha256 == hashlib.sha256(data).hexdigest()
    assert log.filters == {"order": "decision", "decision": [decision.slug],
                           "kind": "individual", "ignored": ["year"]}  # fmt: skip
    assert log.completed_at is not None


def test_admin_xlsx_export_logged(client, auditor, decision):
    make_recipients(decision, collectives=2)
    client.force_login(auditor)
    response = client.get(EXPORT_URL, {"format": "xlsx"})
    data = body(response)
    log = ExportLog.objects.get()
    assert log.format == "xlsx" and log.row_count == 2
    assert log.sha256 == hashlib.sha256(data).hexdigest()
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"


@pytest.mark.parametrize("count", [1, 40])
def test_admin_export_query_count_is_fixed(client, auditor, django_assert_num_queries, count):
    decision = make_decision()
    make_recipients(decision, collectives=count, individuals=count)
    client.force_login(auditor)
    # session, user, permissions (2), decision filter, log insert, rows, log update
    with django_assert_num_queries(8):
        response = client.get(EXPORT_URL, {"decision": decision.slug})
        assert len(body(response).splitlines()) == 2 * count + 1


def submitted_export(html, fmt, order="decision"):
    """What the changelist's export form sends when its ``fmt`` button is pressed."""
    form = html.split('class="awards-export-form"', 1)[1].split("</form>", 1)[0]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    return [(name, unescape(value)) for name, value in fields] + [
        ("order", order),
        ("format", fmt),
    ]


def test_export_action_and_filtered_list_button(client, staff_user):
    a = make_decision()
    b = make_decision()
    make_recipients(a, individuals=2)
    make_recipients(b, individuals=3)
    client.force_login(staff_user)
    changelist = reverse("admin:awards_decision_changelist")
    page = client.get(changelist, {"status": "decided", "year": "2021"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Xuất CSV danh sách đang lọc" in html
    assert f'action="{EXPORT_URL}"' in html
    assert '<input type="hidden" name="status" value="decided">' in html
    assert '<input type="hidden" name="year" value="2021">' in html
    assert '<button type="submit" name="format" value="csv"' in html
    response = client.post(
        changelist, {"action": "export_csv", "_selected_action": [a.pk], "index": 0}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 3
    assert ExportLog.objects.get().filters["decision"] == [a.slug]


def test_plain_staff_does_not_see_export(client, make_user, decision):
    from django.contrib.auth.models import Permission

    user = make_user("xem")
    user.user_permissions.add(Permission.objects.get(codename="view_decision"))
    client.force_login(user)
    html = client.get(reverse("admin:awards_decision_changelist")).content.decode()
    assert "Xuất CSV danh sách đang lọc" not in html
    assert "export_csv" not in html


def test_changelist_shows_reconciliation(client, auditor, django_assert_max_num_queries):
    decision = make_decision(declared_collectives=20, declared_individuals=12)
    make_recipients(decision, collectives=20, individuals=10)
    client.force_login(auditor)
    html = client.get(reverse("admin:awards_decision_changelist")).content.decode()
    assert "Tập thể 20/20 · Cá nhân 10/12" in html
    assert "thiếu 2" in html
    change = client.get(reverse("admin:awards_decision_change", args=[decision.pk]))
    assert "Quyết định ghi 12 cá nhân, mới nhập 10 (thiếu 2)." in change.content.decode()


def test_admin_search_finds_number_variants(client, staff_user):
    decision = make_decision(number="1234/QĐ-UBND")
    make_decision(number="99/QĐ-UBND")
    client.force_login(staff_user)
    url = reverse("admin:awards_decision_changelist")
    for term in ("1234/QD-UBND", "1234 QĐ UBND", "1234"):
        response = client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [decision], term


def test_auditor_is_read_only(client, auditor):
    decision = make_decision(signer_name="Ban đầu")
    recipient = make_recipients(decision, individuals=1)[0]
    authority = decision.authority
    client.force_login(auditor)
    change_url = reverse("admin:awards_decision_change", args=[decision.pk])
    assert client.get(reverse("admin:awards_decision_changelist")).status_code == 200
    assert client.get(change_url).status_code == 200  # view-only page
    assert client.get(reverse("admin:awards_decision_add")).status_code == 403
    assert client.get(reverse("admin:awards_recipient_add")).status_code == 403
    assert (
        client.get(reverse("admin:awards_decision_delete", args=[decision.pk])).status_code == 403
    )
    before = Decision.history.count(), Recipient.history.count()

    response = client.post(change_url, {"title": "Đã sửa", "signer_name": "Kiểm toán sửa"})
    assert response.status_code == 403
    response = client.post(reverse("admin:awards_decision_delete", args=[decision.pk]),
                           {"post": "yes"})  # fmt: skip
    assert response.status_code == 403
    response = client.post(reverse("admin:awards_recipient_change", args=[recipient.pk]),
                           {"name": "Đổi tên"})  # fmt: skip
    assert response.status_code == 403
    response = client.post(reverse("admin:awards_authority_change", args=[authority.pk]),
                           {"name": "Đổi tên", "kind": "state", "order": 0})  # fmt: skip
    assert response.status_code == 403
    response = client.post(
        reverse("admin:awards_decision_changelist"),
        {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"},
    )
    assert Decision.objects.filter(pk=decision.pk).exists()
    # Reverting from history is a change too.
    history_id = decision.history.first().history_id
    revert = reverse("admin:awards_decision_simple_history", args=[decision.pk, history_id])
    assert client.post(revert, {"title": "x"}).status_code == 403
    # The import form is a change.
    assert (
        client.get(reverse("admin:awards_decision_import", args=[decision.pk])).status_code == 403
    )
    # Export log cannot be changed or deleted by anyone.
    log = ExportLog.objects.create(source="admin", format="csv")
    assert client.post(reverse("admin:awards_exportlog_delete", args=[log.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip

    decision.refresh_from_db()
    recipient.refresh_from_db()
    authority.refresh_from_db()
    assert decision.title != "Đã sửa" and decision.signer_name == "Ban đầu"
    assert recipient.name != "Đổi tên" and authority.name != "Đổi tên"
    assert (Decision.history.count(), Recipient.history.count()) == before
    assert ExportLog.objects.filter(pk=log.pk).exists()


def test_auditor_sees_history_with_who_changed_what(client, staff_user, auditor):
    authority = Authority.objects.create(name="Ủy ban nhân dân tỉnh")
    decision = make_decision(authority=authority, signer_name="Cũ")
    client.force_login(staff_user)
    change_url = reverse("admin:awards_decision_change", args=[decision.pk])
    form = client.get(change_url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "scan"}
    data.update({
        "signer_name": "Người ký mới",
        "date": "22/06/2021",
        "recipients-TOTAL_FORMS": "1", "recipients-INITIAL_FORMS": "0",
        "recipients-MIN_NUM_FORMS": "0", "recipients-MAX_NUM_FORMS": "1000",
        "recipients-0-kind": "individual", "recipients-0-name": "Lê Văn Bình",
        "recipients-0-order": "1",
    })  # fmt: skip
    data = {k: v for k, v in data.items() if k not in ("created_at", "updated_at")}
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    decision.refresh_from_db()
    assert decision.signer_name == "Người ký mới"
    record = decision.history.first()
    assert record.history_user == staff_user
    assert Recipient.history.get().history_user == staff_user

    client.force_login(auditor)
    history = client.get(reverse("admin:awards_decision_history", args=[decision.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "canbo" in html and "Người ký mới" in html


def test_exportlog_admin_read_only_for_staff(client, staff_user, auditor):
    log = ExportLog.objects.create(source="admin", format="csv", sha256="a" * 64, row_count=3)
    client.force_login(auditor)
    assert client.get(reverse("admin:awards_exportlog_changelist")).status_code == 200
    page = client.get(reverse("admin:awards_exportlog_change", args=[log.pk]))
    assert page.status_code == 200 and "a" * 64 in page.content.decode()
    client.force_login(staff_user)
    assert client.get(reverse("admin:awards_exportlog_add")).status_code == 403


def _add_data(authority, form, **extra):
    data = {
        "title": "Về việc tặng Bằng khen",
        "status": "decided",
        "authority": authority.pk,
        "form": form.pk,
        "number": "12/QĐ-UBND",
        "date": "05/06/2021",
        "declared_collectives": "0",
        "declared_individuals": "0",
        "recipients-TOTAL_FORMS": "0",
        "recipients-INITIAL_FORMS": "0",
        "recipients-MIN_NUM_FORMS": "0",
        "recipients-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_staff_adds_decision_with_pdf_and_fake_pdf_is_refused(client, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.models import AwardForm

    authority = Authority.objects.create(name="Ủy ban nhân dân tỉnh")
    form = AwardForm.objects.create(name="Bằng khen")
    client.force_login(staff_user)
    url = reverse("admin:awards_decision_add")
    assert client.get(url).status_code == 200
    fake = SimpleUploadedFile("qd.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, _add_data(authority, form, scan=fake))
    assert response.status_code == 200
    assert "Tệp quét phải là tệp PDF thật" in response.content.decode()
    assert not Decision.objects.exists()
    # A proposal without its tờ trình number gets the Vietnamese rule, not a database error.
    response = client.post(url, _add_data(authority, form, status="proposed", number=""))
    assert "Đề nghị khen thưởng phải có số tờ trình." in response.content.decode()
    real = SimpleUploadedFile("Quyết định.pdf", b"%PDF-1.5\n%test", "application/pdf")
    response = client.post(url, _add_data(authority, form, scan=real))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.date.isoformat() == "2021-06-05"  # d/m/Y, not m/d/Y
    assert decision.scan.name.startswith("awards/quyet-dinh/")
    assert decision.history.get().history_user == staff_user


def test_recipient_changelist_filters_feed_the_export(client, auditor):
    decision = make_decision()
    make_recipients(decision, collectives=2, individuals=3)
    client.force_login(auditor)
    url = reverse("admin:awards_recipient_changelist")
    response = client.get(url, {"kind": "individual", "decision": decision.slug})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    html = response.content.decode()
    params = submitted_export(html, "xlsx")
    assert ("kind", "individual") in params and ("decision", decision.slug) in params
    export = client.get(EXPORT_URL, params)
    assert ExportLog.objects.get(pk=export["X-Export-Log"]).row_count == 3
    for bad in ({"year": "abc"}, {"status": "x"}, {"kind": "'"}, {"decision": "khong-co"}):
        assert client.get(url, bad).status_code in (200, 302), bad


def test_filtered_export_honours_the_decision_search_box(client, auditor):
    wanted = make_decision(number="1234/QĐ-UBND")
    other = make_decision(number="99/QĐ-UBND")
    make_recipients(wanted, individuals=2)
    make_recipients(other, individuals=3)
    client.force_login(auditor)
    page = client.get(reverse("admin:awards_decision_changelist"), {"q": "1234 QD UBND"})
    assert list(page.context["cl"].result_list) == [wanted]
    params = submitted_export(page.content.decode(), "csv")
    assert ("decision_q", "1234 QD UBND") in params and ("q", "1234 QD UBND") not in params
    rows = list(csv.reader(io.StringIO(body(client.get(EXPORT_URL, params)).decode())))
    assert {r[10] for r in rows[1:]} == {"1234/QĐ-UBND"} and len(rows) == 3
    assert ExportLog.objects.get().filters["decision_q"] == "1234 QD UBND"


def test_filtered_export_honours_the_recipient_search_box(client, auditor):
    decision = make_decision(number="77/QĐ-UBND")
    make_recipients(decision, collectives=2, individuals=3, names=["Trần Văn Đức", "Lê Thị Ánh",
                                                                   "Đỗ Đức Anh"])  # fmt: skip
    other = make_decision()
    make_recipients(other, individuals=1, names=["Phạm Văn Đức"])
    client.force_login(auditor)
    url = reverse("admin:awards_recipient_changelist")
    page = client.get(url, {"q": "Đức", "decision": decision.slug})
    assert sorted(r.name for r in page.context["cl"].result_list) == ["Trần Văn Đức", "Đỗ Đức Anh"]
    html = page.content.decode()
    params = submitted_export(html, "xlsx")
    assert ("decision", decision.slug) in params and ("q", "Đức") in params
    response = client.get(EXPORT_URL, params)
    ws = load_workbook(io.BytesIO(body(response))).active
    assert "Tìm tập thể, cá nhân: “Đức”" in [r[0] for r in ws.iter_rows(values_only=True)]
    assert ExportLog.objects.get().row_count == 2
    # The decision number in its variants finds its recipients too.
    page = client.get(url, {"q": "77 QD UBND"})
    assert page.context["cl"].result_count == 5


def test_the_export_order_is_a_choice_beside_the_buttons(client, staff_user):
    """Decision order or Vietnamese name order, chosen in the admin (not by editing a URL)."""
    decision = make_decision()
    make_recipients(decision, individuals=3,
                    names=["Lê Thị Thủy", "Trương Quốc Huy", "Đinh Thị Lụa"])  # fmt: skip
    client.force_login(staff_user)
    html = client.get(reverse("admin:awards_recipient_changelist"), {"kind": "individual"})
    html = html.content.decode()
    assert '<select name="order" id="awards-export-order">' in html
    assert '<option value="decision">' in html and '<option value="name">' in html
    assert '<input type="hidden" name="kind" value="individual">' in html
    # What the form sends for each choice.
    names = {}
    for order in ("decision", "name"):
        response = client.get(EXPORT_URL, {"kind": "individual", "order": order, "format": "csv"})
        rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
        names[order] = [row[2] for row in rows[1:]]
    assert names["decision"] == ["Lê Thị Thủy", "Trương Quốc Huy", "Đinh Thị Lụa"]
    assert names["name"] == ["Trương Quốc Huy", "Đinh Thị Lụa", "Lê Thị Thủy"]
