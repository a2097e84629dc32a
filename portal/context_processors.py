from django.conf import settings
from django.db import connection

from articles.models import Article, Category


def _menu():
    categories = list(
        Category.objects.filter(show_in_menu=True).only("name", "slug", "parent_id", "order")
    )
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    top = [c for c in categories if not c.parent_id]
    for category in top:
        category.menu_children = children.get(category.pk, [])
    return top


def has_demo_content():
    """Whether any demo article, election, commendation or document exists, in one query."""
    from awards.models import Decision
    from documents.models import Document
    from elections.models import Election

    checks = " OR ".join(
        # Table names come from the models, not from input.
        f"EXISTS (SELECT 1 FROM {connection.ops.quote_name(m._meta.db_table)} WHERE is_demo)"  # noqa: S608
        for m in (Article, Election, Decision, Document)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {checks}")
        return bool(cursor.fetchone()[0])


def portal(request):
    """Site-wide context: the portal name, the main menu and the demo banner (2 queries)."""
    path = request.path_info
    if path.startswith("/admin/"):
        return {"PORTAL_NAME": settings.PORTAL_NAME}
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "menu_categories": _menu,
        "has_demo_content": has_demo_content,
    }
