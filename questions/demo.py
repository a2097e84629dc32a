"""Demo questions and answers (invented, marked demo); the askers are not real people."""

import datetime

from django.utils import timezone

from organisation.demo import _sync
from organisation.models import Unit
from questions.models import Question, Topic
from questions.roles import ANSWERERS, PUBLISHERS

DEMO_ACCOUNTS = [
    ("traloi", [ANSWERERS], False, "Ngô Văn Đáp"),
    ("duyethoidap", [PUBLISHERS], False, "Đinh Thị Duyệt"),
]

TOPICS = [
    ("to-chuc-bo-may", "Tổ chức bộ máy, công chức", 1),
    ("dat-dai", "Đất đai, xây dựng", 2),
    ("chuyen-doi-so", "Chuyển đổi số, dịch vụ công trực tuyến", 3),
]

QUESTIONS = [
    # (reference, topic, unit, status, days ago, title, body, answer)
    (
        "DEMQ2A7K4P", "chuyen-doi-so", "so-khoa-hoc-cong-nghe", Question.Status.PUBLISHED, 20,
        "Nộp hồ sơ trực tuyến có cần đến cơ quan nhận kết quả không?",
        "Tôi nộp hồ sơ cấp đổi giấy phép trên Cổng Dịch vụ công. Khi có kết quả tôi có phải "
        "đến trực tiếp để nhận không? (câu hỏi minh họa)",
        "<p>Ông/Bà có thể chọn nhận kết quả qua dịch vụ bưu chính công ích khi nộp hồ sơ, hoặc "
        "nhận bản điện tử nếu thủ tục cho phép. Trường hợp chọn nhận trực tiếp, Ông/Bà mang "
        "giấy tờ tùy thân đến Trung tâm Phục vụ hành chính công (trả lời minh họa).</p>",
    ),
    (
        "DEMQ3B8M5R", "to-chuc-bo-may", "so-noi-vu", Question.Status.PUBLISHED, 12,
        "Thời gian tập sự của viên chức mới tuyển dụng là bao lâu?",
        "Tôi vừa trúng tuyển viên chức ngành giáo dục. Xin hỏi thời gian tập sự và chế độ "
        "trong thời gian tập sự? (câu hỏi minh họa)",
        "<p>Thời gian tập sự được quy định theo chức danh nghề nghiệp, từ 6 đến 12 tháng. "
        "Trong thời gian tập sự, viên chức được hưởng lương theo quy định hiện hành. Đề nghị "
        "Ông/Bà liên hệ đơn vị tuyển dụng để được hướng dẫn cụ thể (trả lời minh họa).</p>",
    ),
    (
        "DEMQ4C9N6S", "dat-dai", "van-phong-ubnd-tinh", Question.Status.ROUTED, 2,
        "Thủ tục tách thửa đất ở",
        "Gia đình tôi muốn tách thửa để chia cho các con. Cần chuẩn bị hồ sơ gì? (câu hỏi "
        "minh họa, đang xử lý)",
        "",
    ),
]  # fmt: skip


def load(*, stdout=None):
    topics = {
        slug: _sync(Topic, {"slug": slug}, {"name": name, "order": order})
        for slug, name, order in TOPICS
    }
    units = {u.slug: u for u in Unit.objects.filter(is_demo=True)}
    now = timezone.now()
    for ref, topic, unit, status, days, title, body, answer in QUESTIONS:
        existing = Question.objects.filter(reference=ref).first()
        created = now - datetime.timedelta(days=days)
        values = {
            "topic": topics[topic],
            "unit": units.get(unit),
            "status": status,
            "title": title,
            "body": body,
            "answer": answer,
            "asker_name": "Người hỏi minh họa",
            "asker_email": "nguoihoi@example.invalid",
        }
        if existing is None:
            values.update(
                created_at=created,
                consent_at=created,
                answered_at=created + datetime.timedelta(days=3) if answer else None,
                published_at=created + datetime.timedelta(days=3)
                if status == Question.Status.PUBLISHED
                else None,
                # Demo askers are not real: never email them.
                notified_at=created + datetime.timedelta(days=3) if answer else None,
            )
        _sync(Question, {"reference": ref}, values)
    if stdout is not None:
        stdout.write(f"Hỏi đáp: {len(TOPICS)} lĩnh vực, {len(QUESTIONS)} câu hỏi")
