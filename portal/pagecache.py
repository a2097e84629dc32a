"""Whole-page cache for anonymous visitors, correct at every moment.

Every public GET page is kept in the default cache, keyed by scheme, host, path (which holds
the language: ``/en/...``) and only the query parameters the page reads. Each entry remembers
the *generation* it was rendered under; any change to content bumps the generation, so every
entry goes stale at once on every worker and instance:

- without a shared cache (the default, local memory per process) the generation is one row
  in the database (``portal.PageGeneration``), bumped inside the writer's transaction, so it
  changes exactly when the change becomes visible. On PostgreSQL a trigger announces every
  bump (``NOTIFY``) and each process keeps the generation, listening on a connection of its
  own: a cached page costs no database round trip, and a change is heard at its commit (the
  time for PostgreSQL to pass one message to a listening process: microseconds on one
  machine, well before the writer's own response is sent). Elsewhere (SQLite), or while the
  listening connection is down, the row is read once per request;
- with a shared cache (Redis) on PostgreSQL it is still the row, heard by each process, and
  each process keeps a copy of the pages it served in front of Redis: a hit touches neither
  the database nor Redis, and Redis lets one instance render a page for all of them;
- with a shared cache where the row cannot be heard (SQLite, or listening turned off) it is a
  random token in that cache, replaced after commit and read in the same round trip as the
  page;
- on a site served by one machine, the operator may put it in a file instead
  (``PORTAL_PAGE_GENERATION_FILE``): a random token every process of that machine reads
  without a database round trip and replaces after commit. Only correct when every process
  that changes content (web workers, the task worker, ``manage.py``) runs on that machine.

A page never outlives the next scheduled change (an article's publish or take-down time), so
scheduled articles appear and disappear on time on every page.

What is never cached: requests carrying a session cookie (staff), non-GET requests, responses
other than 200, streaming responses, responses that set a cookie, used a CSRF token or a CSP
nonce, carry a message, or say ``private``/``no-store``/``no-cache`` (``never_cache`` views).
"""

import contextlib
import hashlib
import logging
import operator
import os
import re
import secrets
import select
import stat
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from functools import lru_cache, reduce

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import F, Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.functional import SimpleLazyObject
from django.utils.text import compress_string

from portal.text import nfc

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# v3: entries carry the gzip-compressed copy and headers as Django stores them
PAGE_KEY_PREFIX = "pagecache:page:v3:"

# Paths that are never public pages.
EXCLUDED_PREFIXES = ("/admin/", "/static/", "/media/", "/healthz")

# Parameters added by link shorteners, social networks and newsletters: never a new variant.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
     "zarsrc", "zalo_source", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src",
     "si", "s_cid", "spm", "share", "ttclid", "li_fat_id"}
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_", "hsa_", "vero_")

# Apps and models whose rows never show on a public page: saving them keeps the cache.
NOT_PUBLIC_APPS = frozenset(
    {"admin", "auth", "contenttypes", "sessions", "axes", "django_otp", "otp_totp",
     "otp_static", "simple_history"}
)  # fmt: skip
NOT_PUBLIC_MODELS = {"portal.pagegeneration", "awards.exportlog"}

# Date fields at which a row appears on or leaves public pages: a cached page lives no longer
# than the nearest future value of any of them. Apps with their own schedules append here.
SCHEDULE_FIELDS = [
    ("articles.Article", "publish_at"),
    ("articles.Article", "unpublish_at"),
]


def _config(name, default):
    return getattr(settings, name, default)


def enabled():
    return _config("PORTAL_PAGE_CACHE", True)


def _shared_cache():
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def _generation_in_cache():
    """Whether the generation is a token in the shared cache (Redis) rather than the row: only
    where no process can hear the row change (SQLite, or listening turned off)."""
    return _shared_cache() and not _listening()


# With a shared cache, each process's own copy of the pages it served (checked against the
# generation like any entry): a hit then needs no round trip to Redis. The most visited pages
# are few; 200 entries of a 150 KB page and its gzip form stay under 40 MB per process.
LOCAL_PAGES = LocMemCache("portal-pagecache-local", {"OPTIONS": {"MAX_ENTRIES": 200}})


# --- the generation ---------------------------------------------------------------------


def _select_generation(cursor):
    """The generation row's value on ``cursor``'s connection (0 before the first bump)."""
    from portal.models import PageGeneration

    cursor.execute(f"SELECT value FROM {PageGeneration._meta.db_table} WHERE id = 1")  # noqa: S608 - constant table name
    row = cursor.fetchone()
    return row[0] if row else 0


