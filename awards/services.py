"""Commendation logic: reconciliation of declared and recorded counts, recipient import."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from awards.models import Decision, Recipient, award_q
from portal import pagecache
from portal.imports import Checked
from portal.tables import Column, Limits, TableError, cell_text, read_table
from portal.text import fold, nfc


def import_max_bytes():
    return settings.AWARDS_IMPORT_MAX_BYTES


# ---------------------------------------------------------------------------------------------
# Reconciliation


@dataclass(frozen=True)
class Reconciliation:
    declared_collectives: int
    declared_individuals: int
    recorded_collectives: int
    recorded_individuals: int

    @property
    def collective_gap(self):
        return self.recorded_collectives - self.declared_collectives

    @property
    def individual_gap(self):
        return self.recorded_individuals - self.declared_individuals

    @property
    def matches(self):
        return self.collective_gap == 0 and self.individual_gap == 0

    def messages(self):
        """Vietnamese sentences describing each difference (empty when everything matches)."""
        out = []
        for label, declared, recorded in (
            (_("tập thể"), self.declared_collectives, self.recorded_collectives),
            (_("cá nhân"), self.declared_individuals, self.recorded_individuals),
        ):
            if recorded < declared:
                out.append(
                    _(
                        "Quyết định ghi %(declared)s %(label)s, mới nhập %(recorded)s "
                        "(thiếu %(gap)s)."
                    )
                    % {
                        "declared": declared,
                        "label": label,
                        "recorded": recorded,
                        "gap": declared - recorded,
                    }
                )
            elif recorded > declared:
                out.append(
                    _("Quyết định ghi %(declared)s %(label)s, đã nhập %(recorded)s (thừa %(gap)s).")
                    % {
                        "declared": declared,
                        "label": label,
                        "recorded": recorded,
                        "gap": recorded - declared,
                    }
                )
        return out

    def summary(self):
        return (
            f"{self.recorded_collectives}/{self.declared_collectives} · "
            f"{self.recorded_individuals}/{self.declared_individuals}"
        )


def decision_reconcile(*, decision):
    """Declared against recorded counts; uses ``with_recorded_counts()`` annotations if there."""
    collectives = getattr(decision, "recorded_collectives", None)
    individuals = getattr(decision, "recorded_individuals", None)
    if collectives is None or individuals is None:
        counts = decision.recipients.aggregate(
            c=Count("pk", filter=Q(kind=Recipient.Kind.COLLECTIVE)),
            i=Count("pk", filter=Q(kind=Recipient.Kind.INDIVIDUAL)),
        )
        collectives, individuals = counts["c"], counts["i"]
    return Reconciliation(
        declared_collectives=decision.declared_collectives,
        declared_individuals=decision.declared_individuals,
        recorded_collectives=collectives,
        recorded_individuals=individuals,
    )


def awards_totals(*, queryset=None):
    """Recipients per kind, awards and proposals apart (one query).

    A proposal is never counted as an award: only decided, numbered decisions count.
    """
    qs = Recipient.objects.all() if queryset is None else queryset
    award = award_q("decision__")
    collective = Q(kind=Recipient.Kind.COLLECTIVE)
    individual = Q(kind=Recipient.Kind.INDIVIDUAL)
    return qs.aggregate(
        award_collectives=Count("pk", filter=award & collective),
        award_individuals=Count("pk", filter=award & individual),
        proposed_collectives=Count("pk", filter=~award & collective),
        proposed_individuals=Count("pk", filter=~award & individual),
    )


# ---------------------------------------------------------------------------------------------
# Import

# Accepted headers (matched ignoring accents, case and Unicode form).
IMPORT_COLUMNS = [
    Column("order", "STT", aliases=("so thu tu", "thu tu", "order")),
    Column("kind", "Loại", required=True, aliases=("doi tuong", "loai doi tuong", "kind")),
    Column(
        "name",
        "Họ và tên / Tên tập thể",
        required=True,
        aliases=("ho va ten", "ho ten", "ten", "ten tap the", "ten tap the / ho va ten", "name"),
    ),
    Column("position", "Chức vụ", aliases=("position",)),
    Column("unit", "Đơn vị", aliases=("co quan", "co quan, don vi", "don vi cong tac", "unit")),
    Column("achievement", "Nội dung thành tích", aliases=("thanh tich", "achievement")),
]
KIND_ALIASES = {
    "tap the": Recipient.Kind.COLLECTIVE,
    "tt": Recipient.Kind.COLLECTIVE,
    "collective": Recipient.Kind.COLLECTIVE,
    "ca nhan": Recipient.Kind.INDIVIDUAL,
    "cn": Recipient.Kind.INDIVIDUAL,
    "individual": Recipient.Kind.INDIVIDUAL,
}
MAX_LENGTHS = {"name": 300, "position": 300, "unit": 300, "achievement": 5000}


def import_limits():
    return Limits(max_bytes=import_max_bytes(), max_rows=settings.AWARDS_IMPORT_MAX_ROWS)


def recipients_parse(*, upload):
    """Read a CSV or XLSX recipient list. Nothing is saved: the result is shown for review.

    Returns a :class:`portal.imports.Checked` with the clean rows and the errors (the file's,
    or one per bad row with its line number).
    """
    result = Checked()
    try:
        table = read_table(
            upload.read(import_max_bytes() + 1),
            filename=getattr(upload, "name", "") or "",
            columns=IMPORT_COLUMNS,
            limits=import_limits(),
        )
    except TableError as exc:
        result.errors.append((None, str(exc)))
        return result

    seen_orders = set()
    for line, cells in table.rows:
        row = {key: cell_text(value) for key, value in cells.items()}

        def get(key, row=row):
            return row.get(key, "")

        problems = []
        kind_text = get("kind")
        kind = KIND_ALIASES.get(fold(kind_text))
        if kind is None:
            problems.append(
                _("loại “%(value)s” không hợp lệ, hãy ghi “Tập thể” hoặc “Cá nhân”")
                % {"value": kind_text[:40]}
                if kind_text
                else _("thiếu loại (Tập thể / Cá nhân)")
            )
        name_value = get("name")
        if not name_value:
            problems.append(_("thiếu họ và tên / tên tập thể"))
        for key, limit in MAX_LENGTHS.items():
            if len(get(key)) > limit:
                problems.append(_("cột %(col)s dài quá %(max)s ký tự") % {"col": key, "max": limit})
        order_text = get("order")
        order = None
        if order_text:
            if re.fullmatch(r"[0-9]{1,6}", order_text):  # "²".isdigit(), but int("²") fails
                order = int(order_text)
                if order in seen_orders:
                    problems.append(_("STT %(n)s bị trùng") % {"n": order})
                seen_orders.add(order)
            else:
                problems.append(_("STT “%(value)s” không phải số") % {"value": order_text[:20]})
        if problems:
            result.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        result.rows.append(
            {
                "order": order,
                "kind": str(kind),
                "name": name_value,
                "position": get("position"),
                "unit": get("unit"),
                "achievement": get("achievement"),
            }
        )
    if not result.rows and not result.errors:
        result.errors.append((None, _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")))
    return result


def recipients_import(*, decision, rows, user=None, replace=False):
    """Save parsed rows to ``decision``: all of them or none (one transaction).

    Rows without an STT continue after the highest order already recorded for the decision.
    Each created recipient gets a history record (who and when come from the request).
    """
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if replace:
            for recipient in decision.recipients.all():
                recipient.delete()  # one by one so that history records each deletion
        last = max(decision.recipients.values_list("order", flat=True), default=0)
        objects = []
        for row in rows:
            if row.get("order"):
                order = row["order"]
            else:
                last += 1
                order = last
            last = max(last, order)
            recipient = Recipient(
                decision=decision,
                kind=row["kind"],
                name=nfc(row["name"]).strip(),
                position=nfc(row.get("position", "")),
                unit=nfc(row.get("unit", "")),
                achievement=nfc(row.get("achievement", "")),
                order=order,
                is_demo=decision.is_demo,
            )
            recipient.sort_key = recipient.compute_sort_key()
            recipient.full_clean(exclude=["decision"], validate_constraints=False)
            objects.append(recipient)
        bulk_create_with_history(objects, Recipient, batch_size=500, default_user=user)
        pagecache.bump()  # bulk_create sends no signals
    return len(objects)
