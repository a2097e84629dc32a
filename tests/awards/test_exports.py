import csv
import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from awards.exports import (
    BOM,
    ExportFilters,
    csv_export_stream,
    export_rows,
    filters_parse,
    xlsx_export,
)
from awards.models import Authority, AwardForm, Decision, ExportLog, Recipient
from portal.spreadsheets import safe_text as csv_safe
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db


def read_csv(data):
    assert data.startswith(BOM.encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def export_csv(filters=None):
    return b"".join(csv_export_stream(filters=filters or ExportFilters()))


@pytest.fixture
def two_authorities():
    party = Authority.objects.create(name="Ban Thường vụ Tỉnh ủy", kind=Authority.Kind.PARTY)
    state = Authority.objects.create(name="Ủy ban nhân dân tỉnh", kind=Authority.Kind.STATE)
    bk = AwardForm.objects.create(name="Bằng khen")
    gk = AwardForm.objects.create(name="Giấy khen")
    a = make_decision(authority=party, form=bk, number="901-QĐ/TU", date=datetime.date(2021, 6, 23))
    b = make_decision(authority=state, form=gk, number="15/QĐ-UBND", date=datetime.date(2022, 3, 1))
    p = make_decision(authority=state, form=bk, status=Decision.Status.PROPOSED)
    make_recipients(a, collectives=2, individuals=2, names=["Trần Văn Đức", "Lê Thị Ánh"])
    make_recipients(b, individuals=1, names=["Đỗ Văn An"])
    make_recipients(p, collectives=1)
    return a, b, p


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised(trigger):
    assert csv_safe(f"{trigger}cmd|' /C calc'!A0") == f"'{trigger}cmd|' /C calc'!A0"
    assert csv_safe("Nguyễn Văn A") == "Nguyễn Văn A"
    assert csv_safe(12) == 12


@pytest.mark.parametrize("blank", [" ", "  ", "\n", " \r\n", "\u00a0", "\u3000"])
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_formula_after_leading_blanks_is_neutralised(blank, trigger):
    # LibreOffice (trim spaces on import) and Google Sheets evaluate " =1+1".
    assert csv_safe(f"{blank}{trigger}1+1") == f"'{blank}{trigger}1+1"
    assert csv_safe(f"{blank}Nguyễn Văn A") == f"{blank}Nguyễn Văn A"
    assert csv_safe("Xã Thanh Hà - huyện Thanh Liêm") == "Xã Thanh Hà - huyện Thanh Liêm"


def test_xlsx_never_writes_a_formula(tmp_path):
    decision = make_decision(title='=HYPERLINK("http://x")', reason="\x01=1+1")
    Recipient.objects.create(decision=decision, kind="individual", name="\x02=SUM(A1:A9)",
                             unit=" =1+1", position="+84 912", order=1)  # fmt: skip
    path = tmp_path / "f.xlsx"
    with open(path, "w+b") as fh:
        xlsx_export(filters=ExportFilters(decisions=[decision]), fileobj=fh)
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {"=SUM(A1:A9)", " =1+1", "+84 912", "=1+1", '=HYPERLINK("http://x")'} <= values


def test_csv_has_bom_header_and_escaped_cells():
    decision = make_decision()
    Recipient.objects.create(decision=decision, kind="individual", name='=HYPERLINK("http://x")',
                             unit="+84 912", position="@SUM(A1)", order=1)  # fmt: skip
    data = export_csv()
    rows = read_csv(data)
    assert rows[0][:3] == ["STT", "Loại", "Họ và tên / Tên tập thể"]
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    assert rows[1][3] == "'@SUM(A1)"
    assert rows[1][4] == "'+84 912"
    assert rows[1][11] == "2021-06-22"
    assert b"\r\n" in data


def test_filters_by_authority_form_year_status_kind_and_decision(two_authorities):
    a, b, _p = two_authorities
    names = lambda f: [r[2] for r in export_rows(filters=f)]  # noqa: E731
    assert len(names(ExportFilters())) == 6
    assert len(names(ExportFilters(authority=a.authority))) == 4
    assert names(ExportFilters(form=b.form)) == ["Đỗ Văn An"]
    assert names(ExportFilters(year=2022)) == ["Đỗ Văn An"]
    assert len(names(ExportFilters(year=2021))) == 5  # the proposal counts by its tờ trình date
    assert len(names(ExportFilters(status="decided"))) == 5
    assert names(ExportFilters(status="proposed")) == ["Ban bầu cử xã 1"]
    assert names(ExportFilters(kind="individual", decisions=[a])) == ["Trần Văn Đức", "Lê Thị Ánh"]


def test_two_orders(two_authorities):
    by_decision = [r[2] for r in export_rows(filters=ExportFilters(kind="individual"))]
    assert by_decision == ["Trần Văn Đức", "Lê Thị Ánh", "Đỗ Văn An"]
    by_name = [r[2] for r in export_rows(filters=ExportFilters(kind="individual", order="name"))]
    assert by_name == ["Đỗ Văn An", "Lê Thị Ánh", "Trần Văn Đức"]


def test_filters_parse_ignores_bad_values(two_authorities):
    a, _b, _p = two_authorities
    filters = filters_parse(
        data={"authority": a.authority.slug, "year": "20x1", "status": "nope", "kind": "x" * 9999,
              "decision": [a.slug, "99999999999999999999", "khong-co"], "order": "'; drop"}
    )  # fmt: skip
    assert filters.authority == a.authority
    assert filters.year is None and filters.status is None and filters.kind is None
    assert filters.decisions == [a]
    assert filters.order == "decision"
    assert set(filters.ignored) == {"year", "status", "kind", "decision", "order"}


def test_xlsx_read_back(two_authorities, tmp_path):
    a, _b, _p = two_authorities
    Recipient.objects.create(decision=a, kind="individual", name="=1+2", order=9)
    path = tmp_path / "out.xlsx"
    with open(path, "w+b") as fh:
        rows, digest = xlsx_export(filters=ExportFilters(), fileobj=fh, user_label="kiemtoan")
    assert rows == 7
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    ws = load_workbook(path).active
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    assert any(r[0] == "Không lọc: toàn bộ danh sách." for r in values)
    header_index = next(i for i, r in enumerate(values) if r[0] == "STT")
    assert ws.freeze_panes == f"D{header_index + 2}"
    data = values[header_index + 1 : header_index + 1 + rows]
    assert [r[0] for r in data] == list(range(1, 8))
    formula_row = next(r for r in data if r[2] == "=1+2")
    assert formula_row  # stored as text, not evaluated as a formula
    assert ws.cell(row=header_index + 2, column=12).value == datetime.datetime(2021, 6, 23)
    totals = {r[2]: r[3] for r in values[header_index + 1 + rows :] if r and r[2]}
    assert totals["Tổng số tập thể được khen thưởng"] == 2
    assert totals["Tổng số cá nhân được khen thưởng"] == 4
    assert totals["Tổng cộng được khen thưởng"] == 6
    assert totals["Tập thể được đề nghị (chưa có quyết định, không tính ở trên)"] == 1
    formula_cell = next(c for row in ws.iter_rows() for c in row if c.value == "=1+2")
    assert formula_cell.data_type == "s"


def test_xlsx_single_decision_has_metadata_and_reconciliation(tmp_path):
    decision = make_decision(number="1436/QĐ-UBND", declared_collectives=2, declared_individuals=3,
                             signer_name="Người ký", signer_title="Chủ tịch")  # fmt: skip
    make_recipients(decision, collectives=2, individuals=1)
    path = tmp_path / "one.xlsx"
    with open(path, "w+b") as fh:
        xlsx_export(filters=ExportFilters(decisions=[decision]), fileobj=fh)
    values = list(load_workbook(path).active.iter_rows(values_only=True))
    meta = {r[0]: r[1] for r in values if r and r[0] and len(r) > 1}
    assert meta["Số quyết định"] == "1436/QĐ-UBND"
    assert meta["Người ký"] == "Chủ tịch – Người ký"
    assert meta["Số cá nhân theo quyết định"] == 3
    notes = [r[3] for r in values if len(r) > 3 and r[2] == "Đối chiếu với quyết định"]
    assert notes == ["Quyết định ghi 3 cá nhân, mới nhập 1 (thiếu 2)."]


@pytest.mark.parametrize("count", [2, 60])
def test_export_query_count_is_fixed(django_assert_num_queries, count):
    decision = make_decision()
    make_recipients(decision, collectives=count, individuals=count)
    with django_assert_num_queries(1):
        assert len(read_csv(export_csv())) == 2 * count + 1
    with django_assert_num_queries(1), io.BytesIO() as fh:
        xlsx_export(filters=ExportFilters(), fileobj=fh)


def test_command_writes_csv_to_stdout_and_logs_hash(two_authorities, make_user):
    a, _b, _p = two_authorities
    make_user("kiemtoan")
    out, err = io.StringIO(), io.StringIO()
    call_command("export_awards", "--authority", a.authority.slug, "--order", "name",
                 "--user", "kiemtoan", stdout=out, stderr=err)  # fmt: skip
    data = out.getvalue().encode("utf-8")
    rows = read_csv(data)
    assert [r[2] for r in rows[1:]] == ["Ban bầu cử xã 1", "Ban bầu cử xã 2", "Lê Thị Ánh",
                                        "Trần Văn Đức"]  # fmt: skip
    log = ExportLog.objects.get()
    assert log.source == "command" and log.format == "csv" and log.username == "kiemtoan"
    assert log.row_count == 4
    assert log.sha256 == hashlib.sha256(data).hexdigest()
    assert log.filters == {"authority": a.authority.slug, "order": "name"}
    assert log.sha256 in err.getvalue()


def test_command_xlsx_to_file(two_authorities, tmp_path):
    path = tmp_path / "k.xlsx"
    out = io.StringIO()
    call_command("export_awards", "--format", "xlsx", "--output", str(path), "--year", "2022",
                 stdout=out)  # fmt: skip
    log = ExportLog.objects.get()
    assert log.row_count == 1
    assert log.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_workbook(path).active["A1"].value.startswith("DANH SÁCH")


def test_command_rejects_bad_filters_and_xlsx_without_output(db):
    with pytest.raises(CommandError, match="--output"):
        call_command("export_awards", "--format", "xlsx")
    with pytest.raises(CommandError, match="authority"):
        call_command("export_awards", "--authority", "khong-ton-tai", stdout=io.StringIO())
    assert not ExportLog.objects.exists()


def test_xlsx_survives_control_characters_and_huge_cells(tmp_path):
    decision = make_decision()
    Recipient.objects.create(decision=decision, kind="individual", name="Tên\x07 có ký tự lạ",
                             achievement="x" * 40000, order=1)  # fmt: skip
    path = tmp_path / "odd.xlsx"
    with open(path, "w+b") as fh:
        xlsx_export(filters=ExportFilters(), fileobj=fh)
    values = list(load_workbook(path).active.iter_rows(values_only=True))
    row = next(r for r in values if r[0] == 1)
    assert row[2] == "Tên có ký tự lạ"
    assert len(row[5]) == 32767


@pytest.mark.parametrize("number", ["901-QĐ/TU", "901-QD/TU", "901 QĐ TU", "901/qd-tu"])
def test_decision_filter_accepts_number_variants(two_authorities, number):
    a, _b, _p = two_authorities
    filters = filters_parse(data={"decision": [number]})
    assert filters.decisions == [a] and not filters.ignored


def test_xlsx_names_the_filters_it_ignored(two_authorities, tmp_path):
    filters = filters_parse(data={"decision": ["khong-co"], "year": "²"})
    path = tmp_path / "ignored.xlsx"
    with open(path, "w+b") as fh:
        xlsx_export(filters=filters, fileobj=fh)
    lines = [r[0] for r in load_workbook(path).active.iter_rows(values_only=True) if r]
    assert "Bộ lọc bị bỏ qua vì giá trị không hợp lệ: year" in lines
    assert "Quyết định: không tìm thấy quyết định nào như yêu cầu." in lines


def test_command_search_options(two_authorities):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_awards", "--search", "Đức", stdout=out, stderr=err)
    assert [r[2] for r in read_csv(out.getvalue().encode())[1:]] == ["Trần Văn Đức"]
    out = io.StringIO()
    call_command("export_awards", "--decision-search", "15 QD UBND", stdout=out, stderr=err)
    assert [r[2] for r in read_csv(out.getvalue().encode())[1:]] == ["Đỗ Văn An"]
    assert ExportLog.objects.order_by("id").last().filters["decision_q"] == "15 QD UBND"


def test_command_stdout_bytes_match_the_logged_hash(two_authorities):
    # A Windows console: cp1258 text layer that turns "\n" into "\r\n". The bytes written
    # must still be the ones hashed in the log.
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="cp1258", newline="\r\n")
    call_command("export_awards", stdout=console, stderr=io.StringIO())
    data = raw.getvalue()
    assert data.startswith(BOM.encode("utf-8")) and b"\r\r\n" not in data
    assert hashlib.sha256(data).hexdigest() == ExportLog.objects.get().sha256
    assert len(read_csv(data)) == 7