def _read_database_generation():
    with connection.cursor() as cursor:
        return _select_generation(cursor)


NOTIFY_CHANNEL = "portal_page_generation"  # announced by a trigger (migration 0003)
# A listener that heard nothing still reads the row this often: a connection cut without a
# word, or a pooler that drops notifications (PgBouncer in transaction mode), cannot keep
# pages stale for longer than this.
LISTEN_RECHECK_SECONDS = 5
# After the listening connection failed, the next attempt to open it waits this long, doubled
# after each failure in a row up to the maximum (every request reads the row meanwhile).
LISTEN_RETRY_SECONDS = 1
LISTEN_RETRY_MAX_SECONDS = 60
NOTIFY_TRIGGER = "portal_page_generation_notify"


class ListenerUnavailable(Exception):
    """The database cannot announce bumps (the trigger is missing or disabled)."""


class GenerationListener:
    """The database generation as this process last heard it (PostgreSQL only).

    A connection of the process's own ``LISTEN``s on the channel the generation row's trigger
    notifies. A request checks the connection's socket without waiting (one system call): a
    notification means a bump committed, and the row is read again on that connection. Any
    error closes the connection and returns ``None``: the caller reads the row itself, and
    the connection is opened again a moment later. A forked child never uses its parent's
    connection (one socket shared by two processes would garble both sessions).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._conn = None
        self._poller = None
        self._pid = None
        self._value = None
        self._read_at = 0.0
        self._retry_at = 0.0
        self._failures = 0

    def value(self, now):
        """The generation, or ``None`` when the caller must read the row. ``now`` is a
        monotonic clock's reading (only intervals are measured: the recheck, the retry)."""
        with self._lock:
            try:
                return self._current(now)
            except Exception as exc:  # any driver or socket error: the caller reads the row
                self.close()
                self._failures += 1
                wait = min(
                    LISTEN_RETRY_MAX_SECONDS, LISTEN_RETRY_SECONDS * 2 ** (self._failures - 1)
                )
                self._retry_at = now + wait
                logger.warning(
                    "Page cache: the generation listener failed (%s: %s); the generation is "
                    "read on every request, next try in %d s",
                    type(exc).__name__,
                    " ".join(str(exc).split()),
                    wait,
                )
                return None

    def _current(self, now):
        if self._pid != os.getpid():
            self._conn = None  # the parent's: left open for the parent, never used here
            self._pid = os.getpid()
        if self._conn is None:
            if now < self._retry_at:
                return None
            self._open()
            return self._read(now)
        conn = self._conn
        if conn.notifies or now - self._read_at >= LISTEN_RECHECK_SECONDS or self._poller.poll(0):
            conn.poll()  # takes what arrived; a closed connection raises here
            if conn.notifies or now - self._read_at >= LISTEN_RECHECK_SECONDS:
                return self._read(now)
        return self._value

    def _open(self):
        params = {
            **connection.get_connection_params(),
            # A connection cut without a word is noticed within a minute, not hours.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        params.setdefault("connect_timeout", 2)  # an unreachable server must not hold requests
        conn = connection.Database.connect(**params)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f"LISTEN {NOTIFY_CHANNEL}")
                # Without the trigger (migrate not run yet, a restored older database) nothing
                # would ever be heard: read the row per request instead.
                cursor.execute(
                    "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgenabled <> 'D'",
                    [NOTIFY_TRIGGER],
                )
                if cursor.fetchone() is None:
                    raise ListenerUnavailable(f"trigger {NOTIFY_TRIGGER} missing: run migrate")
        except Exception:
            conn.close()
            raise
        poller = select.poll()  # not select(): file descriptors past 1024 are fine
        poller.register(conn.fileno(), select.POLLIN)
        self._conn, self._poller, self._failures = conn, poller, 0

    def _read(self, now):
        # Cleared before the read: a bump heard from here on is read again next time.
        del self._conn.notifies[:]
        with self._conn.cursor() as cursor:
            self._value, self._read_at = _select_generation(cursor), now
        return self._value

    def close(self):
        conn, self._conn, self._value, self._poller = self._conn, None, None, None
        if conn is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):
                conn.close()


generation_listener = GenerationListener()


