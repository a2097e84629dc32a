"""``manage.py export_awards``: the admin's recipient export, for scripts and auditors."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from awards.exports import (
    ORDERS,
    csv_export_stream,
    export_log_start,
    file_name_for,
    filters_parse,
    xlsx_export,
)
from awards.models import Decision, ExportLog, Recipient


class Command(BaseCommand):
    help = (
        "Xuất danh sách tập thể, cá nhân được khen thưởng (CSV có BOM hoặc XLSX) với cùng bộ lọc "
        "như trang quản trị; mỗi lần xuất được ghi nhật ký kèm SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", "-o", help="Tệp ghi ra (bắt buộc với XLSX).")
        parser.add_argument("--authority", help="Đường dẫn (slug) của cơ quan khen thưởng.")
        parser.add_argument("--form", help="Đường dẫn (slug) của hình thức khen thưởng.")
        parser.add_argument("--year", help="Năm quyết định (hoặc năm tờ trình nếu là đề nghị).")
        parser.add_argument("--status", choices=Decision.Status.values)
        parser.add_argument(
            "--decision",
            action="append",
            help="Slug hoặc id của quyết định; lặp lại để chọn nhiều quyết định.",
        )
        parser.add_argument("--kind", choices=Recipient.Kind.values)
        parser.add_argument(
            "--search", help="Như ô tìm kiếm danh sách người được khen (tên, đơn vị, số QĐ)."
        )
        parser.add_argument(
            "--decision-search", help="Như ô tìm kiếm danh sách quyết định (số QĐ, trích yếu)."
        )
        parser.add_argument("--order", choices=list(ORDERS), default="decision")
        parser.add_argument("--user", help="Tên đăng nhập ghi vào nhật ký xuất.")

    def handle(self, *args, **options):
        fmt = options["format"]
        output = options["output"]
        if fmt == "xlsx" and not output:
            raise CommandError("XLSX là tệp nhị phân: hãy chỉ định --output TỆP.xlsx.")
        data = {
            key: options[key]
            for key in ("authority", "form", "year", "status", "decision", "kind", "order")
            if options.get(key)
        }
        data["q"] = options.get("search") or ""
        data["decision_q"] = options.get("decision_search") or ""
        filters = filters_parse(data=data)
        if filters.ignored:
            raise CommandError(
                "Bộ lọc không hợp lệ hoặc không tìm thấy: " + ", ".join(filters.ignored)
            )
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có tài khoản {options['user']!r}.")
        log = export_log_start(
            user=user,
            source=ExportLog.Source.COMMAND,
            fmt=fmt,
            filters=filters,
            file_name=output or file_name_for(fmt=fmt, filters=filters),
        )
        if fmt == "xlsx":
            with open(output, "w+b") as fileobj:
                rows, digest = xlsx_export(
                    filters=filters,
                    fileobj=fileobj,
                    log=log,
                    user_label=options.get("user") or "manage.py",
                )
        elif output:
            with open(output, "wb") as fileobj:
                for chunk in csv_export_stream(filters=filters, log=log):
                    fileobj.write(chunk)
            log.refresh_from_db()
            rows, digest = log.row_count, log.sha256
        else:
            # The exact bytes that were hashed go to the binary stdout: through the text layer a
            # console's encoding (cp1258, ...) or Windows' "\n" -> "\r\n" would change them.
            # A text-only stream (call_command(stdout=StringIO())) gets the same text decoded.
            binary = getattr(getattr(self.stdout, "_out", None), "buffer", None)
            self.stdout.flush()
            for chunk in csv_export_stream(filters=filters, log=log):
                if binary is not None:
                    binary.write(chunk)
                else:
                    self.stdout.write(chunk.decode("utf-8"), ending="")
            (binary or self.stdout).flush()
            log.refresh_from_db()
            rows, digest = log.row_count, log.sha256
        message = f"{rows} dòng; SHA-256 {digest}; nhật ký #{log.pk}"
        # The summary goes to stderr when the data itself is on stdout.
        (self.stderr if not output else self.stdout).write(message)
