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
a Python name (``from``) from ``field(metadata={"json": "from"})``. ``described(...)`` writes such a field
with JSON Schema bounds (``minimum``, ``maxLength``...; a zero-argument callable is read when the document is
built, for bounds that are settings) and ``omit_none`` for a key the answer leaves out when it has no value.
Request bodies are dataclasses too (``body=``); answers that are files or redirects declare ``media`` or
``status`` and return a Flask ``Response``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from flask import Response, jsonify, request
from werkzeug.wrappers import Response as BaseResponse

from accounts.web import CSRF_EXEMPT
from api import ApiError, bp, int_arg, str_arg

_JSON = "application/json"
B = typing.TypeVar("B")


# -- types → JSON Schema -------------------------------------------------------------------------------------
def _is_typed_dict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def described(description: str = "", *, json: str | None = None, omit_none: bool = False, optional: bool = False,
              default: Any = dataclasses.MISSING, **keywords: Any) -> Any:
    """A dataclass field with its description, JSON key, JSON Schema ``keywords``, ``omit_none`` (the key is
    left out of the answer, and not required, when the value is None) and ``optional`` (a request body's key
    that may be left out)."""
    meta: dict[str, Any] = {"keywords": keywords, "omit_none": omit_none, "optional": optional}
    if description:
        meta["description"] = description
    if json:
        meta["json"] = json
    return dataclasses.field(default=default, metadata=meta)


def _fields(tp: Any) -> list[tuple[str, str, Any, dict[str, Any]]]:
    """(attribute, JSON key, type, metadata) of a dataclass or TypedDict, in declaration order."""
    hints = typing.get_type_hints(tp, include_extras=True)
    if dataclasses.is_dataclass(tp):
        return [(f.name, f.metadata.get("json", f.name), hints[f.name], dict(f.metadata))
                for f in dataclasses.fields(tp)]
    return [(name, name, hint, {}) for name, hint in hints.items()]


def _keyword(value: Any) -> Any:
    return value() if callable(value) else value


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
            props: dict[str, Any] = {}
            required = []
            for _, key, hint, meta in _fields(tp):
                if meta.get("omit_none"):  # left out rather than null: its schema is the value's
                    hint = _not_none(hint)
                elif not meta.get("optional"):
                    required.append(key)
                props[key] = schema_of(hint, components)
                props[key].update({k: _keyword(v) for k, v in meta.get("keywords", {}).items()})
                if meta.get("description"):
                    props[key]["description"] = meta["description"]
            entry: dict[str, Any] = {"type": "object", "required": required, "properties": props}
            if not getattr(tp, "extra_keys", False):  # request bodies may say extra_keys: ClassVar = True
                entry = {"type": "object", "additionalProperties": False, "required": required,
                         "properties": props}
            doc = (tp.__doc__ or "").strip()
            if doc and not doc.startswith(f"{name}("):  # not the signature dataclass() writes in
                entry["description"] = doc.split("\n\n")[0].replace("\n", " ")
            components[name] = entry
        return {"$ref": f"#/components/schemas/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}: use str, int, float, bool, lists, dicts, dataclasses")


