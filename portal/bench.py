"""``manage.py bench`` pages section: public pages through gunicorn, measured with wrk.

Builds the data set (articles with covers in 30 categories, an election with 800 polling
areas and 300 candidates, 100,000 commendation recipients, the demo's other sections and a
registry of 2,000 documents) at 5,000 articles, copies that database, grows the original to
50,000, then starts gunicorn with production settings on 127.0.0.1 for each size (page cache
on; on with Redis; off) and drives each page with wrk for a bounded time, the two sizes one
right after the other: requests/s, p50, p99, errors and the share of a 30 KiB static file served by
the same server, and how much each rendered page's cost grows with the archive. Ends with 64
clients for 30 s over all the pages (cache on, as in production) and writes everything as JSON
too."""

import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from articles import bench as articles_bench
from awards import bench as awards_bench
from documents import bench as documents_bench
from documents import demo as documents_demo
from elections import bench as elections_bench
from organisation import demo as organisation_demo
from questions import bench as questions_bench
from questions import demo as questions_demo
from schedule import bench as schedule_bench
from schedule import demo as schedule_demo

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "5000,50000").split(",")]
PAGE_SECONDS = int(os.environ.get("BENCH_PAGE_SECONDS", "3"))
# A cached page (and the ceiling measured beside it) serves thousands of requests a second:
# two seconds is plenty of requests, and the time saved pays for the ceiling and gzip runs.
CACHED_SECONDS = int(os.environ.get("BENCH_CACHED_SECONDS", "2"))
# What a browser sends: pages are then served gzip-compressed from the cache. wrk sends no
# Accept-Encoding at all, so the other cached columns move the uncompressed bytes.
BROWSER_HEADERS = ("Accept-Encoding: gzip, deflate, br",)
CONNECTIONS = 16
LOAD_CLIENTS = 64
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
STATIC_NAME = "bench/ceiling-30k.txt"


def _pages(data):
    return [
        ("home", "/"),
        ("home ?fbclid=&utm_source=", "/?fbclid=IwAR0bench&utm_source=zalo&utm_medium=social"),
        ("article", f"/tin-tuc/{data['article']}/"),
        ("news list", "/tin-tuc/"),
        ("category", f"/chuyen-muc/{data['category']}/"),
        ("commendations", "/khen-thuong/"),
        ("decision", f"/khen-thuong/{data['decision']}/"),
        ("election", f"/bau-cu/{data['election']}/"),
        ("search 'bau cu'", "/tim-kiem/?q=bau+cu"),
        ("documents", "/van-ban/"),
        ("document", f"/van-ban/{data['document']}/"),
        ("documents by number", "/van-ban/?q=" + urllib.parse.quote(data["document_number"])),
        ("questions", "/hoi-dap/"),
        ("questions search", "/hoi-dap/?q=" + urllib.parse.quote(data["question_search"])),
        ("work schedule", "/lich-cong-tac/"),
        ("organisation", "/co-cau-to-chuc/"),
    ]


# --- wrk --------------------------------------------------------------------------------


