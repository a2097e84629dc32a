"""Hỏi đáp for ``manage.py bench``: the demo's questions grown to a province's few years.

``populate()`` adds ``BENCH_QUESTIONS`` answered and published questions spread over the demo
topics and units and over the last three years (search words computed as the model's save
does), and returns a word to search for. Run twice, it adds nothing.
"""

import datetime
import os

from django.utils import timezone

from organisation.models import Unit
from questions.models import Question, Topic, question_search_text

QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "3000"))
REFERENCE_PREFIX = "BENCH"

SUBJECTS = [
    ("Thủ tục cấp đổi giấy phép lái xe trên Cổng Dịch vụ công", "giấy phép lái xe"),
    ("Chế độ phụ cấp của cán bộ không chuyên trách cấp xã", "phụ cấp"),
    ("Hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất lần đầu", "quyền sử dụng đất"),
    ("Thời hạn giải quyết hồ sơ đăng ký kinh doanh hộ cá thể", "đăng ký kinh doanh"),
    ("Điều kiện xét tuyển viên chức ngành giáo dục", "xét tuyển viên chức"),
    ("Hỗ trợ chuyển đổi nghề cho lao động nông thôn", "chuyển đổi nghề"),
]


def populate():
    topics = list(Topic.objects.order_by("order", "pk")) or [
        Topic.objects.create(slug="chung", name="Chung", order=1)
    ]
    units = list(Unit.objects.order_by("pk")[:20]) or [None]
    existing = Question.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    now = timezone.now()
    rows = []
    for index in range(existing, QUESTIONS):
        title, words = SUBJECTS[index % len(SUBJECTS)]
        title = f"{title} (câu hỏi số {index + 1})"
        body = f"Xin hướng dẫn về {words}: hồ sơ gồm những gì, nộp ở đâu và mất bao lâu?"
        answer = (
            f"<p>Về {words}, Ông/Bà chuẩn bị hồ sơ theo hướng dẫn trên Cổng Dịch vụ công và "
            "nộp tại Trung tâm Phục vụ hành chính công của tỉnh.</p>"
        )
        asked = now - datetime.timedelta(hours=index * 26280 // max(QUESTIONS, 1) + 72)
        rows.append(
            Question(
                reference=f"{REFERENCE_PREFIX}{index:05d}",
                asker_name="Người hỏi (dữ liệu đo)",
                asker_email="nguoihoi@example.invalid",
                topic=topics[index % len(topics)],
                unit=units[index % len(units)],
                title=title,
                body=body,
                answer=answer,
                status=Question.Status.PUBLISHED,
                consent_at=asked,
                created_at=asked,
                answered_at=asked + datetime.timedelta(days=2),
                published_at=asked + datetime.timedelta(days=3),
                notified_at=asked + datetime.timedelta(days=2),  # never emailed
                search_text=question_search_text(title, body, answer),
            )
        )
    Question.objects.bulk_create(rows, batch_size=500)
    return {"question_search": SUBJECTS[0][1]}