def _listening():
    return connection.vendor == "postgresql" and _config("PORTAL_PAGE_GENERATION_LISTEN", True)


def _database_generation():
    """The generation row: as the listener last heard it (PostgreSQL), else read now.

    When read, on a cache hit it is the request's only query, so it is also the connection's
    health check: Django's own (``CONN_HEALTH_CHECKS``) would cost a second round trip per
    hit. A connection found dead (the database restarted) is closed and the read tried once
    more on a new one, as the health check would have done."""
    if connection.in_atomic_block:
        # Inside a transaction, the transaction's own view: its bumps are not committed yet.
        return _read_database_generation()
    if _listening():
        value = generation_listener.value(time.monotonic())
        if value is not None:
            return value
    if connection.connection is not None:
        connection.health_check_done = True  # Django 4.1+: skip the extra SELECT 1
    try:
        return _read_database_generation()
    except (InterfaceError, OperationalError):
        connection.close()
        return _read_database_generation()


def generation_file():
    """The one-machine generation file, when configured and no shared cache is (Redis wins)."""
    path = _config("PORTAL_PAGE_GENERATION_FILE", "")
    return path if path and not _shared_cache() else ""


_TOKEN_BYTES = 16
# A generation that cannot be read: nothing is cached under it (it changes on every request).
UNREADABLE = "unreadable-"


def cacheable(gen):
    """Whether pages, fragments and data may be kept under ``gen``."""
    return not str(gen).startswith(UNREADABLE)


