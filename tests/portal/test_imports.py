"""The one import flow: a preview is confirmed at most once, even by two requests at once."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from awards.models import Recipient
from awards.roles import STAFF as AWARDS_STAFF
from elections.models import PollingArea
from elections.roles import ELECTION_STAFF
from portal.models import ImportPreview
from tests import factories as h
from tests.factories import make_decision

RECIPIENTS_CSV = (
    "STT,Loại,Họ và tên / Tên tập thể\r\n1,Tập thể,Ban bầu cử xã Thanh Hà\r\n"
    "2,Cá nhân,Nguyễn Văn Đức\r\n"
).encode()
AREAS_CSV = (
    "Mã khu vực,Tên khu vực bỏ phiếu,Tổng số cử tri,Số cử tri đã bỏ phiếu\r\n"
    "KV01,Khu vực 1,1.234,1.200\r\nKV02,Khu vực 2,980,975\r\n"
).encode()


class Race:
    """Holds the first confirmation inside its transaction, after its claim, until the
    second confirmation has been answered (SQLite) or has waited a while (PostgreSQL makes
    it wait for the first transaction, which is the point)."""

    def __init__(self):
        self.claimed = threading.Event()
        self.second_done = threading.Event()

    def wrap(self, original):
        def slow(**kwargs):
            self.claimed.set()
            self.second_done.wait(timeout=3)
            return original(**kwargs)

        return slow


def _awards(make_user, monkeypatch, race):
    import awards.admin

    user = make_user("khenthuong", groups=[AWARDS_STAFF])
    decision = make_decision()
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    monkeypatch.setattr(
        awards.admin, "recipients_import", race.wrap(awards.admin.recipients_import)
    )
    upload = {"file": SimpleUploadedFile("ds.csv", RECIPIENTS_CSV)}
    return user, url, upload, lambda: Recipient.objects.filter(decision=decision).count()


def _elections(make_user, monkeypatch, race):
    from elections import admin as elections_admin

    user = make_user("baucu", groups=[ELECTION_STAFF])
    election = h.election()
    url = reverse("admin:elections_pollingarea_import")
    services = elections_admin.services
    monkeypatch.setattr(services, "polling_areas_import", race.wrap(services.polling_areas_import))
    upload = {"election": election.pk, "file": SimpleUploadedFile("bb.csv", AREAS_CSV)}
    return user, url, upload, lambda: PollingArea.objects.filter(election=election).count()


# SQLite's shared-memory test database answers concurrent writers with table locks instead of
# waiting, which now also hits the page cache's generation row: the race runs on PostgreSQL
# (the second CI run); SQLite deployments serialise writers (transaction_mode IMMEDIATE).
@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="concurrent writers: runs in the PostgreSQL CI run",
)
@pytest.mark.parametrize("setup", [_awards, _elections], ids=["recipients", "polling-areas"])
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_racing_import_the_file_once(make_user, monkeypatch, setup):
    race = Race()
    user, url, upload, count = setup(make_user, monkeypatch, race)
    client = Client()
    client.force_login(user)
    token = client.post(url, upload).context["token"]
    assert count() == 0
    pages = {}
    # Logged in beforehand: SQLite's test database takes one writer at a time.
    clients = {"first": Client(), "second": Client()}
    for other in clients.values():
        other.force_login(user)

    def confirm(name):
        try:
            response = clients[name].post(url, {"token": token}, follow=True)
            pages[name] = (response.status_code, response.content.decode())
        finally:
            if name == "second":
                race.second_done.set()
            connections.close_all()

    first = threading.Thread(target=confirm, args=("first",))
    first.start()
    # The second confirmation arrives while the first holds its claim, not yet committed.
    assert race.claimed.wait(timeout=30)
    second = threading.Thread(target=confirm, args=("second",))
    second.start()
    for thread in (first, second):
        thread.join(timeout=60)

    assert count() == 2
    assert pages["first"][0] == pages["second"][0] == 200
    assert "Đã nhập" in pages["first"][1]
    # PostgreSQL makes the second claim wait, then finds it taken; SQLite answers "locked".
    assert (
        "đã được nhập lúc" in pages["second"][1]
        or "đang được nhập theo một yêu cầu khác" in pages["second"][1]
    )
    assert "Đã nhập" not in pages["second"][1]
    preview = ImportPreview.objects.get(token=token)
    assert preview.confirmed_at is not None and preview.result.startswith("Đã nhập")

    # A replay later says what happened and changes nothing.
    response = client.post(url, {"token": token}, follow=True)
    assert "đã được nhập lúc" in response.content.decode()
    assert count() == 2


@pytest.mark.django_db
def test_a_token_is_only_good_for_its_own_user_and_import(client, make_user):
    owner = make_user("khenthuong", groups=[AWARDS_STAFF])
    decision = make_decision()
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    client.force_login(owner)
    token = client.post(url, {"file": SimpleUploadedFile("ds.csv", RECIPIENTS_CSV)}).context[
        "token"
    ]
    colleague = make_user("dongnghiep", groups=[AWARDS_STAFF, ELECTION_STAFF])
    client.force_login(colleague)
    response = client.post(url, {"token": token})
    assert "hết hạn hoặc không hợp lệ" in response.content.decode()
    # Nor can it be posted to another import's page.
    response = client.post(reverse("admin:elections_pollingarea_import"), {"token": token})
    assert "hết hạn hoặc không hợp lệ" in response.content.decode()
    assert not Recipient.objects.exists()


@pytest.mark.django_db
def test_an_expired_preview_is_refused(client, make_user):
    owner = make_user("khenthuong", groups=[AWARDS_STAFF])
    decision = make_decision()
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    client.force_login(owner)
    token = client.post(url, {"file": SimpleUploadedFile("ds.csv", RECIPIENTS_CSV)}).context[
        "token"
    ]
    from django.utils import timezone

    ImportPreview.objects.filter(token=token).update(
        created_at=timezone.now() - timezone.timedelta(hours=2)
    )
    response = client.post(url, {"token": token})
    assert "hết hạn" in response.content.decode()
    assert not Recipient.objects.exists()


@pytest.mark.django_db
def test_a_failed_save_releases_the_claim(client, make_user, monkeypatch):
    """If saving fails (the data changed since the preview), the staff member can retry."""
    from django.core.exceptions import ValidationError

    import awards.admin

    owner = make_user("khenthuong", groups=[AWARDS_STAFF])
    decision = make_decision()
    url = reverse("admin:awards_decision_import", args=[decision.pk])
    client.force_login(owner)
    token = client.post(url, {"file": SimpleUploadedFile("ds.csv", RECIPIENTS_CSV)}).context[
        "token"
    ]
    original = awards.admin.recipients_import

    def failing(**kwargs):
        original(**kwargs)
        raise ValidationError("đổi")

    monkeypatch.setattr(awards.admin, "recipients_import", failing)
    response = client.post(url, {"token": token})
    assert "chưa ghi dòng nào" in response.content.decode()
    assert not Recipient.objects.exists()
    assert ImportPreview.objects.get(token=token).confirmed_at is None
    monkeypatch.setattr(awards.admin, "recipients_import", original)
    assert client.post(url, {"token": token}).status_code == 302
    assert Recipient.objects.count() == 2


def test_an_import_missing_a_step_cannot_be_created():
    from portal.imports import ImportFlow

    class Incomplete(ImportFlow):
        name = "incomplete"

        def check(self, *, request, form, target):
            return None

    with pytest.raises(TypeError, match="apply"):
        Incomplete()
