"""Public election pages and open data: content, fixed query counts, no 500 on bad input."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elections.models import Body, Contest, Membership, TurnoutSummary
from tests import factories
from tests import factories as h
from tests.factories import make_decision

pytestmark = pytest.mark.django_db


def build(election, *, size):
    """An election with ``size`` of everything: bodies, members, units, candidates, areas."""
    TurnoutSummary.objects.create(
        election=election,
        registered=642235,
        voted=633273,
        areas_total=777,
        areas_full=604,
        percentage=Decimal("99.47"),
        source="Báo cáo tổng kết",
    )
    for kind in (Contest.Kind.NATIONAL_ASSEMBLY, Contest.Kind.PROVINCIAL_COUNCIL)[:size]:
        contest = h.contest(election, kind=kind, term="khóa XV")
        for _ in range(size):
            unit = h.unit(contest, seats=2)
            for votes in range(size + 1):
                h.candidate(unit, 600 + votes * 10)
            h.result(unit, valid=1000)
    for i in range(size):
        body = h.body(election, name=f"Tổ chức {i}", type=Body.Type.COMMITTEE)
        for j in range(size):
            member = h.member(body, f"Thành viên {i}-{j}", Membership.Role.MEMBER, ["A", "B"])
            if j == 0:
                member.person.photo = factories.image()
                member.person.save()
    for _ in range(size):
        election.articles.add(factories.article())
    election.articles.add(factories.article(published=False, title="Bài nháp bí mật"))


def test_list_newest_first_and_unpublished_hidden(client):
    import datetime

    old = h.election(name="Bầu cử 2016", election_day=datetime.date(2016, 5, 22))
    new = h.election(name="Bầu cử 2021", election_day=datetime.date(2021, 5, 23))
    h.election(name="Bản nháp chưa công bố", is_published=False)
    response = client.get("/bau-cu/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(new.name) < body.index(old.name)
    assert "Bản nháp chưa công bố" not in body
    assert reverse("elections:list") == "/bau-cu/"


@pytest.mark.parametrize("page", ["abc", "-1", "99999", "1" * 40])
def test_list_bad_page_never_errors(client, page):
    h.election()
    assert client.get("/bau-cu/", {"page": page}).status_code == 200


def test_detail_shows_turnout_bodies_results_and_published_articles(client):
    election = h.election(directive="Chỉ thị số 45-CT/TW ngày 20/6/2020")
    build(election, size=2)
    board = h.body(election, name="Ban Chỉ đạo bầu cử tỉnh")
    h.member(
        board,
        "Lê Thị Thủy",
        Membership.Role.HEAD,
        ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy", "Trưởng Ban Chỉ đạo bầu cử tỉnh"],
    )
    response = client.get(election.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "99,47%" in html
    assert "604/777" in html
    assert "642.235" in html and "633.273" in html
    assert "Ủy viên Trung ương Đảng - Bí thư Tỉnh ủy - Trưởng Ban Chỉ đạo bầu cử tỉnh" in html
    assert "<table" in html and "<svg" in html
    assert "Bài nháp bí mật" not in html
    assert 'style="' not in html and "<script>" not in html
    # Results: a row per unit naming its winners, linked to the unit's own page.
    first_unit = response.context["contests"][0][1][0]
    unit_url = reverse("elections:unit", args=[election.slug, first_unit.unit.pk])
    assert f'href="{unit_url}"' in html
    assert first_unit.winners and all(r.candidate.full_name in html for r in first_unit.winners)
    # The unit's page: descending votes, percentages of valid ballots, who is elected.
    unit_page = client.get(unit_url)
    unit_html = unit_page.content.decode()
    assert "✓ Trúng cử" in unit_html and "62,00%" in unit_html
    votes = [row.votes for row in unit_page.context["tally"].rows]
    assert votes == sorted(votes, reverse=True)
    assert 'style="' not in unit_html and "<script>" not in unit_html


def test_detail_query_count_is_fixed(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    small = h.election(name="Nhỏ")
    build(small, size=1)
    big = h.election(name="Lớn")
    build(big, size=4)
    for _ in range(3):  # commendation decisions for the election are listed too
        make_decision(election=big)
    client.get(small.get_absolute_url())  # warm caches (content types, etc.)
    cache.clear()  # tallies are kept until the next change: measure them computed
    # At most 17 from a cold cache (the footer's contact data and the menu may already be
    # loaded in this process; the next scheduled change, three models, keys the cached results
    # fragment); then exactly as many for the bigger election.
    with django_assert_max_num_queries(17) as small_ctx:
        assert client.get(small.get_absolute_url()).status_code == 200
    cache.clear()  # the same cold start for the bigger election
    with django_assert_num_queries(len(small_ctx.captured_queries)):
        assert client.get(big.get_absolute_url()).status_code == 200
    # Warm: the election and the generation. Results, bodies and turnout are cached fragments
    # and the tallies behind them are not even read from the cache.
    with django_assert_num_queries(2):
        assert client.get(big.get_absolute_url()).status_code == 200


def test_unit_page_query_count_is_fixed(client, django_assert_num_queries):
    small = h.election(name="Nhỏ")
    build(small, size=1)
    big = h.election(name="Lớn")
    build(big, size=4)
    small_url = reverse(
        "elections:unit", args=[small.slug, small.contests.first().units.first().pk]
    )
    big_url = reverse("elections:unit", args=[big.slug, big.contests.last().units.last().pk])
    client.get(small_url)  # warm caches (content types, the menu, ...)
    cache.clear()  # measure the tallies computed
    with CaptureQueriesContext(connection) as small_ctx:
        assert client.get(small_url).status_code == 200
    cache.clear()
    with django_assert_num_queries(len(small_ctx.captured_queries)):
        assert client.get(big_url).status_code == 200
    # Warm: the election and the generation; the tallies come from the cache.
    with django_assert_num_queries(2):
        assert client.get(big_url).status_code == 200


def test_unit_page_links_its_neighbours_and_refuses_another_elections_unit(client):
    election = h.election()
    contest = h.contest(election)
    first, second, third = (h.unit(contest, number=n) for n in (1, 2, 3))
    html = client.get(reverse("elections:unit", args=[election.slug, second.pk])).content.decode()
    assert f'href="{reverse("elections:unit", args=[election.slug, first.pk])}" rel="prev"' in html
    assert f'href="{reverse("elections:unit", args=[election.slug, third.pk])}" rel="next"' in html
    assert f'href="/bau-cu/{election.slug}/#contest-{contest.pk}"' in html
    other = h.election(name="Cuộc bầu cử khác")
    assert client.get(f"/bau-cu/{other.slug}/don-vi/{second.pk}/").status_code == 404
    assert client.get(f"/bau-cu/{election.slug}/don-vi/999999/").status_code == 404
    election.is_published = False
    election.save()
    assert client.get(f"/bau-cu/{election.slug}/don-vi/{second.pk}/").status_code == 404


def test_list_query_count_is_fixed(client, django_assert_num_queries):
    h.contest(h.election())
    client.get("/bau-cu/")
    with django_assert_num_queries(4) as ctx:
        client.get("/bau-cu/")
    few = len(ctx.captured_queries)  # now: the query log is a bounded deque that moves on
    for _ in range(30):
        election = h.election()
        h.contest(election)
        h.contest(election, kind=Contest.Kind.NATIONAL_ASSEMBLY)
    client.get("/bau-cu/")  # refills what the change made stale (the demo-content check)
    with django_assert_num_queries(few):
        client.get("/bau-cu/")


@pytest.mark.parametrize(
    "url",
    [
        "/bau-cu/khong-co/",
        "/bau-cu/khong-co/ket-qua.csv",
        "/bau-cu/khong-co/ket-qua.json",
        "/bau-cu/khong-co/ty-le-di-bau.csv",
        "/bau-cu/khong-co/ty-le-di-bau.json",
    ],
)
def test_unknown_slug_is_404(client, url):
    assert client.get(url).status_code == 404


def test_unpublished_election_is_404(client):
    election = h.election(is_published=False)
    assert client.get(election.get_absolute_url()).status_code == 404


def test_results_csv_has_bom_and_rows(client, django_assert_num_queries):
    election = h.election()
    build(election, size=2)
    url = reverse("elections:results-csv", args=[election.slug])
    with django_assert_num_queries(6):  # 5 and the content generation (tallies are cached)
        response = client.get(url)
        raw = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2 * 2 * 3
    assert {"ho_va_ten", "so_phieu", "ty_le_phieu_hop_le", "trung_cu"} <= set(rows[0])
    assert sum(row["trung_cu"] == "1" for row in rows) == 2 * 2 * 2
    # One fixed format for every percentage: two decimals ("61.00", never "61.0").
    shares = [row["ty_le_phieu_hop_le"] for row in rows]
    assert all(re.fullmatch(r"\d{1,3}\.\d{2}", share) for share in shares), shares


def test_open_data_csv_cells_are_formula_safe(client):
    election = h.election()
    unit = h.unit(h.contest(election), seats=1)
    h.candidate(unit, 10, name=" =1+1")
    h.result(unit, valid=10)
    response = client.get(reverse("elections:results-csv", args=[election.slug]))
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert rows[0]["ho_va_ten"] == "' =1+1"
    assert rows[0]["ty_le_phieu_hop_le"] == "100.00"


def test_results_json(client):
    election = h.election()
    build(election, size=1)
    data = json.loads(client.get(reverse("elections:results-json", args=[election.slug])).content)
    assert data["cuoc_bau_cu"]["ngay_bau_cu"] == "2021-05-23"
    assert data["ket_qua"][0]["so_phieu"] == 610
    assert data["ket_qua"][0]["ty_le_phieu_hop_le"] == 61.0


def test_turnout_open_data(client, django_assert_num_queries):
    election = h.election()
    TurnoutSummary.objects.create(election=election, percentage=Decimal("99.47"), source="x")
    data = json.loads(client.get(reverse("elections:turnout-json", args=[election.slug])).content)
    assert data["ty_le_di_bau"]["ty_le"] == 99.47
    assert data["ty_le_di_bau"]["nguon"] == "summary"
    h.area(election, "=cmd", 100, 100)
    h.area(election, "02", 200, 150)
    data = json.loads(client.get(reverse("elections:turnout-json", args=[election.slug])).content)
    assert data["ty_le_di_bau"]["ty_le"] == 83.33
    assert len(data["khu_vuc_bo_phieu"]) == 2
    with django_assert_num_queries(2):
        response = client.get(reverse("elections:turnout-csv", args=[election.slug]))
        raw = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["ma_khu_vuc"]: row for row in csv.DictReader(io.StringIO(raw))}
    assert set(rows) == {"'=cmd", "02"}  # formula-safe
    # Two decimals, as round_percentage gives and the results CSV prints: not "75.0" or "75".
    assert rows["02"]["ty_le"] == "75.00"
    assert rows["'=cmd"]["ty_le"] == "100.00"


def test_english_prefix_works(client):
    election = h.election()
    assert client.get(f"/en{election.get_absolute_url()}").status_code == 200


def test_unit_shows_the_ballot_counts_of_its_minutes(client):
    election = h.election()
    unit = h.unit(h.contest(election), seats=1)
    h.candidate(unit, 1500)
    h.candidate(unit, 400)
    h.result(unit, valid=1980, invalid=20, issued=2010, registered=2500, voted=2005)
    html = client.get(f"/bau-cu/{election.slug}/don-vi/{unit.pk}/").content.decode()
    minutes = html.split('class="unit-minutes"')[1].split("</dl>")[0]
    for label, value in [
        ("Số người ứng cử", "2"),
        ("Tổng số cử tri", "2.500"),
        ("Số cử tri đã bỏ phiếu", "2.005"),
        ("Số phiếu phát ra", "2.010"),
        ("Số phiếu thu vào", "2.000"),
        ("Số phiếu hợp lệ", "1.980"),
        ("Số phiếu không hợp lệ", "20"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in minutes, label


def test_share_of_areas_at_full_turnout_is_not_charted_as_a_turnout_rate(client):
    election = h.election()
    build(election, size=1)
    response = client.get(f"/bau-cu/{election.slug}/")
    labels = [str(label) for label, _value in response.context["chart_rows"]]
    assert not any("khu vực" in label.casefold() for label in labels)
    html = response.content.decode()
    assert "<strong>604/777</strong> khu vực bỏ phiếu có toàn bộ cử tri đi bầu" in html
    assert "chiếm 77,73% số khu vực bỏ phiếu" in html
    assert "không phải tỷ lệ cử tri đi bầu" in html
