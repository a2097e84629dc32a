"""The page benchmark reads wrk's report right (numbers are never asserted in tests)."""

import pytest

from portal.bench import parse_wrk

REPORT = """Running 4s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.90ms    1.39ms  23.46ms   89.72%
    Req/Sec     1.64k   133.85     1.86k    73.33%
  Latency Distribution
     50%  612.00us
     75%    5.13ms
     90%    6.05ms
     99%    1.21s
  9788 requests in 3.00s, 2.34MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 12
Requests/sec:   3262.67
Transfer/sec:    798.38KB
"""


def test_parse_wrk_report():
    result = parse_wrk(REPORT)
    assert result["rps"] == pytest.approx(3262.67)
    assert result["p50_ms"] == pytest.approx(0.612)
    assert result["p99_ms"] == pytest.approx(1210)
    assert result["requests"] == 9788
    assert result["errors"] == 17
    assert result["error_kinds"] == {
        "connect": 0, "read": 3, "write": 0, "timeout": 2, "non_2xx_3xx": 12
    }  # fmt: skip


def test_a_clean_run_has_no_errors():
    clean = REPORT.replace("  Socket errors: connect 0, read 3, write 0, timeout 2\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 12\n", "")
    assert parse_wrk(clean)["errors"] == 0


def test_the_table_shows_every_measured_mode_and_the_share_of_the_ceiling():
    from io import StringIO

    from django.core.management.base import OutputWrapper

    from portal.bench import CEILING, _ceiling_row, _table, _with_share

    def row(rps, ceiling):
        return _with_share({"rps": rps, "p50_ms": 1.0, "p99_ms": 9.0, "errors": 0}, ceiling)

    # Each page's share is of the ceiling measured just before it, not of the mean.
    results = {
        CEILING: {"on": _ceiling_row([2000, 2400])},
        "home": {"on": row(1800, 2000), "gzip": row(2100, 2000), "redis": row(1900, 2000),
                 "off": row(100, 2000)},
        "article": {"on": row(1800, 2400)},
    }  # fmt: skip
    out = StringIO()
    _table(OutputWrapper(out), {5000: results})
    lines = out.getvalue().splitlines()
    header = next(line for line in lines if line.startswith("page"))
    assert "cached req/s" in header and "cached, Redis req/s" in header
    assert "cached, gzip req/s" in header and "rendered req/s" in header
    ceiling = next(line for line in lines if line.startswith(CEILING))
    assert "2,200" in ceiling and "2,000 to 2,400" in ceiling
    home = next(line for line in lines if line.startswith("home"))
    assert "1,800" in home and "1,900" in home and "1/20.0" in home and "0.90" in home
    assert "1.05" in home
    article = next(line for line in lines if line.startswith("article"))
    assert "0.75" in article


def test_growth_is_the_rendered_cost_per_request_from_the_smallest_archive_to_the_largest():
    from portal.bench import CEILING, _combined, growth

    def runs(*rps):
        return _combined([{"rps": r, "p50_ms": 2.0, "p99_ms": r / 10, "errors": 1,
                           "requests": 100} for r in rps])  # fmt: skip

    both = runs(300, 100)
    assert (both["rps"], both["p99_ms"], both["errors"], both["runs"]) == (200, 30, 2, [300, 100])
    by_size = {
        5000: {CEILING: {"on": {"rps": 2000}}, "home": {"off": runs(200, 200), "on": runs(9)},
               "search": {"off": runs(400, 400)}},
        50000: {CEILING: {"on": {"rps": 2100}}, "home": {"off": runs(160, 160)},
                "search": {"off": runs(410, 390)}},
    }  # fmt: skip
    # 1/160 s per request against 1/200 s: the cost grew by a quarter.
    assert growth(by_size) == {"home": 25.0, "search": 0.0}


@pytest.mark.django_db
def test_the_benchs_documents_are_a_registry_the_pages_can_find(client, monkeypatch):
    """The bench grows the demo registry; the number it searches for finds one document."""
    from documents import bench as documents_bench
    from documents import demo as documents_demo
    from documents.models import Document

    monkeypatch.setattr(documents_bench, "DOCUMENTS", 12)
    documents_demo.load()
    demo = Document.objects.count()
    data = documents_bench.populate()
    assert Document.objects.count() == demo + 12
    assert documents_bench.populate() == data  # run again: nothing added
    assert Document.objects.count() == demo + 12
    assert client.get(f"/van-ban/{data['document']}/").status_code == 200
    html = client.get("/van-ban/", {"q": data["document_number"]}).content.decode()
    assert data["document_number"] in html
    assert Document.objects.filter(number=data["document_number"]).count() == 1


@pytest.mark.django_db
def test_the_benchs_questions_and_schedule_are_what_the_pages_show(client, monkeypatch):
    """The bench grows Hỏi đáp and the schedule; their pages list them, and the search word
    the bench asks for finds its questions. Run again, nothing is added."""
    from questions import bench as questions_bench
    from questions import demo as questions_demo
    from questions.models import Question
    from schedule import bench as schedule_bench
    from schedule.models import Entry

    monkeypatch.setattr(questions_bench, "QUESTIONS", 12)
    monkeypatch.setattr(schedule_bench, "WEEKS", 1)
    questions_demo.load()
    demo = Question.objects.published().count()
    data = questions_bench.populate()
    schedule_bench.populate()
    assert Question.objects.published().count() == demo + 12
    assert Entry.objects.count() == 3 * 5 * len(schedule_bench.MEETINGS)
    assert questions_bench.populate() == data
    schedule_bench.populate()
    assert Question.objects.published().count() == demo + 12
    assert Entry.objects.count() == 3 * 5 * len(schedule_bench.MEETINGS)
    for entry in Entry.objects.all():
        entry.full_clean()  # what staff could have saved
    for question in Question.objects.filter(reference__startswith="BENCH"):
        question.full_clean()
    html = client.get("/hoi-dap/", {"q": data["question_search"]}).content.decode()
    assert "câu hỏi số 1)" in html
    week = client.get("/lich-cong-tac/").content.decode()
    assert week.count("Giao ban Thường trực UBND tỉnh") == 5
