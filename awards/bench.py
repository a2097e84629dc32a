"""``manage.py bench`` for awards: 100,000 recipients exported as CSV and XLSX.

Prints wall time and peak memory of each export through the real export code, and on
PostgreSQL the time of ``COPY (SELECT ...) TO STDOUT WITH CSV`` for the same rows, as the
floor of what the database alone can do. Runs in the throw-away database ``bench`` creates.
"""

import datetime
import io
import os
import resource
import tempfile
import threading
import time
import tracemalloc

from django.db import connection

from awards.exports import ExportFilters, csv_export_stream, xlsx_export
from awards.models import Authority, AwardForm, Decision, Recipient
from portal.text import name_sort_key

ROWS = int(os.environ.get("BENCH_RECIPIENTS", "100000"))
DECISIONS = 1000  # 100 recipients each, as a real decision might list
BATCH = 5000


class _Sink(io.RawIOBase):
    """Counts bytes and drops them (like /dev/null)."""

    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.size += len(data)
        return len(data)


def _rss_bytes():
    """Current resident memory (Linux /proc), else the peak so far (ru_maxrss, KiB)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _RSSPeak:
    """Samples resident memory every 20 ms in a thread: the peak above the starting level."""

    def __enter__(self):
        self.baseline = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())

    @property
    def growth_mb(self):
        return (self.peak - self.baseline) / 1024 / 1024


def _populate():
    authority = Authority.objects.create(name="Ủy ban nhân dân tỉnh (bench)")
    form = AwardForm.objects.create(name="Bằng khen (bench)")
    decisions = [
        Decision(
            title=f"Quyết định thử tải {i}",
            number=f"{1000 + i}/QĐ-UBND",
            number_normalized=f"{1000 + i}QDUBND",
            date=datetime.date(2021, 1, 1) + datetime.timedelta(days=i),
            authority=authority,
            form=form,
            reason="Đã có thành tích xuất sắc trong công tác bầu cử.",
            event="Bầu cử 2021",
            slug=f"bench-{i}",
        )
        for i in range(DECISIONS)
    ]
    Decision.objects.bulk_create(decisions)
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Đinh", "Vũ"]
    given = ["An", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Hà", "Hải", "Yến"]
    per_decision = ROWS // DECISIONS
    batch = []
    for i in range(ROWS):
        individual = i % 5 != 0
        name = (
            f"{surnames[i % 7]} Văn {given[(i // 7) % 10]}"
            if individual
            else f"Ban bầu cử xã số {i}"
        )
        batch.append(
            Recipient(
                decision=decisions[i // per_decision],
                kind="individual" if individual else "collective",
                name=name,
                position="Tổ trưởng" if individual else "",
                unit=f"Xã {i % 97}",
                achievement='=HYPERLINK("x")' if i % 1000 == 0 else "",
                order=i % per_decision + 1,
                sort_key=name_sort_key(name, person=individual),
            )
        )
        if len(batch) >= BATCH:
            Recipient.objects.bulk_create(batch)
            batch = []
    if batch:
        Recipient.objects.bulk_create(batch)


def _measure(label, func, stdout, *, trace=False):
    """Time ``func`` and report its peak memory: resident growth always, and with ``trace``
    the peak of Python allocations (tracemalloc slows code down, so the time then is not)."""
    if trace:
        tracemalloc.start()
    with _RSSPeak() as rss:
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
    line = f"{label:<34} {elapsed:7.2f} s   peak RSS growth {rss.growth_mb:6.1f} MB"
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line += f"   tracemalloc peak {peak / 1024 / 1024:6.1f} MB (time slowed by tracing)"
    stdout.write(f"{line}   {result}")
    return elapsed


def populate_for_pages():
    """The recipients the page benchmark shows; the export benchmark reuses them."""
    if not Recipient.objects.exists():
        _populate()
    return {"decision": Decision.objects.order_by("pk").values_list("slug", flat=True)[0]}


def run(stdout):
    started = time.perf_counter()
    if not Recipient.objects.exists():  # the pages section may have built them already
        _populate()
    stdout.write(
        f"{Recipient.objects.count():,} recipients ready in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
    )

    def csv_export(order="decision"):
        sink = _Sink()
        for chunk in csv_export_stream(filters=ExportFilters(order=order)):
            sink.write(chunk)
        return f"{sink.size / 1024 / 1024:.1f} MB written"

    def xlsx():
        with tempfile.TemporaryFile() as tmp:
            rows, _digest = xlsx_export(filters=ExportFilters(), fileobj=tmp)
            size = tmp.seek(0, os.SEEK_END)
        return f"{rows:,} rows, {size / 1024 / 1024:.1f} MB file"

    csv_seconds = [
        _measure("CSV export (decision order)", csv_export, stdout),
        _measure("CSV export (Vietnamese name order)", lambda: csv_export("name"), stdout),
    ]
    _measure("CSV export, traced", csv_export, stdout, trace=True)
    _measure("XLSX export", xlsx, stdout)

    if connection.vendor == "postgresql":
        sql = (
            "COPY (SELECT r.kind, r.name, r.position, r.unit, r.achievement, d.reason, f.name, "
            "a.name, a.kind, d.status, d.number, d.date, d.signer_name, d.signer_title, "
            'd.proposal_number, d.proposal_date, p.name, d.event, r."order", d.slug '
            "FROM awards_recipient r JOIN awards_decision d ON d.id = r.decision_id "
            "JOIN awards_awardform f ON f.id = d.form_id "
            "JOIN awards_authority a ON a.id = d.authority_id "
            "LEFT JOIN awards_authority p ON p.id = d.proposed_by_id "
            'ORDER BY COALESCE(d.date, d.proposal_date), d.id, r.kind, r."order", r.id) '
            "TO STDOUT WITH CSV HEADER"
        )

        def copy():
            sink = _Sink()
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(sql, sink)
            return f"{sink.size / 1024 / 1024:.1f} MB written"

        copy_seconds = _measure("PostgreSQL COPY TO STDOUT", copy, stdout)
        stdout.write(
            f"CSV export / COPY: {max(csv_seconds) / copy_seconds:.1f}x (the slower order; "
            "target: within 3x)"
        )
    else:
        stdout.write("PostgreSQL COPY: skipped (not on PostgreSQL)")
