import datetime

from csp.decorators import csp_replace
from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from articles.models import Article
from awards.models import Decision
from documents import services
from documents.forms import CommentForm, DocumentFilterForm
from documents.models import (
    CLOSING_SOON_DAYS,
    Document,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    Draft,
    DraftComment,
    Field,
    Issuer,
)
from portal import pagecache
from portal.files import content_disposition
from portal.pagecache import lazy_context, vary_on_params
from portal.pagination import lazy_page, page_number, paginate
from portal.ratelimit import hit, ratelimit, too_many_requests

PER_PAGE = 20
SEARCH_RATE = "120/m"  # registry searches per client address (scope "documents-list")


def _filter_choices():
    published = Document.objects.published()
    return {
        "types": list(DocumentType.objects.filter(documents__in=published).distinct()),
        "issuers": list(
            Issuer.objects.filter(Q(documents__in=published) | Q(joint_documents__in=published))
            .distinct()
            .order_by("order", "name")
        ),
        "fields": list(Field.objects.select_related("parent")),
        "years": sorted({d.year for d in published.dates("issued_on", "year")}, reverse=True),
    }


@vary_on_params("q", "type", "issuer", "field", "year", "status", page=page_number)
def document_list(request):
    # The filters' choices, kept until content changes or a document's publication time
    # comes (the fragment version); the results are a cached fragment read only when rendered.
    choices = pagecache.cached_by_generation(
        f"documents:filter-choices:{pagecache.fragment_version(request)}",
        _filter_choices,
        request=request,
    )
    form = DocumentFilterForm(request.GET, **choices)
    selected = form.selected()
    documents = Document.objects.published().for_listing()
    if "q" in selected:
        # Only searching is counted (scope name kept for operators' PORTAL_RATELIMITS):
        # browsing the filters is not limited, like the site and question searches.
        retry_after = hit(request, scope="documents-list", rate=SEARCH_RATE)
        if retry_after is not None:
            return too_many_requests(request, retry_after)
        documents = documents.search(selected["q"])
    if "type" in selected:
        documents = documents.filter(doc_type__slug=selected["type"])
    if "issuer" in selected:
        joint = Document.objects.filter(co_issuers__slug=selected["issuer"]).values("pk")
        documents = documents.filter(Q(issuer__slug=selected["issuer"]) | Q(pk__in=joint))
    if "field" in selected:
        documents = documents.filter(
            pk__in=Document.objects.filter(
                Q(fields__slug=selected["field"]) | Q(fields__parent__slug=selected["field"])
            ).values("pk")
        )
    if "year" in selected:
        documents = documents.filter(issued_on__year=selected["year"])
    if "status" in selected:
        documents = documents.with_status(selected["status"])
    return render(
        request,
        "documents/document_list.html",
        {
            "title": _("Văn bản"),
            "form": form,
            "page": lazy_page(request, documents, PER_PAGE),
            "page_number": page_number(request.GET.get("page")),
            "filtered": bool(selected),
            "filter_messages": form.messages(),
        },
    )


def _published_document(slug):
    document = (
        Document.objects.published().select_related("doc_type", "issuer").filter(slug=slug[:150])
    ).first()
    if document is None:
        raise Http404(_("Không tìm thấy văn bản."))
    return document


DETAIL_PARTS = (
    "co_issuers", "fields", "files", "pdf_preview", "relations_out", "relations_in",
    "replaced_by", "cited_articles", "cited_decisions",
)  # fmt: skip


def _detail_parts(document):
    """Everything on a document's page but the document itself: read only when the page's
    cached fragment is rendered (a warm one reads nothing)."""
    published = Document.objects.published()
    prefetch_related_objects(
        [document],
        "co_issuers",
        Prefetch("fields", queryset=Field.objects.select_related("parent")),
        "files",
        Prefetch(
            "relations_out",
            queryset=DocumentRelation.objects.filter(target__in=published).select_related(
                "target__doc_type"
            ),
        ),
        Prefetch(
            "relations_in",
            queryset=DocumentRelation.objects.filter(source__in=published).select_related(
                "source__doc_type"
            ),
        ),
        Prefetch("articles", queryset=Article.objects.published().for_listing().order_by("-id")),
        Prefetch(  # a proposal is not a commendation decision (yet)
            "award_decisions", queryset=Decision.objects.awards().select_related("authority")
        ),
    )
    relations_in = list(document.relations_in.all())
    files = list(document.files.all())
    return {
        "co_issuers": list(document.co_issuers.all()),
        "fields": list(document.fields.all()),
        "files": files,
        "pdf_preview": next((f for f in files if f.is_pdf), None),
        "relations_out": list(document.relations_out.all()),
        "relations_in": relations_in,
        "replaced_by": [r.source for r in relations_in if r.kind == DocumentRelation.Kind.REPLACES],
        "cited_articles": list(document.articles.all()),
        "cited_decisions": list(document.award_decisions.all()),
    }


