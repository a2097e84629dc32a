"""Import of a document list through the portal's one import flow (portal.imports)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from documents.models import Document, DocumentType, Field, Issuer
from documents.roles import CLERKS, MODERATORS
from tests.factories import make_document
from tests.samples import DOCUMENT_LIST_HEADER, DOCUMENT_LIST_ROWS, document_list_csv

pytestmark = pytest.mark.django_db

URL = "/admin/documents/document/nhap-tu-tep/"


@pytest.fixture
def lists():
    DocumentType.objects.create(name="Quyết định")
    DocumentType.objects.create(name="Kế hoạch")
    Issuer.objects.create(name="Ủy ban nhân dân tỉnh", short_name="UBND tỉnh")
    Field.objects.create(name="Giáo dục và đào tạo")


@pytest.fixture
def clerk(make_user):
    return make_user("vanthu", groups=[CLERKS])


def test_import_permission_ladder(client, make_user, clerk):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user("nhanvien"))
    assert client.get(URL).status_code == 403
    client.force_login(make_user("duyetgopy", groups=[MODERATORS]))
    assert client.get(URL).status_code == 403
    client.force_login(clerk)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/admin/documents/document/").content.decode()


def test_preview_then_confirm_once(client, clerk, lists):
    client.force_login(clerk)
    upload = document_list_csv(DOCUMENT_LIST_HEADER, *DOCUMENT_LIST_ROWS)
    response = client.post(URL, {"file": upload})
    html = response.content.decode()
    assert "Tệp hợp lệ: 2 văn bản" in html
    assert Document.objects.count() == 0  # nothing before the confirmation
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = client.post(URL, {"token": token})
    assert done.status_code == 302
    assert Document.objects.count() == 2
    decision = Document.objects.get(number="1436/QĐ-UBND")
    assert decision.issued_on.isoformat() == "2021-06-22"
    assert [f.name for f in decision.fields.all()] == ["Giáo dục và đào tạo"]
    assert decision.history.count() == 2  # created, then its fields linked (m2m history)
    assert Document.objects.get(number="88/KH-UBND").doc_type.name == "Kế hoạch"
    client.post(URL, {"token": token})  # a replayed confirmation changes nothing
    assert Document.objects.count() == 2


def test_row_errors_are_listed_and_nothing_is_written(client, clerk, lists):
    make_document(doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh", number="1/QĐ-UBND",
                  issued_on=__import__("datetime").date(2021, 1, 4))  # fmt: skip
    client.force_login(clerk)
    rows = [
        '"Nghị quyết","5/NQ-HĐND","Ủy ban nhân dân tỉnh","01/02/2021","","Trích yếu",""',
        '"Quyết định","6/QĐ-UBND","Sở Không Có","01/02/2021","","Trích yếu",""',
        '"Quyết định","7/QĐ-UBND","UBND tỉnh","31/02/2021","","Trích yếu",""',
        '"Quyết định","8/QĐ-UBND","UBND tỉnh","05/02/2021","01/01/2021","Trích yếu",""',
        '"Quyết định","","UBND tỉnh","05/02/2021","","",""',
        '"Quyết định","1/QĐ-UBND","UBND tỉnh","04/01/2021","","Trùng ngày, trùng số",""',
        '"Quyết định","9/QĐ-UBND","UBND tỉnh","05/02/2021","","=HYPERLINK(1)","Không có"',
    ]
    good = DOCUMENT_LIST_ROWS[0]
    upload = document_list_csv(DOCUMENT_LIST_HEADER, *rows, good, good)
    response = client.post(URL, {"file": upload})
    html = response.content.decode()
    errors = re.findall(r"<li>(Dòng [^<]+)</li>", html)
    assert len(errors) == 8, errors
    assert "hình thức “Nghị quyết” chưa có trong danh mục" in errors[0]
    assert "cơ quan ban hành “Sở Không Có” chưa có" in errors[1]
    assert "không đúng dạng ngày/tháng/năm" in errors[2]
    assert "Ngày có hiệu lực không thể trước ngày ban hành" in errors[3]
    assert "thiếu “Số, ký hiệu”" in errors[4] and "thiếu “Trích yếu”" in errors[4]
    assert "cùng ngày ban hành" in errors[5]
    assert "lĩnh vực “Không có”" in errors[6]
    assert "trùng với dòng" in errors[7]
    assert 'name="token"' not in html
    assert Document.objects.count() == 1


def test_same_number_another_year_is_a_warning_not_an_error(client, clerk, lists):
    make_document(doc_type="Quyết định", issuer="Ủy ban nhân dân tỉnh", number="1436/QĐ-UBND",
                  issued_on=__import__("datetime").date(2020, 3, 1))  # fmt: skip
    client.force_login(clerk)
    upload = document_list_csv(DOCUMENT_LIST_HEADER, DOCUMENT_LIST_ROWS[0])
    html = client.post(URL, {"file": upload}).content.decode()
    assert "Tệp hợp lệ: 1 văn bản" in html
    assert "đã có văn bản số 1436/QĐ-UBND ngày 01/03/2020" in html


def test_xlsx_with_dates_and_a_title_row(client, clerk, lists):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["DANH MỤC VĂN BẢN NĂM 2025"])
    sheet.append([])
    sheet.append(["Số, ký hiệu", "Hình thức", "Cơ quan ban hành", "Ngày ban hành", "Trích yếu"])
    sheet.append(["88/KH-UBND", "Kế hoạch", "UBND tỉnh", datetime.datetime(2025, 4, 8),
                  "Tổ chức kỳ thi tuyển sinh lớp 10"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("van-ban.xlsx", buffer.getvalue())
    client.force_login(clerk)
    html = client.post(URL, {"file": upload}).content.decode()
    assert "Tệp hợp lệ: 1 văn bản" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    client.post(URL, {"token": token})
    assert Document.objects.get().issued_on == datetime.date(2025, 4, 8)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "cu.xls", ".xls"),
        (b"<html>", "x.pdf", ".csv"),
        ("Tên,Tuổi\r\nA,1\r\n".encode(), "x.csv", ""),
    ],
)
def test_unreadable_files_get_a_vietnamese_message(client, clerk, lists, data, name, message):
    client.force_login(clerk)
    response = client.post(URL, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errornote"' in html or "errorlist" in html
    assert message in html
    assert Document.objects.count() == 0


def test_a_joint_document_lists_every_issuing_authority(client, clerk, lists):
    Issuer.objects.create(name="Sở Nội vụ")
    Issuer.objects.create(name="Sở Tài chính")
    header = DOCUMENT_LIST_HEADER + ',"Cơ quan cùng ban hành"'
    rows = [
        '"Kế hoạch","12/KHLT-SNV-STC","Ủy ban nhân dân tỉnh","03/03/2025","","Phối hợp thử",'
        '"","Sở Nội vụ; so tai chinh"',
        '"Kế hoạch","13/KHLT","Ủy ban nhân dân tỉnh","03/03/2025","","Cơ quan lạ","","Sở Lạ"',
        '"Kế hoạch","14/KHLT","Ủy ban nhân dân tỉnh","03/03/2025","","Trùng chủ trì","",'
        '"UBND tỉnh"',
    ]
    client.force_login(clerk)
    html = client.post(URL, {"file": document_list_csv(header, *rows)}).content.decode()
    errors = re.findall(r"<li>(Dòng [^<]+)</li>", html)
    assert len(errors) == 2, errors
    assert "cơ quan ban hành “Sở Lạ” chưa có trong danh mục" in errors[0]
    assert "đã là cơ quan chủ trì" in errors[1]
    html = client.post(URL, {"file": document_list_csv(header, rows[0])}).content.decode()
    assert "Ủy ban nhân dân tỉnh; Sở Nội vụ; Sở Tài chính" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert client.post(URL, {"token": token}).status_code == 302
    joint = Document.objects.get(number="12/KHLT-SNV-STC")
    assert sorted(i.name for i in joint.co_issuers.all()) == ["Sở Nội vụ", "Sở Tài chính"]
