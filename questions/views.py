from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.pagecache import cached_by_generation, vary_on_params
from portal.pagination import lazy_page, page_number
from portal.ratelimit import hit, ratelimit, too_many_requests
from portal.text import nfc
from questions.forms import QuestionForm, StatusForm
from questions.models import Question
from questions.services import public_questions, question_submit, topics_with_counts

PER_PAGE = 15
QUERY_MAX = 200
SENT_SALT = "questions.sent"
SENT_MAX_AGE = 3600


@vary_on_params("linh-vuc", "q", page=page_number)
def question_list(request):
    # The topics with their counts, kept until content changes (questions have no scheduled
    # publication); the questions are a cached fragment read only when rendered (a warm page
    # reads nothing but the generation).
    topics = cached_by_generation("questions:topics", topics_with_counts, request=request)
    slug = request.GET.get("linh-vuc", "")[:120]
    topic = next((t for t in topics if t.slug == slug), None)
    query = nfc(request.GET.get("q", ""))[:QUERY_MAX].strip()
    questions = public_questions()
    if topic is not None:
        questions = questions.filter(topic=topic)
    if query:
        # Searching is the costly part of the list: limited like the site search.
        retry_after = hit(request, scope="questions-search", rate="60/m")
        if retry_after is not None:
            return too_many_requests(request, retry_after)
        questions = questions.search(query)
    return render(
        request,
        "questions/list.html",
        {
            "title": _("Hỏi đáp"),
            "topics": topics,
            "topic": topic,
            "query": query,
            "page": lazy_page(request, questions, PER_PAGE),
            "page_number": page_number(request.GET.get("page")),
        },
    )


@vary_on_params()
def question_detail(request, pk):
    question = public_questions().defer(None).select_related("unit").filter(pk=pk).first()
    if question is None:
        raise Http404(_("Không tìm thấy câu hỏi."))
    return render(request, "questions/detail.html", {"question": question})


@never_cache
@ratelimit("5/h", scope="questions-ask", methods=("POST",))
def ask(request):
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            question = question_submit(form=form)
            token = signing.dumps(question.reference, salt=SENT_SALT)
            return redirect(f"{reverse('questions:sent')}?{urlencode({'t': token})}")
    else:
        form = QuestionForm()
    return render(request, "questions/ask.html", {"form": form, "title": _("Gửi câu hỏi")})


@never_cache
def sent(request):
    """After sending: the reference number, shown from a signed token (no session, no cookie)."""
    try:
        reference = signing.loads(
            request.GET.get("t", "")[:200], salt=SENT_SALT, max_age=SENT_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("questions:ask")
    question = Question(reference=reference)
    return render(
        request,
        "questions/sent.html",
        {"reference": question.formatted_reference, "title": _("Đã gửi câu hỏi")},
    )


@never_cache
def status(request):
    form = StatusForm(request.GET if "ma" in request.GET else None)
    found = None
    looked_up = False
    if form.is_bound:
        # Every lookup counts, valid or not: guessing codes is what this limit stops.
        retry_after = hit(request, scope="questions-status", rate="20/h")
        if retry_after is not None:
            return too_many_requests(request, retry_after)
        if form.is_valid():
            looked_up = True
            found = (
                Question.objects.filter(reference=form.cleaned_data["ma"])
                .only("reference", "status", "created_at", "published_at")
                .first()
            )
    return render(
        request,
        "questions/status.html",
        {"form": form, "found": found, "looked_up": looked_up, "title": _("Tra cứu câu hỏi")},
    )
