from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create, default_output_dir


class Command(BaseCommand):
    help = (
        "Ghi một bản sao lưu (cơ sở dữ liệu và toàn bộ tệp media) vào một tệp .tar.gz, "
        "mã hóa bằng gpg khi PORTAL_BACKUP_GPG_RECIPIENT được đặt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            help="Thư mục ghi bản sao lưu (mặc định: PORTAL_BACKUP_DIR).",
        )

    def handle(self, *args, output_dir=None, **options):
        recipient = settings.PORTAL_BACKUP_GPG_RECIPIENT
        try:
            path, manifest = backup_create(
                output_dir=output_dir or default_output_dir(), recipient=recipient
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size
        how = f"mã hóa cho khóa {recipient}" if recipient else "KHÔNG mã hóa"
        self.stdout.write(
            f"Đã ghi {path} ({size / 1024 / 1024:.1f} MB; cơ sở dữ liệu {manifest['vendor']}, "
            f"{len(manifest['media'])} tệp media; {how})."
        )
