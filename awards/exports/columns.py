"""The one list of export columns: it drives the row builder and both writers (CSV, XLSX)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width: int  # XLSX column width, in characters
    is_date: bool = False


COLUMNS = [
    ExportColumn("n", gettext_lazy("STT"), 6),
    ExportColumn("kind", gettext_lazy("Loại"), 10),
    ExportColumn("name", gettext_lazy("Họ và tên / Tên tập thể"), 32),
    ExportColumn("position", gettext_lazy("Chức vụ"), 24),
    ExportColumn("unit", gettext_lazy("Đơn vị"), 32),
    ExportColumn("achievement", gettext_lazy("Nội dung thành tích"), 40),
    ExportColumn("form", gettext_lazy("Hình thức khen thưởng"), 22),
    ExportColumn("authority", gettext_lazy("Cơ quan khen thưởng"), 26),
    ExportColumn("authority_kind", gettext_lazy("Khối"), 16),
    ExportColumn("status", gettext_lazy("Tình trạng"), 18),
    ExportColumn("number", gettext_lazy("Số quyết định"), 16),
    ExportColumn("date", gettext_lazy("Ngày quyết định"), 14, is_date=True),
    ExportColumn("signer", gettext_lazy("Người ký"), 22),
    ExportColumn("signer_title", gettext_lazy("Chức vụ người ký"), 22),
    ExportColumn("proposal_number", gettext_lazy("Số tờ trình đề nghị"), 16),
    ExportColumn("proposal_date", gettext_lazy("Ngày tờ trình"), 14, is_date=True),
    ExportColumn("proposed_by", gettext_lazy("Cơ quan đề nghị"), 22),
    ExportColumn("event", gettext_lazy("Đợt / phong trào"), 30),
    ExportColumn("year", gettext_lazy("Năm"), 8),
    ExportColumn("order", gettext_lazy("STT trong quyết định"), 10),
    ExportColumn("slug", gettext_lazy("Mã quyết định trên cổng"), 30),
]
HEADERS = [column.header for column in COLUMNS]
DATE_COLUMNS = {i for i, column in enumerate(COLUMNS) if column.is_date}
KEYS = [column.key for column in COLUMNS]
