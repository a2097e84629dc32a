"""Demo news: the 25/6/2021 election summary conference (written afresh) and a few others.

Everything here is marked ``is_demo`` and the site shows a banner while demo content exists.
"""

import datetime
from zoneinfo import ZoneInfo

from articles.models import Article, ArticlePhoto, Category, Image
from articles.roles import PUBLISHERS, WRITERS
from articles.services import image_create
from portal.demo import placeholder_image
from portal.images import process_upload
from portal.richtext import sanitize_html

DEMO_ACCOUNTS = [
    ("bientap", [WRITERS], False, "Nguyễn Thu Hà"),
    ("duyettin", [PUBLISHERS], False, "Trần Minh Đức"),
]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEED_SLUG = "tong-ket-chi-thi-45-ct-tw-lanh-dao-bau-cu-dbqh-khoa-xv-va-hdnd-cac-cap-2021-2026"

CATEGORIES = [
    # (slug, name, parent slug, order)
    ("tin-tuc-su-kien", "Tin tức - Sự kiện", None, 1),
    ("hoat-dong-lanh-dao", "Hoạt động của lãnh đạo tỉnh", "tin-tuc-su-kien", 1),
    ("bau-cu", "Bầu cử ĐBQH khóa XV và HĐND các cấp", "tin-tuc-su-kien", 2),
    ("kinh-te", "Kinh tế", "tin-tuc-su-kien", 3),
    ("van-hoa-xa-hoi", "Văn hóa - Xã hội", "tin-tuc-su-kien", 4),
    ("thi-dua-khen-thuong", "Tin thi đua, khen thưởng", "tin-tuc-su-kien", 5),
    ("thong-bao", "Thông báo", None, 2),
]

SEED_BODY = """
<p>Sáng 25/6/2021, Ban Chỉ đạo bầu cử tỉnh họp hội nghị tổng kết việc thực hiện Chỉ thị số
45-CT/TW ngày 20/6/2020 của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV
và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 - 2026. Hội nghị họp trực tuyến, nối
điểm cầu chính tại trụ sở UBND tỉnh với 6 điểm cầu ở các huyện ủy, thị ủy và thành ủy.</p>
<p>Chủ trì tại điểm cầu UBND tỉnh có bà Lê Thị Thủy, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy,
Trưởng đoàn đại biểu Quốc hội tỉnh khóa XIV, Trưởng Ban Chỉ đạo bầu cử tỉnh. Cùng dự có bà
Đinh Thị Lụa, Phó Bí thư Thường trực Tỉnh ủy; ông Trương Quốc Huy, Phó Bí thư Tỉnh ủy, Chủ tịch
UBND tỉnh, Chủ tịch Ủy ban Bầu cử tỉnh; các đồng chí trong Ban Thường vụ Tỉnh ủy, Thường trực
HĐND, lãnh đạo UBND tỉnh và bí thư các cấp ủy trực thuộc.</p>
<h2>Cuộc bầu cử thành công, tỷ lệ cử tri đi bầu 99,47%</h2>
<p>Báo cáo do Chủ tịch Ủy ban Bầu cử tỉnh Trương Quốc Huy trình bày cho biết, ngay sau khi có
Chỉ thị 45-CT/TW, Ban Thường vụ Tỉnh ủy đã ban hành đầy đủ văn bản lãnh đạo, chỉ đạo; cấp ủy,
chính quyền, Mặt trận và các đoàn thể từ tỉnh đến cơ sở phối hợp chặt chẽ trong suốt quá trình
chuẩn bị và tổ chức bầu cử.</p>
<p>Cuộc bầu cử diễn ra dân chủ, đúng luật và an toàn. Toàn tỉnh có 99,47% cử tri đi bầu;
604 trên tổng số 777 khu vực bỏ phiếu có 100% cử tri đi bầu. Số đại biểu Quốc hội, đại biểu
HĐND tỉnh và HĐND cấp huyện trúng cử đều đủ theo số lượng được bầu, bảo đảm cơ cấu, thành phần.
An ninh, trật tự và công tác y tế phòng dịch được giữ vững trước, trong và sau ngày bầu cử.</p>
<h2>Nhiệm vụ sau bầu cử</h2>
<p>Kết luận hội nghị, Bí thư Tỉnh ủy Lê Thị Thủy đánh giá thành công chung là kết quả của sự
vào cuộc đồng bộ của cả hệ thống chính trị và sự đồng thuận của cử tri. Bí thư Tỉnh ủy đề nghị
các cấp tiếp tục tuyên truyền kết quả bầu cử; chuẩn bị chu đáo kỳ họp thứ nhất của HĐND các cấp
để kiện toàn các chức danh theo đúng quy định; các đại biểu trúng cử sớm cụ thể hóa chương trình
hành động đã cam kết với cử tri; đồng thời vừa phòng, chống dịch Covid-19, vừa phát triển kinh
tế - xã hội.</p>
<h2>Khen thưởng</h2>
<p>Nhân dịp này, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 20 tập thể và 12 cá nhân; UBND tỉnh
tặng Bằng khen cho 53 tập thể và 71 cá nhân có thành tích xuất sắc trong công tác bầu cử.
Tỉnh cũng đề nghị Thủ tướng Chính phủ tặng Bằng khen cho 3 tập thể và 3 cá nhân.</p>
"""

