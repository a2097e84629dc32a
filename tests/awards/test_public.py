import csv
import datetime
import io

import pytest
from django.urls import reverse

from awards.models import Authority, AwardForm, Decision
from tests import factories
from tests.factories import make_decision, make_recipients

pytestmark = pytest.mark.django_db

LIST_QUERIES = 15  # with the content generation, the footer's contact data and the next
# scheduled change (three models; cold cache); the totals, filters and list are then kept
# until a change
DETAIL_QUERIES = 11  # with the footer's contact record and agency links (cold cache), the
# content generation, which keys the demo banner's cached check, the next scheduled change
# (three models; it keys the cached recipient lists) and the documents citing the decision


def populate(n):
    party = Authority.objects.create(name="Ban Thường vụ Tỉnh ủy", kind=Authority.Kind.PARTY)
    state = Authority.objects.create(name="Ủy ban nhân dân tỉnh")
    bk = AwardForm.objects.create(name="Bằng khen")
    gk = AwardForm.objects.create(name="Giấy khen")
    decisions = []
    for i in range(n):
        d = make_decision(authority=party if i % 2 else state, form=bk if i % 3 else gk,
                          date=datetime.date(2020 + i % 3, 6, 1 + i % 28))  # fmt: skip
        make_recipients(d, collectives=i % 4 + 1, individuals=i % 5 + 1)
        decisions.append(d)
    return decisions


@pytest.mark.parametrize("n", [1, 25])
def test_list_query_count_is_fixed(client, django_assert_num_queries, n):
    populate(n)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(
            "/khen-thuong/", {"year": "2021", "authority": "uy-ban-nhan-dan-tinh"}
        )
        assert response.status_code == 200
    # The filters, totals, list, menu's categories, footer's contact data, demo-content check
    # and next scheduled change now come from the cache: the generation is the only query.
    with django_assert_num_queries(1):
        client.get("/khen-thuong/", {"year": "2021", "authority": "uy-ban-nhan-dan-tinh"})


@pytest.mark.parametrize("n", [1, 40])
def test_detail_query_count_is_fixed(client, django_assert_num_queries, n):
    decision = make_decision(article=factories.article())
    make_recipients(decision, collectives=n, individuals=n)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(decision.get_absolute_url())
        assert response.status_code == 200
    # Warm: the decision and the generation; the lists are a cached fragment.
    with django_assert_num_queries(2):
        again = client.get(decision.get_absolute_url())
    assert again.content == response.content
    make_recipients(decision, individuals=1)
    assert f"Cá nhân ({n + 1})" in client.get(decision.get_absolute_url()).content.decode()


def test_list_filters_and_bad_values_ignored(client):
    decisions = populate(6)
    url = reverse("awards:list")
    assert url == "/khen-thuong/"
    all_ids = {d.pk for d in client.get(url).context["page"].object_list}
    assert all_ids == {d.pk for d in decisions}
    party = client.get(url, {"authority": "ban-thuong-vu-tinh-uy"}).context["page"].object_list
    assert {d.authority.slug for d in party} == {"ban-thuong-vu-tinh-uy"} and len(party) == 3
    y2021 = client.get(url, {"year": "2021"}).context["page"].object_list
    assert {d.date.year for d in y2021} == {2021}
    for bad in ({"year": "abc"}, {"year": "-1"}, {"authority": "x" * 5000}, {"form": "'\";--"},
                {"page": "99999"}, {"page": "abc"}, {"year": "2021\x00"}):  # fmt: skip
        response = client.get(url, bad)
        assert response.status_code == 200, bad
        assert len(response.context["page"].object_list) == 6
    # Newest first
    dates = [d.date for d in client.get(url).context["page"].object_list]
    assert dates == sorted(dates, reverse=True)


def test_detail_shows_two_lists_and_reconciliation(client):
    decision = make_decision(number="901-QĐ/TU", declared_collectives=20, declared_individuals=12)
    make_recipients(decision, collectives=20, individuals=11)
    html = client.get(decision.get_absolute_url()).content.decode()
    assert "Tập thể (20)" in html and "Cá nhân (11)" in html
    assert "901-QĐ/TU" in html and "22/06/2021" in html
    assert "Quyết định ghi 12 cá nhân, mới nhập 11 (thiếu 1)." in html
    assert "Đề nghị khen thưởng" not in html


