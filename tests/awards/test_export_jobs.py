"""Long exports run in the background (awards/tasks.py), with the real database worker."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from awards import tasks
from awards.models import ExportJob, ExportLog
from tests.factories import make_decision, make_recipients

# The worker closes its database connection after its tasks, as a real worker does: each test
# commits for real, so the connection it closes is not the one holding the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

EXPORT_URL = "/admin/awards/decision/xuat/"


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):
    settings.AWARDS_EXPORT_BACKGROUND_ROWS = 3
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }


@pytest.fixture
def decision_with_rows(db):
    decision = make_decision()
    make_recipients(decision, collectives=2, individuals=4)
    return decision


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def start_export(client, django_capture_on_commit_callbacks, fmt="xlsx"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT_URL, {"format": fmt})
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.get()
    assert response["Location"] == f"/admin/awards/decision/xuat/{job.pk}/"
    return job


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_long_export_is_built_by_the_worker_and_logged_with_its_hash(
    client, staff_user, decision_with_rows, django_capture_on_commit_callbacks, fmt
):
    client.force_login(staff_user)
    job = start_export(client, django_capture_on_commit_callbacks, fmt)
    assert job.status == ExportJob.Status.QUEUED and job.total_rows == 6
    assert ExportLog.objects.count() == 0  # nothing is logged before the file exists

    page = client.get(f"/admin/awards/decision/xuat/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "Đang chờ đến lượt" in page

    run_worker()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done_rows == 6
    page = client.get(f"/admin/awards/decision/xuat/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "Tải tệp về" in page

    response = client.get(f"/admin/awards/decision/xuat/{job.pk}/tai-ve/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    log = ExportLog.objects.get()
    assert log.row_count == 6 and log.completed_at is not None
    assert log.sha256 == hashlib.sha256(body).hexdigest()
    assert log.username == staff_user.get_username() and log.format == fmt
    assert response["X-Export-Log"] == str(log.pk)
    assert log.sha256 in page


def test_a_short_export_is_still_served_at_once(client, staff_user, decision_with_rows, settings):
    settings.AWARDS_EXPORT_BACKGROUND_ROWS = 100
    client.force_login(staff_user)
    response = client.get(EXPORT_URL, {"format": "csv"})
    assert response.status_code == 200
    assert ExportJob.objects.count() == 0


def test_permission_ladder(
    client, make_user, staff_user, auditor, decision_with_rows, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    job = start_export(client, django_capture_on_commit_callbacks)
    run_worker()
    urls = [
        f"/admin/awards/decision/xuat/{job.pk}/",
        f"/admin/awards/decision/xuat/{job.pk}/tai-ve/",
    ]
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(make_user("nhanvien"))  # staff without the export permission
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(auditor)  # may export, but this file is someone else's
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(staff_user)
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_worker_that_dies_is_replaced_and_the_job_finishes(
    client, staff_user, decision_with_rows, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    job = start_export(client, django_capture_on_commit_callbacks)
    # A worker took the job and died: its progress stopped three minutes ago.
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/admin/awards/decision/xuat/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED
    assert ExportLog.objects.count() == 0

    run_worker()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.attempts == 2
    assert ExportLog.objects.count() == 1


def test_after_the_last_attempt_the_job_fails_without_a_log(
    client, staff_user, decision_with_rows, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    job = start_export(client, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING,
        attempts=tasks.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=3),
    )
    page = client.get(f"/admin/awards/decision/xuat/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "Chưa có gì được ghi vào nhật ký xuất" in page
    assert ExportLog.objects.count() == 0

    # "Tạo lại tệp" starts a new job for the same filters.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/awards/decision/xuat/{job.pk}/")
    new = ExportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/admin/awards/decision/xuat/{new.pk}/"
    assert new.query == job.query
    run_worker()
    new.refresh_from_db()
    assert new.status == ExportJob.Status.DONE


def test_an_error_while_writing_fails_the_job_and_logs_nothing(
    client, staff_user, decision_with_rows, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(staff_user)
    job = start_export(client, django_capture_on_commit_callbacks)

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "xlsx_write", broken)
    run_worker()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "disk full" in job.error
    assert job.stored_file == ""
    assert ExportLog.objects.count() == 0


def test_a_run_that_was_taken_over_discards_its_file(
    staff_user, decision_with_rows, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = tasks.export_job_start(user=staff_user, fmt="csv", query={})
    original_save = tasks.export_storage().save

    def slow_save(name, content):
        stored = original_save(name, content)
        # Meanwhile the job was thought dead and handed to another run.
        ExportJob.objects.filter(pk=job.pk).update(attempts=5)
        return stored

    storage = tasks.export_storage()
    storage.save = slow_save
    try:
        assert tasks.export_build.call(job.pk) == "superseded"
    finally:
        del storage.save
    assert ExportLog.objects.count() == 0
    assert storage.listdir("khen-thuong")[0] == [] or all(
        storage.listdir(f"khen-thuong/{d}")[1] == [] for d in storage.listdir("khen-thuong")[0]
    )


def test_old_export_files_are_pruned(
    client, staff_user, decision_with_rows, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    job = start_export(client, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    assert tasks.export_storage().exists(job.stored_file)
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert tasks.export_jobs_prune() == 1
    assert not tasks.export_storage().exists(job.stored_file)
    job.refresh_from_db()
    assert job.stored_file == ""
    assert client.get(f"/admin/awards/decision/xuat/{job.pk}/tai-ve/").status_code == 404