def _write_generation_file(path):
    """Replace the file with one holding a new random token, written beside it and renamed
    over it: a reader opens the old file or the new one, whole, and whatever token it saw
    before, it never sees again. Needs write access to the folder (not to the old file)."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(
            dir=os.path.dirname(os.path.abspath(path)), prefix=".page-generation-"
        )
        try:
            os.fchmod(fd, 0o644)  # the web and task users may differ: all of them read it
            os.write(fd, os.urandom(_TOKEN_BYTES))
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        # The old token stays: pages cached under it would outlive this change. Only a
        # folder this process cannot write does that; manage.py check reports it (E010).
        logger.exception("Page cache: cannot replace the generation file %s", path)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def check_generation_file(app_configs=None, **kwargs):
    """System check: the generation file's folder can be written (the file is replaced on
    every change) and is not a shared sticky folder such as ``/tmp``, where a file made by
    one user cannot be replaced by another (and systemd may give each service its own)."""
    from django.core.checks import Error

    path = generation_file()
    if not path:
        return []
    folder = os.path.dirname(os.path.abspath(path))
    problem = ""
    try:
        sticky = os.stat(folder).st_mode & stat.S_ISVTX
    except OSError as exc:
        problem = str(exc)
    else:
        if sticky:
            problem = "its folder is a shared sticky folder (like /tmp)"
        elif not os.access(folder, os.W_OK):
            problem = "its folder cannot be written"
        elif not cacheable(_file_generation(path)):
            problem = "the file cannot be read"
    if not problem:
        return []
    return [
        Error(
            f"PORTAL_PAGE_GENERATION_FILE={path}: {problem}.",
            hint="Use a file in a folder of its own that the web and task processes can write, "
            "e.g. /var/lib/portal/page-generation.",
            id="portal.E010",
        )
    ]


def _file_generation(path):
    """The token in the file, read by path on every request (three system calls, no network):
    a file removed or replaced is noticed at once, and a missing or empty one gets a token.
    Unreadable: a token no page is kept under, so every request renders until the file is
    back (never a stale page)."""
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            _write_generation_file(path)
            continue
        except OSError:
            break
        try:
            data = os.pread(fd, _TOKEN_BYTES, 0)
        except OSError:  # a folder at that path, an I/O error
            break
        finally:
            os.close(fd)
        if len(data) == _TOKEN_BYTES:
            return "f" + data.hex()
        _write_generation_file(path)  # created empty (or cut short) by someone else
    return UNREADABLE + uuid.uuid4().hex


def _cache_generation(value=None):
    if value is None:
        value = cache.get(GENERATION_KEY)
    if value is None:
        # Evicted or never set: start a new generation, so no older page can match it.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(GENERATION_KEY)
    return value


def generation(request=None):
    """The current generation, read at most once per request."""
    if request is not None:
        value = getattr(request, "_page_generation", None)
        if value is not None:
            return value
    if _generation_in_cache():
        value = _cache_generation()
    elif path := generation_file():
        value = _file_generation(path)
    else:
        value = _database_generation()
    if request is not None:
        request._page_generation = value
    return value


def bump(using="default"):
    """Make every cached page stale, on every process and instance.

    Called by the signals below for every save/delete/m2m change of a public model, and
    explicitly by code that changes rows without signals (``bulk_create``, ``update()``).
    """
    if _shared_cache():
        # robust: another callback of the transaction failing must not drop this one.
        transaction.on_commit(
            lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None), using, robust=True
        )
        # On PostgreSQL the row is bumped as well, whichever one this process reads: processes
        # with another PORTAL_PAGE_GENERATION_LISTEN, or of the release before, read the other.
        if connections[using].vendor != "postgresql":
            return
    if path := generation_file():
        transaction.on_commit(lambda: _write_generation_file(path), using, robust=True)
        return
    from portal.models import PageGeneration

    # Inside the writer's transaction: the new generation becomes visible with the change. A
    # random step, not +1: a database restored from a backup goes back to an older value, and
    # counting up again from there would meet values pages were cached under minutes ago.
    step = secrets.randbelow(2**31) + 1
    rows = PageGeneration.objects.using(using).filter(pk=1).update(value=F("value") + step)
    if not rows:
        PageGeneration.objects.using(using).get_or_create(pk=1, defaults={"value": step})


def _is_public_model(model):
    meta = model._meta
    return (
        # Historical models used by migrations live in another registry: not the site's.
        meta.apps is global_apps
        and meta.app_label not in NOT_PUBLIC_APPS
        and meta.label_lower not in NOT_PUBLIC_MODELS
        # django-simple-history's audit rows are written with every save already bumping.
        and not hasattr(model, "instance_type")
    )


def _on_change(sender, using="default", **kwargs):
    if kwargs.get("action", "post_").startswith("post_") and _is_public_model(sender):
        bump(using)


def connect_signals():
    """Any model of any app (new apps included) bumps the generation unless listed above."""
    post_save.connect(_on_change, dispatch_uid="pagecache.post_save")
    post_delete.connect(_on_change, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(_on_change, dispatch_uid="pagecache.m2m_changed")


def fragment_version(request=None):
    """What a cached template fragment is valid for: the generation and the next scheduled
    change, so a fragment goes stale exactly when the whole page would (the
    ``{% public_fragment %}`` template tag of ``portal_tags``); ``None`` when nothing may be
    kept (the generation cannot be read)."""
    known = getattr(request, "_fragment_version", None)
    if known is not None:
        return known or None
    gen = generation(request)
    version = f"{gen}:{next_change(gen, time.time())}" if cacheable(gen) else ""
    if request is not None:
        request._fragment_version = version
    return version or None


def lazy_context(compute, names):
    """Template variables ``names``, all taken from the dict ``compute()`` returns, computed
    once and only when a template first uses one of them: the context of a page's cached
    fragment (``{% public_fragment %}``), which a warm fragment never reads."""
    values = SimpleLazyObject(compute)
    return {name: SimpleLazyObject(lambda name=name: values[name]) for name in names}


def cached_by_generation(key, compute, *, request=None, timeout=None):
    """``compute()``, kept in the cache until the next content change (election tallies)."""
    # The key may carry what a visitor typed (a search): hashed, so any text is a valid key.
    digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
    gen = generation(request)
    if not cacheable(gen):
        return compute()
    full_key = f"pagecache:data:{digest}:{gen}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout or _config("PORTAL_PAGE_CACHE_SECONDS", 600))
    return value


# --- scheduled changes ------------------------------------------------------------------


def _next_midnight(now):
    """The next local midnight: what pages show relative to today (a document's effective
    status, today in the work schedule) changes then."""
    today = timezone.localtime(datetime.fromtimestamp(now, tz=UTC)).date()
    midnight = datetime.combine(
        today + timedelta(days=1), dt_time(), timezone.get_current_timezone()
    )
    return midnight.timestamp()


def _compute_next_change(now):
    """The nearest future value of any schedule field: one query per model, reading only the
    rows with a future date (an index range per field); the next midnight at the latest."""
    moment = datetime.fromtimestamp(now, tz=UTC)
    fields_by_model = {}
    for label, field in SCHEDULE_FIELDS:
        fields_by_model.setdefault(label, []).append(field)
    nearest = None
    for label, fields in fields_by_model.items():
        try:
            model = global_apps.get_model(label)
        except LookupError:
            continue
        future = [Q(**{f"{field}__gt": moment}) for field in fields]
        values = (
            model._default_manager.filter(reduce(operator.or_, future))
            .aggregate(
                **{
                    field: Min(field, filter=condition)
                    for field, condition in zip(fields, future, strict=True)
                }
            )
            .values()
        )
        for value in values:
            if value is not None:
                stamp = value.timestamp()
                nearest = stamp if nearest is None else min(nearest, stamp)
    midnight = _next_midnight(now)
    return midnight if nearest is None else min(nearest, midnight)


def next_change(gen, now):
    """Unix time of the next scheduled change (a publish or take-down time, midnight at the
    latest), cached per generation."""
    key = f"pagecache:next:{gen}"
    value = cache.get(key)
    if value is None or (value and value <= now):
        value = _compute_next_change(now) or 0
        cache.set(key, value, _config("PORTAL_PAGE_CACHE_SECONDS", 600))
    return value


# --- keys -------------------------------------------------------------------------------


def vary_on_params(*names, **normalizers):
    """Declare the query parameters a view reads; every other parameter shares its cache entry.

    ``@vary_on_params("q", page=page_number)``: each value is NFC-normalised and stripped, or
    passed through the given function (so ``?page=abc`` and ``?page=1`` are one entry).
    """

    def decorate(view):
        view.page_cache_params = {**dict.fromkeys(names), **normalizers}
        return view

    return decorate


@lru_cache(maxsize=4096)
def declared_params(path):
    """The query parameters the view of ``path`` reads (``vary_on_params``), or ``None``."""
    language = "en" if path.startswith("/en/") else settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    return getattr(match.func, "page_cache_params", None)


def _normalise(value):
    return " ".join(nfc(value or "").split())


def _is_tracking(name):
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def kept_params(request):
    """A copy of ``request.GET`` with only what may appear in a link of the page: the
    parameters its view reads when it declares them, else all but tracking parameters. A
    cached page is shared by every visitor, so a link built from one visitor's ``?fbclid=``
    would follow all the others."""
    params = request.GET.copy()
    declared = declared_params(request.path_info)
    for name in list(params):
        if (name not in declared) if declared is not None else _is_tracking(name):
            del params[name]
    return params


def page_key(request):
    """The cache key of ``request``'s page (language is in the path)."""
    params = []
    if request.GET:
        declared = declared_params(request.path_info)
        for name in sorted(request.GET):
            if declared is not None:
                if name not in declared:
                    continue
                normalise = declared[name] or _normalise
            elif _is_tracking(name):
                continue
            else:
                normalise = _normalise
            value = normalise(request.GET.get(name))
            if value != normalise(None):  # ?page=1 and ?q= are the page without them
                params.append(f"{name}={value}")
    scheme = "https" if request.is_secure() else "http"
    raw = f"{scheme}://{request.get_host()}{request.path}?{'&'.join(params)}"
    return PAGE_KEY_PREFIX + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()


