"""``manage.py bench``: speed and memory measurements, printed (never asserted in tests).

Runs in a throw-away database (``test_<name>``) so it never touches real data. Each app may
have a ``bench.py`` with ``run(stdout)``; its lines are printed under the app's name.
"""

import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import connection

# Sections, in order; each module has ``run(stdout)``. Exports reuse the pages' data set.
BENCH_SECTIONS = {"pages": "portal.bench", "exports": "awards.bench"}


class Command(BaseCommand):
    help = "Đo tốc độ và bộ nhớ (trang công khai, xuất danh sách khen thưởng) trên CSDL tạm."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=list(BENCH_SECTIONS), help="Chỉ chạy một phần")

    def handle(self, *args, only=None, **options):
        self.stdout.write(f"Database: {connection.vendor}")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            for section, module_name in BENCH_SECTIONS.items():
                if only and section != only:
                    continue
                module = import_module(module_name)
                self.stdout.write(f"\n== {section} ({module_name}) ==")
                started = time.perf_counter()
                module.run(self.stdout)
                self.stdout.write(f"({time.perf_counter() - started:.1f} s)")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