def test_proposal_clearly_marked(client):
    proposal = make_decision(status=Decision.Status.PROPOSED, proposal_number="1134/TTr-UBND",
                             declared_collectives=3, declared_individuals=3)  # fmt: skip
    make_recipients(proposal, collectives=3, individuals=3)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Đề nghị khen thưởng" in html and "chưa có quyết định" in html
    assert "1134/TTr-UBND" in html
    listing = client.get("/khen-thuong/")
    assert "Đề nghị – chưa có quyết định" in listing.content.decode()
    assert listing.context["totals"]["award_individuals"] == 0
    assert listing.context["totals"]["proposed_individuals"] == 3


def test_unknown_slug_is_404(client):
    assert client.get("/khen-thuong/khong-co/").status_code == 404
    assert client.get("/khen-thuong/" + "a" * 3000 + "/").status_code == 404


def test_unpublished_article_not_linked(client):
    draft = factories.article(published=False, title="Bài nháp bí mật")
    decision = make_decision(article=draft)
    assert "Bài nháp bí mật" not in client.get(decision.get_absolute_url()).content.decode()


def test_open_data_csv_excludes_proposals(client, django_assert_num_queries):
    decided = make_decision()
    make_recipients(decided, individuals=2)
    proposal = make_decision(status=Decision.Status.PROPOSED)
    make_recipients(proposal, individuals=3, names=["Đề Nghị A", "Đề Nghị B", "Đề Nghị C"])
    with django_assert_num_queries(1):
        response = client.get(reverse("awards:open-data"))
        data = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert all(r[9] == "Đã có quyết định" for r in rows[1:])
    assert "Đề Nghị" not in data.decode("utf-8-sig")


def test_english_prefix_works(client, decision):
    assert client.get("/en/khen-thuong/").status_code == 200
    assert client.get(f"/en/khen-thuong/{decision.slug}/").status_code == 200


def test_menu_links_to_commendations(client):
    html = client.get("/").content.decode()
    assert 'href="/khen-thuong/"' in html


def test_proposals_are_counted_in_plain_vietnamese(client):
    proposal = make_decision(status="proposed")
    make_recipients(proposal, collectives=3, individuals=2)
    html = client.get("/khen-thuong/").content.decode()
    assert "Đang đề nghị khen thưởng:" in html
    assert '<span class="stat-value">3 tập thể, 2 cá nhân</span>' in html
    assert "tập thể + cá nhân" not in html


@pytest.mark.parametrize(
    "q", ["1436/QĐ-UBND", "1436-QĐ/UBND", "1436/QD-UBND", "1436 QĐ/UBND", "quyết định 1436/QĐ-UBND"]
)
def test_public_list_finds_a_decision_number_in_its_variants(client, q, django_assert_num_queries):
    hit = make_decision(number="1436/QĐ-UBND")
    make_decision(number="1437/QĐ-UBND")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/khen-thuong/", {"q": q})
    assert list(response.context["page"].object_list) == [hit]
    assert f'value="{q}"' in response.content.decode()


def test_admin_decision_search_finds_a_number_written_inside_words(client, make_user):
    hit = make_decision(number="15/QĐ-UBND")
    make_decision(number="16/QĐ-UBND")
    client.force_login(make_user("canbo", groups=["Cán bộ thi đua khen thưởng"]))
    response = client.get("/admin/awards/decision/", {"q": "quyết định 15-QĐ/UBND"})
    assert list(response.context["cl"].result_list) == [hit]


def test_searching_decisions_is_rate_limited_browsing_is_not(client, settings):
    make_decision(number="1436/QĐ-UBND")
    settings.PORTAL_RATELIMITS = {"awards-search": "3/m"}
    # Different words each time: an identical search would be a page-cache hit, never counted.
    for q in ("1436", "khen", "bầu cử"):
        assert client.get("/khen-thuong/", {"q": q}).status_code == 200
    response = client.get("/khen-thuong/", {"q": "tỉnh"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and not response.cookies
    # Browsing and filtering the list are not searches: never limited.
    for page in range(1, 6):
        assert client.get("/khen-thuong/", {"page": page}).status_code == 200
    assert client.get("/khen-thuong/", {"year": "2021"}).status_code == 200
    # Another address still searches; the default rate is generous enough for a person.
    assert client.get("/khen-thuong/", {"q": "x"}, REMOTE_ADDR="198.51.100.7").status_code == 200
    settings.PORTAL_RATELIMITS = {}
    assert client.get("/khen-thuong/", {"q": "y"}).status_code == 200
