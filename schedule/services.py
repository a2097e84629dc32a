"""Weeks of the schedule and its iCalendar feed (RFC 5545, written by the icalendar library)."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from schedule.models import Entry

_WEEK = re.compile(r"([0-9]{4})-W([0-9]{1,2})")
# Weeks far outside this range are typing errors or probes; they also keep date arithmetic
# (the previous/next week) away from date.min and date.max.
MIN_YEAR, MAX_YEAR = 2000, 2100
FEED_PAST_DAYS = 92
FEED_FUTURE_DAYS = 366
HOME_BLOCK_SIZE = 8
CALENDAR_DOMAIN = "lich-cong-tac.cong-thong-tin"


def today():
    return timezone.localdate()


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def week_param(monday):
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_parse(value):
    """The Monday of ``?tuan=2026-W48``; ``None`` for anything else (never an exception)."""
    match = _WEEK.fullmatch((value or "")[:10].strip().upper())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


@dataclass
class Day:
    date: datetime.date
    entries: list
    is_today: bool


@dataclass
class Week:
    monday: datetime.date
    days: list
    is_current: bool
    invalid: bool

    @property
    def sunday(self):
        return self.monday + datetime.timedelta(days=6)

    @property
    def param(self):
        return week_param(self.monday)

    @property
    def number(self):
        return self.monday.isocalendar()[1]

    @property
    def previous_param(self):
        monday = self.monday - datetime.timedelta(days=7)
        return week_param(monday) if monday.year >= MIN_YEAR else ""

    @property
    def next_param(self):
        monday = self.monday + datetime.timedelta(days=7)
        return week_param(monday) if monday.isocalendar()[0] <= MAX_YEAR else ""

    @property
    def current_param(self):
        return week_param(week_start(today()))


def week_build(raw_param):
    """The week asked for (or the current one, flagged ``invalid`` when the parameter was bad)."""
    now = today()
    monday = week_parse(raw_param) if raw_param else None
    invalid = bool(raw_param) and monday is None
    if monday is None:
        monday = week_start(now)
    sunday = monday + datetime.timedelta(days=6)

    def days():
        entries = list(Entry.objects.published().between(monday, sunday))
        return [
            Day(date=date, entries=[e for e in entries if e.date == date], is_today=date == now)
            for date in (monday + datetime.timedelta(days=offset) for offset in range(7))
        ]

    # The days are read only when the page's cached fragment is rendered (a warm one reads
    # nothing).
    return Week(
        monday=monday,
        days=SimpleLazyObject(days),
        is_current=monday == week_start(now),
        invalid=invalid,
    )


def home_block_context(now=None):
    """The entries still to come this week for the home page (one query). From Saturday the
    block looks ahead to the end of next week too: what a reader wants on a weekend is
    Monday's schedule, which offices publish by Friday."""
    now = now or today()
    last = week_start(now) + datetime.timedelta(days=6)
    ahead = now.weekday() >= 5
    if ahead:
        last += datetime.timedelta(days=7)
    entries = list(Entry.objects.published().between(now, last)[:HOME_BLOCK_SIZE])
    return {"schedule_entries": entries, "schedule_today": now, "schedule_ahead": ahead}


def _entry_event(entry, tz, stamp):
    event = icalendar.Event()
    event.add("uid", f"{entry.uid}@{CALENDAR_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("last-modified", entry.updated_at)
    event.add("sequence", entry.sequence)
    if entry.start_time:
        start = datetime.datetime.combine(entry.date, entry.start_time, tzinfo=tz)
        end_time = entry.end_time
        end = (
            datetime.datetime.combine(entry.date, end_time, tzinfo=tz)
            if end_time
            else start + datetime.timedelta(hours=1)
        )
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + datetime.timedelta(days=1))
    summary = entry.content.splitlines()[0] if entry.content else ""
    if entry.status == Entry.Status.CANCELLED:
        summary = _("[Hoãn] %(summary)s") % {"summary": summary}
    elif entry.status == Entry.Status.CHANGED:
        summary = _("[Thay đổi] %(summary)s") % {"summary": summary}
    event.add("summary", summary)
    lines = [entry.content]
    for label, value in (
        (_("Chủ trì"), entry.chair),
        (_("Thành phần"), entry.attendees),
        (_("Đơn vị chuẩn bị"), entry.preparing_unit),
        (_("Ghi chú"), entry.status_note),
    ):
        if value:
            lines.append(f"{label}: {value}")
    event.add("description", "\n".join(lines))
    if entry.place:
        event.add("location", entry.place)
    event.add("status", "CANCELLED" if entry.status == Entry.Status.CANCELLED else "CONFIRMED")
    return event


def calendar_build(*, name):
    """The published schedule from three months back to a year ahead, as iCalendar bytes."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = today()
    entries = Entry.objects.published().between(
        now - datetime.timedelta(days=FEED_PAST_DAYS),
        now + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Cong thong tin dien tu tinh//Lich cong tac//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=datetime.date(MIN_YEAR, 1, 1),
            last_date=datetime.date(MAX_YEAR, 1, 1),
        )
    )
    stamp = timezone.now()
    for entry in entries.iterator(chunk_size=500):
        calendar.add_component(_entry_event(entry, tz, stamp))
    return calendar.to_ical()
