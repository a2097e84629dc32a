"""``manage.py bench``: speed and memory measurements, printed (never asserted in tests).

Runs in a throw-away database (``test_<name>``) so it never touches real data. Each app may
have a ``bench.py`` with ``run(stdout)``; its lines are printed under the app's name.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from portal.discovery import app_modules

# What --only accepts: a section's name, or the app whose bench.py it is. The pages come
# first (portal precedes awards in INSTALLED_APPS): the exports reuse their data set.
SECTIONS = {"pages": "portal", "exports": "awards"}


class Command(BaseCommand):
    help = "Đo tốc độ và bộ nhớ (trang công khai, xuất danh sách khen thưởng) trên CSDL tạm."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", help="Chỉ chạy một phần: pages, exports, hoặc tên ứng dụng có bench.py"
        )

    def handle(self, *args, only=None, **options):
        self.stdout.write(f"Database: {connection.vendor}")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            for module in app_modules("bench", required="run"):
                module_name = module.__name__
                if only and module_name.split(".")[0] != SECTIONS.get(only, only):
                    continue
                self.stdout.write(f"\n== {module_name} ==")
                started = time.perf_counter()
                module.run(self.stdout)
                self.stdout.write(f"({time.perf_counter() - started:.1f} s)")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
