"""The export log: who exported what, with which filters, how many rows and the file's
SHA-256 (so an auditor can prove a file is the one the portal produced)."""

import hashlib

from django.utils import timezone

from awards.models import ExportLog


def file_sha256(fileobj, *, chunk_size=1024 * 1024):
    fileobj.seek(0)
    sha = hashlib.sha256()
    while chunk := fileobj.read(chunk_size):
        sha.update(chunk)
    fileobj.seek(0)
    return sha.hexdigest()


def file_name_for(*, fmt, filters, when=None):
    when = when or timezone.localtime()
    parts = ["khen-thuong"]
    if filters.year:
        parts.append(str(filters.year))
    if len(filters.decisions) == 1:
        parts.append(filters.decisions[0].slug[:60])
    parts.append(when.strftime("%Y%m%d-%H%M%S"))
    return "-".join(parts) + f".{fmt}"


def export_log_start(*, user, source, fmt, filters, file_name):
    username = getattr(user, "get_username", lambda: "")() if user is not None else ""
    return ExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=username,
        source=source,
        format=fmt,
        filters=filters.as_log(),
        file_name=file_name,
    )


def export_log_finish(*, log, row_count, sha256):
    log.row_count = row_count
    log.sha256 = sha256
    log.completed_at = timezone.now()
    log.save(update_fields=["row_count", "sha256", "completed_at"])
    return log
