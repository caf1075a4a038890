"""Typed API operations: one declaration gives the route, its parameters, its answer and its OpenAPI entry.

A handler returns a dataclass (a ``graph/`` result or a model in ``api/models.py``); ``operation`` turns it
into JSON with ``dump`` and the OpenAPI document describes it with ``schema_of``, both from the same type
hints, so the document and the answers cannot drift apart. Query parameters are ``Query`` objects: the
handler reads them with ``.read()`` and the document shows the same bounds.

Adding a documented endpoint (e.g. in a new ``api/things.py``; ``api.route_modules`` imports it)::

    LIMIT = Query.integer("limit", 10, minimum=1, maximum=100, description="how many")

    @operation("GET", "/things/<path:thing_id>", summary="A thing", operation_id="thing",
               answer=Thing, errors=(400, 404, 503), params=[LIMIT],
               path_params={"thing_id": "Thing id, URL-encoded"})
    def thing(thing_id: str) -> Thing:
        return graph_things.thing(get_db(), thing_id, limit=LIMIT.read())

Nested types become ``#/components/schemas/<ClassName>``; a field's description comes from
``Annotated[type, "description"]`` or ``field(metadata={"description": ...})``, and a JSON key that is not
a Python name (``from``) from ``field(metadata={"json": "from"})``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flask import Response, jsonify, request

from api import ApiError, bp, int_arg, str_arg

_JSON = "application/json"
B = typing.TypeVar("B")


# -- types → JSON Schema -------------------------------------------------------------------------------------
def _is_typed_dict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def _fields(tp: Any) -> list[tuple[str, str, Any, str | None]]:
    """(attribute, JSON key, type, description) of a dataclass or TypedDict, in declaration order."""
    hints = typing.get_type_hints(tp, include_extras=True)
    if dataclasses.is_dataclass(tp):
        return [(f.name, f.metadata.get("json", f.name), hints[f.name], f.metadata.get("description"))
                for f in dataclasses.fields(tp)]
    return [(name, name, hint, None) for name, hint in hints.items()]


def schema_of(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of ``tp``; dataclasses and TypedDicts go into ``components`` and are referenced."""
    description = None
    if typing.get_origin(tp) is typing.Annotated:
        tp, *extras = typing.get_args(tp)
        description = next((x for x in extras if isinstance(x, str)), None)
    schema = _schema(tp, components)
    return {**schema, "description": description} if description else schema