def _ensure_wrk(stdout):
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        stdout.write("wrk is missing: installing the Debian package (apt-get install wrk)")
        subprocess.run(["apt-get", "update", "-qq"], check=False)  # noqa: S607 - Debian tool
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)  # noqa: S607
    if shutil.which("wrk"):
        return True
    stdout.write("wrk is not installed (apt-get install wrk, as root): page benchmark skipped")
    return False


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output):
    """requests/s, p50 and p99 in ms, and errors (socket errors and non-2xx/3xx answers)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    kinds = {}
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        names = ["connect", "read", "write", "timeout"]
        kinds = dict(zip(names, map(int, socket_errors.groups()), strict=True))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    kinds["non_2xx_3xx"] = int(non_2xx.group(1)) if non_2xx else 0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "requests": requests,
    }


def _wrk(url, seconds, connections=CONNECTIONS, script=None, headers=()):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    done = subprocess.run(  # noqa: S603 - fixed arguments, local URL
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse_wrk(done.stdout)


# --- gunicorn ---------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(name=None):
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{name or db['NAME']}"


def _copy_database(size):
    """A copy of the bench database as it is now, for the pages at ``size`` articles while the
    original grows (PostgreSQL copies the files: seconds)."""
    name = connection.settings_dict["NAME"]
    copy = f"{name}_{size}"
    connection.close()  # a template database must have no other session
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return copy


def _drop_database(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


def _redis_reachable():
    host, port = re.match(r"redis://([^:/]+):?(\d*)", BENCH_REDIS_URL).groups()
    try:
        with socket.create_connection((host, int(port or 6379)), timeout=1):
            return True
    except OSError:
        return False


class Server:
    """gunicorn with production settings (2 sync workers) on 127.0.0.1: page cache ``on`` (the
    default: per-process cache, generation in the database), ``redis`` or ``off``."""

    def __init__(self, *, mode="on", database=None):
        page_cache = mode != "off"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
        env.update(
            DATABASE_URL=_database_url(database),
            DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "bench-only",
            DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_LOG_LEVEL="WARNING",
            PORTAL_PAGE_CACHE="1" if page_cache else "0",
            # wrk is one client address: at the real search limit (60 a minute) the rendered
            # search would measure 429 answers. A huge limit keeps the limiter's cost in.
            PORTAL_RATELIMITS=(
                "search=100000000/m,documents-list=100000000/m,questions-search=100000000/m"
            ),
        )
        env.pop("REDIS_URL", None)
        env.pop("PORTAL_PAGE_GENERATION_FILE", None)
        if mode == "redis":
            env.update(REDIS_URL=BENCH_REDIS_URL, DJANGO_CACHE_PREFIX=f"bench-{self.port}")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "2", "--log-level", "warning",
             # Six servers at once: one control socket path (~/.gunicorn) for all of them.
             "--no-control-socket"],
            env=env, cwd=settings.BASE_DIR,
        )  # fmt: skip

    def wait(self):
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def check(self, path):
        with urllib.request.urlopen(self.base + path, timeout=60) as response:  # noqa: S310
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status}")

    def warm(self, path):
        """A few requests one after another: both workers have the page, nothing queued."""
        for _ in range(4):
            self.check(path)

    def drain(self):
        """Wait until requests wrk left queued are answered (the backlog is first in, first
        out), so they do not count against the next page."""
        self.check("/healthz")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the run ----------------------------------------------------------------------------


def _write_static_file():
    """A 30 KiB file in STATIC_ROOT: the ceiling is serving it (WhiteNoise, same server)."""
    path = Path(settings.STATIC_ROOT) / STATIC_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    line = "Cổng thông tin điện tử tỉnh: tệp tĩnh 30 KiB dùng làm mức trần khi đo.\n"
    text = (line * (30 * 1024 // len(line.encode()) + 1)).encode()[: 30 * 1024]
    path.write_bytes(text)
    return "/static/" + STATIC_NAME


CEILING = "static 30 KiB (ceiling)"


def _combined(runs):
    """Two runs of one page as one row: mean requests/s and p50, worst p99, all errors."""
    return {
        "rps": sum(r["rps"] for r in runs) / len(runs),
        "p50_ms": sum(r["p50_ms"] for r in runs) / len(runs),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "runs": [r["rps"] for r in runs],
    }


def _measure_sizes(stdout, pages_by_size, databases, static_path):
    """Every page at every size, each size with its own servers and database, the sizes
    measured one right after the other: a machine that is slower for a minute (other work,
    a busy neighbour) weighs on both sizes alike, so the growth of a page's cost is not the
    machine's drift between two halves of the run. Rendered pages, where cost can grow with
    the archive, are measured twice per size, there and back (5,000, 50,000, 50,000, 5,000).

    The ceiling (the static file) is measured again right before each page, and each page's
    share is of that measurement: a share compares two runs seconds apart, not a page with a
    ceiling taken minutes earlier on a machine that has since slowed down or sped up."""
    sizes = list(pages_by_size)
    server_modes = ["on", "redis", "off"] if _redis_reachable() else ["on", "off"]
    servers = {}
    results = {size: {CEILING: {"on": {"runs": []}}} for size in sizes}
    try:
        for size in sizes:
            for mode in server_modes:
                servers[size, mode] = Server(mode=mode, database=databases[size])
        for (size, _mode), server in servers.items():
            server.wait()
            for _name, path in pages_by_size[size]:
                server.check(path)
            server.warm(static_path)
        for index, (name, _path) in enumerate(pages_by_size[sizes[0]]):
            ceiling_server = servers[sizes[0], "on"]
            ceiling = _wrk(ceiling_server.base + static_path, CACHED_SECONDS)["rps"]
            ceiling_server.drain()
            for size in sizes:
                results[size][name] = {}
                results[size][CEILING]["on"]["runs"].append(ceiling)
            # "gzip" is the default server asked as a browser asks (Accept-Encoding).
            for mode in [*server_modes[:1], "gzip", *server_modes[1:]]:
                order = sizes + sizes[::-1] if mode == "off" else sizes
                runs = {size: [] for size in sizes}
                for size in order:
                    server = servers[size, "on" if mode == "gzip" else mode]
                    path = pages_by_size[size][index][1]
                    server.warm(path)
                    seconds = PAGE_SECONDS if mode == "off" else CACHED_SECONDS
                    headers = BROWSER_HEADERS if mode == "gzip" else ()
                    runs[size].append(_wrk(server.base + path, seconds, headers=headers))
                    server.drain()
                for size in sizes:
                    row = _combined(runs[size]) if len(runs[size]) > 1 else runs[size][0]
                    results[size][name][mode] = _with_share(row, ceiling)
            stdout.write(
                f"  {name} (ceiling {ceiling:.0f} req/s): "
                + "; ".join(
                    f"{size:,} articles "
                    + ", ".join(f"{row['rps']:.0f} req/s {mode}" for mode, row in by.items())
                    for size in sizes
                    for by in [results[size][name]]
                )
            )
    finally:
        for server in servers.values():
            try:
                server.stop()
            except (OSError, subprocess.SubprocessError) as exc:  # stop the others too
                stdout.write(f"Could not stop the server on {server.base}: {exc}")
    for size in sizes:
        results[size][CEILING]["on"] = _ceiling_row(results[size][CEILING]["on"]["runs"])
    return results


def _with_share(row, ceiling):
    """A page's row with its share of the ceiling measured just before it."""
    share = row["rps"] / ceiling if ceiling else 0
    return {**row, "ceiling_rps": ceiling, "share_of_ceiling": share}


