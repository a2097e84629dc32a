"""Rows of the open-data files (CSV and JSON) of an election.

Percentages are ``Decimal`` values with two places (:func:`portal.numbers.percentage`): the
CSV writes them as they are (``75.76``, ``50.00``), the JSON as numbers.
"""

from portal.numbers import percentage

RESULT_COLUMNS = [
    "loai_bau_cu",
    "khoa_nhiem_ky",
    "don_vi_bau_cu",
    "so_dai_bieu_duoc_bau",
    "ho_va_ten",
    "so_phieu",
    "ty_le_phieu_hop_le",
    "trung_cu",
    "so_phieu_hop_le",
    "tong_so_cu_tri",
    "so_cu_tri_da_bo_phieu",
    "tinh_trang",
]
TURNOUT_COLUMNS = [
    "ma_khu_vuc",
    "ten_khu_vuc",
    "xa_phuong_huyen",
    "don_vi_bau_cu",
    "tong_so_cu_tri",
    "so_cu_tri_da_bo_phieu",
    "ty_le",
]


def results_rows(*, contests):
    """One dict per candidate of every tallied unit (from :func:`election_tallies`)."""
    for contest, tallies in contests:
        for tally in tallies:
            for row in tally.rows:
                yield {
                    "loai_bau_cu": contest.get_kind_display(),
                    "khoa_nhiem_ky": contest.term,
                    "don_vi_bau_cu": tally.unit.number,
                    "so_dai_bieu_duoc_bau": tally.seats,
                    "ho_va_ten": row.candidate.full_name,
                    "so_phieu": row.candidate.votes,
                    "ty_le_phieu_hop_le": row.percentage,
                    "trung_cu": row.elected,
                    "so_phieu_hop_le": tally.valid_ballots,
                    "tong_so_cu_tri": tally.registered,
                    "so_cu_tri_da_bo_phieu": tally.voted,
                    "tinh_trang": str(tally.status),
                }


def turnout_rows(*, areas):
    for area in areas:
        yield {
            "ma_khu_vuc": area.code,
            "ten_khu_vuc": area.name,
            "xa_phuong_huyen": area.locality,
            "don_vi_bau_cu": area.unit.number if area.unit_id else None,
            "tong_so_cu_tri": area.registered,
            "so_cu_tri_da_bo_phieu": area.voted,
            "ty_le": percentage(area.voted, area.registered),
        }


def turnout_dict(turnout):
    if turnout is None:
        return None
    return {
        "nguon": turnout.source,
        "ghi_chu_nguon": turnout.source_note,
        "tong_so_cu_tri": turnout.registered,
        "so_cu_tri_da_bo_phieu": turnout.voted,
        "ty_le": turnout.percentage,
        "tong_so_khu_vuc": turnout.areas_total,
        "so_khu_vuc_dat_100": turnout.areas_full,
    }
