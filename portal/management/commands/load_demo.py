from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import ensure_account
from portal.discovery import app_modules
from portal.roles import ADMINISTRATORS, sync_roles


def demo_modules():
    # In INSTALLED_APPS order: an app's demo may link to the rows of the apps before it.
    return app_modules("demo", required="load")


class Command(BaseCommand):
    help = (
        "Nạp nội dung minh họa (hội nghị tổng kết bầu cử 25/6/2021) và tài khoản thử. "
        "Chạy nhiều lần không tạo bản trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép chạy khi DJANGO_DEBUG tắt (tạo tài khoản có mật khẩu công khai!).",
        )
        parser.add_argument("--no-accounts", action="store_true", help="Không tạo tài khoản thử.")

    def handle(self, *args, allow_production=False, no_accounts=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "load_demo tạo tài khoản có mật khẩu công khai; chỉ chạy khi DJANGO_DEBUG=1 "
                "(hoặc thêm --allow-production nếu thật sự muốn)."
            )
        sync_roles()
        modules = demo_modules()
        with transaction.atomic():
            for module in modules:
                module.load(stdout=self.stdout)
        if no_accounts:
            return
        accounts = [("admin", [ADMINISTRATORS], True, "Quản trị hệ thống")]
        for module in modules:
            accounts.extend(getattr(module, "DEMO_ACCOUNTS", []))
        self.stdout.write("")
        self.stdout.write("Tài khoản thử (chỉ dùng khi phát triển):")
        for username, groups, superuser, full_name in accounts:
            _user, password = ensure_account(
                username, groups=groups, superuser=superuser, full_name=full_name
            )
            role = ", ".join(groups) or "—"
            self.stdout.write(f"  {username:<12} {password:<24} {role}")
