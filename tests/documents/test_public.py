import csv
import datetime
import io
import itertools
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Decision
from documents.models import Document, DocumentRelation, Field, Issuer
from tests.factories import attach_pdf, make_comment, make_decision, make_document, make_draft

pytestmark = pytest.mark.django_db


def _full_document(n=0):
    field = Field.objects.get_or_create(name="Bầu cử")[0]
    doc = make_document(signer_name="Người ký", signer_title="Thủ tướng")
    doc.fields.add(field)
    attach_pdf(doc)
    return doc


def _many(count):
    docs = [_full_document(n) for n in range(count)]
    for a, b in itertools.pairwise(docs):
        DocumentRelation.objects.create(source=b, kind=DocumentRelation.Kind.REPLACES, target=a)
    return docs


@pytest.mark.parametrize("count", [1, 6])
def test_list_runs_fixed_queries(client, django_assert_num_queries, count):
    _many(count)
    # Filter options: types, issuers, fields, years; the page: count and rows; base.html: 2.
    # + the footer's contact record and agency links (cached; cold here), the content
    # generation and the next scheduled change (articles, documents, drafts: the key of the
    # cached filter options and results)
    url = "/van-ban/?type=nghi-dinh&year=2022&status=in_force&page=1"
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="documents-item"') == count
    # Warm (the page cache is off here): only the generation is read; the filters and the
    # results are cached fragments.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == response.content
    # A change shows at once, in the filters too.
    assert "Hướng dẫn" not in again.content.decode()
    make_document(doc_type="Hướng dẫn", number="7/HD-UBND")
    assert ">Hướng dẫn</option>" in client.get(url).content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_detail_runs_fixed_queries(client, django_assert_num_queries, count):
    docs = _many(count)
    target = docs[len(docs) // 2]
    decision = make_decision()
    target.award_decisions.add(decision)
    # The document; its co-issuers, fields, files, relations both ways, citing articles and
    # decisions; the menu, the footer's contact record and agency links, the demo check
    # (cached; cold here); the content generation and the next scheduled change (articles,
    # documents, drafts: the key of the cached fragment).
    with django_assert_num_queries(16):
        response = client.get(target.get_absolute_url())
    assert response.status_code == 200
    assert decision.number in response.content.decode()
    # Warm (the page cache is off here): the document and the generation; its files,
    # relations and citations are a cached fragment.
    with django_assert_num_queries(2):
        again = client.get(target.get_absolute_url())
    assert again.content == response.content
    # A change anywhere shows at once.
    target.award_decisions.remove(decision)
    assert decision.number not in client.get(target.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_draft_pages_run_fixed_queries(
    client, django_assert_num_queries, count, django_assert_max_num_queries
):
    drafts = [make_draft() for _ in range(count)]
    for draft in drafts:
        attach_pdf(draft)
        make_comment(draft, status="published")
        make_comment(draft)
    # + the footer's contact record and agency links (cached; cold here) and the content
    # generation (the key of the demo banner's cached check)
    with django_assert_num_queries(7):
        response = client.get("/van-ban/du-thao/")
    assert response.content.decode().count('class="documents-item"') == count
    with django_assert_max_num_queries(5):  # the footer's contact data may be cached by now
        response = client.get(drafts[0].get_absolute_url())
    assert response.status_code == 200
    # The thank-you page looks nothing up: only base.html's menu and demo banner (2).
    with django_assert_max_num_queries(2):
        assert client.get(f"/van-ban/du-thao/{drafts[0].slug}/da-gui/").status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_feed_and_open_data_run_fixed_queries(client, django_assert_num_queries, count):
    _many(count)
    with django_assert_num_queries(1):
        assert client.get("/van-ban/rss/").status_code == 200
    with django_assert_num_queries(3):
        body = client.get("/van-ban/du-lieu-mo.json").content
    assert len(json.loads(body)["documents"]) == count
    with django_assert_num_queries(3):
        rows = b"".join(client.get("/van-ban/du-lieu-mo.csv").streaming_content)
    assert rows.count(b"\r\n") == count + 1


def test_filters_narrow_the_list(client):
    decree = make_document(number="42/2022/NĐ-CP")
    plan = make_document(doc_type="Kế hoạch", issuer="Ủy ban nhân dân tỉnh", number="150/KH-UBND",
                         issued_on=datetime.date(2023, 1, 5))  # fmt: skip
    field = Field.objects.create(name="Công nghệ thông tin")
    child = Field.objects.create(name="Cổng thông tin điện tử", parent=field)
    plan.fields.add(child)

    def numbers(query):
        html = client.get(f"/van-ban/?{query}").content.decode()
        return {d.number for d in (decree, plan) if d.get_absolute_url() in html}

    assert numbers("type=ke-hoach") == {"150/KH-UBND"}
    assert numbers("issuer=uy-ban-nhan-dan-tinh") == {"150/KH-UBND"}
    assert numbers("field=cong-nghe-thong-tin") == {"150/KH-UBND"}
    assert numbers("year=2022") == {"42/2022/NĐ-CP"}
    assert numbers("q=42-2022-nd-cp") == {"42/2022/NĐ-CP"}
    assert numbers("q=ke+hoach+150") == {"150/KH-UBND"}


@pytest.mark.parametrize(
    "query",
    [
        "year=abc", "year=99999999999999999999", "type=%00", "status=<script>", "page=-1",
        "page=abc", "issuer=x&field=y", "q=" + "x" * 500, "q=%ED%A0%80", "year=2022&year=zz",
    ],
)  # fmt: skip
def test_bad_filter_values_never_fail(client, document, query):
    response = client.get(f"/van-ban/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    if "year=abc" in query or "status" in query:
        assert "không hợp lệ" in html


def test_detail_shows_status_relations_and_links(client, document, article):
    article.status = "published"
    article.save()
    old = make_document(number="43/2011/NĐ-CP", issued_on=datetime.date(2011, 6, 13),
                        effective_on=datetime.date(2011, 8, 1),
                        expires_on=datetime.date(2022, 8, 15))  # fmt: skip
    DocumentRelation.objects.create(source=document, kind="replaces", target=old)
    document.articles.add(article)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Hết hiệu lực toàn bộ" in html
    assert "Được thay thế bởi" in html and "42/2022/NĐ-CP" in html
    html = client.get(document.get_absolute_url()).content.decode()
    assert "Thay thế:" in html and "43/2011/NĐ-CP" in html
    assert article.title in html
    # And back: the article names the documents that cite it (published ones only).
    hidden = make_document(number="7/2022/NĐ-CP", is_published=False)
    hidden.articles.add(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Văn bản liên quan" in html and document.get_absolute_url() in html
    assert "7/2022/NĐ-CP" not in html


def test_unpublished_and_future_documents_are_hidden(client):
    hidden = make_document(is_published=False)
    future = make_document(published_at=timezone.now() + datetime.timedelta(days=1))
    item = attach_pdf(hidden)
    for doc in (hidden, future):
        assert client.get(doc.get_absolute_url()).status_code == 404
    assert client.get(item.get_absolute_url()).status_code == 404
    assert hidden.get_absolute_url() not in client.get("/van-ban/").content.decode()


def test_file_download_headers(client, document):
    item = attach_pdf(document)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="nghi-dinh-42.pdf"')
    assert "filename*=UTF-8''Ngh%E1%BB%8B%20%C4%91%E1%BB%8Bnh%2042.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]  # counted downloads are never cached
    # Stored under a random name that says nothing about the upload.
    assert re.fullmatch(r"van-ban/[0-9a-f]{32}\.pdf", item.file.name)


def test_inline_pdf_may_be_framed_by_the_site_only(client, document):
    item = attach_pdf(document)
    response = client.get(item.get_inline_url())
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "object-src 'self'" in response["Content-Security-Policy"]
    page = client.get(document.get_absolute_url())
    assert f'src="{item.get_inline_url()}"' in page.content.decode()
    assert "frame-src 'self'" in page["Content-Security-Policy"]
    other = client.get("/van-ban/")
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]


def test_open_data_csv_has_bom_and_is_formula_safe(client):
    make_document(number="=HYPERLINK(1)/2022", summary="=cmd|' /C calc'!A0")
    response = client.get(reverse("documents:open-data-csv"))
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Số, ký hiệu"
    assert rows[1][0] == "'=HYPERLINK(1)/2022"
    columns = dict(zip(rows[0], rows[1], strict=True))
    assert columns["Trích yếu"].startswith("'=")
    assert columns["Mã tình trạng hiệu lực"] == "in_force"
    assert columns["Tình trạng hiệu lực"] == "Còn hiệu lực"


def test_open_data_never_carries_comments_or_contacts(client, document):
    make_comment(make_draft(), status="published")
    for url in ("/van-ban/du-lieu-mo.json", "/van-ban/du-lieu-mo.csv"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"lan.nguyen@example.com" not in body
        assert "42/2022/NĐ-CP".encode() in body


def test_feed_lists_new_documents(client, document):
    response = client.get("/van-ban/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Nghị định 42/2022/NĐ-CP" in response.content.decode()


def test_sitemap_and_home_block(client, document):
    draft = make_draft()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert document.get_absolute_url() in sitemap and draft.get_absolute_url() in sitemap
    assert "/van-ban/du-thao/" in sitemap
    home = client.get("/").content.decode()
    assert "Văn bản mới" in home and document.get_absolute_url() in home


def test_english_pages_translate_the_interface_and_mark_vietnamese(client, document):
    html = client.get("/en/van-ban/").content.decode()
    assert "Issuing authority" in html
    assert '<span lang="vi">Nghị định</span>' in html
    html = client.get(f"/en/van-ban/{document.slug}/").content.decode()
    assert "Issue date" in html and '<dd lang="vi">Nghị định</dd>' in html


def test_award_decisions_citing_a_document_are_listed(client, document):
    decision = make_decision(status=Decision.Status.DECIDED)
    proposal = make_decision(status=Decision.Status.PROPOSED, proposal_number="1134/TTr-UBND")
    document.award_decisions.add(decision, proposal)
    html = client.get(document.get_absolute_url()).content.decode()
    assert decision.number in html
    assert "1134/TTr-UBND" not in html  # a proposal is not a commendation decision
    html = client.get(decision.get_absolute_url()).content.decode()
    assert "Văn bản liên quan" in html and document.get_absolute_url() in html


def test_search_finds_the_section_from_the_global_search(client, document):
    html = client.get("/tim-kiem/?q=42/2022").content.decode()
    assert document.get_absolute_url() in html


def test_unknown_pages_are_404(client):
    assert client.get("/van-ban/khong-co/").status_code == 404
    assert client.get("/van-ban/du-thao/khong-co/").status_code == 404
    assert client.get("/van-ban/tep/999999/").status_code == 404
    assert Document.objects.count() == 0


def test_a_joint_document_is_found_under_each_authority_and_names_its_signer(client):
    joint = make_document(doc_type="Thông tư liên tịch", issuer="Bộ Nội vụ", number="01/2024/TTLT",
                          signer_name="Nguyễn Văn Ký", signer_title="Thứ trưởng")  # fmt: skip
    joint.co_issuers.add(Issuer.objects.create(name="Bộ Tài chính"))
    other = make_document(issuer="Bộ Tài chính", number="99/2024/TT-BTC")
    for slug in ("bo-noi-vu", "bo-tai-chinh"):
        assert joint.get_absolute_url() in client.get(f"/van-ban/?issuer={slug}").content.decode()
    assert other.get_absolute_url() not in client.get("/van-ban/?issuer=bo-noi-vu").content.decode()
    html = client.get(joint.get_absolute_url()).content.decode()
    assert "Bộ Nội vụ" in html and "Bộ Tài chính" in html
    assert "Thứ trưởng" in html and "Nguyễn Văn Ký" in html


def test_a_document_body_is_sanitised_like_an_article_body(client, document):
    document.body = (
        '<p onclick="steal()">Điều 1. Phạm vi</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">liên kết</a><iframe src="//evil.example"></iframe>'
    )
    document.save()
    document.refresh_from_db()
    assert "Điều 1. Phạm vi" in document.body
    for hostile in ("<script", "onclick", "javascript:", "<iframe"):
        assert hostile not in document.body
    html = client.get(document.get_absolute_url()).content.decode()
    assert "Điều 1. Phạm vi" in html and "steal()" not in html


def test_searching_the_registry_is_rate_limited_browsing_is_not(client, settings):
    make_document()
    settings.PORTAL_RATELIMITS = {"documents-list": "3/m"}
    # Different words each time: an identical search would be a page-cache hit, never counted.
    for q in ("nghị định", "bầu cử", "42/2022"):
        assert client.get("/van-ban/", {"q": q}).status_code == 200
    response = client.get("/van-ban/", {"q": "quyết định"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and not response.cookies
    # Browsing and filtering the registry are not searches: never limited.
    for page in range(1, 6):
        assert client.get("/van-ban/", {"page": page}).status_code == 200
    assert client.get("/van-ban/", {"status": "in_force"}).status_code == 200
    assert client.get("/van-ban/", {"q": "x"}, REMOTE_ADDR="198.51.100.7").status_code == 200
    settings.PORTAL_RATELIMITS = {}
    assert client.get("/van-ban/", {"q": "y"}).status_code == 200
