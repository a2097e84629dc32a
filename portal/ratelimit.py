"""Per-client-address rate limits for public views, counted in the Django cache.

Use it on every public search and form view::

    from portal.ratelimit import ratelimit

    @ratelimit("5/m", scope="questions-ask", methods=("POST",))
    def ask(request): ...

Counts live in the default cache, so with ``REDIS_URL`` set every app instance shares them.
A client over its limit gets the Vietnamese ``429.html`` page with a ``Retry-After`` header.
If the cache itself fails, the request is let through and one warning is logged: a broken
cache must not take the public site down with it.

``client_ip(request)`` is the one place that decides who the client is; django-axes' lockout
uses it too (``AXES_CLIENT_IP_CALLABLE``).
"""

import functools
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_ip(request):
    """The address of the client that sent ``request``, as text."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _client_key(address):
    # One IPv6 subscriber usually holds a whole /64: counting single addresses would let one
    # client rotate through 2**64 of them.
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def parse_rate(rate):
    """``"10/m"`` -> ``(10, 60)``: a count per period (``s``, ``m``, ``h`` or ``d``)."""
    try:
        count, period = rate.split("/")
        return int(count), _PERIODS[period.strip()]
    except (ValueError, KeyError):
        raise ValueError(f"Rate {rate!r} is not like '10/m' (per s, m, h or d).") from None


def _effective_rate(scope, rate):
    # The operator can change any scope's rate without a code change (PORTAL_RATELIMITS).
    return getattr(settings, "PORTAL_RATELIMITS", {}).get(scope, rate)


def hit(request, *, scope, rate):
    """Count one request from this client in ``scope``.

    Returns ``None`` when it is allowed, else the seconds until the client may try again.
    """
    limit, period = parse_rate(_effective_rate(scope, rate))
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{_client_key(client_ip(request))}:{window}"
    try:
        # add() then incr(): both atomic in Redis and in the local-memory cache, so concurrent
        # requests on several instances never lose a count.
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=period + 1)
            count = 1
    except Exception as exc:  # any cache failure (Redis down, timeout): fail open, say so
        logger.warning("Rate limit %s not applied, the cache failed: %s", scope, exc)
        return None
    if count <= limit:
        return None
    return max(1, int((window + 1) * period - now + 0.999))


def too_many_requests(request, retry_after):
    """The Vietnamese 429 page, with ``Retry-After``; it sets no cookie and is never cached."""
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)
    return response


def ratelimit(rate, *, scope, methods=None):
    """Limit a view to ``rate`` (``"10/m"``) requests per client address.

    ``scope`` names the counter (one per view or per group of views that share a budget; it is
    also the key in ``PORTAL_RATELIMITS``). ``methods``: count only these methods, for example
    ``("POST",)`` for a form whose page may be viewed freely; all methods when ``None``.
    """
    parse_rate(rate)  # a typo fails at import time, not at the first request

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(settings, "PORTAL_RATELIMIT_ENABLED", True) and (
                methods is None or request.method in methods
            ):
                retry_after = hit(request, scope=scope, rate=rate)
                if retry_after is not None:
                    logger.info("Rate limit %s reached by %s", scope, client_ip(request))
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