SEED_PHOTOS = [
    "Đại biểu dự hội nghị tại điểm cầu UBND tỉnh",
    "Chủ tịch UBND tỉnh - Chủ tịch Ủy ban Bầu cử tỉnh Trương Quốc Huy trình bày báo cáo "
    "tại hội nghị",
    "Bí thư Tỉnh ủy Lê Thị Thủy kết luận hội nghị",
]

OTHER_ARTICLES = [
    # (slug, category, title, summary, day, featured)
    (
        "ngay-hoi-bau-cu-23-5-2021",
        "bau-cu",
        "Cử tri toàn tỉnh nô nức đi bầu cử ngày 23/5/2021",
        "Từ sáng sớm, các khu vực bỏ phiếu đã mở cửa đón cử tri; nhiều nơi hoàn thành bỏ phiếu "
        "trước giờ dự kiến.",
        datetime.datetime(2021, 5, 23, 9, 0, tzinfo=VN),
        False,
    ),
    (
        "cong-bo-danh-sach-nguoi-trung-cu-hdnd-tinh",
        "bau-cu",
        "Công bố kết quả bầu cử đại biểu HĐND tỉnh nhiệm kỳ 2021 - 2026",
        "Ủy ban Bầu cử tỉnh công bố kết quả bầu cử và danh sách người trúng cử đại biểu HĐND "
        "tỉnh (tin minh họa).",
        datetime.datetime(2021, 6, 2, 15, 0, tzinfo=VN),
        False,
    ),
    (
        "ky-hop-thu-nhat-hdnd-tinh-nhiem-ky-2021-2026",
        "hoat-dong-lanh-dao",
        "Kỳ họp thứ nhất HĐND tỉnh nhiệm kỳ 2021 - 2026 kiện toàn các chức danh",
        "Kỳ họp bầu các chức danh chủ chốt của HĐND và UBND tỉnh theo Luật Tổ chức chính quyền "
        "địa phương (tin minh họa).",
        datetime.datetime(2021, 6, 29, 8, 0, tzinfo=VN),
        False,
    ),
    (
        "thao-go-kho-khan-cho-doanh-nghiep-6-thang-cuoi-nam",
        "kinh-te",
        "Tháo gỡ khó khăn cho doanh nghiệp trong 6 tháng cuối năm",
        "UBND tỉnh đối thoại với doanh nghiệp, tiếp nhận kiến nghị về thủ tục đầu tư và đất đai "
        "(tin minh họa).",
        datetime.datetime(2021, 7, 6, 10, 0, tzinfo=VN),
        False,
    ),
    (
        "dam-bao-an-sinh-xa-hoi-trong-dich-covid-19",
        "van-hoa-xa-hoi",
        "Bảo đảm an sinh xã hội cho người dân gặp khó khăn do dịch Covid-19",
        "Các địa phương rà soát, hỗ trợ kịp thời người lao động mất việc làm (tin minh họa).",
        datetime.datetime(2021, 7, 12, 14, 0, tzinfo=VN),
        False,
    ),
    (
        "thong-bao-lich-tiep-cong-dan-thang-7-2021",
        "thong-bao",
        "Thông báo lịch tiếp công dân định kỳ tháng 7/2021",
        "Lãnh đạo UBND tỉnh tiếp công dân định kỳ tại Trụ sở Tiếp công dân tỉnh (tin minh họa).",
        datetime.datetime(2021, 6, 28, 7, 30, tzinfo=VN),
        False,
    ),
    (
        "khen-thuong-thanh-tich-cong-tac-bau-cu-2021",
        "thi-dua-khen-thuong",
        "Khen thưởng tập thể, cá nhân có thành tích trong công tác bầu cử năm 2021",
        "Ban Thường vụ Tỉnh ủy và UBND tỉnh tặng Bằng khen cho các tập thể, cá nhân có thành tích "
        "xuất sắc; tỉnh đề nghị Thủ tướng Chính phủ khen 3 tập thể, 3 cá nhân.",
        datetime.datetime(2021, 6, 25, 16, 0, tzinfo=VN),
        False,
    ),
]


