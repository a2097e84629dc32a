import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from awards.models import Recipient
from awards.services import recipients_import, recipients_parse
from tests.factories import make_decision, make_recipients
from tests.samples import RECIPIENTS_CSV

pytestmark = pytest.mark.django_db


def upload(data, name):
    return SimpleUploadedFile(name, data)


def xlsx_bytes(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_parse_good_csv_with_bom_and_nfd_header():
    data = ("\ufeff" + RECIPIENTS_CSV.replace("Loại", "Loa\u0323i")).encode("utf-8")
    result = recipients_parse(upload=upload(data, "ds.csv"))
    assert result.errors == []
    assert [r["kind"] for r in result.rows] == ["collective", "individual", "individual"]
    assert result.rows[1] == {"order": 2, "kind": "individual", "name": "Nguyễn Văn Đức",
                              "position": "Tổ trưởng", "unit": "Xã Liêm Cần",
                              "achievement": ""}  # fmt: skip


def test_parse_semicolon_csv_and_windows_1258():
    # Windows-1258 writes tone marks as combining characters: "ị" is "i" + U+0323.
    text = "STT;Loai;Ten\r\n1;Ca nhan;L\u00ea Th\u0069\u0323 \u00c1nh\r\n"
    result = recipients_parse(upload=upload(text.encode("cp1258"), "ds.csv"))
    assert result.errors == []
    assert result.rows[0]["name"] == "Lê Thị Ánh"


def test_parse_good_xlsx():
    data = xlsx_bytes([
        ["Danh sách"] and ["STT", "Loại", "Họ và tên", "Chức vụ", "Đơn vị"],
        [1, "Tập thể", "Ban bầu cử phường Lam Hạ", None, "TP Phủ Lý"],
        [2.0, "Cá nhân", "Trần Thị Yến", "Tổ viên", "Phường Lam Hạ"],
    ])  # fmt: skip
    result = recipients_parse(upload=upload(data, "ds.xlsx"))
    assert result.errors == []
    assert [(r["order"], r["name"]) for r in result.rows] == [
        (1, "Ban bầu cử phường Lam Hạ"), (2, "Trần Thị Yến")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "ds.csv", "Tệp rỗng."),
        (b"%PDF-1.4", "ds.pdf", "Chỉ nhận tệp .csv hoặc .xlsx."),
        (b"PK\x03\x04 not really a zip", "ds.xlsx", "Không đọc được tệp Excel"),
        ("Tên,Ghi chú\r\nA,B\r\n".encode(), "ds.csv", "thiếu cột: “Loại”"),
        ("Loại,Tên\r\n".encode(), "ds.csv", "không có dòng dữ liệu"),
        (b"\x00\x01\x02binary", "ds.csv", "ký tự không hợp lệ"),
    ],
)
def test_parse_bad_files_give_vietnamese_errors(data, name, message):
    result = recipients_parse(upload=upload(data, name))
    assert not result.ok
    assert message in " ".join(result.error_lines())


def test_parse_reports_each_bad_row_with_its_line():
    text = (
        "STT,Loại,Tên\r\n"
        "1,Tập thể,Ban A\r\n"
        "x,Cá nhân,Người B\r\n"
        "3,Hộ gia đình,Hộ C\r\n"
        "4,Cá nhân,\r\n"
        "1,Cá nhân,Người D\r\n"
    )
    result = recipients_parse(upload=upload(text.encode(), "ds.csv"))
    assert result.error_lines() == [
        "Dòng 3: STT “x” không phải số.",
        "Dòng 4: loại “Hộ gia đình” không hợp lệ, hãy ghi “Tập thể” hoặc “Cá nhân”.",
        "Dòng 5: thiếu họ và tên / tên tập thể.",
        "Dòng 6: STT 1 bị trùng.",
    ]
    assert not result.ok


def test_import_appends_after_existing_order_and_records_history(make_user):
    user = make_user("nhap")
    decision = make_decision()
    make_recipients(decision, individuals=2)
    rows = [{"order": None, "kind": "individual", "name": "Đỗ Văn An"},
            {"order": None, "kind": "collective", "name": "Ban bầu cử xã B"}]  # fmt: skip
    assert recipients_import(decision=decision, rows=rows, user=user) == 2
    added = Recipient.objects.filter(name__in=["Đỗ Văn An", "Ban bầu cử xã B"]).order_by("order")
    assert [r.order for r in added] == [3, 4]
    assert added[0].sort_key  # name order works for imported rows too
    assert Recipient.history.filter(history_user=user).count() == 2


