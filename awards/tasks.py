"""Exports too long for a request, built by a background worker (Django's tasks API).

An export of more than ``AWARDS_EXPORT_BACKGROUND_ROWS`` rows is not built inside the request:
the view records an :class:`~awards.models.ExportJob` and enqueues :func:`export_build`; the
auditor's page shows its progress and offers the file when it is ready. The worker is
``manage.py db_worker`` (django-tasks' database backend: no extra service; ``make run`` starts
one), or a Redis-backed worker where the operator has one (README).

A worker that dies half-way leaves a job whose progress stops: after ``STALE_AFTER`` the next
look at it queues it again (up to ``MAX_ATTEMPTS`` runs), then marks it failed. The export log
row is written only with the finished file, its row count and its SHA-256, in one transaction.
"""

import logging
import secrets
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from awards.exports import (
    Stats,
    csv_write,
    export_log_finish,
    export_log_start,
    export_rows,
    file_name_for,
    file_sha256,
    filters_parse,
    recipients_filter,
    xlsx_write,
)
from awards.models import ExportJob, ExportLog

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 2000


def background_rows():
    """Exports with more rows than this go to the background worker."""
    return settings.AWARDS_EXPORT_BACKGROUND_ROWS


def export_storage():
    """Where finished files wait for their download: never the public media folder."""
    return storages["exports"]


def _query_dict(query):
    data = QueryDict(mutable=True)
    for key, values in query.items():
        data.setlist(key, values)
    return data


def export_row_count(*, query):
    return recipients_filter(filters=filters_parse(data=_query_dict(query))).count()


def export_job_start(*, user, fmt, query, total_rows=None):
    """Record an export job for ``query`` (the export URL's parameters) and enqueue it."""
    export_jobs_prune()
    filters = filters_parse(data=_query_dict(query))
    if total_rows is None:
        total_rows = recipients_filter(filters=filters).count()
    job = ExportJob.objects.create(
        user=user,
        format=fmt,
        query=query,
        file_name=file_name_for(fmt=fmt, filters=filters),
        total_rows=total_rows,
    )
    transaction.on_commit(lambda: export_build.enqueue(job.pk))
    return job


def export_job_check(job):
    """Requeue or fail a job whose worker stopped reporting progress; return the job."""
    if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        return job
    last = job.heartbeat_at or job.created_at
    if job.status == ExportJob.Status.QUEUED and job.heartbeat_at is None:
        return job  # waiting for a worker: nothing is lost by waiting
    if timezone.now() - last < STALE_AFTER:
        return job
    if job.attempts >= MAX_ATTEMPTS:
        ExportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ExportJob.Status.FAILED,
            error="Tiến trình tạo tệp dừng giữa chừng nhiều lần.",
        )
    elif ExportJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
        status=ExportJob.Status.QUEUED, heartbeat_at=timezone.now(), done_rows=0
    ):
        logger.warning("Export job %s stalled (attempt %s): queued again", job.pk, job.attempts)
        transaction.on_commit(lambda: export_build.enqueue(job.pk))
    job.refresh_from_db()
    return job


class _Superseded(Exception):
    """Another run of the same job took over (this one was thought dead)."""


class _ProgressStats(Stats):
    def __init__(self, job_pk, attempt):
        super().__init__()
        self.job_pk, self.attempt = job_pk, attempt

    def add(self, marker):
        super().add(marker)
        if self.rows % PROGRESS_EVERY == 0:
            updated = ExportJob.objects.filter(pk=self.job_pk, attempts=self.attempt).update(
                done_rows=self.rows, heartbeat_at=timezone.now()
            )
            if not updated:
                raise _Superseded


def _write(job, filters, fileobj, stats):
    if job.format == ExportLog.Format.XLSX:
        user_label = job.user.get_username() if job.user else ""
        rows = export_rows(filters=filters)
        xlsx_write(rows=rows, fileobj=fileobj, filters=filters, stats=stats, user_label=user_label)
    else:
        csv_write(filters=filters, fileobj=fileobj, stats=stats)


@task()
def export_build(job_pk):
    """Build the job's file, store it, then log it with its count and hash (one transaction)."""
    claimed = ExportJob.objects.filter(pk=job_pk, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=timezone.now(),
        done_rows=0,
    )
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("user").get(pk=job_pk)
    attempt = job.attempts
    filters = filters_parse(data=_query_dict(job.query))
    stats = _ProgressStats(job.pk, attempt)
    try:
        with tempfile.TemporaryFile() as tmp:
            _write(job, filters, tmp, stats)
            digest = file_sha256(tmp)
            stored = export_storage().save(
                f"khen-thuong/{secrets.token_hex(16)}/{job.file_name}", File(tmp)
            )
    except _Superseded:
        return "superseded"
    except Exception as exc:
        logger.exception("Export job %s failed", job_pk)
        ExportJob.objects.filter(pk=job_pk, attempts=attempt).update(
            status=ExportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_pk)
        if job.attempts != attempt or job.status != ExportJob.Status.RUNNING:
            export_storage().delete(stored)
            return "superseded"
        log = export_log_start(
            user=job.user,
            source=ExportLog.Source.ADMIN,
            fmt=job.format,
            filters=filters,
            file_name=job.file_name,
        )
        export_log_finish(log=log, row_count=stats.rows, sha256=digest)
        job.status = ExportJob.Status.DONE
        job.done_rows = job.total_rows = stats.rows
        job.stored_file = stored
        job.log = log
        job.heartbeat_at = timezone.now()
        job.save()
    return digest


def export_jobs_prune(*, days=None):
    """Delete the files of finished jobs older than ``AWARDS_EXPORT_KEEP_DAYS`` (settings)."""
    days = days if days is not None else settings.AWARDS_EXPORT_KEEP_DAYS
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).exclude(
        stored_file=""
    )
    pruned = 0
    for job in old:
        export_storage().delete(job.stored_file)
        ExportJob.objects.filter(pk=job.pk).update(stored_file="")
        pruned += 1
    return pruned
