"""Backups: one archive holding the database dump and every media file, optionally encrypted.

The dump is made and restored by django-dbbackup's connectors: ``pg_dump --format=custom`` /
``pg_restore`` on PostgreSQL, an SQL text dump on SQLite. The archive is a ``.tar.gz`` with a
manifest (format, database vendor, applied migrations, the SHA-256 of the dump and of every
media file), checked before anything is restored. With ``PORTAL_BACKUP_GPG_RECIPIENT`` set, the
archive is encrypted for that OpenPGP public key with gpg (the same mechanism as dbbackup's
``--encrypt``): the server needs only the public key, so a stolen server or backup disk does
not expose the password hashes and two-factor secrets in the dump.
"""

import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
import warnings
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA_PREFIX = "media/"
GZIP_MAGIC = b"\x1f\x8b"

CONNECTORS = {
    # An SQL text dump, readable and loadable by any SQLite, not a copy of the file.
    "sqlite": "dbbackup.db.sqlite.SqliteConnector",
    "postgresql": "dbbackup.db.postgresql.PgDumpBinaryConnector",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


def _connector(**options):
    path = CONNECTORS.get(connection.vendor)
    if path is None:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu loại {connection.vendor}.")
    return import_string(path)(DEFAULT_DB_ALIAS, **options)


def _visible(name):
    return not any(part.startswith(".") for part in PurePosixPath(name).parts)


def media_files(storage=default_storage):
    """Every stored file's name, through the storage API (a folder or object storage)."""

    def walk(prefix):
        try:
            dirs, files = storage.listdir(prefix)
        except FileNotFoundError:
            return
        for name in files:
            yield f"{prefix}{name}"
        for name in dirs:
            yield from walk(f"{prefix}{name}/")

    # Dot files (media/.gitkeep) are not content.
    return sorted(name for name in walk("") if _visible(name))


class _Hashing:
    """A file wrapper that computes the SHA-256 of what tarfile reads through it."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        return data


def _add(tar, name, fileobj, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    hashing = _Hashing(fileobj)
    tar.addfile(info, hashing)
    return hashing.sha256.hexdigest()


def _applied_migrations():
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def backup_create(*, output_dir, recipient=None):
    """Write one archive into ``output_dir``; return its path and its manifest."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"portal-backup-{stamp}.tar.gz"
    # The unencrypted archive exists only in a private temporary folder.
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        plain = Path(work) / name
        files = []
        with tarfile.open(plain, "w:gz") as tar:
            # One read transaction: SQLite's dump is read table by table, and without it a
            # save in between could leave a row pointing at one that is not in the dump.
            # (pg_dump reads one snapshot by itself.)
            with transaction.atomic():
                dump = _connector().create_dump()
            dump.seek(0, os.SEEK_END)
            dump_size = dump.tell()
            dump.seek(0)
            dump_sha256 = _add(tar, DUMP, dump, dump_size)
            dump.close()
            for media_name in media_files():
                with default_storage.open(media_name, "rb") as fh:
                    size = default_storage.size(media_name)
                    digest = _add(tar, MEDIA_PREFIX + media_name, fh, size)
                files.append({"name": media_name, "size": size, "sha256": digest})
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "vendor": connection.vendor,
                "connector": CONNECTORS[connection.vendor],
                "migrations": _applied_migrations(),
                "database": {"name": DUMP, "size": dump_size, "sha256": dump_sha256},
                "media": files,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            _add(tar, MANIFEST, io.BytesIO(body), len(body))
        if recipient:
            source, name = plain, name + ".gpg"
            plain = Path(work) / name
            _gpg_encrypt(source, plain, recipient)
        # The dump holds password hashes: readable by the owner only, before it leaves the
        # private folder (a move to another file system copies the mode).
        os.chmod(plain, 0o600)
        target = output_dir / name
        partial = output_dir / f".{name}.partial"
        shutil.move(plain, partial)
        os.replace(partial, target)  # never a half-written archive under the final name
    return target, manifest


def _gpg():
    import gnupg

    return gnupg.GPG(gnupghome=os.environ.get("GNUPGHOME") or None)


def _gpg_encrypt(source, target, recipient):
    with open(source, "rb") as fh:
        # always_trust: the operator named this key in the configuration; gpg's web of
        # trust has nothing to add on a server.
        result = _gpg().encrypt_file(
            fh, recipients=[recipient], output=str(target), armor=False, always_trust=True
        )
    if not result.ok:
        raise BackupError(
            f"Không mã hóa được bản sao lưu cho khóa {recipient!r} ({result.status}). "
            "Hãy nhập khóa công khai vào gpg của tài khoản chạy lệnh (gpg --import)."
        )


def _gpg_decrypt(source, target, passphrase):
    with open(source, "rb") as fh:
        result = _gpg().decrypt_file(fh, passphrase=passphrase or None, output=str(target))
    if not result.ok:
        raise BackupError(
            f"Không giải mã được {source.name} ({result.status}). Cần khóa bí mật tương ứng "
            "trong gpg của tài khoản chạy lệnh (và PORTAL_BACKUP_GPG_PASSPHRASE nếu khóa có "
            "mật khẩu)."
        )


def _is_gzip(path):
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def _safe_media_name(name):
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise BackupError(f"Bản sao lưu có tên tệp không hợp lệ: {name!r}.")
    return name


def read_manifest(path):
    """Check every member of the archive against its manifest; return the manifest."""
    digests, manifest = {}, None
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise BackupError(f"Bản sao lưu có mục không phải tệp: {member.name!r}.")
                fh = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(fh.read())
                    continue
                sha256 = hashlib.sha256()
                for chunk in iter(lambda fh=fh: fh.read(1024 * 1024), b""):
                    sha256.update(chunk)
                digests[member.name] = sha256.hexdigest()
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"Tệp {path.name} hỏng hoặc không phải bản sao lưu ({error}).") from error
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError(f"Tệp {path.name} không phải bản sao lưu của cổng (thiếu manifest).")
    expected = {DUMP: manifest["database"]["sha256"]}
    for item in manifest["media"]:
        expected[MEDIA_PREFIX + _safe_media_name(item["name"])] = item["sha256"]
    if digests != expected:
        damaged = sorted(set(digests.items()) ^ set(expected.items()))
        raise BackupError(
            f"Bản sao lưu {path.name} không khớp với manifest của nó (tệp thiếu, thừa hoặc "
            f"hỏng: {', '.join(sorted({n for n, _ in damaged})[:5])}). Không khôi phục gì."
        )
    return manifest


