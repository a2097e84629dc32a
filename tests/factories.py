"""Small helpers that create valid rows for tests; each takes overrides as keywords."""

import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticlePhoto, Category
from articles.services import image_create

_counter = itertools.count(1)


def user(username="user", *, groups=(), staff=True, superuser=False, password="pw-Test-123"):
    User = get_user_model()
    obj = User.objects.create_user(
        username=username, password=password, is_staff=staff, is_superuser=superuser
    )
    if groups:
        obj.groups.set(Group.objects.filter(name__in=groups))
        assert obj.groups.count() == len(groups), f"unknown group in {groups}"
    return obj


def category(name=None, **fields):
    name = name or f"Chuyên mục {next(_counter)}"
    return Category.objects.create(name=name, **fields)


def article(*, category=None, title=None, published=True, **fields):
    n = next(_counter)
    fields.setdefault("summary", f"Tóm tắt bài {n}.")
    fields.setdefault("body", f"<p>Nội dung bài {n}.</p>")
    if published:
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("publish_at", timezone.now() - timezone.timedelta(hours=n))
    return Article.objects.create(
        title=title or f"Bài viết số {n}",
        category=category or globals()["category"](),
        **fields,
    )


def image_bytes(fmt="JPEG", size=(800, 500), colour=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def upload(data=None, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type)


def image(alt_text="Ảnh thử nghiệm", **fields):
    return image_create(upload=upload(), alt_text=alt_text, **fields)


def photo(article, *, caption="Chú thích ảnh", order=0, **fields):
    return ArticlePhoto.objects.create(
        article=article, image=fields.pop("image", None) or image(), caption=caption, order=order
    )
