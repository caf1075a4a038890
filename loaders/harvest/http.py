"""One HTTP seam for every source: retries with backoff and jitter, Retry-After, a spent budget told apart.

A thin layer on ``requests`` rather than each client's own retry: the harvest must
see every response (to count calls, tell a rate limit from a spent day, notice
a redirect for a merged id and keep the raw page), which pyalex, sickle and
arxiv.py do not show.
"""

from __future__ import annotations

import email.utils
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests

T = TypeVar("T")

TRANSIENT = frozenset({500, 502, 503, 504})
USER_AGENT = "peergraph-harvest/0.1 (+https://github.com/peergraph)"


class HarvestError(Exception):
    """A harvest cannot go on; the message says what was asked, what came back and what to do."""


class BudgetSpent(HarvestError):
    """The source's daily budget is spent: stop, keep the checkpoint, resume after ``reset_seconds``."""

    def __init__(self, message: str, reset_seconds: float | None) -> None:
        super().__init__(message)
        self.reset_seconds = reset_seconds


class BadPage(ValueError):
    """A page that came back cut short or unreadable: fetched again like a server error."""


def json_object(response: requests.Response) -> dict[str, Any]:
    """The answer's JSON object; BadPage (so the fetcher retries) when it is cut short or not an object."""
    try:
        data = response.json()
    except ValueError as exc:
        raise BadPage(f"not complete JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BadPage("not a JSON object")
    return data


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date), else None."""
    value = headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _number(headers: Mapping[str, str], name: str) -> float | None:
    try:
        return float(headers[name])
    except (KeyError, ValueError):
        return None


def budget_spent(headers: Mapping[str, str]) -> bool:
    """OpenAlex's metering headers say nothing is left today (credits or dollars)."""
    remaining = _number(headers, "X-RateLimit-Remaining")
    usd = _number(headers, "X-RateLimit-Remaining-USD")
    return (remaining is not None and remaining <= 0) or (usd is not None and usd <= 0)


@dataclass
class Fetcher:
    """GETs for one source, counted, paced (``min_interval``) and retried."""

    source: str
    max_wait: float = 300.0
    min_interval: float = 0.0
    retries: int = 5
    backoff: float = field(default_factory=lambda: float(os.environ.get("PEERGRAPH_HARVEST_BACKOFF", "1")))
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    calls: int = 0
    waits: list[float] = field(default_factory=list)
    last_headers: Mapping[str, str] = field(default_factory=dict)
    _last: float = 0.0

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT

    def _pause(self, seconds: float) -> None:
        self.waits.append(seconds)
        if seconds > 0:
            self.sleep(seconds)

    def _backoff(self, attempt: int) -> float:
        # Full jitter: clients that failed together do not come back together.
        return float(random.uniform(0.5, 1.0) * min(60.0, self.backoff * 2 ** attempt))

    def get(self, url: str, params: Mapping[str, Any] | None = None, *, parse: Callable[[requests.Response], T],
            redirects: bool = True, accept: frozenset[int] = frozenset({200})) -> T:
        """``parse(response)`` of a good answer; retried on 5xx, 429, dropped connections and BadPage."""
        problem = ""
        for attempt in range(self.retries + 1):
            if self.min_interval:
                gap = self._last + self.min_interval - time.monotonic()
                if gap > 0:
                    self._pause(gap)
            self._last = time.monotonic()
            try:
                response = self.session.get(url, params=params, timeout=(10, 120), allow_redirects=redirects)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                # A body shorter than its Content-Length or a broken gzip stream: a cut page, fetched again.
                if not isinstance(exc, requests.ConnectionError | requests.Timeout):
                    self.calls += 1  # the server answered (and may have charged for it)
                problem = f"no complete answer ({type(exc).__name__})"
                self._pause(self._backoff(attempt))
                continue
            self.calls += 1
            self.last_headers = response.headers
            status = response.status_code
            if status == 429:
                wait = retry_after(response.headers)
                if budget_spent(response.headers) or (wait is not None and wait > self.max_wait):
                    reset = wait if wait is not None else _number(response.headers, "X-RateLimit-Reset")
                    when = f" (resets in {reset / 3600:.1f} h)" if reset is not None else ""
                    raise BudgetSpent(f"{self.source}: the daily budget is spent{when}; the checkpoint is saved, "
                                      "run `python -m loaders harvest resume JOB` then", reset)
                problem = "429 Too Many Requests"
                self._pause((wait if wait is not None else self._backoff(attempt)) + random.uniform(0, 0.25))
                continue
            if status in TRANSIENT:
                problem = f"{status} {response.reason}"
                wait = retry_after(response.headers)
                self._pause(min(wait, self.max_wait) if wait is not None else self._backoff(attempt))
                continue
            if status in accept or (not redirects and 300 <= status < 400):
                try:
                    return parse(response)
                except BadPage as exc:
                    problem = f"a bad page ({exc})"
                    self._pause(self._backoff(attempt))
                    continue
            raise HarvestError(f"{self.source} answered {status} {response.reason} to {response.url}: "
                               f"{error_text(response)}")
        raise HarvestError(f"{self.source}: {url} failed {self.retries + 1} times, last with {problem}; "
                           "try again later (the checkpoint is saved)")


def error_text(response: requests.Response) -> str:
    """The source's own error message when its body has one, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or "(empty body)"
    if isinstance(body, dict):
        for key in ("message", "error", "user-message", "developer-message"):
            if isinstance(body.get(key), str):
                return str(body[key])[:300]
    return str(body)[:200]