# The in-page PDF view frames this site's own file URL; only this page allows it.
@csp_replace({"frame-src": ["'self'"]})
@vary_on_params()
def document_detail(request, slug):
    document = _published_document(slug)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            **lazy_context(lambda: _detail_parts(document), DETAIL_PARTS),
            "status": document.effective_status(),
            "canonical_url": request.build_absolute_uri(document.get_absolute_url()),
        },
    )


def _published_file(pk):
    now = timezone.now()
    attached = DocumentFile.objects.filter(
        Q(document__in=Document.objects.published(now)) | Q(draft__in=Draft.objects.published(now))
    )
    item = attached.filter(pk=pk).first()
    if item is None or not item.file:
        raise Http404(_("Không tìm thấy tệp."))
    return item


def _file_response(item, *, inline):
    try:
        handle = default_storage.open(item.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Không tìm thấy tệp.")) from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = content_disposition(item.display_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Each download must reach the view to be counted: no shared cache may answer for it.
@never_cache
def file_download(request, pk):
    item = _published_file(pk)
    response = _file_response(item, inline=False)
    services.download_record(file_id=item.pk)
    return response


# Chromium shows a PDF through its built-in viewer plugin, which object-src 'none' would block.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"], "object-src": ["'self'"]})
def file_inline(request, pk):
    """The PDF shown inside the detail page (only PDFs: nothing else renders in a frame)."""
    item = _published_file(pk)
    if not item.is_pdf:
        return redirect(item.get_absolute_url())
    return _file_response(item, inline=True)


def open_data_csv(request):
    rows = services.open_data_rows(base_url=request.build_absolute_uri("/").rstrip("/"))
    response = StreamingHttpResponse(
        services.open_data_csv_chunks(rows=rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(False, "van-ban-du-lieu-mo.csv")
    return response


def open_data_json(request):
    rows = services.open_data_rows(base_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(
        services.open_data_json(rows=rows), content_type="application/json; charset=utf-8"
    )


# --- consultation on drafts -------------------------------------------------------------------

DRAFT_STATES = {"open", "closed"}


@vary_on_params("trang-thai", page=page_number)
def draft_list(request):
    now = timezone.now()
    state = request.GET.get("trang-thai", "")[:20]
    drafts = Draft.objects.published(now).select_related("doc_type").with_comment_counts()
    if state == "open":
        drafts = drafts.filter(closes_at__gt=now)
    elif state == "closing-soon":
        soon = now + datetime.timedelta(days=CLOSING_SOON_DAYS)
        drafts = drafts.filter(closes_at__gt=now, closes_at__lte=soon)
    elif state == "closed":
        drafts = drafts.filter(closes_at__lte=now)
    else:
        state = ""
    drafts = drafts.order_by("-closes_at", "-id")
    page = paginate(request, drafts, PER_PAGE)
    return render(
        request,
        "documents/draft_list.html",
        {
            "title": _("Lấy ý kiến dự thảo văn bản"),
            "page": page,
            "state": state,
            "now": now,
        },
    )


def _published_draft(slug):
    draft = (
        Draft.objects.published()
        .select_related("doc_type", "document__doc_type")
        .prefetch_related(
            "files",
            Prefetch(
                "comments",
                queryset=DraftComment.objects.published().only(
                    # Never the contact details: they are not even loaded for public pages.
                    "id",
                    "draft_id",
                    "name",
                    "organisation",
                    "article_ref",
                    "body",
                    "created_at",
                ),
                to_attr="published_comments",
            ),
        )
        .filter(slug=slug[:150])
        .first()
    )
    if draft is None:
        raise Http404(_("Không tìm thấy dự thảo."))
    return draft


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("5/m", scope="documents-comment", methods=("POST",))
@vary_on_params()
def draft_detail(request, slug):
    draft = _published_draft(slug)
    is_open = draft.is_open()
    form = None
    status = 200
    if is_open:
        if request.method == "POST":
            form = CommentForm(request.POST)
            if form.is_valid():
                services.comment_submit(draft=draft, data=form.cleaned_data)
                return redirect("documents:draft-thanks", slug=draft.slug)
            status = 400
        else:
            form = CommentForm()
    elif request.method == "POST":
        status = 409
    response = render(
        request,
        "documents/draft_detail.html",
        {
            "draft": draft,
            "files": list(draft.files.all()),
            "comments": draft.published_comments,
            "form": form,
            "is_open": is_open,
            "closed_by_time": request.method == "POST" and not is_open,
        },
        status=status,
    )
    if form is not None:
        # The form carries this visitor's CSRF token: a shared page cache must not keep it.
        add_never_cache_headers(response)
    return response


@vary_on_params()
def draft_thanks(request, slug):
    """The page after a comment is sent: the same for everyone, no query, no personal data."""
    return render(request, "documents/draft_thanks.html", {"slug": slug})
