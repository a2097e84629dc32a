"""A Redis cache that the site can live without.

Everything the portal keeps in the cache (page HTML, feeds, sessions' cached copy, rate-limit
counters) can be rebuilt from the database, so when Redis is unreachable each operation
behaves like a miss: reads return the default, writes are dropped, and the page is rendered
from the database. Short socket timeouts (settings.py) keep a dead or black-holed Redis from
holding a worker. ``ping()`` is the one call that still raises, for the health check.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")

# Errors that mean "Redis is not there", not a bug in the caller.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# One log line per process per interval while Redis is down, not one per request.
LOG_INTERVAL_SECONDS = 60


class RateLimitedWarning:
    """Log an outage as one warning line per interval, counting the repeats in between.

    A dependency that is down fails on every request; a traceback per request would bury
    the logs (and fill the disk) without telling the operator anything new.
    """

    def __init__(self, log, message, interval=LOG_INTERVAL_SECONDS):
        self.log = log
        self.message = message
        self.interval = interval
        self.lock = threading.Lock()
        self.last = None
        self.suppressed = 0

    def __call__(self, operation, error):
        now = time.monotonic()
        with self.lock:
            if self.last is not None and now - self.last < self.interval:
                self.suppressed += 1
                return
            suppressed, self.suppressed, self.last = self.suppressed, 0, now
        self.log.warning(
            "%s (%s: %s: %s; %d similar errors not logged)",
            self.message,
            operation,
            type(error).__name__,
            " ".join(str(error).split()),
            suppressed,
        )


class ResilientRedisCache(RedisCache):
    """Django's RedisCache where an unreachable server is a cache miss, logged once a minute.

    After a failure Redis is left alone for ``RETRY_SECONDS``: a hung server would otherwise
    cost a timeout on every cache call of every request. Any write dropped while Redis was
    away may have been an invalidation (a delete, or a new page-cache generation), so the
    first call that reaches Redis again removes this site's keys (its ``KEY_PREFIX``):
    nothing stale outlives the outage.
    """

    RETRY_SECONDS = 5

    def __init__(self, server, params):
        super().__init__(server, params)
        self._warn = RateLimitedWarning(logger, "Cache unavailable, serving without it")
        self._down_until = 0.0
        self._dropped_write = False

    def ping(self):
        """Raise when Redis does not answer (health check); ignores the pause after errors."""
        return self._cache.get_client(write=True).ping()

    def _call(self, operation, fallback, method, *args, writes=True):
        if time.monotonic() < self._down_until:
            self._dropped_write |= writes
            return fallback
        try:
            if self._dropped_write:
                self._clear_own_keys()
            return method(*args)
        except UNAVAILABLE as error:
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            self._dropped_write |= writes
            self._warn(operation, error)
            return fallback

    def _clear_own_keys(self):
        if not self.key_prefix:  # the whole database is this site's
            super().clear()
        else:
            client = self._cache.get_client(write=True)
            pattern = f"{self.key_prefix}:*"
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        self._dropped_write = False
        logger.warning("Cache reachable again: cleared this site's keys after the outage")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version, writes=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version, writes=False)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version, writes=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, super().incr, key, delta, version)
        if value is missing:
            # What Django's backends raise for a missing key: callers already handle a miss.
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)
