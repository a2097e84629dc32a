"""Every admin screen a staff member reaches reads in Vietnamese: no English UI left over."""

import io
import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from awards.models import ExportLog
from elections.models import Election, PollingArea
from tests import factories

pytestmark = pytest.mark.django_db

# English the Django admin and its libraries print when a catalogue lacks the entry. Matched
# as whole words, case-sensitively, in what a user sees (text, button labels, titles).
ENGLISH = [
    "Please correct",
    "Show counts",
    "Hide counts",
    "Add another",
    "Save and",
    "Save",
    "Filter",
    "Search",
    "History",
    "Delete",
    "Change",
    "View on site",
    "Log out",
    "Welcome",
    "Recent actions",
    "Home",
    "Clear all filters",
    "Are you sure",
    "Yes, I’m sure",
    "No, take me back",
    "Summary",
    "Objects",
    "Run the selected action",
    "selected",
    "OTP",
    "TOTP device",
    "Access attempts",
    "Access attempt",
    "Access failures",
    "Access logs",
    "Forbidden",
    "Django",
    "Authentication",
    "Enter a whole number",
    "Date/time",
    "Toggle",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Identity",
    "Timestamps",
    "Configuration",
    "Throttling",
    "Confirmed",
    "QR Code",
    "Sidebar",
    "Model name",
    "Breadcrumbs",
    "Skip to",
    "None",
    "Unknown",
    "Yes",
    "No",
    # The log-in, log-out and password pages, imports and form errors.
    "Log in again",
    "Log in",
    "Logged out",
    "Thanks",
    "Username",
    "Password",
    "Old password",
    "New password",
    "Password change",
    "Change password",
    "Password confirmation",
    "This password",
    "This field is required",
    "Please enter",
    "No file was submitted",
    "Import",
    "Upload",
    "Preview",
    "Confirm",
    "Cancel",
    "Download",
    "Browse",
    "Error",
    "Submit",
    "Close",
]
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")
_VISIBLE_ATTRS = {"value", "title", "placeholder", "aria-label", "alt"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") not in ("submit", "button", "reset"):
            attrs.pop("value", None)  # typed data, not interface
        if tag == "option":
            return
        self.parts.extend(v for k, v in attrs.items() if k in _VISIBLE_ATTRS and v)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_in(html):
    parser = _VisibleText()
    parser.feed(html)
    return sorted({m.group(1) for part in parser.parts for m in _PATTERN.finditer(part)})


@pytest.fixture
def every_model_has_a_row(db):
    call_command("load_demo", "--no-accounts", "--allow-production", stdout=io.StringIO())
    user = factories.user("cb", groups=["Biên tập viên"])
    TOTPDevice.objects.create(user=user, name="Điện thoại")
    request = {"username": "x", "ip_address": "127.0.0.1", "http_accept": "", "path_info": "/"}
    AccessAttempt.objects.create(failures_since_start=1, get_data="", post_data="", **request)
    AccessFailureLog.objects.create(**request)
    AccessLog.objects.create(**request)
    election = Election.objects.first()
    PollingArea.objects.create(election=election, code="01", name="Khu vực số 1", registered=500,
                               voted=498)  # fmt: skip
    ExportLog.objects.create(username="kiemtoan", source="admin", format="csv", row_count=1)


def admin_urls():
    yield reverse("admin:index")
    for app_label in sorted({m._meta.app_label for m in admin.site._registry}):
        yield reverse("admin:app_list", args=[app_label])
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"no {model.__name__} row to open"
        for view in ("change", "history", "delete"):
            try:
                yield reverse("admin:{}_{}_{}".format(*info, view), args=[row.pk])
            except NoReverseMatch:
                continue


def test_every_admin_page_is_in_vietnamese(client, make_user, every_model_has_a_row):
    client.force_login(make_user("quantri", superuser=True))
    found = {}
    for url in admin_urls():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code in (302, 403):
            # A page this model does not offer (e.g. adding an export log): its refusal
            # must still be Vietnamese.
            if response.status_code == 403:
                found.update({url: english_in(response.content.decode())} if english_in(
                    response.content.decode()) else {})  # fmt: skip
            continue
        assert response.status_code == 200, url
        english = english_in(response.content.decode())
        if english:
            found[url] = english
    assert found == {}


def test_the_checker_sees_english_the_user_sees_and_only_that():
    """The walk above can fail: what Django printed before this fix is reported."""
    before = (
        '<a class="skip-to-content-link">Skip to main content</a>'
        '<p class="errornote">Please correct the errors below.</p>'
        '<a href="?_facets=True">Show counts</a><img src="search.svg" alt="Search">'
        "<option>Otp_Totp | TOTP device | Can add TOTP device</option>"
        "<h1>403 Forbidden</h1>"
    )
    assert english_in(before) == sorted(
        {"Skip to", "Please correct", "Show counts", "Search", "TOTP device", "Can add",
         "Forbidden"}
    )  # fmt: skip
    logged_out = "<p>Thanks for spending some quality time with the web site today.</p>" \
        '<a href="/admin/">Log in again</a><li>This field is required.</li>'  # fmt: skip
    assert english_in(logged_out) == ["Log in again", "Thanks", "This field is required"]
    typed = '<script>var Search = 1;</script><input type="text" value="History"><p>Đã lưu</p>'
    assert english_in(typed) == []


def test_forbidden_page_is_vietnamese(client, make_user):
    client.force_login(make_user("bientap", groups=["Biên tập viên"]))
    response = client.get(reverse("admin:awards_exportlog_changelist"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Không có quyền truy cập" in html and "Về trang quản trị" in html
    assert english_in(html) == []


def test_csrf_failure_page_is_vietnamese(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Không gửi được biểu mẫu" in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html


def test_admin_wording_reads_as_a_civil_servant_writes(client, make_user):
    from elections.roles import ELECTION_STAFF
    from tests import factories as h
    from tests.admin_forms import form_data

    client.force_login(make_user("quantri", superuser=True))
    html = client.get(reverse("admin:awards_decision_changelist")).content.decode()
    assert "Thêm quyết định khen thưởng" in html and "Thêm vào" not in html

    client.force_login(make_user("baucu", groups=[ELECTION_STAFF]))
    url = reverse("admin:elections_electoralunit_add")
    data = form_data(client.get(url), contest=h.contest().pk, number="abc", seats=2)
    errors = client.post(url, data).context["adminform"].form.errors["number"]
    assert errors == ["Nhập một số nguyên."]


def test_admin_javascript_catalogue_is_vietnamese(client, make_user):
    """The date picker and the multiple-choice boxes are drawn by JavaScript from this."""
    import json
    import re

    client.force_login(make_user("quantri", superuser=True))
    js = client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", js, re.S).group(1))
    assert catalog["Sunday"] == "Chủ nhật"
    assert catalog["Choose all %s"] == "Chọn tất cả %s"
    assert catalog["abbrev. day Monday\x04Mon"] == "T2"


# --- the admin's own pages beyond the model pages ----------------------------------------


def _check(found, label, response):
    """Record the English in an HTML ``response`` under ``label`` (files are not pages)."""
    assert response.status_code in (200, 403, 404), (label, response.status_code)
    if "html" not in response.get("Content-Type", ""):
        return
    english = english_in(response.content.decode())
    if english:
        found[label] = english


def _posted_empty(response):
    """An add form sent with nothing filled in: only the inlines' management forms."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        for bound_field in inline.formset.management_form:
            data[bound_field.html_name] = str(bound_field.value())
    return data


@pytest.fixture
def import_targets(db):
    from documents.models import DocumentType, Field, Issuer
    from tests import factories as h

    election = h.election()
    h.unit(h.contest(election), number=1)
    DocumentType.objects.create(name="Quyết định")
    DocumentType.objects.create(name="Kế hoạch")
    Issuer.objects.create(name="Ủy ban nhân dân tỉnh", short_name="UBND tỉnh")
    Field.objects.create(name="Giáo dục và đào tạo")
    return {"election": election, "decision": factories.make_decision()}


def test_every_custom_admin_page_is_in_vietnamese(client, make_user, import_targets):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.models import ExportJob
    from tests.samples import (
        DOCUMENT_LIST_HEADER,
        DOCUMENT_LIST_ROWS,
        POLLING_AREA_ROWS,
        RECIPIENTS_CSV,
        document_list_csv,
        polling_area_csv,
    )

    found = {}
    # Log-in: the form, then a wrong password.
    _check(found, "login", client.get(reverse("admin:login")))
    bad_login = {"username": "quantri", "password": "sai-mat-khau"}
    _check(found, "login posted wrong", client.post(reverse("admin:login"), bad_login))
    _check(found, "login posted empty", client.post(reverse("admin:login"), {}))

    user = make_user("quantri", superuser=True)
    client.force_login(user)
    # Password change: the form, posted empty, posted wrong, and done.
    url = reverse("admin:password_change")
    _check(found, "password change", client.get(url))
    _check(found, "password change posted empty", client.post(url, {}))
    wrong = {"old_password": "x", "new_password1": "a", "new_password2": "b"}
    _check(found, "password change posted wrong", client.post(url, wrong))
    weak = {"old_password": "x", "new_password1": "12", "new_password2": "12"}
    _check(found, "password change too weak", client.post(url, weak))
    _check(found, "password change done", client.get(reverse("admin:password_change_done")))

    # Every add form sent empty shows its error messages.
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_add".format(*info))
        page = client.get(url)
        if page.status_code != 200:
            continue
        _check(found, f"{url} posted empty", client.post(url, _posted_empty(page)))

    # Imports: the upload form, sent without a file, a bad file (its errors), a good one
    # (its preview).
    election, decision = import_targets["election"], import_targets["decision"]
    recipients = RECIPIENTS_CSV.encode()
    document_list = document_list_csv(DOCUMENT_LIST_HEADER, *DOCUMENT_LIST_ROWS).read()
    imports = [
        (reverse("admin:elections_pollingarea_import"), {"election": election.pk},
         ("bb.csv", polling_area_csv(POLLING_AREA_ROWS)), ("bb.csv", b"STT,Sai\r\n1,2\r\n")),
        (reverse("admin:awards_decision_import", args=[decision.pk]), {},
         ("ds.csv", recipients), ("ds.csv", "STT,Loại,Tên\r\n1,Sai,Ai đó\r\n".encode())),
        (reverse("admin:documents_document_import"), {},
         ("danh-sach.csv", document_list), ("van-ban.xlsx", b"not a workbook")),
    ]  # fmt: skip
    for url, fields, good, bad in imports:
        _check(found, f"{url} form", client.get(url))
        _check(found, f"{url} without a file", client.post(url, fields))
        response = client.post(url, {**fields, "file": SimpleUploadedFile(*bad)})
        assert "token" not in response.context or not response.context["token"], url
        _check(found, f"{url} bad file", response)
        response = client.post(url, {**fields, "file": SimpleUploadedFile(*good)})
        assert response.context["token"], url
        _check(found, f"{url} preview", response)
        _check(found, f"{url} forged token", client.post(url, {"token": "x" * 20}))

    # The export's progress page in each state, and a job that is not there.
    for status in ExportJob.Status.values:
        job = ExportJob.objects.create(user=user, format="csv", file_name="khen-thuong.csv",
                                       status=status, total_rows=10, error="")  # fmt: skip
        _check(found, f"export job {status}", client.get(reverse("admin:awards_export_job",
                                                                 args=[job.pk])))  # fmt: skip
    _check(found, "export job missing", client.get(reverse("admin:awards_export_job", args=[0])))
    _check(found, "export", client.get(reverse("admin:awards_export"), {"format": "csv"}))

    # The editor's image browser and the two-factor device's set-up page.
    _check(found, "image browse", client.get(reverse("admin:articles_image_browse")))
    device = TOTPDevice.objects.create(user=user, name="Điện thoại")
    _check(found, "totp config",
           client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])))  # fmt: skip

    # Log-out last: the page that says goodbye.
    _check(found, "logout", client.post(reverse("admin:logout")))
    assert found == {}
