from django.conf import settings

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


def portal(request):
    """Site-wide context: the portal name, the main menu and the demo banner (2 queries)."""
    path = request.path_info
    if path.startswith("/admin/"):
        return {"PORTAL_NAME": settings.PORTAL_NAME}
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "menu_categories": _menu,
        "has_demo_content": lambda: Article.objects.filter(is_demo=True).exists(),
    }