# --- the middleware ---------------------------------------------------------------------


def _public_cache_control(ttl):
    max_age = max(0, min(_config("PORTAL_PAGE_MAX_AGE", 30), int(ttl)))
    s_maxage = max(0, min(_config("PORTAL_PAGE_S_MAXAGE", 300), int(ttl)))
    return f"public, max-age={max_age}, s-maxage={s_maxage}"


def _storable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (
        getattr(messages, "_queued_messages", None) or getattr(messages, "_loaded_data", None)
    ):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-store", "no-cache"))


_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _gzip_form(response):
    """``(varies, compressed)``: whether a client's ``Accept-Encoding`` decides what it gets,
    and the gzip form of the page when that is shorter (``None`` otherwise). The same rule as
    ``PublicGZipMiddleware``, which compresses uncached pages on their way out and leaves
    cached ones to ``_serve``."""
    from portal.middleware import COMPRESSIBLE_TYPES

    content = response.content
    if len(content) < 200 or not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
        return False, None
    if response.has_header("Content-Encoding") or response.has_header("Content-Disposition"):
        return False, None
    compressed = compress_string(content)
    return True, (compressed if len(compressed) < len(content) else None)


def _current(entry, gen, now):
    """Whether a cached entry may be served: made under ``gen`` and not past its time."""
    return entry is not None and entry[0] == gen and entry[1] > now