def _database_tables():
    return connection.introspection.table_names()


# PostgreSQL: the functions migrations created in the site's schema (the page cache's trigger
# function), not those of extensions (pg_trgm), which the dump recreates with its extension.
_SITE_FUNCTIONS = """
    SELECT p.oid::regprocedure::text FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = current_schema() AND p.prokind = 'f'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
"""


def drop_database_objects(cursor):
    """Drop every table (and on PostgreSQL every function of the site's schema): what is left
    is what a newly created database holds, where a dump restores without a clash."""
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    for table in _database_tables():
        cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")
    if connection.vendor == "postgresql":
        cursor.execute(_SITE_FUNCTIONS)
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")


def _drop_database_tables():
    with transaction.atomic(), connection.cursor() as cursor:
        drop_database_objects(cursor)


def _restore_dump(dump_path):
    if connection.vendor == "sqlite":
        # dbbackup's SQLite loader only warns about a statement that fails: here any failure
        # aborts, and one transaction makes it all or nothing. Tables come in name order, so
        # foreign keys are checked once at the end, as loaddata does.
        with (
            warnings.catch_warnings(),
            connection.constraint_checks_disabled(),
            transaction.atomic(),
            open(dump_path, "rb") as dump,
        ):
            warnings.simplefilter("error")
            _connector().restore_dump(dump)
            connection.check_constraints()
        return
    # Into an empty database: nothing to drop; objects owned by whoever restores, so an
    # archive from another server (another role name) restores as is.
    connector = _connector(drop=False, if_exists=False, pg_options=["--no-owner", "--no-acl"])
    with open(dump_path, "rb") as dump:
        connector.restore_dump(dump)


def backup_restore(*, archive, replace=False, passphrase=None):
    """Bring ``archive`` back into an empty database and media storage; return its manifest.

    With ``replace``, the current tables and media files are deleted first.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp {archive}.")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        work = Path(work)
        plain = archive
        if not _is_gzip(archive):
            plain = work / "archive.tar.gz"
            _gpg_decrypt(archive, plain, passphrase)
        manifest = read_manifest(plain)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"Bản sao lưu được tạo từ {manifest['vendor']}, không khôi phục được vào "
                f"{connection.vendor}. Hãy khôi phục vào cùng loại cơ sở dữ liệu."
            )
        tables, files = _database_tables(), media_files()
        if (tables or files) and not replace:
            where = []
            if tables:
                where.append(f"cơ sở dữ liệu có {len(tables)} bảng")
            if files:
                where.append(f"thư mục media có {len(files)} tệp")
            raise BackupError(
                f"Nơi khôi phục không trống ({'; '.join(where)}). Hãy khôi phục vào một cơ sở "
                "dữ liệu mới tạo (chưa chạy migrate) và một thư mục media trống, hoặc thêm "
                "--replace để XÓA toàn bộ dữ liệu và tệp hiện có rồi khôi phục."
            )
        if replace:
            _drop_database_tables()
            for name in files:
                default_storage.delete(name)
        with tarfile.open(plain, "r:gz") as tar:
            for member in tar:
                if member.name == DUMP:
                    dump_path = work / DUMP
                    with tar.extractfile(member) as src, open(dump_path, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    _restore_dump(dump_path)
                    dump_path.unlink()
                elif member.name.startswith(MEDIA_PREFIX):
                    name = _safe_media_name(member.name.removeprefix(MEDIA_PREFIX))
                    with tar.extractfile(member) as src:
                        content = File(src, name=name)
                        content.size = member.size
                        saved = default_storage.save(name, content)
                    if saved != name:
                        raise BackupError(f"Tệp media {name} đã tồn tại; khôi phục dừng lại.")
    # Whatever was cached describes the data that was there before: this process's cache, and
    # every page cached by any process (the restored generation may be one seen before).
    from portal import pagecache

    ContentType.objects.clear_cache()
    cache.clear()
    try:
        pagecache.bump()
    except DatabaseError:
        # An archive from before the page cache's table: `manage.py migrate` creates it, and
        # no page was cached under the restored data yet.
        logger.warning("Restore: no page-cache generation to bump; run manage.py migrate")
    return manifest


def default_output_dir():
    return Path(settings.PORTAL_BACKUP_DIR)
