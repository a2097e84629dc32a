"""Article workflow: who may move an article to which status."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Image
from portal.images import delete_files, process_upload, store_image


def can_publish(user):
    return user.has_perm("articles.publish_article")


def allowed_statuses(user):
    """Statuses ``user`` may set: a writer drafts and submits; a publisher also publishes."""
    if can_publish(user):
        return list(Article.Status)
    return [Article.Status.DRAFT, Article.Status.REVIEW]


def can_edit(user, article):
    """Writers edit drafts and articles waiting for review; publishers edit anything."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or can_publish(user):
        return True
    return article.status != Article.Status.PUBLISHED


def image_key(image):
    """The storage name that an image's original and renditions share: ``images/ab/<hex>``."""
    return image.file.name.rsplit(".", 1)[0] if image.file else ""


def articles_using_image(image):
    """Articles that show ``image``: as cover, as a photo, or inline in the body.

    Inline images are matched by the storage key that the original and every rendition
    share (``images/ab/<hex>``), since the editor inserts a rendition's URL.
    """
    condition = Q(cover=image) | Q(photos__image=image)
    key = image_key(image)
    if key:
        condition |= Q(body__contains=key)
    return Article.objects.filter(condition).distinct()


def can_change_image(user, image):
    """Writers may not change an image that a published article shows (nor replace its file)."""
    if not user.has_perm("articles.change_image"):
        return False
    if image is None or can_publish(user):
        return True
    return not articles_using_image(image).filter(status=Article.Status.PUBLISHED).exists()


@transaction.atomic
def articles_set_status(*, articles, status, user, on_change=None):
    """Publish or unpublish several articles at once; return ``(changed, expired)``.

    An article whose take-down time has already passed is not published (``expired`` counts
    them): publishing it now would put its publish time after its take-down time.

    Each row is locked and re-read, and only the publishing fields are written: an edit saved
    by someone else while the list was on screen is kept, and an editor who still has the
    article open is told it changed (portal/admin_versions.py). ``on_change(article)`` is
    called for each article changed (the admin writes its log entry there).
    """
    if not can_publish(user):
        raise PermissionDenied
    now = timezone.now()
    changed = expired = 0
    pks = list(articles.values_list("pk", flat=True))
    with transaction.atomic():
        for article in Article.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
            if article.status == status:
                continue
            if status == Article.Status.PUBLISHED:
                publish_at = article.publish_at or now
                if article.unpublish_at is not None and article.unpublish_at <= publish_at:
                    expired += 1
                    continue
                article.publish_at = publish_at
            article.status = status
            article.updated_by = user
            article.save(update_fields=["status", "publish_at", "updated_by", "updated_at"])
            if on_change is not None:
                on_change(article)
            changed += 1
    return changed, expired


def image_create(*, upload, alt_text, caption="", credit="", user=None, is_demo=False):
    """Validate, re-encode and store an upload with its renditions, then record it."""
    processed = upload if not hasattr(upload, "read") else process_upload(upload)
    original, renditions = store_image(processed)
    try:
        return Image.objects.create(
            file=original,
            width=processed.width,
            height=processed.height,
            renditions=renditions,
            alt_text=alt_text,
            caption=caption,
            credit=credit,
            created_by=user,
            is_demo=is_demo,
        )
    except Exception:
        delete_files([original, *(n for r in renditions for n in (r["webp"], r["jpeg"]))])
        raise
