"""Which recipients an export holds, in which order, and the cells of each row."""

from django.db import connection
from django.db.models import BooleanField, Case, CharField, F, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Collate, ExtractYear

from awards.exports.columns import KEYS
from awards.exports.filters import (
    ORDER_NAME,
    decision_search_q,
    decision_year_q,
    recipient_search_q,
)
from awards.models import Authority, Decision, Recipient, award_q

ITERATOR_CHUNK = 2000


def _label(field, choices):
    """The label of a choice field's value in the active language (the value when unknown)."""
    whens = [When(**{field: value}, then=Value(str(label))) for value, label in choices]
    return Case(*whens, default=F(field), output_field=CharField())


def export_cells():
    """The cells of a row after its STT, in the order of :data:`~awards.exports.columns.COLUMNS`,
    as database expressions: the one definition of what each column holds, read by both
    writers (the CSV can then be written by the database itself, see ``csv_writer``).

    A proposal (not decided, or decided without a number) has no decision number or date; its
    year is its tờ trình's. Returns ``(cells, markers)``: ``markers`` are the recipient kind and
    whether the row counts as an award, which feed the totals and are not written."""
    award = award_q("decision__")
    cells = {
        "kind": _label("kind", Recipient.Kind.choices),
        "name": F("name"),
        "position": F("position"),
        "unit": F("unit"),
        "achievement": Case(
            When(Q(achievement="") | Q(achievement__isnull=True), then=F("decision__reason")),
            default=F("achievement"),
            output_field=TextField(),
        ),
        "form": F("decision__form__name"),
        "authority": F("decision__authority__name"),
        "authority_kind": _label("decision__authority__kind", Authority.Kind.choices),
        "status": Case(
            When(award, then=Value(str(Decision.Status.DECIDED.label))),
            default=Value(str(Decision.Status.PROPOSED.label)),
        ),
        "number": Case(When(award, then=F("decision__number")), default=Value("")),
        "date": Case(When(award, then=F("decision__date")), default=None),
        "signer": F("decision__signer_name"),
        "signer_title": F("decision__signer_title"),
        "proposal_number": F("decision__proposal_number"),
        "proposal_date": F("decision__proposal_date"),
        "proposed_by": Coalesce(F("decision__proposed_by__name"), Value("")),
        "event": F("decision__event"),
        "year": ExtractYear(
            Case(
                When(award, then=F("decision__date")),
                default=Coalesce("decision__proposal_date", "decision__date"),
            )
        ),
        "order": F("order"),
        "slug": F("decision__slug"),
    }
    is_award = Case(When(award, then=True), default=False, output_field=BooleanField())
    return [cells[key] for key in KEYS[1:]], [F("kind"), is_award]


YEAR = KEYS.index("year") - 1  # in the cells after the STT


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
    cells, markers = export_cells()
    qs = recipients_filter(filters=filters, queryset=queryset).values_list(*cells, *markers)
    for n, row in enumerate(qs.iterator(chunk_size=ITERATOR_CHUNK), start=1):
        *values, kind, is_award = row
        if values[YEAR] is None:
            values[YEAR] = ""
        # The last item is not written: it feeds the totals.
        yield [n, *values, (kind, is_award)]


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