def _lookup(key, gen, now):
    """The cached entry for ``key``: with a shared cache, this process's copy first, then the
    shared one (kept here for the next hit when it is current)."""
    if not _shared_cache():
        return cache.get(key)
    entry = LOCAL_PAGES.get(key)
    if _current(entry, gen, now):
        return entry
    entry = cache.get(key)
    if _current(entry, gen, now):
        LOCAL_PAGES.set(key, entry, max(1, int(entry[1] - now)))
    return entry


# Without one of these a hit needs no conditional answer (a 304 or a 412).
_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
               "HTTP_IF_UNMODIFIED_SINCE")  # fmt: skip


class PageCacheMiddleware:
    """Serves and stores public pages; place it right after WhiteNoise (see settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _candidate(self, request):
        return (
            enabled()
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(EXCLUDED_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request):
        if not self._candidate(request):
            return self._uncached(request, self.get_response(request))
        try:
            key = page_key(request)
        except DisallowedHost:  # let Django answer the bad Host header as usual
            return self.get_response(request)
        now = time.time()
        if _generation_in_cache():
            found = cache.get_many([GENERATION_KEY, key])
            gen = _cache_generation(found.get(GENERATION_KEY))
            request._page_generation = gen
            entry = found.get(key)
        else:
            try:
                gen = generation(request)
            except DatabaseError:
                # The database is down: what is cached was current when it was last reachable,
                # so keep serving it; anything else goes on to the 503 page.
                entry = cache.get(key)
                if entry is not None and entry[1] > now:
                    return self._serve(request, entry, now)
                return self.get_response(request)
            if not cacheable(gen):
                return self.get_response(request)
            entry = _lookup(key, gen, now)
        if _current(entry, gen, now):
            return self._serve(request, entry, now)
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        soon = next_change(gen, now)
        expires = now + _config("PORTAL_PAGE_CACHE_SECONDS", 600)
        if soon:
            expires = min(expires, soon)
        if expires - now < 1:
            return response
        content = response.content
        etag = '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'
        for name in ("Vary", "Expires"):
            if response.has_header(name):
                del response[name]
        varies, compressed = _gzip_form(response)
        if varies:
            # Compressed once here rather than on every hit (a 145 KB home page takes about a
            # millisecond to compress, as long as serving it); proxies must keep both forms.
            response["Vary"] = "Accept-Encoding"
        # Kept as the response keeps them (checked and encoded once, here): a hit copies them
        # in one step instead of checking a dozen headers again on every request.
        headers = {name: pair for name, pair in response.headers._store.items() if name != "etag"}
        entry = (gen, expires, headers, content, etag, compressed)
        cache.set(key, entry, max(1, int(expires - now)))
        if _shared_cache() and not _generation_in_cache():
            LOCAL_PAGES.set(key, entry, max(1, int(expires - now)))
        return self._serve(request, entry, now)  # the first visitor gets what the next will

    def _serve(self, request, entry, now):
        _gen, expires, headers, content, etag, compressed = entry
        if compressed is not None and _ACCEPTS_GZIP.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        ):
            # The same page in another encoding: a weak validator, as Django's GZipMiddleware
            # gives (weak comparison still answers If-None-Match with 304).
            response = HttpResponse(compressed)
            response.headers._store.update(headers)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(compressed))
            return self._conditional(request, response, "W/" + etag, expires - now)
        response = HttpResponse(content)
        response.headers._store.update(headers)
        return self._conditional(request, response, etag, expires - now)

    def _conditional(self, request, response, etag, ttl):
        response["ETag"] = etag
        response["Cache-Control"] = _public_cache_control(ttl)
        response.page_cache_hit = True  # encoded already: PublicGZipMiddleware lets it be
        if any(name in request.META for name in _CONDITIONS):
            return get_conditional_response(request, etag=etag, response=response)
        return response

    def _uncached(self, request, response):
        # Only a request with a session can belong to a logged-in user; checking others would
        # load nothing but cost a lookup. An error page (the database down: 503) is left as it
        # is: looking up its user would only fail again.
        if response.status_code < 500 and settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                response["Cache-Control"] = "private, no-store"
                if request.method not in ("GET", "HEAD", "OPTIONS") and (
                    request.path_info.startswith("/admin/") and response.status_code < 400
                ):
                    # Admin actions and imports may change rows without signals
                    # (queryset.update(), bulk_create): any successful staff write bumps.
                    bump()
        return response