def test_single_decision_xlsx_reconciles_against_all_its_records(tmp_path):
    """Filtering the file by kind must not be reported as a gap in the decision's records."""
    decision = make_decision(declared_collectives=2, declared_individuals=3)
    make_recipients(decision, collectives=2, individuals=3)
    path = tmp_path / "one.xlsx"
    with path.open("w+b") as fh:
        xlsx_export(
            filters=ExportFilters(decisions=[decision], kind=Recipient.Kind.INDIVIDUAL), fileobj=fh
        )
    sheet = load_workbook(path, read_only=True).active
    texts = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Số đã nhập khớp với số ghi trong quyết định." in texts


HOSTILE_CELLS = [
    '=HYPERLINK("http://x")', " \t=1+1", "\u3000@SUM(A1)", "-3", "+84 912", "\tx", "\r\n=1",
    'Tên có "ngoặc kép", dấu phẩy', "dòng một\ndòng hai", "dòng một\r\ndòng hai", "\\.",
    "Xã Thanh Hà - huyện Thanh Liêm", "  ", "'=1",
]  # fmt: skip


def python_csv(filters):
    """The reference: every row read by Python and written through ``csv_row``."""
    from awards.exports.csv_writer import _header
    from portal.spreadsheets import csv_row

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in export_rows(filters=filters):
        writer.writerow(csv_row(row[:-1]))
    return _header() + out.getvalue().encode("utf-8")


