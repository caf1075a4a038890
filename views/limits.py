"""Rate limits per client, counted in a moving window by the ``limits`` library.

The storage is a setting (``PEERGRAPH_RATELIMIT_STORAGE_URL``): ``memory://``
(the default) counts in each process, so under gunicorn each worker has its own
allowance; a shared store (``redis://host:6379``, ``memcached://host:11211``,
with that store's client installed) makes the allowance one per client across
workers and servers.

Callers name what they limit and pass the client; nothing here knows a page,
a button or a request format. One limiter per app (``init_app``) serves every
use, in one store: the console's allowance, taken where a console query runs
(``POST /api/cypher`` in api/console.py and the console page's run callback in
dashboards/pages/cypher.py, so both count against one allowance), and the
sign-in, sign-up and password-reset attempts (accounts/web.py).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Flask
from limits import RateLimitItem, RateLimitItemPerSecond, storage, strategies

EXTENSION = "peergraph.rate_limiter"  # the app's RateLimiter in Flask's app.extensions
DEFAULT_STORAGE_URL = "memory://"
CONSOLE = "console queries"  # what the console's allowance counts (also its key and its message)


def parse_rate(text: str | None) -> tuple[int, float] | None:
    """``"60/minute"`` → (60, 60.0) requests per seconds; ``"off"``, ``"0"`` or empty → None (no limit).

    Periods: ``second``, ``minute``, ``hour``, ``day``, or a whole number of seconds (``"10/30"``).
    """
    text = (text or "").strip().lower()
    if text in {"", "0", "off", "none", "false"}:
        return None
    count, _, period = text.partition("/")
    period = period.strip() or "minute"
    periods = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
    try:
        n = int(count)
        seconds = float(periods.get(period, periods.get(period.removesuffix("s"), 0)) or period)
    except ValueError:
        raise ValueError(f"a rate limit reads like '60/minute' or 'off', not {text!r}") from None
    if n <= 0:
        return None
    if seconds <= 0 or not seconds.is_integer():
        raise ValueError(f"a rate limit's period must be a positive whole number of seconds, not {text!r}")
    return n, seconds


def parse_rates(text: str | None) -> list[tuple[int, float]]:
    """Several rates separated by ``;`` (``"5/minute;20/hour"``), each as ``parse_rate`` reads it; [] for none."""
    found = (parse_rate(part) for part in (text or "").split(";"))
    return [rate for rate in found if rate is not None]


def period_text(seconds: float) -> str:
    """``60.0`` → ``"minute"``: the period in a message."""
    names = {1.0: "second", 60.0: "minute", 3600.0: "hour", 86400.0: "day"}
    return names.get(seconds) or f"{seconds:g} s"


@dataclass(frozen=True)
class Refused:
    """A request over its allowance: what to tell the client, and when it may try again."""

    message: str
    retry_after: int  # whole seconds, at least 1 (an HTTP Retry-After)


class RateLimiter:
    """Moving-window limits per (what, client) in one ``limits`` storage."""

    def __init__(self, storage_url: str | None = None) -> None:
        url = storage_url or DEFAULT_STORAGE_URL
        try:
            self._storage = storage.storage_from_string(url)
        except Exception as exc:  # limits raises ConfigurationError for unknown schemes and missing clients
            raise ValueError(f"the rate-limit storage {url!r} cannot be used: {exc}") from None
        self._window = strategies.MovingWindowRateLimiter(self._storage)
        self._items: dict[tuple[int, float], RateLimitItem] = {}

    def take(self, what: str, client: str, rate: str | None) -> Refused | None:
        """Count one request of ``client`` against ``rate`` (a setting such as ``"60/minute"``, or several
        separated by ``;``: ``"5/minute;20/hour"``).

        None when it may go ahead; else what to answer, with the longest wait of the rates it went over.
        """
        refused: Refused | None = None
        for parsed in parse_rates(rate):
            limit, seconds = parsed
            item = self._items.get(parsed)
            if item is None:
                item = self._items[parsed] = RateLimitItemPerSecond(limit, int(seconds))
            if self._window.hit(item, what, client):
                continue
            reset = self._window.get_window_stats(item, what, client).reset_time
            retry = max(1, math.ceil(reset - time.time()))
            if refused is None or retry > refused.retry_after:
                refused = Refused(f"too many {what} from {client}: at most {limit} per {period_text(seconds)}; "
                                  f"try again in {retry} s", retry)
        return refused

    def reset(self) -> None:
        """Forget every count (tests, and an operator's fresh start)."""
        self._storage.reset()


def init_app(app: Flask) -> RateLimiter:
    """The app's one limiter (made once, on ``RATELIMIT_STORAGE_URL``), for every use above."""
    limiter: RateLimiter | None = app.extensions.get(EXTENSION)
    if limiter is None:
        limiter = app.extensions[EXTENSION] = RateLimiter(app.config.get("RATELIMIT_STORAGE_URL"))
    return limiter
