"""The work schedule for ``manage.py bench``: a year of the leaders' entries around today.

``populate()`` adds ``BENCH_SCHEDULE_WEEKS`` weeks before and after this one, four entries per
working day (a few changed or cancelled), as a provincial office keeps them. Run twice, it
adds nothing.
"""

import datetime
import os

from django.utils import timezone

from schedule.models import Entry

WEEKS = int(os.environ.get("BENCH_SCHEDULE_WEEKS", "26"))
MARK = "(dữ liệu đo)"

MEETINGS = [
    (datetime.time(7, 30), "Giao ban Thường trực UBND tỉnh", "Chủ tịch UBND tỉnh"),
    (datetime.time(9, 0), "Làm việc với Sở Kế hoạch và Đầu tư về giải ngân vốn đầu tư công",
     "Phó Chủ tịch Thường trực UBND tỉnh"),
    (datetime.time(14, 0), "Họp Ban chỉ đạo chuyển đổi số của tỉnh", "Phó Chủ tịch UBND tỉnh"),
    (datetime.time(16, 0), "Tiếp công dân định kỳ", "Chủ tịch UBND tỉnh"),
]  # fmt: skip


NOTES = {
    Entry.Status.CHANGED: "Lùi sang buổi chiều cùng ngày",
    Entry.Status.CANCELLED: "Hoãn, lãnh đạo đi công tác",
}


def populate():
    if Entry.objects.filter(content__endswith=MARK).exists():
        return {}
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    rows = []
    for week in range(-WEEKS, WEEKS + 1):
        for weekday in range(5):
            day = monday + datetime.timedelta(weeks=week, days=weekday)
            for index, (start, content, chair) in enumerate(MEETINGS):
                n = len(rows)
                status = (
                    Entry.Status.CANCELLED
                    if n % 37 == 0
                    else Entry.Status.CHANGED
                    if n % 23 == 0
                    else Entry.Status.PLANNED
                )
                rows.append(
                    Entry(
                        date=day,
                        start_time=start,
                        end_time=(
                            datetime.datetime.combine(day, start)
                            + datetime.timedelta(hours=1, minutes=30)
                        ).time(),
                        content=f"{content} {MARK}",
                        chair=chair,
                        attendees="Lãnh đạo các sở, ngành liên quan",
                        place="Phòng họp số 1, trụ sở UBND tỉnh"
                        if index % 2
                        else "Hội trường UBND tỉnh",
                        preparing_unit="Văn phòng UBND tỉnh",
                        status=status,
                        status_note=NOTES.get(status, ""),
                    )
                )
    Entry.objects.bulk_create(rows, batch_size=500)
    return {}
