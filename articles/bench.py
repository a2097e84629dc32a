"""The news archive of ``manage.py bench``: articles with covers in 30 categories.

``grow_archive(n)`` adds articles until there are ``n`` (bulk_create: seconds, not minutes),
each newer than the ones added later, so the first pages stay the same as the archive grows
and the benchmark shows what the archive's size alone costs.
"""

import random

from django.utils import timezone

from articles.models import Article, ArticlePhoto, Category, Image
from articles.services import image_create
from portal.demo import placeholder_image
from portal.images import process_upload
from portal.richtext import html_to_text
from portal.text import document_number_words, fold_words

N_PARENTS = 6
N_CHILDREN = 4  # 6 parents with 4 children each: 30 categories
N_COVERS = 6
BATCH = 2000

TOPICS = [
    "bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp",
    "phát triển kinh tế nông nghiệp công nghệ cao",
    "cải cách hành chính và chuyển đổi số",
    "phòng chống thiên tai, bão lũ",
    "giáo dục và đào tạo nguồn nhân lực",
    "y tế cơ sở và chăm sóc sức khỏe nhân dân",
    "xây dựng nông thôn mới",
    "thu hút đầu tư vào khu công nghiệp",
    "văn hóa, thể thao và du lịch",
    "an ninh trật tự và an toàn giao thông",
]
SENTENCES = [
    "Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành và địa phương triển khai đồng bộ các giải pháp.",
    "Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ và đề ra phương hướng cho thời gian tới.",
    "Các đại biểu thảo luận sôi nổi, đóng góp nhiều ý kiến tâm huyết, trách nhiệm.",
    "Theo báo cáo, trong năm qua tỉnh đã hoàn thành và vượt nhiều chỉ tiêu quan trọng.",
    "Lãnh đạo tỉnh đề nghị tiếp tục tăng cường công tác phối hợp giữa các cấp, các ngành.",
    "Người dân và doanh nghiệp đánh giá cao sự chuyển biến tích cực của bộ máy hành chính.",
]


def _categories():
    existing = list(Category.objects.filter(slug__startswith="bench-"))
    if existing:
        return [c for c in existing if c.parent_id]
    children = []
    for p in range(N_PARENTS):
        parent = Category.objects.create(name=f"Chuyên mục lớn {p + 1}", slug=f"bench-{p}", order=p)
        for c in range(N_CHILDREN):
            children.append(
                Category.objects.create(
                    name=f"Chuyên mục {p + 1}.{c + 1}",
                    slug=f"bench-{p}-{c}",
                    parent=parent,
                    order=c,
                )
            )
    return children


def _covers():
    covers = list(Image.objects.filter(alt_text__startswith="Ảnh đo hiệu năng"))
    for i in range(len(covers), N_COVERS):
        label = f"Ảnh đo hiệu năng {i + 1}"
        covers.append(
            image_create(upload=process_upload(placeholder_image(label, hue=i)), alt_text=label)
        )
    return covers


BODIES_PER_TOPIC = 20


def _body(rng, topic):
    paragraphs = []
    for _ in range(6):
        sentences = rng.sample(SENTENCES, 4)
        paragraphs.append(f"<p>Về {topic}: " + " ".join(sentences) + "</p>")
    return "".join(paragraphs)


def _body_pool(rng):
    """Bodies with their folded words: folding 50,000 bodies one by one takes minutes."""
    pool = []
    for topic in TOPICS:
        for _ in range(BODIES_PER_TOPIC):
            body = _body(rng, topic)
            pool.append((topic, body, fold_words(html_to_text(body)).split()))
    return pool


def _search_words(article, body_words):
    """What ``Article.refresh_search_text`` stores, with the body's words folded once."""
    head = f"{article.title} {article.summary}"
    words = fold_words(head).split() + body_words + document_number_words(head)
    return f" {' '.join(words)} ", fold_words(article.title)


def grow_archive(size):
    """Add articles until there are ``size``; return the slugs the page benchmark visits."""
    categories = _categories()
    covers = _covers()
    rng = random.Random(size)  # noqa: S311 - test data, not security
    pool = _body_pool(rng)
    now = timezone.now()
    start = Article.objects.count()
    batch = []
    for i in range(start, size):
        topic, body, body_words = pool[(i * 7) % len(pool)]
        article = Article(
            title=f"Tin số {i}: {topic}",
            slug=f"bench-{i}",
            summary=f"Tóm tắt tin số {i} về {topic}, hiện dưới tiêu đề và trong danh sách tin.",
            body=body,
            category=categories[i % len(categories)],
            cover=covers[i % len(covers)],
            status=Article.Status.PUBLISHED,
            publish_at=now - timezone.timedelta(minutes=10 * i + 1),
            is_featured=i == 0,
        )
        article.search_text, article.search_title = _search_words(article, body_words)
        batch.append(article)
        if len(batch) >= BATCH:
            Article.objects.bulk_create(batch)
            batch = []
    if batch:
        Article.objects.bulk_create(batch)
    first = Article.objects.get(slug="bench-10")
    if not first.photos.exists():
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=first, image=covers[i], caption=f"Ảnh {i}", order=i)
            for i in range(6)
        )
    return {"article": first.slug, "category": categories[0].parent.slug}
