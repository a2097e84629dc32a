"""portal.files: the one content check for uploaded office files, and the download name."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.files import OLE2_MAGIC, check_document_file, clean_display_name, content_disposition
from tests.samples import docx_bytes, pdf_upload, zip_bytes


def _upload(data, name="tep.bin"):
    return SimpleUploadedFile(name, data)


def test_pdf_and_office_files_are_recognised_by_content():
    assert check_document_file(pdf_upload()).kind == "pdf"
    assert check_document_file(_upload(docx_bytes(), "a.pdf")).kind == "docx"
    xlsx = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    assert check_document_file(_upload(xlsx)).kind == "xlsx"
    assert check_document_file(_upload(OLE2_MAGIC + b"\0" * 64, "cu.doc")).kind == "doc"
    assert check_document_file(_upload(OLE2_MAGIC + b"\0" * 64, "bang.xls")).kind == "xls"
    bundle = zip_bytes({"phu-luc.pdf": pdf_upload().read(), "bieu-mau.docx": docx_bytes()})
    assert check_document_file(_upload(bundle, "ho-so.zip")).kind == "zip"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 a Windows program",
        b"GIF89a...",
    ],
)
def test_other_content_is_refused_whatever_the_name(data):
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        check_document_file(_upload(data, "quyet-dinh.pdf"))


@pytest.mark.parametrize(
    "members",
    [
        {"chay-toi.exe": b"MZ"},
        {"../../etc/passwd.pdf": b"%PDF-1.4"},
        {"gia-mao.pdf": b"<html>not a pdf</html>"},
        {"long-nhau.zip": zip_bytes({"a.pdf": b"%PDF-1.4"})},
    ],
)
def test_zip_directory_is_checked(members):
    with pytest.raises(ValidationError):
        check_document_file(_upload(zip_bytes(members), "ho-so.zip"))


def test_zip_bomb_ratio_and_broken_zip_are_refused():
    bomb = zip_bytes({"to.pdf": b"%PDF-" + b"0" * 5_000_000})
    with pytest.raises(ValidationError, match="Tệp nén"):
        check_document_file(_upload(bomb))
    with pytest.raises(ValidationError, match="Tệp nén"):
        check_document_file(_upload(b"PK\x03\x04 truncated"))


def test_size_limit_comes_from_settings(settings):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="quá lớn"):
        check_document_file(_upload(b"%PDF-" + b"x" * 200))
    with pytest.raises(ValidationError, match="rỗng"):
        check_document_file(_upload(b""))


def test_only_the_allowed_kinds_pass():
    with pytest.raises(ValidationError, match="PDF"):
        check_document_file(_upload(docx_bytes()), allowed=("pdf",))


def test_content_disposition_has_ascii_fallback_and_utf8_name():
    header = content_disposition("Nghị định 42/2022.pdf".replace("/", "-"))
    assert header.startswith('attachment; filename="nghi-dinh-42-2022.pdf"; ')
    assert "filename*=UTF-8''Ngh%E1%BB%8B%20%C4%91%E1%BB%8Bnh%2042-2022.pdf" in header
    assert content_disposition("a.pdf", inline=True).startswith("inline;")
    assert '"' not in content_disposition('x".pdf').split("filename*=")[1]


def test_display_name_drops_paths_and_keeps_the_real_extension():
    assert clean_display_name("C:\\Users\\A\\Quyết định.exe", "pdf") == "Quyết định.pdf"
    assert clean_display_name("../../x\n.pdf", "pdf") == "x.pdf"
    assert clean_display_name("", "docx") == "tep.docx"