def _not_none(tp: Any) -> Any:
    if typing.get_origin(tp) is typing.Annotated:
        inner, *extras = typing.get_args(tp)
        return typing.Annotated[(_not_none(inner), *extras)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return inner[0] if len(inner) == 1 else typing.Union[tuple(inner)]  # noqa: UP007
    return tp


def dump(value: Any) -> Any:
    """``value`` as JSON data, keyed as ``schema_of`` documents it (dataclass fields, their ``json`` names)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.metadata.get("json", f.name): dump(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not (f.metadata.get("omit_none") and getattr(value, f.name) is None)}
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
    where: Literal["query", "header"] = "query"

    @classmethod
    def integer(cls, name: str, default: int, *, minimum: int, maximum: int, description: str = "") -> Query:
        return cls(name, {"type": "integer", "minimum": minimum, "maximum": maximum, "default": default},
                   description, reader=lambda: int_arg(name, default, minimum=minimum, maximum=maximum))

    @classmethod
    def optional_integer(cls, name: str, *, minimum: int, maximum: int, description: str = "") -> Query:
        """An integer that may be left out: ``read()`` gives None then."""
        def read() -> int | None:
            given = request.args.get(name) is not None
            return int_arg(name, minimum, minimum=minimum, maximum=maximum) if given else None

        return cls(name, {"type": "integer", "minimum": minimum, "maximum": maximum}, description, reader=read)

    @classmethod
    def header(cls, name: str, *, description: str = "") -> Query:
        """A required request header the handler checks elsewhere (the CSRF token): documented only."""
        return cls(name, {"type": "string"}, description, required=True, reader=lambda: request.headers.get(name),
                   where="header")

    @classmethod
    def string(cls, name: str, *, required: bool = False, choices: Sequence[str] | None = None,
               max_length: int = 500, pattern: str | None = None, default: str | None = None,
               schema: dict[str, Any] | None = None, description: str = "") -> Query:
        """A string (trimmed); ``required`` ones may not be blank. ``pattern`` (or a whole ``schema``, where the
        reader accepts more than the choices, e.g. blank) is what the document shows."""
        shown: dict[str, Any] = {"type": "string"}
        if choices:
            shown["enum"] = list(choices)
        else:
            shown.update({"minLength": 1} if required else {})
            shown["maxLength"] = max_length
        if pattern:
            shown["pattern"] = pattern
        if default is not None:
            shown["default"] = default
        return cls(name, schema or shown, description, required,
                   reader=lambda: str_arg(name, required=required, max_length=max_length, default=default,
                                          choices=list(choices) if choices else None))

    def read(self) -> Any:
        """The value of this request (a 400 ApiError when it is wrong)."""
        if self.reader is None:
            raise ApiError(500, "internal_error", f"the parameter {self.name!r} has no reader")
        return self.reader()

    def openapi(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "in": self.where, "required": self.required,
                               "schema": self.schema}
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
@dataclass(frozen=True)
class ErrorDetail:
    code: Annotated[str, "stable, for programs: bad_parameter, not_found, rate_limited..."]
    message: Annotated[str, "what was wrong, for people"]


@dataclass(frozen=True)
class Error:
    """Every error answer of the API."""

    error: ErrorDetail


ERROR_TEXT = {400: "Bad parameter", 401: "Not signed in", 403: "Forbidden (or no CSRF token)",
              404: "Unknown id", 408: "Timeout", 409: "Conflict with the current state",
              429: "Too many requests from this client (a rate limit); error code `rate_limited`",
              502: "An upstream service failed", 503: "Neo4j (or a service this needs) unreachable",
              504: "Query timed out"}
# What a 429 carries besides the Error body (views/limits.py).
RETRY_AFTER = {"description": "Whole seconds until this client may send the next request",
               "required": True, "schema": {"type": "integer", "minimum": 1}}


def _content(schema: dict[str, Any]) -> dict[str, Any]:
    return {_JSON: {"schema": schema}}


def error_responses(*statuses: int, components: dict[str, Any] | None = None,
                    special: dict[int, tuple[Any, str]] | None = None) -> dict[str, Any]:
    """OpenAPI response objects for the error statuses an endpoint may answer (a 429 with its Retry-After);
    ``special`` gives a status its own (type, text) where the body is more than ``Error``."""
    components = {} if components is None else components
    out: dict[str, Any] = {}
    for s in sorted({*statuses, *(special or {})}):
        tp, text = (special or {}).get(s, (Error, ERROR_TEXT.get(s, "Error")))
        out[str(s)] = {"description": text, "content": _content(schema_of(tp, components))}
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
    path_params: dict[str, tuple[str, str]]  # name -> (JSON type, description)
    description: str = ""
    status: int = 200
    media: tuple[str, ...] = ()
    body: Any = None
    special_errors: dict[int, tuple[Any, str]] = dataclasses.field(default_factory=dict)
    module: str = ""  # where the handler is

    def openapi(self, components: dict[str, Any]) -> dict[str, Any]:
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": kind},
                   "description": text} for name, (kind, text) in self.path_params.items()]
        params += [p.openapi() for p in self.params]
        if (self.method != "get" and self.path not in CSRF_EXEMPT
                and not any(p["name"] == "X-CSRF-Token" for p in params)):
            # accounts.web refuses a state-changing request without it (the console's read-only POST excepted)
            params.append(CSRF_HEADER)
        out: dict[str, Any] = {"summary": self.summary, "operationId": self.operation_id}
        if self.description:
            out["description"] = self.description
        if params:
            out["parameters"] = params
        if self.body is not None:
            out["requestBody"] = {"required": True, "content": _content(body_schema(self.body, components))}
        ok: dict[str, Any] = {"description": self.answer_text or self.summary}
        content = _content(schema_of(self.answer, components)) if self.answer is not None else {}
        content.update({media: {"schema": {"type": "string"}} for media in self.media})
        if content:
            ok["content"] = content
        out["responses"] = {str(self.status): ok,
                            **error_responses(*self.errors, components=components, special=self.special_errors)}
        return out


OPERATIONS: list[Operation] = []
_FLASK_PARAM = re.compile(r"<(?:([a-z]+):)?([A-Za-z_]\w*)>")
_PARAM_TYPES = {"int": "integer", "float": "number"}


def operation(method: str, rule: str, *, summary: str, operation_id: str, answer: Any, answer_text: str = "",
              errors: Sequence[int] = (), params: Sequence[Query] = (),
              path_params: dict[str, str] | None = None, description: str = "", status: int = 200,
              media: Sequence[str] = (), body: Any = None,
              special_errors: dict[int, tuple[Any, str]] | None = None, rename: dict[str, str] | None = None,
              ) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Route ``rule`` (below /api) on the blueprint, answer with ``dump`` of what the handler returns (with
    ``status``), and describe it in the OpenAPI document.

    ``answer`` None: no JSON answer (a file in one of ``media``, a redirect or an empty 204); the handler then
    returns a ``Response``, as it may for any answer that is not JSON. ``body``: the dataclass of the JSON
    request body (the handler still checks what it reads, with messages saying what was wrong). ``rename``: a
    path parameter's name in the document where it differs from the handler's (kept from an older document).
    """
    names = rename or {}
    path = "/api" + _FLASK_PARAM.sub(lambda m: "{" + names.get(m.group(2), m.group(2)) + "}", rule)
    found = {name: _PARAM_TYPES.get(converter, "string") for converter, name in _FLASK_PARAM.findall(rule)}
    described = dict(path_params or {})
    if set(described) != set(found):
        raise ValueError(f"{rule}: describe exactly its path parameters {list(found)}, not {sorted(described)}")

    def register(view: Callable[..., Any]) -> Callable[..., Response]:
        OPERATIONS.append(Operation(method.lower(), path, summary, operation_id, answer, answer_text,
                                    tuple(errors), tuple(params),
                                    {names.get(name, name): (found[name], text) for name, text in described.items()},
                                    description, status, tuple(media), body, dict(special_errors or {}),
                                    view.__module__))

        @functools.wraps(view)
        def answer_json(**kwargs: Any) -> Response:
            result = view(**kwargs)
            if isinstance(result, BaseResponse):  # a file, a redirect, a cookie set: the handler's own
                return result  # type: ignore[return-value]
            response = jsonify(dump(result))
            response.status_code = status
            return response

        bp.add_url_rule(rule, view_func=answer_json, methods=[method.upper()])
        return answer_json

    return register
