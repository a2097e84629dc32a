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
    """Django's RedisCache where an unreachable server is a cache miss, logged once a minute."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._warn = RateLimitedWarning(logger, "Cache unavailable, serving without it")

    def ping(self):
        """Raise when Redis does not answer (health check)."""
        return self._cache.get_client(write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._warn("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            self._warn("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._warn("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as error:
            self._warn("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as error:
            self._warn("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as error:
            self._warn("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as error:
            self._warn("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            self._warn("incr", error)
            # What Django's backends raise for a missing key: callers already handle a miss.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as error:
            self._warn("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE as error:
            self._warn("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as error:
            self._warn("clear", error)
            return False
