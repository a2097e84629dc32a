import datetime

import icalendar
import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schedule.models import Entry
from schedule.roles import STAFF
from schedule.services import home_block_context, week_parse, week_start
from tests.budgets import PUBLIC_PAGE_QUERIES
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

WEEK = "/lich-cong-tac/"


# --- weeks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-W48", datetime.date(2026, 11, 23)),
        ("2026-w01", datetime.date(2025, 12, 29)),
        ("2020-W53", datetime.date(2020, 12, 28)),
        ("2021-W53", None),  # 2021 has 52 ISO weeks
        ("2026-W00", None),
        ("garbage", None),
        ("", None),
        ("9999-W52", None),
        ("0001-W01", None),
        ("2026-W48' OR 1=1", None),
        ("２０２６-W48", None),  # full-width digits
        ("2026-W4" + "8" * 1000, None),
    ],
)
def test_week_parse(value, expected):
    assert week_parse(value) == expected


@pytest.mark.parametrize(
    "param", ["garbage", "2021-W53", "9999-W99", "-1", "%00", "2026-W48" * 100, "2100-W52"]
)
def test_bad_week_parameters_never_fail(client, param):
    response = client.get(WEEK, {"tuan": param})
    assert response.status_code == 200
    html = response.content.decode()
    if week_parse(param) is None:
        assert "Tuần yêu cầu không hợp lệ; đang hiện tuần này." in html
    assert client.get(reverse("schedule:print"), {"tuan": param}).status_code == 200


def test_week_view_shows_entries_today_and_navigation(client):
    today = timezone.localdate()
    monday = week_start(today)
    make_entry(today, content="Tiếp công dân định kỳ")
    make_entry(monday + datetime.timedelta(days=7), content="Lịch của tuần sau")
    make_entry(today, content="Bản nháp chưa công khai", is_published=False)
    make_entry(
        today, content="Kiểm tra công trình", status=Entry.Status.CANCELLED,
        status_note="Hoãn vì mưa bão", start_time=None,
    )  # fmt: skip
    html = client.get(WEEK).content.decode()
    assert "Tiếp công dân định kỳ" in html and "Lịch của tuần sau" not in html
    assert "Bản nháp chưa công khai" not in html
    assert "<del>Kiểm tra công trình</del>" in html and "Hoãn vì mưa bão" in html
    assert html.count('aria-current="date"') == 1
    today_block = html.split('aria-current="date"')[1].split("</tbody>")[0]
    assert "Tiếp công dân định kỳ" in today_block and "Hôm nay" in today_block
    next_param = (monday + datetime.timedelta(days=7)).strftime("%G-W%V")
    previous_param = (monday - datetime.timedelta(days=7)).strftime("%G-W%V")
    assert f'href="?tuan={next_param}"' in html and f'href="?tuan={previous_param}"' in html
    html = client.get(WEEK, {"tuan": next_param}).content.decode()
    assert "Lịch của tuần sau" in html and 'aria-current="date"' not in html
    assert "Tuần này" in html  # a way back to the current week


def test_print_view(client):
    make_entry(content="Hội nghị sơ kết")
    html = client.get(reverse("schedule:print")).content.decode()
    assert "Hội nghị sơ kết" in html and "data-print" in html and 'name="robots"' in html
    assert "site-header" not in html


@pytest.mark.parametrize("url", [WEEK, "/lich-cong-tac/ban-in/", "/lich-cong-tac/lich.ics", "/"])
def test_public_pages_run_a_fixed_number_of_queries(client, url):
    counts = []
    for n in (1, 20):
        Entry.objects.all().delete()
        for i in range(n):
            make_entry(week_start(timezone.localdate()) + datetime.timedelta(days=i % 7))
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= PUBLIC_PAGE_QUERIES


def test_a_warm_week_reads_only_the_generation_and_follows_every_change(
    client, django_assert_num_queries
):
    make_entry(content="Họp giao ban")
    first = client.get(WEEK)
    # Warm (the page cache is off here): the week's table is a cached fragment.
    with django_assert_num_queries(1):
        again = client.get(WEEK)
    assert again.content == first.content
    make_entry(content="Tiếp công dân định kỳ")
    assert "Tiếp công dân định kỳ" in client.get(WEEK).content.decode()


def test_home_block_shows_the_rest_of_this_week(client):
    today = timezone.localdate()
    make_entry(today, content="Việc của hôm nay")
    make_entry(today - datetime.timedelta(days=8), content="Việc đã qua")
    html = client.get("/").content.decode()
    block = html.split('id="home-schedule"')[1].split("</section>")[0]
    assert "Việc của hôm nay" in block and "Việc đã qua" not in block


def test_home_block_looks_ahead_to_next_week_at_the_weekend():
    friday = week_start(timezone.localdate()) + datetime.timedelta(days=4)
    saturday = friday + datetime.timedelta(days=1)
    make_entry(saturday, content="Trực ban cuối tuần")
    make_entry(saturday + datetime.timedelta(days=2), content="Họp giao ban thứ Hai")
    make_entry(saturday + datetime.timedelta(days=9), content="Thứ Hai tuần sau nữa")
    weekday = home_block_context(now=friday)
    assert [e.content for e in weekday["schedule_entries"]] == ["Trực ban cuối tuần"]
    assert not weekday["schedule_ahead"]
    weekend = home_block_context(now=saturday)
    assert [e.content for e in weekend["schedule_entries"]] == [
        "Trực ban cuối tuần", "Họp giao ban thứ Hai",
    ]  # fmt: skip
    assert weekend["schedule_ahead"]


