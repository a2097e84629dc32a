from django.core.paginator import Paginator


def page_number(raw):
    """``?page=`` as a number: text and numbers below one are the first page."""
    try:
        number = int((raw or "1")[:9])
    except (TypeError, ValueError):
        number = 1
    return max(1, number)


def paginate(request, queryset, per_page=12):
    """A page of ``queryset``; a bad ``?page=`` (text, negative, too big) never errors.

    Text and numbers below one give the first page, numbers past the end the last page.
    """
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    return paginator.get_page(page_number(request.GET.get("page")))