def _ceiling_row(runs):
    """The ceiling's row of the table: the mean of its measurements, and their spread."""
    if not runs:
        return {"rps": 0, "runs": []}
    mean = sum(runs) / len(runs)
    return {"rps": mean, "runs": runs, "min_rps": min(runs), "max_rps": max(runs)}


def growth(by_size):
    """How much the rendered cost of each page (time per request: 1 / requests/s) grows from
    the smallest archive to the largest, in percent."""
    sizes = list(by_size)
    small, large = by_size[sizes[0]], by_size[sizes[-1]]
    return {
        name: round((small[name]["off"]["rps"] / large[name]["off"]["rps"] - 1) * 100, 1)
        for name in small
        if name != CEILING and large.get(name, {}).get("off", {}).get("rps")
    }


def _load_test(stdout, pages):
    """64 clients for 30 s over every public page, production settings (cache on)."""
    server = Server(mode="on")
    try:
        server.wait()
        paths = ", ".join(f'"{path}"' for _name, path in pages)
        lua = (
            f"local paths = {{{paths}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n"
            '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n'
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(lua)
        try:
            for _name, path in pages:
                server.warm(path)
            result = _wrk(server.base + "/", LOAD_SECONDS, LOAD_CLIENTS, script.name)
        finally:
            os.unlink(script.name)
    finally:
        server.stop()
    stdout.write(
        f"\nLoad: {LOAD_CLIENTS} clients for {LOAD_SECONDS} s over the {len(pages)} public pages "
        f"(cache on): {result['requests']:,} requests, {result['rps']:.0f} req/s, "
        f"p99 {result['p99_ms']:.0f} ms, errors: {result['errors']} "
        f"({', '.join(f'{kind} {n}' for kind, n in result['error_kinds'].items())})"
    )
    return result


MODES = {"on": "cached", "gzip": "cached, gzip", "redis": "cached, Redis", "off": "rendered"}


def _table(stdout, by_size):
    first = next(iter(by_size.values()))
    modes = [mode for mode in MODES if any(mode in row for row in first.values())]
    header = f"{'page':<28}{'articles':>9}" + "".join(
        f" | {MODES[mode] + ' req/s':>20}{'p50':>8}{'p99':>8}{'err':>5}{'share':>8}"
        for mode in modes
    )
    stdout.write("\n" + header + "\n" + "-" * len(header))

    def cells(row):
        if row is None:
            return f"{'':>20}{'':>8}{'':>8}{'':>5}{'':>8}"
        share = row["share_of_ceiling"]
        # Near the ceiling as a decimal (the target is 0.85), far below it as 1/N.
        share_text = f"1/{1 / share:.1f}" if 0 < share < 0.5 else f"{share:.2f}"
        return (
            f"{row['rps']:>20,.0f}{row['p50_ms']:>8.1f}{row['p99_ms']:>8.1f}"
            f"{row['errors']:>5}{share_text:>8}"
        )

    for size, results in by_size.items():
        ceiling = results[CEILING]["on"]
        if ceiling["runs"]:
            stdout.write(
                f"{CEILING:<28}{size:>9,} | {ceiling['rps']:>20,.0f}  (measured before each "
                f"page: {ceiling['min_rps']:,.0f} to {ceiling['max_rps']:,.0f})"
            )
    for name in first:
        if name == CEILING:
            continue
        for size, results in by_size.items():
            stdout.write(
                f"{name:<28}{size:>9,}"
                + "".join(f" | {cells(results[name].get(mode))}" for mode in modes)
            )
    stdout.write(
        "(p50/p99 in ms; share: requests/s as a fraction of the static file's, measured "
        "right before the page; gzip: asked with a browser's Accept-Encoding)"
    )


def _machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "system": platform.platform(),
    }


