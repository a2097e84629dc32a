"""``/healthz``: each dependency's state, and an HTTP status a load balancer can act on.

The database is required: without it no page can be built, so the instance is ``down``
(503) and should get no traffic. The cache and the media storage are not: pages are served
without them (portal/cache.py), so the instance is ``degraded`` but still answers 200; an
operator's monitoring alerts on ``degraded``, the load balancer keeps the instance.
"""

import logging
import os

from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger("portal.health")

OK, DEGRADED, DOWN = "ok", "degraded", "down"
_PROBE_KEY = "portal:healthz"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache = caches["default"]
    if hasattr(cache, "ping"):  # portal.cache.ResilientRedisCache hides errors elsewhere
        cache.ping()
        return
    cache.set(_PROBE_KEY, "1", 10)
    if cache.get(_PROBE_KEY) != "1":
        raise RuntimeError("the cache did not keep a value")


def check_storage():
    if isinstance(default_storage, FileSystemStorage):
        root = default_storage.location
        if not os.path.isdir(root) or not os.access(root, os.W_OK | os.X_OK):
            raise OSError(f"media folder {root} is missing or not writable")
        return
    default_storage.listdir("")


# name -> (check, state when it fails)
CHECKS = {
    "database": (check_database, DOWN),
    "cache": (check_cache, DEGRADED),
    "storage": (check_storage, DEGRADED),
}


def run_checks():
    results = {}
    for name, (check, failed_state) in CHECKS.items():
        try:
            check()
        except Exception as error:
            # Any failure of a probe is that dependency's state, never a 500 of the probe.
            logger.warning("Health check: %s is %s (%s)", name, failed_state, error)
            results[name] = {"status": failed_state, "error": type(error).__name__}
        else:
            results[name] = {"status": OK}
    states = {result["status"] for result in results.values()}
    overall = DOWN if DOWN in states else DEGRADED if DEGRADED in states else OK
    return overall, results


@never_cache
def healthz(request):
    overall, results = run_checks()
    return JsonResponse(
        {"status": overall, "checks": results}, status=503 if overall == DOWN else 200
    )
