"""manage.py backup / restore, on whichever database the suite runs (SQLite or PostgreSQL)."""

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from portal import pagecache
from portal.backup import drop_database_objects
from tests import factories


def _value(value):
    return bytes(value) if isinstance(value, memoryview) else value


# A restore bumps the page cache's generation on purpose (checked apart).
NOT_RESTORED_AS_IS = {"portal_pagegeneration"}


def table_snapshot():
    """Every table's rows, order-independent, read with plain SQL (not through the code)."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - NOT_RESTORED_AS_IS):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            snapshot[table] = sorted(repr(tuple(_value(v) for v in row)) for row in cursor)
    return snapshot


def media_snapshot(root):
    root = Path(root)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def drop_every_table():
    """What a freshly created database looks like: no tables (and no functions) at all."""
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        drop_database_objects(cursor)
    assert connection.introspection.table_names() == []


def backup(tmp_path):
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    archives = list((tmp_path / "backups").iterdir())
    assert len(archives) == 1
    return archives[0], out.getvalue()


@pytest.fixture
def demo(transactional_db, settings):
    call_command("load_demo", allow_production=True, stdout=io.StringIO())
    tables, media = table_snapshot(), media_snapshot(settings.MEDIA_ROOT)
    # The comparison means something only if there is content to lose.
    assert len(tables["articles_article"]) > 3
    assert len(tables["auth_user"]) > 3
    assert len(media) > 10
    return tables, media


def test_demo_content_round_trips_through_an_empty_database_and_replace(demo, tmp_path, settings):
    tables, media = demo
    generation = pagecache._read_database_generation()
    archive, output = backup(tmp_path)
    assert archive.name.endswith(".tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert connection.vendor in output
    assert "KHÔNG mã hóa" in output

    with pytest.raises(CommandError, match=r"không trống.*--replace"):
        call_command("restore", str(archive))
    assert table_snapshot() == tables  # the refusal changed nothing

    drop_every_table()
    shutil.rmtree(settings.MEDIA_ROOT)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Đã khôi phục" in out.getvalue()

    assert table_snapshot() == tables
    assert media_snapshot(settings.MEDIA_ROOT) == media
    # Pages cached before by any process are stale, even under a generation seen before.
    assert pagecache._read_database_generation() not in (generation, 0)
    # The restored database is usable by the ORM, sequences included.
    article = factories.article(title="Bài viết sau khi khôi phục")
    assert Article.objects.filter(pk=article.pk).exists()

    # --replace: what is there now (that article, deleted accounts, a stray file) goes first.
    User.objects.all().delete()
    (Path(settings.MEDIA_ROOT) / "thua.txt").write_text("không có trong bản sao lưu")
    call_command("restore", str(archive), replace=True, stdout=io.StringIO())
    assert table_snapshot() == tables
    assert media_snapshot(settings.MEDIA_ROOT) == media


def _rewrite(archive, target, change):
    """Copy ``archive`` member by member, letting ``change`` alter a member's bytes."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


@pytest.fixture
def small_site(transactional_db, settings):
    # Not inside a test transaction: restore replaces tables, and pg_restore connects apart.
    factories.user("bientap")
    article = factories.article(category=factories.category("Tin tức"), title="Tin sao lưu")
    image = factories.image()
    return article, image


def test_a_damaged_archive_is_refused_before_anything_is_touched(small_site, tmp_path):
    archive, _ = backup(tmp_path)
    before = table_snapshot()

    def flip_a_media_byte(name, data):
        if name.startswith("media/") and data:
            return bytes([data[0] ^ 0xFF]) + data[1:]
        return data

    damaged = tmp_path / "hong.tar.gz"
    _rewrite(archive, damaged, flip_a_media_byte)
    with pytest.raises(CommandError, match="không khớp với manifest"):
        call_command("restore", str(damaged), replace=True)
    assert table_snapshot() == before

    not_an_archive = tmp_path / "khong-phai.tar.gz"
    not_an_archive.write_bytes(b"\x1f\x8b" + b"rac" * 100)
    with pytest.raises(CommandError, match="hỏng hoặc không phải bản sao lưu"):
        call_command("restore", str(not_an_archive), replace=True)

    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("restore", str(tmp_path / "khong-co.tar.gz"))


def test_an_archive_cannot_write_outside_the_media_folder(small_site, tmp_path, settings):
    archive, _ = backup(tmp_path)

    def escape(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["media"][0]["name"] = "../../thoat.txt"
            return json.dumps(manifest).encode()
        return data

    evil = tmp_path / "thoat.tar.gz"
    _rewrite(archive, evil, escape)
    with pytest.raises(CommandError, match="tên tệp không hợp lệ"):
        call_command("restore", str(evil), replace=True)
    assert not (Path(settings.MEDIA_ROOT).parent.parent / "thoat.txt").exists()


def _gpg(home, *args):
    return subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", *args],
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def gpg_key(tmp_path, monkeypatch):
    """A throwaway OpenPGP key pair in its own keyring (GNUPGHOME)."""
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    _gpg(home, "--passphrase", "", "--quick-generate-key", "Sao luu <saoluu@example.invalid>",
         "future-default", "default", "never")  # fmt: skip
    listing = _gpg(home, "--with-colons", "--list-keys").stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line[:4] == "fpr:")
    monkeypatch.setenv("GNUPGHOME", str(home))
    return home, fingerprint


def test_encrypted_backup_needs_the_private_key_to_restore(
    small_site, tmp_path, settings, gpg_key, monkeypatch
):
    home, fingerprint = gpg_key
    settings.PORTAL_BACKUP_GPG_RECIPIENT = fingerprint
    tables, media = table_snapshot(), media_snapshot(settings.MEDIA_ROOT)
    archive, output = backup(tmp_path)
    assert archive.name.endswith(".tar.gz.gpg")
    assert f"mã hóa cho khóa {fingerprint}" in output
    assert archive.read_bytes()[:2] != b"\x1f\x8b"
    with pytest.raises(tarfile.ReadError):
        tarfile.open(archive).close()

    # Only the public key on the restoring machine: it cannot read the archive.
    public_only = tmp_path / "public-only"
    public_only.mkdir(mode=0o700)
    exported = _gpg(home, "--export", "--armor", fingerprint).stdout
    subprocess.run(
        ["gpg", "--homedir", str(public_only), "--batch", "--import"],
        input=exported,
        check=True,
        capture_output=True,
        text=True,
    )
    monkeypatch.setenv("GNUPGHOME", str(public_only))
    with pytest.raises(CommandError, match="Không giải mã được"):
        call_command("restore", str(archive), replace=True)

    monkeypatch.setenv("GNUPGHOME", str(home))
    Article.objects.all().delete()
    call_command("restore", str(archive), replace=True, stdout=io.StringIO())
    assert table_snapshot() == tables
    assert media_snapshot(settings.MEDIA_ROOT) == media


def test_backup_fails_clearly_for_an_unknown_key(small_site, tmp_path, settings, gpg_key):
    settings.PORTAL_BACKUP_GPG_RECIPIENT = "khong-co-khoa@example.invalid"
    with pytest.raises(CommandError, match="Không mã hóa được"):
        call_command("backup", output_dir=str(tmp_path / "backups"))
    # No archive, and no unencrypted leftover, under any name.
    assert not any((tmp_path / "backups").iterdir())