def _schema(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if tp in simple:
        return {"type": simple[tp]}
    if tp is Any or tp is object:
        return {}
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        nullable = len(inner) < len(args)
        if len(inner) == 1:
            one = schema_of(inner[0], components)
            if not nullable:
                return one
            if set(one) <= {"type", "description"} and isinstance(one.get("type"), str):
                return {**one, "type": [one["type"], "null"]}
            return {"oneOf": [one, {"type": "null"}]}
        return {"oneOf": [schema_of(a, components) for a in inner] + ([{"type": "null"}] if nullable else [])}
    if origin in (list, Sequence, tuple) or tp in (list, tuple):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {"type": "array", "prefixItems": [schema_of(a, components) for a in args],
                    "minItems": len(args), "maxItems": len(args)}
        return {"type": "array", "items": schema_of(args[0], components) if args else {}}
    if origin is dict or tp is dict:
        return {"type": "object", "additionalProperties": schema_of(args[1], components) if args else True}
    if origin is Literal:
        return {"enum": list(args)}
    if dataclasses.is_dataclass(tp) or _is_typed_dict(tp):
        name = tp.__name__
        if name not in components:
            components[name] = {}  # a placeholder first: a type may refer to itself
            props = {key: schema_of(hint, components) for _, key, hint, _ in _fields(tp)}
            for _, key, _, text in _fields(tp):
                if text:
                    props[key]["description"] = text
            entry: dict[str, Any] = {"type": "object", "additionalProperties": False,
                                     "required": list(props), "properties": props}
            doc = (tp.__doc__ or "").strip()
            if doc and not doc.startswith(f"{name}("):  # not the signature dataclass() writes in
                entry["description"] = doc.split("\n\n")[0].replace("\n", " ")
            components[name] = entry
        return {"$ref": f"#/components/schemas/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}: use str, int, float, bool, lists, dicts, dataclasses")


def dump(value: Any) -> Any:
    """``value`` as JSON data, keyed as ``schema_of`` documents it (dataclass fields, their ``json`` names)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.metadata.get("json", f.name): dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [dump(v) for v in value]
    return value


# -- parameters ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """One query parameter: how the handler reads it and how the document shows it, from one place."""

    name: str
    schema: dict[str, Any]
    description: str = ""
    required: bool = False
    reader: Callable[[], Any] | None = None

    @classmethod
    def integer(cls, name: str, default: int, *, minimum: int, maximum: int, description: str = "") -> Query:
        return cls(name, {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default},
                   description, reader=lambda: int_arg(name, default, minimum=minimum, maximum=maximum))

    @classmethod
    def string(cls, name: str, *, required: bool = False, choices: Sequence[str] | None = None,
               max_length: int = 500, schema: dict[str, Any] | None = None, description: str = "") -> Query:
        shown = schema or ({"type": "string", "enum": list(choices)} if choices else
                           {"type": "string", "maxLength": max_length})
        return cls(name, shown, description, required,
                   reader=lambda: str_arg(name, required=required, max_length=max_length,
                                          choices=list(choices) if choices else None))

    def read(self) -> Any:
        """The value of this request (a 400 ApiError when it is wrong)."""
        if self.reader is None:
            raise ApiError(500, "internal_error", f"the parameter {self.name!r} has no reader")
        return self.reader()

    def openapi(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "in": "query", "required": self.required, "schema": self.schema}
        if self.description:
            out["description"] = self.description
        return out


# -- request bodies --------------------------------------------------------------------------------------------
CSRF_HEADER = {"name": "X-CSRF-Token", "in": "header", "required": True, "schema": {"type": "string"},
               "description": "the token from GET /api/account/csrf"}


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def body_schema(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    """The schema of a request body dataclass: as ``schema_of``, but fields with a default may be left out."""
    ref = schema_of(tp, components)
    entry = components[tp.__name__]
    entry["required"] = [f.metadata.get("json", f.name) for f in dataclasses.fields(tp) if not _has_default(f)]
    return ref


def _checked(value: Any, hint: Any, key: str) -> Any:
    """``value`` when it has the type ``hint`` (str, int, bool, Literal, lists of them, optional), else a 400."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _checked(value, inner[0], key)
    if origin is Literal:
        if value not in args:
            raise ApiError(400, "bad_body", f"'{key}' must be one of {', '.join(map(str, args))}; got {value!r}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ApiError(400, "bad_body", f"'{key}' must be a list; got {type(value).__name__}")
        return [_checked(v, args[0], f"{key}[{i}]") for i, v in enumerate(value)]
    names = {str: "a string", int: "an integer", bool: "true or false"}
    if hint in names:
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise ApiError(400, "bad_body", f"'{key}' must be {names[hint]}; got {json_type(value)}")
        return value
    raise TypeError(f"request bodies take str, int, bool, Literal and lists of them, not {hint!r}")


def json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def read_body(tp: type[B]) -> B:
    """The request's JSON object as the dataclass ``tp``; a 400 naming what is missing, unknown or mistyped."""
    raw = request.get_json(silent=True)
    if not isinstance(raw, dict):
        raise ApiError(400, "bad_body", "send a JSON object in the request body (Content-Type: application/json)")
    hints = typing.get_type_hints(tp, include_extras=True)
    fields = {f.metadata.get("json", f.name): f for f in dataclasses.fields(tp)}  # type: ignore[arg-type]
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise ApiError(400, "bad_body", f"unknown field(s) {', '.join(unknown)}; this request takes "
                                        f"{', '.join(fields)}")
    values = {}
    for key, f in fields.items():
        if key not in raw:
            if not _has_default(f):
                raise ApiError(400, "bad_body", f"'{key}' is required")
            continue
        values[f.name] = _checked(raw[key], hints[f.name], key)
    return tp(**values)


# -- operations ------------------------------------------------------------------------------------------------
ERROR_TEXT = {400: "Bad parameter", 404: "Unknown id", 408: "Timeout",
              429: "Too many requests from this client address (the rate limit, PEERGRAPH_CYPHER_RATE_LIMIT); "
                   "error code `rate_limited`",
              503: "Neo4j unreachable", 504: "Query timed out"}
# What a 429 carries besides the Error body (views/limits.py).
RETRY_AFTER = {"description": "Whole seconds until this client may send the next request",
               "required": True, "schema": {"type": "integer", "minimum": 1}}


def error_responses(*statuses: int) -> dict[str, Any]:
    """OpenAPI response objects for the error statuses an endpoint may answer (a 429 with its Retry-After)."""
    out: dict[str, Any] = {}
    for s in statuses:
        out[str(s)] = {"description": ERROR_TEXT.get(s, "Error"),
                       "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
        if s == 429:
            out[str(s)]["headers"] = {"Retry-After": RETRY_AFTER}
    return out


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI form: /api/authors/{author_id}
    summary: str
    operation_id: str
    answer: Any
    answer_text: str
    errors: tuple[int, ...]
    params: tuple[Query, ...]
    path_params: dict[str, str]
    body: Any = None  # a dataclass: the JSON object the request carries (read it with read_body)
    status: int = 200
    csrf: bool = False  # a state-changing request of a signed-in user: the X-CSRF-Token header
    integer_params: frozenset[str] = frozenset()  # path parameters of Flask's int converter

    def openapi(self, components: dict[str, Any]) -> dict[str, Any]:
        params = [{"name": name, "in": "path", "required": True,
                   "schema": {"type": "integer" if name in self.integer_params else "string"},
                   "description": text} for name, text in self.path_params.items()]
        params += [p.openapi() for p in self.params]
        if self.csrf:
            params.append(CSRF_HEADER)
        out: dict[str, Any] = {"summary": self.summary, "operationId": self.operation_id}
        if params:
            out["parameters"] = params
        if self.body is not None:
            out["requestBody"] = {"required": True, "content": {_JSON: {"schema": body_schema(self.body,
                                                                                               components)}}}
        out["responses"] = {str(self.status): {"description": self.answer_text or self.summary, "content": {
            _JSON: {"schema": schema_of(self.answer, components)}}}, **error_responses(*self.errors)}
        return out


OPERATIONS: list[Operation] = []
_FLASK_PARAM = re.compile(r"<(?:[a-z]+:)?([A-Za-z_]\w*)>")


def operation(method: str, rule: str, *, summary: str, operation_id: str, answer: Any, answer_text: str = "",
              errors: Sequence[int] = (), params: Sequence[Query] = (),
              path_params: dict[str, str] | None = None, body: Any = None, status: int = 200,
              csrf: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Route ``rule`` (below /api) on the blueprint, answer with ``dump`` of what the handler returns (HTTP
    ``status``), and describe it in the OpenAPI document; ``body`` is the dataclass of the JSON request body."""
    path = "/api" + _FLASK_PARAM.sub(r"{\1}", rule)
    names = _FLASK_PARAM.findall(rule)
    described = dict(path_params or {})
    if set(described) != set(names):
        raise ValueError(f"{rule}: describe exactly its path parameters {names}, not {sorted(described)}")
    OPERATIONS.append(Operation(method.lower(), path, summary, operation_id, answer, answer_text,
                                tuple(errors), tuple(params), described, body, status, csrf,
                                frozenset(re.findall(r"<int:(\w+)>", rule))))

    def register(view: Callable[..., Any]) -> Callable[..., Response]:
        @functools.wraps(view)
        def answer_json(**kwargs: Any) -> Response:
            result = view(**kwargs)
            if isinstance(result, Response):
                return result
            response = jsonify(dump(result))
            response.status_code = status
            return response

        bp.add_url_rule(rule, view_func=answer_json, methods=[method.upper()])
        return answer_json

    return register