def test_import_is_all_or_nothing():
    decision = make_decision()
    rows = [{"order": 1, "kind": "individual", "name": "Người tốt"},
            {"order": 2, "kind": "individual", "name": "x" * 400}]  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017 - any validation error must roll back
        recipients_import(decision=decision, rows=rows)
    assert not Recipient.objects.exists()


def test_admin_import_flow_preview_then_confirm(client, staff_user, auditor, plain_staff):
    decision = make_decision(declared_collectives=1, declared_individuals=2)
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    assert client.get(url).status_code == 302
    client.force_login(plain_staff)
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    assert client.get(url).status_code == 200
    change = client.get(reverse("admin:awards_decision_change", args=[decision.pk]))
    assert url in change.content.decode()

    # A bad file: errors shown, nothing saved, no confirm button.
    bad = upload("STT,Loại,Tên\r\n1,Sai,Ai đó\r\n".encode(), "ds.csv")
    response = client.post(url, {"file": bad})
    html = response.content.decode()
    assert "Dòng 2: loại “Sai” không hợp lệ" in html
    assert 'name="token"' not in html
    assert not Recipient.objects.exists()

    response = client.post(url, {"file": upload(RECIPIENTS_CSV.encode(), "ds.csv")})
    html = response.content.decode()
    assert "Xem trước 3 dòng" in html and "Nguyễn Văn Đức" in html
    assert not Recipient.objects.exists()  # preview only
    token = response.context["token"]

    # A tampered token is refused.
    response = client.post(url, {"token": token[:-3] + "abc"})
    assert "hết hạn" in response.content.decode()
    assert not Recipient.objects.exists()

    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert decision.recipients.count() == 3

    # Confirming again (double click, back and resubmit, a replayed POST) changes nothing.
    response = client.post(url, {"token": token}, follow=True)
    assert "đã được nhập lúc" in response.content.decode()
    assert decision.recipients.count() == 3
    assert Recipient.history.filter(history_user=staff_user).count() == 3

    # A payload made for one decision cannot be replayed on another.
    other = make_decision()
    response = client.post(
        reverse("admin:awards_decision_import", args=[other.pk]), {"token": token}
    )
    assert response.status_code == 403
    assert not other.recipients.exists()


def test_admin_import_unknown_decision_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/admin/awards/decision/999999/nhap-danh-sach/").status_code in (302, 404)
    assert client.get("/admin/awards/decision/abc/nhap-danh-sach/").status_code in (302, 404)


def test_replacing_the_list_needs_the_delete_permission(client, make_user):
    from django.contrib.auth.models import Permission

    from portal.models import ImportPreview

    decision = make_decision()
    make_recipients(decision, individuals=2)
    user = make_user("nhapthem")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_decision", "change_decision",
                                                 "add_recipient"])
    )  # fmt: skip
    client.force_login(user)
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    response = client.post(
        url, {"file": upload(RECIPIENTS_CSV.encode(), "ds.csv"), "replace": "on"}
    )
    assert "không có quyền xóa" in response.content.decode()
    assert "token" not in response.context
    # A preview made with "replace" (say, before the permission was taken away).
    forged = ImportPreview.objects.create(
        flow="awards.recipients",
        target=str(decision.pk),
        user=user,
        rows=[],
        options={"replace": True},
    )
    assert client.post(url, {"token": str(forged.token)}).status_code == 403
    assert decision.recipients.count() == 2
    # Appending is still allowed.
    response = client.post(url, {"file": upload(RECIPIENTS_CSV.encode(), "ds.csv")})
    assert client.post(url, {"token": response.context["token"]}).status_code == 302
    assert decision.recipients.count() == 5


def test_a_preview_made_before_someone_edited_the_list_is_not_confirmed(client, staff_user):
    """The import respects the version check: the list changed since the preview was made."""
    decision = make_decision(declared_collectives=1, declared_individuals=2)
    (kept,) = make_recipients(decision, individuals=1, names=["Lê Thị Thủy"])
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    client.force_login(staff_user)
    response = client.post(url, {"file": upload(RECIPIENTS_CSV.encode(), "ds.csv")})
    token = response.context["token"]

    # Meanwhile a colleague corrects the recipient already on the list.
    Recipient.objects.filter(pk=kept.pk).update(position="Tổ phó")

    response = client.post(url, {"token": token})
    assert "Dữ liệu đã thay đổi từ lúc xem trước" in response.content.decode()
    assert list(decision.recipients.all()) == [kept]
    # Nothing was claimed: a fresh preview of the same file imports normally.
    response = client.post(url, {"file": upload(RECIPIENTS_CSV.encode(), "ds.csv")})
    assert client.post(url, {"token": response.context["token"]}).status_code == 302
    assert decision.recipients.count() == 4