def run(stdout):
    if connection.vendor != "postgresql":
        stdout.write("The page benchmark needs PostgreSQL (DATABASE_URL): skipped")
        return
    if not _ensure_wrk(stdout):
        return
    # Stopped with Ctrl-C or kill: unwind, so the finally blocks stop the gunicorn servers.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    started = time.perf_counter()
    data = {}
    data.update(awards_bench.populate_for_pages())
    data.update(elections_bench.populate())
    # The other sections as the demo has them (units, questions, the week's schedule, the
    # registry), the registry, the questions and the schedule grown to a province's size.
    for module in (organisation_demo, documents_demo, questions_demo, schedule_demo):
        module.load()
    data.update(documents_bench.populate())
    # Hỏi đáp and the schedule as a province has them after a few years.
    data.update(questions_bench.populate())
    data.update(schedule_bench.populate())
    stdout.write(
        f"Commendations and election built in {time.perf_counter() - started:.0f} s "
        f"({awards_bench.ROWS:,} recipients, {elections_bench.AREAS} polling areas, "
        f"{elections_bench.CANDIDATES} candidates, {documents_bench.DOCUMENTS:,} documents, "
        f"{questions_bench.QUESTIONS:,} questions, {schedule_bench.WEEKS * 2 + 1} weeks of "
        "schedule)"
    )
    static_path = _write_static_file()
    pages_by_size, databases = {}, {}
    try:
        for size in SIZES:
            step = time.perf_counter()
            data.update(articles_bench.grow_archive(size))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            pages_by_size[size] = _pages(data)
            # Every size but the last is served from a copy taken now; the last from the
            # database itself, once it has grown.
            databases[size] = _copy_database(size) if size != SIZES[-1] else None
            stdout.write(f"Archive: {size:,} articles, built in {time.perf_counter() - step:.0f} s")
        by_size = _measure_sizes(stdout, pages_by_size, databases, static_path)
    finally:
        for name in databases.values():
            if name:
                _drop_database(name)
    _table(stdout, by_size)
    grown = growth(by_size)
    if len(SIZES) > 1:
        stdout.write(
            f"\nRendered cost from {SIZES[0]:,} to {SIZES[-1]:,} articles (target: at most +20%):"
        )
        for name, percent in grown.items():
            stdout.write(f"  {name:<28}{percent:+6.1f}%{'' if percent <= 20 else '  over'}")
    load = _load_test(stdout, _pages(data))
    out_dir = Path(settings.BASE_DIR) / "bench-results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = out_dir / f"pages-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "machine": _machine(),
                "settings": {
                    "gunicorn": "2 sync workers",
                    "wrk": f"2 threads, {CONNECTIONS} connections, {PAGE_SECONDS} s per "
                    f"rendered page, {CACHED_SECONDS} s per cached page and per ceiling",
                    "sizes": "measured side by side, each from its own database; rendered "
                    "pages twice per size (there and back), mean requests/s",
                    "cache": {
                        "on": "default (local memory per process, generation in PostgreSQL, "
                        "heard by each process)",
                        "gzip": "as on, asked with " + "; ".join(BROWSER_HEADERS),
                        "redis": f"Redis ({BENCH_REDIS_URL}) behind each process's own copy",
                        "off": "page cache off (fragments and tallies still kept)",
                    },
                },
                "pages": {str(size): results for size, results in by_size.items()},
                "rendered_cost_growth_percent": grown,
                "load": {"clients": LOAD_CLIENTS, "seconds": LOAD_SECONDS, **load},
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    stdout.write(f"Results written to {out.relative_to(settings.BASE_DIR)}")
    if load["errors"]:
        # The reliability target: no error under the bounded load. The results stay written.
        raise CommandError(f"the load test had {load['errors']} errors (target: zero)")
