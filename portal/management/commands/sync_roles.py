from django.core.management.base import BaseCommand

from portal.roles import sync_roles


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật các nhóm quyền (vai trò) của cán bộ."

    def handle(self, *args, **options):
        sync_roles(stdout=self.stdout)
