from django.core.management.base import BaseCommand

from documents.services import downloads_flush


class Command(BaseCommand):
    help = (
        "Ghi số lượt tải tệp văn bản đang đếm trong bộ nhớ đệm vào cơ sở dữ liệu. "
        "Chạy định kỳ (ví dụ mỗi 10 phút) và trước khi xóa bộ nhớ đệm."
    )

    def handle(self, *args, **options):
        moved = downloads_flush()
        self.stdout.write(f"Đã ghi {moved} lượt tải vào cơ sở dữ liệu.")
