from django.core.paginator import Paginator
from django.utils.functional import cached_property

# A list counts at most this many rows (more when a later page is asked for): COUNT(*) over a
# 50,000-article archive or a search matching most of it would otherwise read every row.
COUNT_CAP = 1000


def page_number(raw):
    """``?page=`` as a number: text and numbers below one are the first page."""
    try:
        number = int((raw or "1")[:9])
    except (TypeError, ValueError):
        number = 1
    return max(1, number)


class CappedPaginator(Paginator):
    """A paginator whose count stops at a cap; ``capped`` says there are more rows."""

    def __init__(self, object_list, per_page, *, wanted_page=1, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # Always enough rows to show the wanted page and to know whether a next one exists.
        self.limit = max(COUNT_CAP, (wanted_page + 1) * per_page) + 1
        self.capped = False

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            counted = self.object_list[: self.limit].count()
        else:
            counted = len(self.object_list)
        self.capped = counted >= self.limit
        return self.limit - 1 if self.capped else counted


def paginate(request, queryset, per_page=12):
    """A page of ``queryset``; a bad ``?page=`` (text, negative, too big) never errors.

    Text and numbers below one give the first page, numbers past the end the last page.
    """
    number = page_number(request.GET.get("page"))
    paginator = CappedPaginator(queryset, per_page, wanted_page=number, allow_empty_first_page=True)
    return paginator.get_page(number)
