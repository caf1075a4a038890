"""Replay recorded real API responses from a local HTTP server, for the harvest tests (no network).

Recorded (real, byte for byte, from ../shared/data/recorded): the cassettes read by
``cassette``. Constructed (marked so where used): cursor pages cut from the 490 real
works of ``openalex/openalexpro-works.raw.jsonl.gz`` with the real metering headers of
``openalexPro/pro_request_list_count.yml``, and the 429, 301, 500 and cut pages no
recording exists for.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from werkzeug import Request, Response

from tests.conftest import shared_file


@dataclass
class Recorded:
    uri: str
    status: int
    headers: dict[str, str]
    body: bytes


def cassette(*parts: str) -> list[Recorded]:
    """The interactions of a vcrpy or R vcr cassette, bodies decoded (gzip undone)."""
    path = shared_file("recorded", *parts)
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    data = yaml.safe_load(raw)
    out = []
    for item in data.get("interactions") or data.get("http_interactions"):
        response = item["response"]
        status = response["status"]
        status = int(status["code"] if "code" in status else status["status_code"]) if isinstance(status, dict) \
            else int(status)
        headers = {k: (v[0] if isinstance(v, list) else str(v)) for k, v in (response.get("headers") or {}).items()}
        body = response["body"]["string"]
        body = body if isinstance(body, bytes) else body.encode("utf-8")
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        out.append(Recorded(item["request"]["uri"], status, headers, body))
    return out


def metering_headers() -> dict[str, str]:
    """The real x-ratelimit-* headers of a current-API list call (openalexPro, 2026-05-22)."""
    first = cassette("openalex", "openalexPro", "pro_request_list_count.yml")[0]
    return {k: v for k, v in first.headers.items() if k.lower().startswith("x-ratelimit")}


def real_works() -> list[dict[str, Any]]:
    path = shared_file("openalex", "openalexpro-works.raw.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def loadable(works: list[dict[str, Any]]) -> set[str]:
    """OpenAlex ids of the works the loader keeps (any with a title), read independently.

    A work without authorships is a paper all the same (the openalexPro file has 22 of them).
    """
    return {w["id"].rsplit("/", 1)[-1] for w in works
            if (w.get("title") or w.get("display_name") or "").strip()}


@dataclass
class Replay:
    """One handler for every path: entity lookups, cursor pages, and faults queued in front of them.

    CONSTRUCTED: the cursor pages (real works, real headers, cursors ``c1``, ``c2`` ... made here) and
    every fault response.
    """

    works: list[dict[str, Any]]
    per_page: int
    entities: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    faults: dict[str, deque[Response]] = field(default_factory=dict)
    delay: float = 0.0
    seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    on_request: Callable[[Request], Response | None] | None = None

    def pages(self) -> int:
        return max(1, -(-len(self.works) // self.per_page))

    def fault(self, path: str, *responses: Response) -> None:
        self.faults.setdefault(path, deque()).extend(responses)

    def page(self, cursor: str, per_page: int) -> bytes:
        index = 0 if cursor == "*" else int(cursor[1:])
        chunk = self.works[index * self.per_page:(index + 1) * self.per_page]
        more = (index + 1) * self.per_page < len(self.works)
        meta = {"count": len(self.works), "db_response_time_ms": 12, "page": None, "per_page": per_page,
                "next_cursor": f"c{index + 1}" if more else None, "groups_count": None, "cost_usd": 0.0001}
        return json.dumps({"meta": meta, "results": chunk, "group_by": []}).encode()

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.seen.append(request.full_path)
            queued = self.faults.get(request.path)
            if queued:
                return queued.popleft()
        if self.delay:
            time.sleep(self.delay)
        if self.on_request and (answer := self.on_request(request)):
            return answer
        headers = metering_headers()
        if request.path in self.redirects:
            return Response(status=301, headers={"Location": self.redirects[request.path]})
        if request.path in self.entities:
            return Response(self.entities[request.path], 200, headers, content_type="application/json")
        if request.path == "/works":
            per_page = int(request.args.get("per_page", 25))
            if "cursor" not in request.args:  # a count probe
                meta = {"count": len(self.works), "page": 1, "per_page": per_page}
                body = json.dumps({"meta": meta, "results": [{"id": w["id"]} for w in self.works[:1]]})
                return Response(body, 200, headers, content_type="application/json")
            return Response(self.page(request.args["cursor"], per_page), 200, headers,
                            content_type="application/json")
        return Response(json.dumps({"error": "not recorded", "message": f"no recording for {request.path}"}),
                        404, content_type="application/json")


def author_record() -> tuple[str, bytes]:
    """The real author lookup of A1969205032 (diophila, 2022 schema)."""
    found = cassette("openalex", "diophila", "test_single_entity", "test_single_author_by_openalex_id.yaml")[0]
    return json.loads(found.body)["id"].rsplit("/", 1)[-1], found.body


def budget_spent_429() -> Response:
    """CONSTRUCTED: a 429 for a spent day: the real metering header set with nothing remaining."""
    headers = metering_headers() | {"x-ratelimit-remaining": "0", "x-ratelimit-remaining-usd": "0",
                                    "Retry-After": "41669"}
    return Response(json.dumps({"error": "Rate limit exceeded", "message": "daily budget exhausted"}), 429,
                    headers, content_type="application/json")


def rate_limited_429(seconds: int = 1) -> Response:
    """CONSTRUCTED: a 429 for too many requests per second: budget left, a short Retry-After."""
    return Response(json.dumps({"error": "Too Many Requests"}), 429,
                    metering_headers() | {"Retry-After": str(seconds)}, content_type="application/json")


def server_error() -> Response:
    return Response("<html><body>500 Internal Server Error</body></html>", 500, content_type="text/html")


def truncated(body: bytes) -> Response:
    """CONSTRUCTED: a page cut off midway (a dropped connection after half the body)."""
    return Response(body[: len(body) // 2], 200, content_type="application/json")


def job_file(data_dir: Path, job: str) -> Path:
    return data_dir / "harvest" / job / "job.json"


def uri_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
