"""Which recipients an export holds, in which order, and the cells of each row."""

import operator

from django.db import connection
from django.db.models.functions import Coalesce, Collate

from awards.exports.columns import KEYS
from awards.exports.filters import (
    ORDER_NAME,
    decision_search_q,
    decision_year_q,
    recipient_search_q,
)
from awards.models import Authority, Decision, Recipient, award_q, counts_as_award

ITERATOR_CHUNK = 2000
# The database fields read for each row, by name (one query, streamed).
_FIELDS = [
    "kind",
    "name",
    "position",
    "unit",
    "achievement",
    "decision__reason",
    "decision__form__name",
    "decision__authority__name",
    "decision__authority__kind",
    "decision__status",
    "decision__number",
    "decision__date",
    "decision__signer_name",
    "decision__signer_title",
    "decision__proposal_number",
    "decision__proposal_date",
    "decision__proposed_by__name",
    "decision__event",
    "order",
    "decision__slug",
]


def recipients_filter(*, filters, queryset=None):
    qs = Recipient.objects.all() if queryset is None else queryset
    if filters.authority:
        qs = qs.filter(decision__authority=filters.authority)
    if filters.form:
        qs = qs.filter(decision__form=filters.form)
    if filters.year:
        qs = qs.filter(decision_year_q(filters.year, "decision__"))
    if filters.status == Decision.Status.DECIDED:
        qs = qs.awarded()
    elif filters.status == Decision.Status.PROPOSED:
        qs = qs.exclude(award_q("decision__"))
    if filters.decisions_not_found:
        qs = qs.none()
    elif filters.decisions:
        qs = qs.filter(decision__in=filters.decisions)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.search:
        qs = qs.filter(recipient_search_q(filters.search))
    if filters.decision_search:
        qs = qs.filter(decision_search_q(filters.decision_search, "decision__"))
    if filters.order == ORDER_NAME:
        key = "sort_key"
        if connection.vendor == "postgresql":
            # Byte order: the key is hex digits, and a locale collation could reorder it.
            key = Collate("sort_key", "C")
        return qs.order_by("kind", key, "id")
    # Decisions by date (a proposal by its tờ trình date), then each decision's own order.
    return qs.order_by(
        Coalesce("decision__date", "decision__proposal_date"),
        "decision_id",
        "kind",
        "order",
        "id",
    )


def export_rows(*, filters, queryset=None):
    """Yield one list of cell values per recipient, in the order of
    :data:`~awards.exports.columns.COLUMNS` (dates as ``date``), then a marker for the totals.
    """
    qs = recipients_filter(filters=filters, queryset=queryset).values_list(*_FIELDS)
    kinds = {value: str(label) for value, label in Recipient.Kind.choices}
    authority_kinds = {value: str(label) for value, label in Authority.Kind.choices}
    statuses = {value: str(label) for value, label in Decision.Status.choices}
    cells_in_order = operator.itemgetter(*KEYS)
    for n, row in enumerate(qs.iterator(chunk_size=ITERATOR_CHUNK), start=1):
        # In the order of _FIELDS (unpacking is much cheaper than a dict per row).
        (kind, name, position, unit, achievement, reason, form, authority, authority_kind,
         status, number, date, signer, signer_title, proposal_number, proposal_date,
         proposed_by, event, order, slug) = row  # fmt: skip
        is_award = counts_as_award(status, number)
        day = date if is_award else (proposal_date or date)
        values = {
            "n": n,
            "kind": kinds.get(kind, kind),
            "name": name,
            "position": position,
            "unit": unit,
            "achievement": achievement or reason,
            "form": form,
            "authority": authority,
            "authority_kind": authority_kinds.get(authority_kind, authority_kind),
            "status": statuses[Decision.Status.DECIDED if is_award else Decision.Status.PROPOSED],
            "number": number if is_award else "",
            "date": date if is_award else None,
            "signer": signer,
            "signer_title": signer_title,
            "proposal_number": proposal_number,
            "proposal_date": proposal_date,
            "proposed_by": proposed_by or "",
            "event": event,
            "year": day.year if day else "",
            "order": order,
            "slug": slug,
        }
        # The last item is not written: it feeds the totals.
        yield [*cells_in_order(values), (kind, is_award)]


class Stats:
    """Counts rows while they stream: per kind, awards and proposals apart."""

    def __init__(self):
        self.rows = 0
        self.counts = {}

    def add(self, marker):
        self.rows += 1
        self.counts[marker] = self.counts.get(marker, 0) + 1

    def count(self, kind, *, award=True):
        return self.counts.get((kind, award), 0)
