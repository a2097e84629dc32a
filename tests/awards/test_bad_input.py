"""Malformed query values and import cells: never a 500, on SQLite and PostgreSQL alike.

PostgreSQL refuses NUL bytes in a query, and ``"²".isdigit()`` is true while ``int("²")`` fails.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.exports import filters_parse
from awards.models import ExportLog
from awards.services import recipients_parse
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/awards/decision/xuat/"
BAD_VALUES = ["²", "²०२१", "\x00", "x\x00y", "١٢", "'; drop table", "9" * 40]


@pytest.fixture
def listed(db):
    decision = make_decision()
    make_recipients(decision, individuals=2)
    return decision


@pytest.mark.parametrize("key", ["authority", "form", "year", "status", "decision", "kind",
                                 "order", "format"])  # fmt: skip
@pytest.mark.parametrize("value", BAD_VALUES)
def test_export_ignores_bad_values(client, auditor, listed, key, value):
    client.force_login(auditor)
    response = client.get(EXPORT_URL, {key: value})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).splitlines()
    if key == "decision" and value != "\x00":
        # A decision was asked for and none matches: an empty list, never the whole one.
        assert len(lines) == 1
        assert ExportLog.objects.get().filters["decision"] == "not-found"
        return
    assert len(lines) == 3
    if key not in ("format", "order") and value != "\x00":  # a lone NUL is just empty
        assert key in ExportLog.objects.get().filters["ignored"]


@pytest.mark.parametrize("model", ["decision", "recipient"])
@pytest.mark.parametrize("key", ["authority", "form", "year", "status", "decision", "kind", "q"])
@pytest.mark.parametrize("value", ["²²²²", "\x00", "2021\x00"])
def test_admin_changelists_ignore_bad_values(client, auditor, listed, model, key, value):
    client.force_login(auditor)
    response = client.get(reverse(f"admin:awards_{model}_changelist"), {key: value})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("key", ["authority", "form", "year", "page"])
@pytest.mark.parametrize("value", BAD_VALUES)
def test_public_list_ignores_bad_values(client, listed, key, value):
    assert client.get("/khen-thuong/", {key: value}).status_code == 200


def test_filters_parse_ignores_superscript_digits(listed):
    filters = filters_parse(data={"year": "²⁰²¹", "decision": ["²", "\x00"]})
    assert filters.year is None and filters.decisions == []
    assert set(filters.ignored) == {"year"}
    assert filters.decisions_not_found  # asked for decisions, found none: an empty export


def test_unknown_decision_exports_nothing_not_everything(listed):
    from awards.exports import export_rows

    filters = filters_parse(data={"decision": ["khong-ton-tai"]})
    assert list(export_rows(filters=filters)) == []
    assert "không tìm thấy" in " ".join(str(line) for line in filters.describe())
    assert list(export_rows(filters=filters_parse(data={})))  # the unfiltered list is not empty


def test_import_rejects_superscript_order_with_a_message():
    upload = SimpleUploadedFile("a.csv", "Loại,Họ và tên,STT\nCá nhân,Lê Văn A,²\n".encode())
    result = recipients_parse(upload=upload)
    assert result.error_lines() == ["Dòng 2: STT “²” không phải số."]
