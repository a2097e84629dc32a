from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

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

    def __init__(self, object_list, per_page, *, wanted_page=1, count_cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # Always enough rows to show the wanted page and to know whether a next one exists.
        cap = COUNT_CAP if count_cap is None else count_cap
        self.limit = max(cap, (wanted_page + 1) * per_page) + 1
        self.capped = False

    @cached_property
    def count(self):
        count_up_to = getattr(self.object_list, "count_up_to", None)
        if count_up_to is not None:
            counted = count_up_to(self.limit)
        elif hasattr(self.object_list, "query"):
            # Ids only and unordered: which rows are counted does not matter, and an ORDER BY
            # or a per-row annotation (recipients of a decision) would only add work.
            counted = self.object_list.order_by().values("pk")[: self.limit].count()
        else:
            counted = len(self.object_list)
        self.capped = counted >= self.limit
        return self.limit - 1 if self.capped else counted


class PreferredFirst:
    """The rows of ``base`` that meet ``match``, those meeting ``prefer`` first (``prefer``
    implies ``match``), each part in ``order``: read page by page without sorting every
    match (a search ranks title matches first).

    One ``ORDER BY rank, date LIMIT 12`` must rank and sort every matching row before it can
    return the first twelve: at 50,000 articles a phrase found in 5,000 of them costs 76 ms.
    Here each part is read in its own order up to the page's end, and the preferred rows
    already placed are dropped from the rest:

    - counting (:meth:`count_up_to`, the paginator's count) reads the ids of at most
      ``limit`` matches, stopping there;
    - when there are fewer, the page is read among those ids only, by primary key;
    - when there are more, matches are plentiful and the date index finds the page's rows
      after a short walk, for the preferred and for all matches alike.

    Three queries for any page and any content.
    """

    def __init__(self, base, match, prefer, order):
        self.base = base.order_by(*order)
        self.match = match
        self.prefer = prefer
        self.known_ids = None  # every match, when counting found fewer than its limit

    def count_up_to(self, limit):
        ids = list(self.base.filter(self.match).order_by().values_list("pk", flat=True)[:limit])
        self.known_ids = ids if len(ids) < limit else None
        return len(ids)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("PreferredFirst is read by slices (a page)")
        start, stop = index.start or 0, index.stop
        if stop is None or start < 0 or stop < start:
            raise ValueError("PreferredFirst needs a bounded slice from 0 or more")
        if self.known_ids is None:
            matches = self.base.filter(self.match)
            preferred = self.base.filter(self.prefer)  # not also ``match``: it is implied
        else:
            # No id at all still queries (Django skips an empty IN): the same count always.
            matches = self.base.filter(pk__in=self.known_ids or [0])
            preferred = matches.filter(self.prefer)
        end = max(stop, 1)  # a non-empty LIMIT: the same queries for an empty slice
        first = list(preferred[:end])
        newest = list(matches[:end])
        if len(first) < end:
            # Every preferred row is in ``first``: the others follow, in the same order.
            placed = {row.pk for row in first}
            first += [row for row in newest if row.pk not in placed]
        return first[start:stop]


def lazy_page(request, queryset, per_page=12, **options):
    """:func:`paginate`, counted and read only when a template first uses the page: a list's
    cards are a cached fragment, so a warm one costs no query."""
    return SimpleLazyObject(lambda: paginate(request, queryset, per_page, **options))


def paginate(request, queryset, per_page=12, *, count_cap=None):
    """A page of ``queryset``; a bad ``?page=`` (text, negative, too big) never errors.

    Text and numbers below one give the first page, numbers past the end the last page.
    ``queryset`` may also be a :class:`PreferredFirst`; ``count_cap`` replaces ``COUNT_CAP``.
    """
    number = page_number(request.GET.get("page"))
    paginator = CappedPaginator(
        queryset, per_page, wanted_page=number, count_cap=count_cap, allow_empty_first_page=True
    )
    return paginator.get_page(number)
