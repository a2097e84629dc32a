"""Demo work-schedule entries for the current week and the next (invented, marked demo).

The entries follow the week the demo is loaded in, so the week view is never empty; loading
again in the same week changes nothing.
"""

import datetime
import uuid

from organisation.demo import _sync
from schedule.models import Entry
from schedule.roles import STAFF
from schedule.services import today, week_start

DEMO_ACCOUNTS = [("lichcongtac", [STAFF], False, "Lý Thị Lịch")]
_NAMESPACE = uuid.UUID("6f0d2b52-8b1e-4c55-9d1a-2a7f1d7e0a11")

ENTRIES = [
    # (key, weekday, start, end, content, chair, attendees, place, unit, status, note)
    ("giao-ban", 0, "08:00", "10:00", "Giao ban lãnh đạo UBND tỉnh đầu tuần (minh họa)",
     "Chủ tịch UBND tỉnh", "Các Phó Chủ tịch UBND tỉnh; Chánh Văn phòng UBND tỉnh",
     "Phòng họp số 1, UBND tỉnh", "Văn phòng UBND tỉnh", Entry.Status.PLANNED, ""),
    ("tiep-cong-dan", 1, "08:00", "11:30", "Tiếp công dân định kỳ (minh họa)",
     "Phó Chủ tịch UBND tỉnh", "Thanh tra tỉnh; Ban Tiếp công dân tỉnh; các sở liên quan",
     "Trụ sở Tiếp công dân tỉnh", "Ban Tiếp công dân tỉnh", Entry.Status.PLANNED, ""),
    ("chuyen-doi-so", 2, "14:00", "16:30", "Họp Ban Chỉ đạo chuyển đổi số tỉnh (minh họa)",
     "Chủ tịch UBND tỉnh", "Thành viên Ban Chỉ đạo", "Hội trường UBND tỉnh",
     "Sở Khoa học và Công nghệ", Entry.Status.CHANGED,
     "Chuyển từ 8h00 sang 14h00 cùng ngày (minh họa)"),
    ("kiem-tra", 3, None, None, "Kiểm tra tiến độ công trình trường học (minh họa)",
     "Phó Chủ tịch UBND tỉnh", "Sở Giáo dục và Đào tạo; Sở Xây dựng", "Các huyện, thị xã",
     "Sở Giáo dục và Đào tạo", Entry.Status.CANCELLED, "Hoãn, sẽ bố trí lịch sau (minh họa)"),
    ("tong-ket", 4, "08:00", None,
     "Hội nghị đánh giá tình hình kinh tế - xã hội trong tháng (minh họa)",
     "Chủ tịch UBND tỉnh", "Thủ trưởng các sở, ban, ngành; Chủ tịch UBND cấp xã",
     "Hội trường UBND tỉnh", "Văn phòng UBND tỉnh", Entry.Status.PLANNED, ""),
    # Next week (days 7 and 8): on a weekend the home page looks ahead to it.
    ("giao-ban-tuan-sau", 7, "08:00", "10:00", "Giao ban lãnh đạo UBND tỉnh đầu tuần (minh họa)",
     "Chủ tịch UBND tỉnh", "Các Phó Chủ tịch UBND tỉnh; Chánh Văn phòng UBND tỉnh",
     "Phòng họp số 1, UBND tỉnh", "Văn phòng UBND tỉnh", Entry.Status.PLANNED, ""),
    ("dau-tu-tuan-sau", 8, "14:00", "16:00",
     "Làm việc với nhà đầu tư về dự án khu công nghiệp (minh họa)",
     "Phó Chủ tịch UBND tỉnh", "Sở Tài chính; Sở Nông nghiệp và Môi trường",
     "Phòng họp số 2, UBND tỉnh", "Sở Tài chính", Entry.Status.PLANNED, ""),
]  # fmt: skip


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def load(*, stdout=None):
    monday = week_start(today())
    for key, weekday, start, end, content, chair, attendees, place, unit, status, note in ENTRIES:
        _sync(
            Entry,
            {"uid": uuid.uuid5(_NAMESPACE, key)},
            {
                "date": monday + datetime.timedelta(days=weekday),
                "start_time": _time(start),
                "end_time": _time(end),
                "content": content,
                "chair": chair,
                "attendees": attendees,
                "place": place,
                "preparing_unit": unit,
                "status": status,
                "status_note": note,
            },
        )
    if stdout is not None:
        stdout.write(f"Lịch công tác: {len(ENTRIES)} mục trong tuần này và tuần sau")