def _demo_image(label, hue):
    image = Image.objects.filter(is_demo=True, alt_text=label).first()
    if image is None:
        processed = process_upload(placeholder_image(label, hue=hue))
        image = image_create(upload=processed, alt_text=label, caption=label, is_demo=True)
    return image


def _categories():
    by_slug = {}
    for slug, name, parent, order in CATEGORIES:
        category, _ = Category.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "parent": by_slug.get(parent), "order": order},
        )
        by_slug[slug] = category
    return by_slug


def _article(slug, **fields):
    """Create or update a demo article; an unchanged one is not saved again."""
    article = Article.objects.filter(slug=slug).first()
    changed = article is None
    if article is None:
        article = Article(slug=slug, is_demo=True, status=Article.Status.PUBLISHED)
    if "body" in fields:
        fields["body"] = sanitize_html(fields["body"])
    for name, value in fields.items():
        if article.pk is None or getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    if changed:
        article.save()
    return article


# Demo slugs corrected since an earlier version: a database loaded then is fixed in place.
RENAMED_SLUGS = {
    "thao-go-kho-khan-cho-doanh-nghiep-6-thang-dau-nam": (
        "thao-go-kho-khan-cho-doanh-nghiep-6-thang-cuoi-nam"
    ),
}


def _rename_old_slugs():
    for old, new in RENAMED_SLUGS.items():
        if not Article.objects.filter(slug=new).exists():
            Article.objects.filter(slug=old, is_demo=True).update(slug=new)


def load(stdout=None):
    _rename_old_slugs()
    categories = _categories()
    photos = [_demo_image(caption, hue) for hue, caption in enumerate(SEED_PHOTOS)]
    seed = _article(
        SEED_SLUG,
        title=(
            "Tổng kết thực hiện Chỉ thị 45-CT/TW về lãnh đạo bầu cử đại biểu Quốc hội khóa XV "
            "và HĐND các cấp nhiệm kỳ 2021 - 2026"
        ),
        summary=(
            "Ngày 25/6/2021, Ban Chỉ đạo bầu cử tỉnh tổng kết cuộc bầu cử với tỷ lệ cử tri đi bầu "
            "đạt 99,47%, 604/777 khu vực bỏ phiếu có 100% cử tri đi bầu, và khen thưởng các tập "
            "thể, cá nhân có thành tích."
        ),
        body=SEED_BODY.strip(),
        category=categories["bau-cu"],
        cover=photos[0],
        source="Văn phòng Tỉnh ủy (nội dung minh họa viết lại từ tin gốc)",
        publish_at=datetime.datetime(2021, 6, 25, 11, 30, tzinfo=VN),
        is_featured=True,
    )
    for order, (image, caption) in enumerate(zip(photos, SEED_PHOTOS, strict=True), start=1):
        ArticlePhoto.objects.update_or_create(
            article=seed, order=order, defaults={"image": image, "caption": caption}
        )
    for hue, (slug, category, title, summary, when, featured) in enumerate(OTHER_ARTICLES, 1):
        _article(
            slug,
            title=title,
            summary=summary,
            body=f"<p>{summary}</p><p>Đây là bài viết minh họa để trình diễn giao diện cổng.</p>",
            category=categories[category],
            cover=_demo_image(title, hue) if hue % 2 else None,
            publish_at=when,
            is_featured=featured,
        )
    if stdout is not None:
        stdout.write(f"Tin tức: {Article.objects.filter(is_demo=True).count()} bài minh họa.")
    return seed
