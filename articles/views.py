from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from articles.forms import SearchForm
from articles.models import Article, Category
from portal.pagecache import cached_by_generation, vary_on_params
from portal.pagination import lazy_page, page_number
from portal.ratelimit import ratelimit

PER_PAGE = 12
# A search counts its matches up to here ("more than 200 results"): each match is checked
# against the phrase in its row, so counting every match of a common phrase in a large
# archive would cost more than the page itself. Later pages still count as far as they need.
SEARCH_COUNT_CAP = 200


@vary_on_params(page=page_number)
def article_list(request):
    articles = Article.objects.published().for_listing()
    return render(
        request,
        "articles/article_list.html",
        {"page": lazy_page(request, articles, PER_PAGE), "title": _("Tin tức")},
    )


@vary_on_params(page=page_number)
def category_detail(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    articles = (
        Article.objects.published()
        .for_listing()
        # The category's own articles and its sub-categories' (an id list: no join).
        .filter(category__in=Category.objects.filter(Q(pk=category.pk) | Q(parent=category)))
    )
    return render(
        request,
        "articles/category.html",
        {"category": category, "page": lazy_page(request, articles, PER_PAGE)},
    )


def _get_article(request, slug):
    # Kept until the next content change: building this query costs more than running it.
    # Whether it may be shown is decided below, at the time of each request.
    article = cached_by_generation(
        f"articles:detail:{slug}",
        lambda: (
            Article.objects.select_related("category__parent", "cover").filter(slug=slug).first()
        ),
        request=request,
    )
    if article is None:
        raise Http404(_("Không tìm thấy bài viết."))
    if article.is_live:
        return article, False
    if request.user.is_staff and request.user.has_perm("articles.view_article"):
        return article, True
    raise Http404(_("Không tìm thấy bài viết."))


@vary_on_params()
def article_detail(request, slug):
    article, is_preview = _get_article(request, slug)
    # Querysets, not lists: read only when the page's cached fragment is rendered.
    photos = article.photos.select_related("image")
    related = (
        Article.objects.published()
        .for_listing()
        .filter(category_id=article.category_id)
        .exclude(pk=article.pk)[:4]
    )
    # The documents that cite the article (the registry links them; a reverse relation, so
    # the news app does not depend on the registry).
    legal_documents = (
        article.legal_documents.published().select_related("doc_type").order_by("-issued_on")
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "photos": photos,
            "related": related,
            "legal_documents": legal_documents,
            "is_preview": is_preview,
            "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
        },
    )


@vary_on_params()
def article_print(request, slug):
    article, is_preview = _get_article(request, slug)
    photos = list(article.photos.select_related("image"))
    return render(
        request,
        "articles/article_print.html",
        {"article": article, "photos": photos, "is_preview": is_preview},
    )


# Per-address limit so search cannot be used to exhaust the database (a cached result page is
# served by the page cache before the limit is counted).
@ratelimit("60/m", scope="search")
@vary_on_params("q", page=page_number)
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    documents = []
    if query:
        results = Article.objects.published().for_listing().search_pages(query)
        page = lazy_page(request, results, PER_PAGE, count_cap=SEARCH_COUNT_CAP)
        documents = SimpleLazyObject(lambda: _matching_documents(query))
    return render(
        request,
        "articles/search.html",
        {"form": form, "query": query, "page": page, "documents": documents},
    )


def _matching_documents(query):
    """The first few legal documents for the query (one query); the registry has the rest."""
    from documents.models import Document

    return list(Document.objects.published().for_listing().search(query)[:5])