def test_demo_schedule_fills_the_home_block_on_every_day_of_the_week():
    from schedule.demo import load

    load()
    monday = week_start(timezone.localdate())
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        entries = home_block_context(now=day)["schedule_entries"]
        assert entries and all(e.date >= day for e in entries), day


# --- model rules ---------------------------------------------------------------------------


def test_rules_give_vietnamese_messages():
    entry = Entry(date=timezone.localdate(), content="x", end_time=datetime.time(9, 0))
    with pytest.raises(ValidationError, match="phải có giờ bắt đầu"):
        entry.clean()
    entry.start_time = datetime.time(10, 0)
    with pytest.raises(ValidationError, match="phải sau giờ bắt đầu"):
        entry.clean()
    entry.end_time = None
    entry.status = Entry.Status.CHANGED
    with pytest.raises(ValidationError, match="Ghi rõ thay đổi"):
        entry.clean()


def test_every_change_raises_the_sequence():
    entry = make_entry()
    assert entry.sequence == 0
    entry.status, entry.status_note = Entry.Status.CHANGED, "Đổi giờ"
    entry.save()
    entry.refresh_from_db()
    assert entry.sequence == 1
    assert entry.history.count() == 2


# --- iCalendar -----------------------------------------------------------------------------


def test_ical_feed_is_valid_rfc5545(client):
    today = timezone.localdate()
    timed = make_entry(
        today, end_time=datetime.time(10, 30),
        content="Họp, bàn; về “chuyển đổi số”\\ và dữ liệu " + "rất dài " * 20,
    )  # fmt: skip
    all_day = make_entry(today, start_time=None, content="Kiểm tra cơ sở")
    cancelled = make_entry(today, content="Tiếp khách", status="cancelled", status_note="Hoãn")
    make_entry(today, content="Không công khai", is_published=False)
    make_entry(today - datetime.timedelta(days=400), content="Quá cũ")
    response = client.get("/lich-cong-tac/lich.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    assert b"Kh\xc3\xb4ng c\xc3\xb4ng khai" not in raw and "Quá cũ".encode() not in raw
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Ho_Chi_Minh"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 3
    event = events[f"{timed.uid}@lich-cong-tac.cong-thong-tin"]
    assert event["SUMMARY"].startswith("Họp, bàn; về “chuyển đổi số”\\ và dữ liệu")
    assert b"SUMMARY:H\xe1\xbb\x8dp\\, b\xc3\xa0n\\; v\xe1\xbb\x81" in raw  # escaped , and ;
    assert b"DTSTART;TZID=Asia/Ho_Chi_Minh:" in raw
    start = event.decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (8, datetime.timedelta(hours=7))
    assert event.decoded("DTEND").time() == datetime.time(10, 30)
    assert event["STATUS"] == "CONFIRMED" and event["LOCATION"] == "Phòng họp số 1"
    assert "Chủ trì: Chủ tịch UBND tỉnh" in event["DESCRIPTION"]
    day = events[f"{all_day.uid}@lich-cong-tac.cong-thong-tin"].decoded("DTSTART")
    assert day == today and not isinstance(day, datetime.datetime)
    gone = events[f"{cancelled.uid}@lich-cong-tac.cong-thong-tin"]
    assert gone["STATUS"] == "CANCELLED" and gone["SUMMARY"].startswith("[Hoãn]")


def test_ical_uids_are_stable_and_sequence_grows(client):
    entry = make_entry()
    first = icalendar.Calendar.from_ical(client.get("/lich-cong-tac/lich.ics").content)
    entry.status, entry.status_note = "changed", "Chuyển sang chiều"
    entry.save()
    cache.clear()
    second = icalendar.Calendar.from_ical(client.get("/lich-cong-tac/lich.ics").content)
    (a,) = first.walk("VEVENT")
    (b,) = second.walk("VEVENT")
    assert a["UID"] == b["UID"]
    assert int(b["SEQUENCE"]) == int(a["SEQUENCE"]) + 1


# --- staff ---------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_admin_permission_ladder(client, make_user, view):
    entry = make_entry()
    args = [] if view in ("changelist", "add") else [entry.pk]
    url = reverse(f"admin:schedule_entry_{view}", args=args)
    assert client.get(url).status_code == 302
    client.force_login(make_user("writer", groups=["Biên tập viên"]))
    assert client.get(url).status_code == 403
    client.force_login(make_user("lich", groups=[STAFF]))
    assert client.get(url).status_code == 200


def test_admin_entry_with_bad_input_gets_vietnamese_messages(client, make_user):
    client.force_login(make_user("lich", groups=[STAFF]))
    data = {
        "date": "31/02/2026", "start_time": "25:00", "end_time": "", "content": "Họp",
        "chair": "", "attendees": "", "place": "", "preparing_unit": "", "status": "planned",
        "status_note": "", "is_published": "on",
    }  # fmt: skip
    response = client.post(reverse("admin:schedule_entry_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập ngày hợp lệ" in html or "ngày hợp lệ" in html
    data.update(date="27/11/2026", start_time="08:00", status="cancelled")
    html = client.post(reverse("admin:schedule_entry_add"), data).content.decode()
    assert "Ghi rõ thay đổi hoặc lý do hoãn." in html
    data.update(status_note="Hoãn sang tuần sau")
    assert client.post(reverse("admin:schedule_entry_add"), data).status_code == 302
    entry = Entry.objects.get()
    assert entry.date == datetime.date(2026, 11, 27)  # day first, the Vietnamese way
