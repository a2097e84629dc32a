import os

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của lệnh backup vào cơ sở dữ liệu mới tạo (chưa chạy "
        "migrate) và thư mục media trống."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar.gz hoặc .tar.gz.gpg do lệnh backup ghi.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="XÓA toàn bộ bảng và tệp media hiện có trước khi khôi phục.",
        )

    def handle(self, *args, archive, replace=False, **options):
        try:
            manifest = backup_restore(
                archive=archive,
                replace=replace,
                passphrase=os.environ.get("PORTAL_BACKUP_GPG_PASSPHRASE"),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục {archive} (tạo lúc {manifest['created']}; "
            f"{len(manifest['media'])} tệp media). Chạy `manage.py migrate` nếu mã nguồn mới "
            "hơn bản sao lưu."
        )