def test_csv_written_by_the_database_is_the_python_csv_byte_for_byte(two_authorities):
    """On PostgreSQL the rows are written by COPY: the same bytes as Python's writer, for text
    that looks like a formula, quotes, commas, line breaks, empty cells, proposals (no number,
    no date, the tờ trình's year), recipients without achievement (the decision's reason)."""
    proposal = two_authorities[2]
    proposer = Authority.objects.create(name="=Sở Nội vụ, tỉnh", kind=Authority.Kind.STATE)
    hostile = make_decision(reason="-Lý do chung", event=" =Đợt 1", signer_title='"Chủ tịch"',
                            proposed_by=proposer, proposal_number="@12/TTr")  # fmt: skip
    for i, text in enumerate(HOSTILE_CELLS, start=1):
        Recipient.objects.create(decision=hostile, kind="individual", name=f"{text} {i}",
                                 position=text, unit=text, achievement=text if i % 2 else "",
                                 order=i)  # fmt: skip
    Recipient.objects.create(decision=proposal, kind="individual", name="Lê Văn B", order=9)
    for filters in [
        ExportFilters(),
        ExportFilters(order="name"),
        ExportFilters(kind="individual"),
        ExportFilters(decisions=[hostile]),
        ExportFilters(status=Decision.Status.PROPOSED),
    ]:
        expected = python_csv(filters)
        assert export_csv(filters) == expected
    rows = read_csv(export_csv())
    assert len(rows) == 1 + 4 + 1 + 1 + len(HOSTILE_CELLS) + 1
    assert {r[3] for r in rows[1:]} >= {"'-3", "' \t=1+1", "dòng một\r\ndòng hai", "\\."}


def test_a_csv_export_counts_its_rows_through_the_callers_counter(two_authorities):
    """A background export saves its progress through the database every few thousand rows,
    and is stopped by the count when another run took it over; on PostgreSQL the rows are
    counted once COPY is over, when the connection is free for those writes again."""
    from django.db import connection

    from awards.exports import Stats, csv_write

    class Stop(Exception):
        pass

    class ProgressSaved(Stats):
        def add(self, marker):
            super().add(marker)
            assert Recipient.objects.exists()  # a query between rows, as progress saving does
            if self.rows == 5:
                raise Stop

    stats = ProgressSaved()
    with pytest.raises(Stop), io.BytesIO() as fh:
        csv_write(filters=ExportFilters(), fileobj=fh, stats=stats)
    assert stats.rows == 5
    assert Recipient.objects.count() == 6  # the connection still answers
    assert connection.connection is not None
    stats = Stats()
    with io.BytesIO() as fh:
        csv_write(filters=ExportFilters(), fileobj=fh, stats=stats)
    assert (stats.rows, stats.count("individual"), stats.count("collective")) == (6, 3, 2)
    assert stats.count("collective", award=False) == 1
