from django.core.paginator import Paginator


def paginate(request, queryset, per_page=12):
    """A page of ``queryset``; a bad ``?page=`` (text, negative, too big) never errors.

    Text and numbers below one give the first page, numbers past the end the last page.
    """
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw[:9])
    except (TypeError, ValueError):
        number = 1
    number = max(1, number)
    return paginator.get_page(number)
