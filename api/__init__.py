"""The JSON REST API under ``/api``: one Flask blueprint, errors as ``{"error": {"code", "message"}}``.

Route modules (``api/*.py``) declare their views with ``api.spec.operation``: the route, its query
parameters and the dataclass it answers with, from which ``api.openapi`` writes the document (see
``api/spec.py`` for how to add an endpoint). No module writes OpenAPI by hand.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from graph.errors import BadQuery, GraphError, GraphUnavailable, NotFound, QueryTimeout
from views.params import NOT_BLANK, SPACE

__all__ = ["NOT_BLANK", "SPACE", "ApiError", "bp", "int_arg", "str_arg"]

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")

API_DIR = Path(__file__).resolve().parent


class ApiError(Exception):
    """An error answer: HTTP ``status``, a stable ``code`` and a message saying what was wrong."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


@bp.after_request
def _allow_of_the_matched_route(response: Response) -> Response:
    """OPTIONS answers the methods of the route it matched, not of every route whose pattern fits the URL.

    Author ids take the ``path`` converter, so ``/api/authors/<id>`` also fits ``/api/authors/X/claim``: Flask's
    automatic ``Allow`` would then advertise that route's GET on the claim and follow resources, which have none.
    """
    rule = request.url_rule
    if request.method == "OPTIONS" and rule is not None and "Allow" in response.headers:
        # Every route of the matched pattern (one per method when written as @bp.post and @bp.delete).
        methods = {m for r in current_app.url_map.iter_rules() if r.rule == rule.rule for m in r.methods or ()}
        response.headers["Allow"] = ", ".join(sorted(methods))
    return response


def error_response(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _single(name: str) -> str | None:
    """The one value of query parameter ``name`` (None when absent); 400 when it is given more than once."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, "bad_parameter", f"'{name}' is given {len(values)} times; give it once")
    return values[0] if values else None


def int_arg(name: str, default: int, *, minimum: int = 0, maximum: int = 1000) -> int:
    """An integer query parameter within [minimum, maximum], or a 400 saying what was wrong."""
    raw = _single(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_parameter", f"'{name}' must be an integer, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ApiError(400, "bad_parameter", f"'{name}' must be between {minimum} and {maximum}, got {value}")
    return value


def str_arg(name: str, *, required: bool = False, choices: list[str] | None = None,
            default: str | None = None, max_length: int = 500) -> str | None:
    """A string query parameter, checked against ``choices``; 400 when missing or wrong."""
    raw = _single(name)
    if raw is None or raw.strip() == "":
        if required:
            raise ApiError(400, "missing_parameter", f"'{name}' is required")
        return default
    raw = raw.strip()
    if len(raw) > max_length:
        raise ApiError(400, "bad_parameter", f"'{name}' is longer than {max_length} characters")
    if choices is not None and raw not in choices:
        raise ApiError(400, "bad_parameter", f"'{name}' must be one of {', '.join(choices)}; got {raw!r}")
    return raw


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    response = error_response(exc.status, exc.code, exc.message)
    response.headers.update(exc.headers)
    return response


@bp.errorhandler(GraphError)
def _graph_error(exc: GraphError) -> Response:
    if isinstance(exc, GraphUnavailable):
        return error_response(503, "graph_unavailable", str(exc))
    if isinstance(exc, NotFound):
        return error_response(404, "not_found", str(exc))
    if isinstance(exc, QueryTimeout):
        return error_response(504, "timeout", str(exc))
    if isinstance(exc, BadQuery):
        return error_response(400, "bad_query", str(exc))
    log.exception("graph error")
    return error_response(500, "graph_error", str(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                          exc.description or exc.name)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    log.exception("unexpected error in %s", request.path)
    return error_response(500, "internal_error", "an unexpected error happened; it was logged")


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _api_methods(path: str) -> set[str]:
    """The methods some API view takes at ``path`` (empty when no API view is there)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    found = set()
    for method in _METHODS:
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:  # NotFound, MethodNotAllowed, a redirect
            continue
        if endpoint.startswith(f"{bp.name}."):
            found.add(method)
    if "GET" in found:
        found.add("HEAD")
    return found


@bp.before_app_request
def _api_routing() -> Response | None:
    """Below /api: JSON 404 for unknown paths (Dash's catch-all page route would serve a page), JSON 405 with
    the right ``Allow`` for a method no view there takes, and ``OPTIONS`` that lists the API's methods only."""
    if request.path != "/api" and not request.path.startswith("/api/"):
        return None
    rule = request.url_rule
    if rule is not None and rule.endpoint.startswith(f"{bp.name}.") and request.method != "OPTIONS":
        return None
    methods = _api_methods(request.path)
    if not methods:
        return error_response(404, "not_found", f"no API endpoint at {request.path}")
    allow = ", ".join(sorted(methods | {"OPTIONS"}))
    if request.method == "OPTIONS":
        response = current_app.response_class(status=200)
    else:
        response = error_response(405, "method_not_allowed",
                                  f"{request.method} is not allowed at {request.path}; use {allow}")
    response.headers["Allow"] = allow
    return response


def route_modules() -> list[Any]:
    """Every module in api/ but this package, openapi, spec and models: each declares its views on ``bp``."""
    names = sorted(p.stem for p in API_DIR.glob("*.py") if p.stem not in {"__init__", "openapi", "spec", "models"})
    return [importlib.import_module(f"api.{name}") for name in names]


def init_app(app: Flask) -> None:
    """Import the route modules and mount the blueprint (once per process for the blueprint)."""
    route_modules()
    from api import openapi  # noqa: F401  (registers /api/openapi.json)

    app.register_blueprint(bp)
